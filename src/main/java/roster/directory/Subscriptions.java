package roster.directory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import roster.crypto.SecretBox;
import roster.model.App;
import roster.model.Failure;
import roster.model.TenantApp;
import roster.model.User;
import roster.model.UserDetail;
import roster.model.UserFilter;
import roster.model.Webhook;
import roster.store.Apps;
import roster.store.Changes;
import roster.store.Database;
import roster.store.Tenants;
import roster.store.Tx;
import roster.store.Users;
import roster.store.Webhooks;

/**
 * Webhook subscriptions: what the admin API shows and changes, and what their deliverer needs from the core
 * (the changes past a position with their kind, leases, positions, the log, secrets in clear). Every step of a
 * delivery is its own short transaction: no transaction is held while a consumer is called.
 */
public final class Subscriptions {

    /** Attempts the delivery log keeps per subscription. */
    public static final int LOG_KEEP = 100;

    private final Database db;
    private final SecretBox secrets;
    private final Clock clock;
    private final WebhookWriter writer;

    Subscriptions(Database db, SecretBox secrets, Clock clock, long rotationMillis) {
        this.db = db;
        this.secrets = secrets;
        this.clock = clock;
        this.writer = new WebhookWriter(db, secrets, clock, rotationMillis);
    }

    // ---- the admin API

    public List<Webhook> list(String tenantId) {
        return db.read(tx -> {
            if (Tenants.byId(tx, tenantId).isEmpty()) throw new Failure.NotFound(Failure.Subject.TENANT, tenantId);
            return Webhooks.all(tx, tenantId).stream().map(Webhooks.Stored::webhook).toList();
        });
    }

    public Optional<Webhook> get(String tenantId, String id) {
        return db.read(tx -> Webhooks.byId(tx, tenantId, id).map(Webhooks.Stored::webhook));
    }

    /** Creates (create set: refuses one that exists) or replaces a subscription; a secret left out keeps the stored one. */
    public Webhook put(String tenantId, Webhook webhook, boolean create) {
        return writer.put(tenantId, webhook, create);
    }

    /** A fixture's subscription, created or replaced inside the load's transaction; a secret left out keeps the stored one. */
    public Webhook put(Tx tx, String tenantId, Webhook webhook) {
        return writer.put(tx, tenantId, webhook, false);
    }

    /**
     * A tenant's subscriptions as a fixture carries them: their definition (not their delivery state), the
     * standard secret in clear only withSecrets (as app secrets are exported).
     */
    public List<Webhook> forExport(Tx tx, String tenantId, boolean withSecrets) {
        return Webhooks.all(tx, tenantId).stream().map(s -> {
            Webhook w = s.webhook();
            String secret = withSecrets && s.secretSealed() != null ? writer.open(tenantId, w.id(), s.secretSealed()) : null;
            return new Webhook(w.id(), w.url(), w.format(), secret, w.app(), w.events(), null, w.isPaused() ? true : null, null, null);
        }).toList();
    }

    public void delete(String tenantId, String id) {
        if (!writer.delete(tenantId, id)) throw new Failure.NotFound(Failure.Subject.WEBHOOK, id);
    }

    public List<Webhook.Delivery> deliveries(String tenantId, String id, int limit) {
        return db.read(tx -> {
            if (Webhooks.byId(tx, tenantId, id).isEmpty()) throw new Failure.NotFound(Failure.Subject.WEBHOOK, id);
            return Webhooks.deliveries(tx, tenantId, id, limit);
        });
    }

    // ---- the deliverer

    /** listener runs after each commit that wrote to the change feed, on the committing thread (so it must be quick). */
    public void onChange(Runnable listener) {
        db.onChange(listener);
    }

    /** A subscription ready to deliver, with its signing secrets in clear (two during a rotation). */
    public record Active(String tenantId, Webhook webhook, List<String> secrets, boolean verifyPending, int attempts) {}

    /** A subscription with work due now that no other node holds. */
    public record Due(String tenantId, String id) {}

    public List<Due> due(String node, int limit) {
        return db.read(tx -> Webhooks.due(tx, node, clock.millis(), limit)).stream().map(d -> new Due(d.tenantId(), d.id())).toList();
    }

    /** Takes the lease of a subscription, or empty when another node holds it (or it was paused or deleted). */
    public Optional<Active> claim(String tenantId, String id, String node, long leaseMillis) {
        return db.write(tx -> {
            long now = clock.millis();
            if (!Webhooks.claim(tx, tenantId, id, node, now, now + leaseMillis)) return Optional.<Active>empty();
            return Webhooks.byId(tx, tenantId, id).map(s -> {
                List<String> keys = new ArrayList<>();
                if (s.secretSealed() != null) keys.add(writer.open(tenantId, id, s.secretSealed()));
                if (s.oldSecretSealed() != null && s.oldSecretUntil() > now) keys.add(writer.open(tenantId, id, s.oldSecretSealed()));
                return new Active(tenantId, s.webhook(), keys, s.verifyPending(), s.attempts());
            });
        });
    }

    /**
     * After deliveries (logged) or changes passed over: the position moves on and the lease is renewed, in one
     * transaction. False when this node lost the lease or the subscription was paused.
     */
    public boolean advance(String tenantId, String id, String node, long position, long leaseMillis, List<Webhook.Delivery> deliveries) {
        return db.write(tx -> {
            if (!Webhooks.advance(tx, tenantId, id, node, position, clock.millis() + leaseMillis)) return false;
            Webhooks.log(tx, tenantId, id, deliveries, LOG_KEEP);
            return true;
        });
    }

    public void verified(String tenantId, String id, String node, Webhook.Delivery delivery) {
        db.useWrite(tx -> {
            Webhooks.verified(tx, tenantId, id, node);
            Webhooks.log(tx, tenantId, id, delivery, LOG_KEEP);
        });
    }

    /** A failed attempt, logged: the next waits until retryAt; failing for pauseAfterMillis pauses the subscription. */
    public void failed(String tenantId, String id, String node, long retryAt, Webhook.Delivery delivery, long pauseAfterMillis) {
        db.useWrite(tx -> {
            Webhooks.failed(tx, tenantId, id, node, clock.millis(), retryAt, delivery.error(), pauseAfterMillis);
            Webhooks.log(tx, tenantId, id, delivery, LOG_KEEP);
        });
    }

    public void release(String tenantId, String id, String node) {
        db.useWrite(tx -> Webhooks.release(tx, tenantId, id, node));
    }

    /**
     * One change as a webhook sees it. user: the state the change left when it is the user's latest change
     * (null when superseded by a later one, or a deletion); acsTouched: it changed the card or the face.
     */
    public record Change(long sequence, String userId, boolean deleted, boolean created, boolean acsTouched, Instant changedAt, User user) {}

    /** acs: tell whether each change touched the card or face (a lookup per change; only the feishu format needs it). */
    public List<Change> changes(String tenantId, long after, int limit, boolean acs) {
        return db.read(tx -> {
            List<Changes.Row> rows = Changes.withKinds(tx, tenantId, after, limit);
            Map<Long, User> latest = Users.bySequences(tx, tenantId,
                    rows.stream().filter(r -> !r.deleted()).map(Changes.Row::seq).toList(), UserDetail.PROFILE);
            List<Change> out = new ArrayList<>(rows.size());
            for (Changes.Row r : rows) {
                boolean touched = false;
                if (acs && !r.deleted() && r.acsDigest() != null) {
                    String before = r.created() ? NO_ACS : Changes.acsDigestBefore(tx, tenantId, r.userId(), r.seq());
                    touched = !Objects.equals(before == null ? NO_ACS : before, r.acsDigest());
                }
                out.add(new Change(r.seq(), r.userId(), r.deleted(), r.created(), touched, Instant.ofEpochMilli(r.changedAt()), latest.get(r.seq())));
            }
            return out;
        });
    }

    private static final String NO_ACS = UserWriter.acsDigest(null, null);

    /** The user as it is now (for a change superseded since), with whether it has a face; empty when deleted. */
    public Optional<User> current(String tenantId, String userId) {
        return db.read(tx -> Users.byIds(tx, tenantId, List.of(userId), UserDetail.PROFILE).stream().findFirst());
    }

    public Optional<TenantApp> app(String appId) {
        return db.read(tx -> Apps.byId(tx, appId));
    }

    public App.EventKeys eventKeys(String appId) {
        return db.read(tx -> AppWriter.eventKeys(tx, secrets, appId));
    }

    /** Whether the app may see the user (its visible_to), as every dialect decides it. */
    public boolean visible(String tenantId, App app, String userId) {
        if (app.visibleTo().all()) return true;
        return db.read(tx -> Users.matches(tx, tenantId, UserFilter.visibleTo(app.visibleTo()), userId));
    }
}
