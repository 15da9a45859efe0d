package roster.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import roster.model.Webhook;

/**
 * Webhook subscriptions, their delivery state and lease, and their delivery log. The lease is a compare-and-set
 * on the subscription's row: one UPDATE takes it only when it is free, expired or already ours, so when several
 * processes share the database exactly one of them delivers a subscription at a time.
 */
public final class Webhooks {

    private static final String COLUMNS = "tenant_id, id, url, format, app_id, events, position, paused, failing_since, last_error, "
            + "secret_sealed, old_secret_sealed, old_secret_until, verify_pending, attempts";
    private static final RowMapper<Stored> ROW = (rs, ctx) -> {
        long failing = rs.getLong(9);
        boolean noFailure = rs.wasNull();
        long oldUntil = rs.getLong(13);
        return new Stored(rs.getString(1), new Webhook(rs.getString(2), rs.getString(3), Webhook.Format.fromWire(rs.getString(4)), null,
                rs.getString(5), JsonColumns.read(rs.getString(6), JsonColumns.STRINGS), rs.getLong(7), rs.getInt(8) == 1,
                noFailure ? null : Instant.ofEpochMilli(failing), rs.getString(10)),
                rs.getString(11), rs.getString(12), oldUntil, rs.getInt(14) == 1, rs.getInt(15));
    };

    private Webhooks() {}

    /** A subscription as stored: its secrets sealed (the one before a rotation too, until oldSecretUntil). */
    public record Stored(String tenantId, Webhook webhook, String secretSealed, String oldSecretSealed, long oldSecretUntil,
                         boolean verifyPending, int attempts) {}

    public static List<Stored> all(Tx tx, String tenantId) {
        return tx.h.createQuery("SELECT " + COLUMNS + " FROM webhooks WHERE tenant_id = ? ORDER BY id").bind(0, tenantId).map(ROW).list();
    }

    public static Optional<Stored> byId(Tx tx, String tenantId, String id) {
        return tx.h.createQuery("SELECT " + COLUMNS + " FROM webhooks WHERE tenant_id = ? AND id = ?").bind(0, tenantId).bind(1, id)
                .map(ROW).findOne();
    }

    /** Creates or replaces a subscription's definition; its lease and log are kept. */
    public static void put(Tx tx, Stored s, long now) {
        Webhook w = s.webhook();
        tx.h.createUpdate("INSERT INTO webhooks (tenant_id, id, url, format, secret_sealed, old_secret_sealed, old_secret_until, app_id, "
                        + "events, position, paused, failing_since, attempts, next_attempt_at, last_error, verify_pending, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?) ON CONFLICT (tenant_id, id) DO UPDATE SET "
                        + "url = excluded.url, format = excluded.format, secret_sealed = excluded.secret_sealed, "
                        + "old_secret_sealed = excluded.old_secret_sealed, old_secret_until = excluded.old_secret_until, "
                        + "app_id = excluded.app_id, events = excluded.events, position = excluded.position, paused = excluded.paused, "
                        + "failing_since = excluded.failing_since, attempts = excluded.attempts, "
                        + "next_attempt_at = CASE WHEN excluded.paused = 0 AND webhooks.paused = 1 THEN 0 ELSE webhooks.next_attempt_at END, "
                        + "last_error = excluded.last_error, verify_pending = excluded.verify_pending, updated_at = excluded.updated_at")
                .bind(0, s.tenantId()).bind(1, w.id()).bind(2, w.url()).bind(3, w.format().wire()).bind(4, s.secretSealed())
                .bind(5, s.oldSecretSealed()).bind(6, s.oldSecretUntil()).bind(7, w.app()).bind(8, JsonColumns.write(w.events()))
                .bind(9, w.position()).bind(10, w.isPaused() ? 1 : 0)
                .bind(11, w.failingSince() == null ? null : w.failingSince().toEpochMilli()).bind(12, s.attempts())
                .bind(13, w.lastError()).bind(14, s.verifyPending() ? 1 : 0).bind(15, now).bind(16, now)
                .execute();
    }

    public static boolean delete(Tx tx, String tenantId, String id) {
        if (tx.h.createUpdate("DELETE FROM webhooks WHERE tenant_id = ? AND id = ?").bind(0, tenantId).bind(1, id).execute() == 0) return false;
        tx.h.createUpdate("DELETE FROM webhook_deliveries WHERE tenant_id = ? AND webhook_id = ?").bind(0, tenantId).bind(1, id).execute();
        return true;
    }

    /** A subscription with work to do (changes past its position, or a URL to verify), due now and not leased by another node. */
    public record Due(String tenantId, String id) {}

    public static List<Due> due(Tx tx, String node, long now, int limit) {
        return tx.h.createQuery("SELECT w.tenant_id, w.id FROM webhooks w JOIN tenants t ON t.id = w.tenant_id "
                        + "WHERE w.paused = 0 AND w.next_attempt_at <= ? AND (w.lease_until < ? OR w.lease_owner = ?) "
                        + "AND (w.position < t.last_seq OR w.verify_pending = 1) ORDER BY w.next_attempt_at LIMIT ?")
                .bind(0, now).bind(1, now).bind(2, node).bind(3, limit)
                .map((rs, ctx) -> new Due(rs.getString(1), rs.getString(2))).list();
    }

    /** Takes (or renews) the lease when it is free, expired or already this node's; false when another node holds it. */
    public static boolean claim(Tx tx, String tenantId, String id, String node, long now, long until) {
        return tx.h.createUpdate("UPDATE webhooks SET lease_owner = ?, lease_until = ? WHERE tenant_id = ? AND id = ? "
                        + "AND paused = 0 AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)")
                .bind(0, node).bind(1, until).bind(2, tenantId).bind(3, id).bind(4, node).bind(5, now).execute() == 1;
    }

    /**
     * Moves the position on after a delivery (or past changes it does not want) and renews the lease; false when the
     * lease was lost or the subscription was paused meanwhile (its deliverer stops; a resume sends the rest again).
     */
    public static boolean advance(Tx tx, String tenantId, String id, String node, long position, long until) {
        return tx.h.createUpdate("UPDATE webhooks SET position = CASE WHEN position > ? THEN position ELSE ? END, lease_until = ?, "
                        + "attempts = 0, failing_since = NULL, last_error = NULL, next_attempt_at = 0 "
                        + "WHERE tenant_id = ? AND id = ? AND lease_owner = ? AND paused = 0")
                .bind(0, position).bind(1, position).bind(2, until).bind(3, tenantId).bind(4, id).bind(5, node).execute() == 1;
    }

    public static void verified(Tx tx, String tenantId, String id, String node) {
        tx.h.createUpdate("UPDATE webhooks SET verify_pending = 0, attempts = 0, failing_since = NULL, last_error = NULL "
                + "WHERE tenant_id = ? AND id = ? AND lease_owner = ?").bind(0, tenantId).bind(1, id).bind(2, node).execute();
    }

    /**
     * Records a failed attempt: the next one waits until nextAttemptAt, and a subscription failing since longer
     * than pauseAfter is paused. The lease is let go, so any node may take the retry.
     */
    public static void failed(Tx tx, String tenantId, String id, String node, long now, long nextAttemptAt, String error, long pauseAfter) {
        tx.h.createUpdate("UPDATE webhooks SET attempts = attempts + 1, failing_since = COALESCE(failing_since, ?), next_attempt_at = ?, "
                        + "last_error = ?, paused = CASE WHEN ? - COALESCE(failing_since, ?) >= ? THEN 1 ELSE paused END, "
                        + "lease_owner = NULL, lease_until = 0 WHERE tenant_id = ? AND id = ? AND lease_owner = ?")
                .bind(0, now).bind(1, nextAttemptAt).bind(2, error).bind(3, now).bind(4, now).bind(5, pauseAfter)
                .bind(6, tenantId).bind(7, id).bind(8, node).execute();
    }

    public static void release(Tx tx, String tenantId, String id, String node) {
        tx.h.createUpdate("UPDATE webhooks SET lease_owner = NULL, lease_until = 0 WHERE tenant_id = ? AND id = ? AND lease_owner = ?")
                .bind(0, tenantId).bind(1, id).bind(2, node).execute();
    }

    /** Appends an attempt to the log and drops what is older than the last keep. */
    public static void log(Tx tx, String tenantId, String id, Webhook.Delivery d, int keep) {
        log(tx, tenantId, id, List.of(d), keep);
    }

    /** Appends attempts (oldest first) to the log and drops what is older than the last keep: three statements for any number. */
    public static void log(Tx tx, String tenantId, String id, List<Webhook.Delivery> attempts, int keep) {
        if (attempts.isEmpty()) return;
        List<Webhook.Delivery> kept = attempts.subList(Math.max(0, attempts.size() - keep), attempts.size());
        Optional<Long> last = tx.h.createQuery("UPDATE webhooks SET log_count = log_count + ? WHERE tenant_id = ? AND id = ? RETURNING log_count")
                .bind(0, attempts.size()).bind(1, tenantId).bind(2, id).mapTo(Long.class).findOne();
        if (last.isEmpty()) return; // deleted meanwhile
        var batch = tx.h.prepareBatch("INSERT INTO webhook_deliveries (tenant_id, webhook_id, attempt, event_id, event_type, seq, attempted_at, "
                + "status, latency_ms, answer, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        long attempt = last.get() - kept.size();
        for (Webhook.Delivery d : kept) {
            batch.add(tenantId, id, ++attempt, d.eventId(), d.eventType(), d.sequence(), d.attemptedAt().toEpochMilli(), d.status(),
                    d.latencyMs(), d.answer(), d.error());
        }
        batch.execute();
        tx.h.createUpdate("DELETE FROM webhook_deliveries WHERE tenant_id = ? AND webhook_id = ? AND attempt <= ?")
                .bind(0, tenantId).bind(1, id).bind(2, last.get() - keep).execute();
    }

    /** The log, newest first. */
    public static List<Webhook.Delivery> deliveries(Tx tx, String tenantId, String id, int limit) {
        return tx.h.createQuery("SELECT attempt, event_id, event_type, seq, attempted_at, status, latency_ms, answer, error "
                        + "FROM webhook_deliveries WHERE tenant_id = ? AND webhook_id = ? ORDER BY attempt DESC LIMIT ?")
                .bind(0, tenantId).bind(1, id).bind(2, limit)
                .map((rs, ctx) -> new Webhook.Delivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        Instant.ofEpochMilli(rs.getLong(5)), rs.getInt(6), rs.getLong(7), rs.getString(8), rs.getString(9)))
                .list();
    }
}
