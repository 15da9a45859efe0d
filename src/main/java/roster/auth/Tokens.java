package roster.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import roster.directory.TenantApp;
import roster.store.Database;

/**
 * Access tokens of every dialect, kept in the database so that every process of the service honours a token
 * for its whole advertised life. A token's secret part is its row id followed by an HMAC of that id under a
 * server key: the row alone cannot be presented, and the token can be computed again from the row (which
 * is how the feishu endpoint hands out the same token twice). A token dies with its expiry, with its app, or
 * when its app's secret changes.
 */
public final class Tokens {

    private static final int ID_BYTES = 16;
    private final Database db;
    private final Clock clock;
    private final byte[] key;

    public Tokens(Database db, Keys keys, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.key = keys.derive("access-token");
    }

    /** A token's record. subject is the signed-in user where the token speaks for one (EnOS). */
    public record Grant(String id, String kind, String appId, String tenantId, String subject, Instant issuedAt, Instant expiresAt) {
        public long secondsLeft(Clock clock) {
            return Math.max(0, Duration.between(clock.instant(), expiresAt).getSeconds());
        }
    }

    public Grant issue(String kind, TenantApp app, String subject, Duration lifetime) {
        Instant now = clock.instant();
        Grant grant = new Grant(Keys.randomToken(ID_BYTES), kind, app.app().id(), app.tenantId(), subject, now, now.plus(lifetime));
        db.useWrite(h -> {
            h.createUpdate("DELETE FROM tokens WHERE app_id = ? AND kind = ? AND expires_at < ?")
                    .bind(0, app.app().id()).bind(1, kind).bind(2, now.toEpochMilli()).execute();
            h.createUpdate("INSERT INTO tokens (id, kind, app_id, tenant_id, subject, secret_version, issued_at, expires_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, grant.id()).bind(1, kind).bind(2, grant.appId()).bind(3, grant.tenantId()).bind(4, subject)
                    .bind(5, app.secretVersion()).bind(6, now.toEpochMilli()).bind(7, grant.expiresAt().toEpochMilli())
                    .execute();
        });
        return grant;
    }

    /** The secret text of a grant: what the client presents (after the dialect's prefix). */
    public String secret(Grant grant) {
        return grant.id() + HexFormat.of().formatHex(Keys.hmacSha256(key, grant.id().getBytes(StandardCharsets.UTF_8)), 0, 16);
    }

    /** The live grant behind a token's secret text, if the MAC holds and the token is neither expired nor revoked. */
    public Optional<Grant> verify(String kind, String secret) {
        if (secret == null || secret.length() != 22 + 32) return Optional.empty();
        String id = secret.substring(0, 22);
        String expected = secret(new Grant(id, kind, null, null, null, null, null));
        if (!Keys.constantTimeEquals(expected, secret)) return Optional.empty();
        return find(kind, id);
    }

    /** A live grant by id; used where the id travels signed in another form (the authing JWT). */
    public Optional<Grant> find(String kind, String id) {
        long now = clock.millis();
        return db.read(h -> h.createQuery("SELECT t.id, t.kind, t.app_id, t.tenant_id, t.subject, t.issued_at, t.expires_at "
                        + "FROM tokens t JOIN apps a ON a.id = t.app_id AND a.secret_version = t.secret_version "
                        + "WHERE t.id = ? AND t.kind = ? AND t.expires_at > ?")
                .bind(0, id).bind(1, kind).bind(2, now)
                .map((rs, ctx) -> new Grant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7))))
                .findOne());
    }

    /** The app's live token of this kind with the most life left, if any (for endpoints that hand it out again). */
    public Optional<Grant> newest(String kind, TenantApp app) {
        long now = clock.millis();
        return db.read(h -> h.createQuery("SELECT id, kind, app_id, tenant_id, subject, issued_at, expires_at FROM tokens "
                        + "WHERE app_id = ? AND kind = ? AND secret_version = ? AND expires_at > ? ORDER BY expires_at DESC LIMIT 1")
                .bind(0, app.app().id()).bind(1, kind).bind(2, app.secretVersion()).bind(3, now)
                .map((rs, ctx) -> new Grant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7))))
                .findOne());
    }
}
