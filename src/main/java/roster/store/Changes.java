package roster.store;

import java.util.List;

/** The change feed: one row per change to a user, deletions included (tombstones), by sequence number. */
public final class Changes {

    private Changes() {}

    /** actor and fields (the names of the fields changed, comma-separated) are null unless the write named its actor. */
    public record Row(long seq, String userId, long userNum, boolean deleted, long changedAt, String actor, String fields) {
        public Row(long seq, String userId, long userNum, boolean deleted, long changedAt) {
            this(seq, userId, userNum, deleted, changedAt, null, null);
        }
    }

    public static void record(Tx tx, String tenantId, List<Row> rows) {
        if (rows.isEmpty()) return;
        var batch = tx.h.prepareBatch("INSERT INTO user_changes (tenant_id, seq, user_id, user_num, deleted, changed_at, actor, changed_fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        for (Row r : rows) batch.add(tenantId, r.seq(), r.userId(), r.userNum(), r.deleted() ? 1 : 0, r.changedAt(), r.actor(), r.fields());
        batch.execute();
    }

    public static List<Row> after(Tx tx, String tenantId, long afterSequence, int limit) {
        return tx.h.createQuery("SELECT seq, user_id, user_num, deleted, changed_at FROM user_changes "
                        + "WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?")
                .bind(0, tenantId).bind(1, afterSequence).bind(2, limit)
                .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4) == 1, rs.getLong(5)))
                .list();
    }

    /** Changes newest first, before a sequence number (null: from the newest), of one user or (userId null) all. */
    public static List<Row> newestFirst(Tx tx, String tenantId, String userId, Long beforeSequence, int limit) {
        var query = tx.h.createQuery("SELECT seq, user_id, user_num, deleted, changed_at, actor, changed_fields FROM user_changes "
                        + "WHERE tenant_id = :tenant AND seq < :before" + (userId == null ? "" : " AND user_id = :user")
                        + " ORDER BY seq DESC LIMIT :limit")
                .bind("tenant", tenantId).bind("before", beforeSequence == null ? Long.MAX_VALUE : beforeSequence).bind("limit", limit);
        if (userId != null) query.bind("user", userId);
        return query.map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4) == 1, rs.getLong(5),
                        rs.getString(6), rs.getString(7)))
                .list();
    }
}
