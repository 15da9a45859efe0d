package roster.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import roster.crypto.Keys;
import roster.model.Grant;
import roster.model.LiveGrant;
import roster.model.TenantApp;
import roster.store.Database;
import roster.store.Grants;

/**
 * Access tokens of every front end, kept in the database so that every process of the service honours a token
 * for its whole advertised life. A token's secret part is its row id followed by an HMAC of that id under a
 * server key: the row alone cannot be presented, and the token can be computed again from the row (which
 * is how the feishu endpoint hands out the same token twice). A token dies with its expiry, with its app, or
 * when its app's secret changes.
 */
public final class Tokens {

    private static final int ID_BYTES = 16;
    /** What POST /oauth2/token issues (client credentials): its kind (named after its first user) and the prefix of its text. */
    public static final String OAUTH2_KIND = "bizapi";
    public static final String OAUTH2_PREFIX = "AT-";
    /** Long-lived tokens minted by the admin (POST /admin/v1/tenants/{tenant}/apps/{app}/tokens): kind and prefix. */
    public static final String LONG_LIVED = "long-lived";
    public static final String LONG_LIVED_PREFIX = "rst_";
    private final Database db;
    private final Clock clock;
    private final byte[] key;

    public Tokens(Database db, Keys keys, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.key = keys.derive("access-token");
    }

    public Grant issue(String kind, TenantApp app, String subject, Duration lifetime) {
        Instant now = clock.instant();
        Grant grant = new Grant(Keys.randomToken(ID_BYTES), kind, app.app().id(), app.tenantId(), subject, now, now.plus(lifetime));
        db.useWrite(tx -> Grants.insert(tx, grant, app.secretVersion()));
        return grant;
    }

    /**
     * The app's newest live token of this kind while it has at least reuseAbove of life left, else a new one:
     * token endpoints that hand out the same token while it lives (feishu, Authing, the EnOS gateway).
     */
    public Grant reuseOrIssue(String kind, TenantApp app, Duration lifetime, Duration reuseAbove) {
        return newest(kind, app).filter(g -> g.secondsLeft(clock) >= reuseAbove.getSeconds())
                .orElseGet(() -> issue(kind, app, null, lifetime));
    }

    /** The secret text of a grant: what the client presents (after the front end's prefix). */
    public String secret(Grant grant) {
        return secret(grant.id());
    }

    private String secret(String id) {
        return id + HexFormat.of().formatHex(Keys.hmacSha256(key, id.getBytes(StandardCharsets.UTF_8)), 0, 16);
    }

    /**
     * The live grant behind a token's secret text, with its app, if the MAC holds and the token is neither
     * expired nor revoked.
     */
    public Optional<LiveGrant> verify(String kind, String secret) {
        if (secret == null || secret.length() != 22 + 32) return Optional.empty();
        String id = secret.substring(0, 22);
        if (!Keys.constantTimeEquals(secret(id), secret)) return Optional.empty();
        return find(kind, id);
    }

    /** A live grant by id, with its app; used where the id travels signed in another form (the authing JWT). */
    public Optional<LiveGrant> find(String kind, String id) {
        return db.read(tx -> Grants.live(tx, kind, id, clock.millis()));
    }

    /** The app's live token of this kind with the most life left, if any. */
    public Optional<Grant> newest(String kind, TenantApp app) {
        return db.read(tx -> Grants.newest(tx, kind, app.app().id(), app.secretVersion(), clock.millis()));
    }

    public Clock clock() {
        return clock;
    }

    // ---- long-lived tokens, minted by the admin for a provisioning client (Entra ID, Okta)

    /** A long-lived token as minted: its value is shown this once and never again. */
    public record Minted(Grant grant, String value) {}

    /**
     * A random token whose value is not kept: the row's id is its SHA-256, so a reader of the database cannot
     * present it. It lives until it expires, is revoked, or its app's secret changes.
     */
    public Minted mint(String kind, String prefix, TenantApp app, Duration lifetime) {
        String value = prefix + Keys.randomToken(32);
        Instant now = clock.instant();
        Grant grant = new Grant(hashId(value), kind, app.app().id(), app.tenantId(), null, now, now.plus(lifetime));
        db.useWrite(tx -> Grants.insert(tx, grant, app.secretVersion()));
        return new Minted(grant, value);
    }

    /** The live grant of a minted token's value, with its app. */
    public Optional<LiveGrant> verifyMinted(String kind, String value) {
        if (value == null || value.length() > 256) return Optional.empty();
        return find(kind, hashId(value));
    }

    public List<Grant> list(String kind, String appId) {
        return db.read(tx -> Grants.all(tx, kind, appId, clock.millis()));
    }

    public boolean revoke(String kind, String appId, String id) {
        return db.write(tx -> Grants.delete(tx, kind, appId, id));
    }

    private static String hashId(String value) {
        return "h" + Base64.getUrlEncoder().withoutPadding().encodeToString(Keys.sha256(value.getBytes(StandardCharsets.UTF_8)));
    }
}
