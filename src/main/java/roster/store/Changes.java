package roster.store;

import java.util.List;

/** The change feed: one row per change to a user, deletions included (tombstones), by sequence number. */
public final class Changes {

    private Changes() {}

    public record Row(long seq, String userId, long userNum, boolean deleted, long changedAt) {}

    public static void record(Tx tx, String tenantId, List<Row> rows) {
        if (rows.isEmpty()) return;
        var batch = tx.h.prepareBatch("INSERT INTO user_changes (tenant_id, seq, user_id, user_num, deleted, changed_at) VALUES (?, ?, ?, ?, ?, ?)");
        for (Row r : rows) batch.add(tenantId, r.seq(), r.userId(), r.userNum(), r.deleted() ? 1 : 0, r.changedAt());
        batch.execute();
    }

    public static List<Row> after(Tx tx, String tenantId, long afterSequence, int limit) {
        return tx.h.createQuery("SELECT seq, user_id, user_num, deleted, changed_at FROM user_changes "
                        + "WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?")
                .bind(0, tenantId).bind(1, afterSequence).bind(2, limit)
                .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4) == 1, rs.getLong(5)))
                .list();
    }
}
