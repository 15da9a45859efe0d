package roster.directory;

import java.net.URI;
import java.time.Clock;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import roster.crypto.SecretBox;
import roster.model.Failure;
import roster.model.Webhook;
import roster.store.Apps;
import roster.store.Database;
import roster.store.Tenants;
import roster.store.Tx;
import roster.store.Webhooks;

/**
 * The admin writes of webhook subscriptions: validation, the secret sealed (and the one it replaces kept for a
 * rotation window, so that consumers can switch over), the position a new subscription starts from (the
 * tenant's change sequence now: it hears of changes from its creation on), pause and resume.
 */
final class WebhookWriter {

    private final Database db;
    private final SecretBox secrets;
    private final Clock clock;
    private final long rotationMillis;

    WebhookWriter(Database db, SecretBox secrets, Clock clock, long rotationMillis) {
        this.db = db;
        this.secrets = secrets;
        this.clock = clock;
        this.rotationMillis = rotationMillis;
    }

    Webhook put(String tenantId, Webhook in, boolean create) {
        validate(in);
        return db.write(tx -> put(tx, tenantId, in, create));
    }

    /** The same, inside a transaction of the caller's (a fixture's load). */
    Webhook put(Tx tx, String tenantId, Webhook in, boolean create) {
        validate(in);
        if (Tenants.byId(tx, tenantId).isEmpty()) throw new Failure.NotFound(Failure.Subject.TENANT, tenantId);
        if (in.app() != null && Apps.byId(tx, in.app()).filter(a -> a.tenantId().equals(tenantId)).isEmpty()) {
            throw new Failure.InvalidInput("$.app", "unknown app \"" + in.app() + "\" in tenant " + tenantId);
        }
        Webhooks.Stored old = Webhooks.byId(tx, tenantId, in.id()).orElse(null);
        if (create && old != null) throw new Failure.Conflict("$.id", "webhook " + in.id() + " exists");
        long now = clock.millis();
        Webhooks.Stored stored = old == null ? created(tx, tenantId, in) : replaced(old, in, now);
        Webhooks.put(tx, stored, now);
        return Webhooks.byId(tx, tenantId, in.id()).orElseThrow().webhook();
    }

    private Webhooks.Stored created(Tx tx, String tenantId, Webhook in) {
        if (in.format() == Webhook.Format.STANDARD && in.secret() == null) throw new Failure.InvalidInput("$.secret", "is required");
        Webhook w = new Webhook(in.id(), in.url(), in.format(), null, in.app(), in.events(), Tenants.lastSequence(tx, tenantId),
                in.isPaused(), null, null);
        return new Webhooks.Stored(tenantId, w, seal(tenantId, in.id(), in.secret()), null, 0,
                in.format() == Webhook.Format.FEISHU, 0);
    }

    private Webhooks.Stored replaced(Webhooks.Stored old, Webhook in, long now) {
        Webhook was = old.webhook();
        String sealed = old.secretSealed();
        String oldSealed = old.oldSecretSealed();
        long oldUntil = old.oldSecretUntil();
        if (in.secret() != null && !in.secret().equals(open(old.tenantId(), in.id(), sealed))) {
            // the secret it replaces keeps signing beside it for the rotation window
            oldSealed = sealed;
            oldUntil = sealed == null ? 0 : now + rotationMillis;
            sealed = seal(old.tenantId(), in.id(), in.secret());
        }
        if (in.format() == Webhook.Format.STANDARD && sealed == null) throw new Failure.InvalidInput("$.secret", "is required");
        boolean resume = was.isPaused() && in.paused() != null && !in.paused();
        boolean paused = in.paused() == null ? was.isPaused() : in.paused();
        boolean verify = in.format() == Webhook.Format.FEISHU
                && (old.verifyPending() || !in.url().equals(was.url()) || was.format() != Webhook.Format.FEISHU);
        Webhook w = new Webhook(in.id(), in.url(), in.format(), null, in.app(), in.events(), was.position(), paused,
                resume ? null : was.failingSince(), resume ? null : was.lastError());
        return new Webhooks.Stored(old.tenantId(), w, sealed, oldSealed, oldUntil, verify, resume ? 0 : old.attempts());
    }

    boolean delete(String tenantId, String id) {
        return db.write(tx -> Webhooks.delete(tx, tenantId, id));
    }

    private static void validate(Webhook w) {
        Validation.key("$.id", w.id());
        if (w.url() == null) throw new Failure.InvalidInput("$.url", "is required");
        Validation.text("$.url", w.url(), 2048);
        try {
            URI uri = new URI(w.url());
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw new Failure.InvalidInput("$.url", "must be an http or https URL");
            }
            if (uri.getHost() == null) throw new Failure.InvalidInput("$.url", "must name a host");
            if (uri.getUserInfo() != null) throw new Failure.InvalidInput("$.url", "must not carry credentials");
        } catch (java.net.URISyntaxException e) {
            throw new Failure.InvalidInput("$.url", "is not a URL");
        }
        if (w.format() == null) throw new Failure.InvalidInput("$.format", "is required; one of [standard, feishu]");
        if (w.format() == Webhook.Format.STANDARD) {
            if (w.app() != null) throw new Failure.InvalidInput("$.app", "is only for the feishu format");
            if (w.secret() != null) checkSecret(w.secret());
        } else {
            if (w.app() == null) throw new Failure.InvalidInput("$.app", "is required for the feishu format (the app it speaks for)");
            if (w.secret() != null) throw new Failure.InvalidInput("$.secret", "the feishu format signs with the app's encrypt_key");
        }
        List<String> events = w.events() == Webhook.EVENTS ? List.of() : w.events();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            if (!Webhook.EVENTS.contains(events.get(i))) throw new Failure.InvalidInput("$.events[" + i + "]", "unknown event; one of " + Webhook.EVENTS);
            if (!seen.add(events.get(i))) throw new Failure.InvalidInput("$.events[" + i + "]", "is listed twice");
        }
    }

    /** Standard Webhooks secrets: "whsec_" and base64 of 24 to 64 random bytes. */
    private static void checkSecret(String secret) {
        String message = "must be whsec_ followed by base64 of 24 to 64 bytes";
        if (!secret.startsWith("whsec_") || secret.length() > 200) throw new Failure.InvalidInput("$.secret", message);
        try {
            int n = Base64.getDecoder().decode(secret.substring(6)).length;
            if (n < 24 || n > 64) throw new Failure.InvalidInput("$.secret", message);
        } catch (IllegalArgumentException e) {
            throw new Failure.InvalidInput("$.secret", message);
        }
    }

    private String seal(String tenantId, String id, String secret) {
        return secret == null ? null : secrets.seal(label(tenantId, id), secret);
    }

    String open(String tenantId, String id, String sealed) {
        return sealed == null ? null : secrets.open(label(tenantId, id), sealed);
    }

    /** Sealed under this label: a sealed secret copied onto another row does not open. */
    private static String label(String tenantId, String id) {
        return "webhook:" + Objects.requireNonNull(tenantId) + "/" + id;
    }
}
