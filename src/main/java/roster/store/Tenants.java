package roster.store;

import java.util.List;
import java.util.Optional;
import roster.model.Tenant;

/** The tenants table, which also holds each tenant's change sequence and its next nums. */
public final class Tenants {

    private Tenants() {}

    /** A tenant's counters as the writer found them under its lock. */
    public record Sequence(long lastSeq, long nextUserNum, long nextDeptNum) {}

    public static void createIfAbsent(Tx tx, String id, long now) {
        tx.h.createUpdate("INSERT INTO tenants (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")
                .bind(0, id).bind(1, now).execute();
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

    /** Removes a tenant and everything in it; false when there was none. */
    public static boolean delete(Tx tx, String id) {
        if (tx.h.createUpdate("DELETE FROM tenants WHERE id = ?").bind(0, id).execute() == 0) return false;
        for (String table : List.of("departments", "access_groups", "users", "user_departments", "user_groups",
                "user_faces", "user_changes", "user_counts", "apps", "tokens", "webhooks", "webhook_deliveries")) {
            tx.h.createUpdate("DELETE FROM " + table + " WHERE tenant_id = ?").bind(0, id).execute();
        }
        return true;
    }
}
