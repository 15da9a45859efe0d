package roster.store;

import java.util.List;
import java.util.Optional;
import roster.model.Tenant;

/** The tenants table, which also holds each tenant's change sequence and its next nums. */
public final class Tenants {

    private Tenants() {}

    /** A tenant's counters as the writer found them under its lock. */
    public record Sequence(long lastSeq, long nextUserNum, long nextDeptNum) {}

    /**
     * Creates a tenant when there is none. A tenant of an id that was deleted before continues its predecessor's
     * sequence and nums, so a client that synced the old one never sees a number again (see deleted_tenants).
     */
    public static void createIfAbsent(Tx tx, String id, long now) {
        tx.h.createUpdate("INSERT INTO tenants (id, created_at, last_seq, next_user_num, next_dept_num) "
                        + "SELECT ?, ?, COALESCE(MAX(last_seq), 0), COALESCE(MAX(next_user_num), 1), COALESCE(MAX(next_dept_num), 1) "
                        + "FROM deleted_tenants WHERE id = ? ON CONFLICT (id) DO NOTHING")
                .bind(0, id).bind(1, now).bind(2, id).execute();
    }

    /**
     * Takes the tenant's row lock, held until the transaction ends, and reads its counters. A no-op update takes
     * the row lock on PostgreSQL; on SQLite the write transaction already holds the database's write lock.
     */
    public static Optional<Sequence> lock(Tx tx, String id) {
        return tx.h.createQuery("UPDATE tenants SET last_seq = last_seq WHERE id = ? RETURNING last_seq, next_user_num, next_dept_num")
                .bind(0, id).map((rs, ctx) -> new Sequence(rs.getLong(1), rs.getLong(2), rs.getLong(3))).findOne();
    }

    public static void saveSequence(Tx tx, String id, Sequence sequence) {
        tx.h.createUpdate("UPDATE tenants SET last_seq = ?, next_user_num = ?, next_dept_num = ? WHERE id = ?")
                .bind(0, sequence.lastSeq()).bind(1, sequence.nextUserNum()).bind(2, sequence.nextDeptNum()).bind(3, id).execute();
    }

    public static void rename(Tx tx, String id, String name) {
        tx.h.createUpdate("UPDATE tenants SET name = ? WHERE id = ?").bind(0, name).bind(1, id).execute();
    }

    public static List<Tenant> all(Tx tx) {
        return tx.h.createQuery("SELECT id, name FROM tenants ORDER BY id").map((rs, ctx) -> new Tenant(rs.getString(1), rs.getString(2))).list();
    }

    public static Optional<Tenant> byId(Tx tx, String id) {
        return tx.h.createQuery("SELECT id, name FROM tenants WHERE id = ?").bind(0, id)
                .map((rs, ctx) -> new Tenant(rs.getString(1), rs.getString(2))).findOne();
    }

    public static long lastSequence(Tx tx, String id) {
        return tx.h.createQuery("SELECT last_seq FROM tenants WHERE id = ?").bind(0, id).mapTo(Long.class).findOne().orElse(0L);
    }

    /**
     * What identifies the tenant's current state for caches: its sequence, and its creation time, because a tenant
     * deleted and created again must not meet the cached counters of its namesake.
     */
    public static String version(Tx tx, String id) {
        return tx.h.createQuery("SELECT last_seq || '@' || created_at FROM tenants WHERE id = ?").bind(0, id)
                .mapTo(String.class).findOne().orElse("none");
    }

    /**
     * Removes a tenant and everything in it; false when there was none. What a syncing client saw stays true: each
     * user gets a tombstone in the change feed (numbered after the last change), the feed keeps its tombstones,
     * and the tenant's counters are kept in deleted_tenants for a tenant of the same id created later.
     */
    public static boolean delete(Tx tx, String id, long now) {
        Optional<Sequence> sequence = lock(tx, id);
        if (sequence.isEmpty()) return false;
        long users = tx.h.createQuery("SELECT COUNT(*) FROM users WHERE tenant_id = ?").bind(0, id).mapTo(Long.class).one();
        tx.h.createUpdate("DELETE FROM user_changes WHERE tenant_id = ? AND deleted = 0").bind(0, id).execute();
        tx.changed = true;
        tx.h.createUpdate("INSERT INTO user_changes (tenant_id, seq, user_id, user_num, deleted, changed_at) "
                        + "SELECT tenant_id, ? + ROW_NUMBER() OVER (ORDER BY num), id, num, 1, ? FROM users WHERE tenant_id = ?")
                .bind(0, sequence.get().lastSeq()).bind(1, now).bind(2, id).execute();
        tx.h.createUpdate("INSERT INTO deleted_tenants (id, last_seq, next_user_num, next_dept_num, deleted_at) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq, next_user_num = excluded.next_user_num, "
                        + "next_dept_num = excluded.next_dept_num, deleted_at = excluded.deleted_at")
                .bind(0, id).bind(1, sequence.get().lastSeq() + users).bind(2, sequence.get().nextUserNum())
                .bind(3, sequence.get().nextDeptNum()).bind(4, now).execute();
        tx.h.createUpdate("DELETE FROM tenants WHERE id = ?").bind(0, id).execute();
        for (String table : List.of("departments", "access_groups", "users", "user_departments", "user_groups",
                "user_faces", "user_counts", "apps", "tokens", "webhooks", "webhook_deliveries")) {
            tx.h.createUpdate("DELETE FROM " + table + " WHERE tenant_id = ?").bind(0, id).execute();
        }
        return true;
    }
}
