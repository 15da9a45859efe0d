package roster.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** The change feed: one row per change to a user, deletions included (tombstones), by sequence number. */
public final class Changes {

    private Changes() {}

    /**
     * actor and fields (the names of the fields changed, comma-separated) are null unless the write named its actor.
     * created: the user did not exist before this change; acsDigest: a digest of its card and face after it (null
     * for a deletion), so that a change that touched them can be told from one that did not (webhooks).
     */
    public record Row(long seq, String userId, long userNum, boolean deleted, long changedAt, String actor, String fields,
                      boolean created, String acsDigest) {
        public Row(long seq, String userId, long userNum, boolean deleted, long changedAt) {
            this(seq, userId, userNum, deleted, changedAt, null, null, false, null);
        }

        public Row(long seq, String userId, long userNum, boolean deleted, long changedAt, String actor, String fields) {
            this(seq, userId, userNum, deleted, changedAt, actor, fields, false, null);
        }
    }

    /** Plain JDBC batches, as UserRows.upsert writes users: JDBI's binder per value costs more than the insert. */
    public static void record(Tx tx, String tenantId, List<Row> rows) {
        if (rows.isEmpty()) return;
        tx.changed = true;
        try (PreparedStatement batch = tx.h.getConnection().prepareStatement("INSERT INTO user_changes (tenant_id, seq, user_id, "
                + "user_num, deleted, changed_at, actor, changed_fields, created, acs_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Row r : rows) {
                batch.setString(1, tenantId);
                batch.setLong(2, r.seq());
                batch.setString(3, r.userId());
                batch.setLong(4, r.userNum());
                batch.setInt(5, r.deleted() ? 1 : 0);
                batch.setLong(6, r.changedAt());
                batch.setString(7, r.actor());
                batch.setString(8, r.fields());
                batch.setInt(9, r.created() ? 1 : 0);
                batch.setString(10, r.acsDigest());
                batch.addBatch();
            }
            batch.executeBatch();
        } catch (SQLException e) {
            throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(e, null);
        }
    }

    /** The changes after a sequence with what webhooks need to tell their kind: created, and the card and face digest. */
    public static List<Row> withKinds(Tx tx, String tenantId, long afterSequence, int limit) {
        return tx.h.createQuery("SELECT seq, user_id, user_num, deleted, changed_at, created, acs_digest FROM user_changes "
                        + "WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?")
                .bind(0, tenantId).bind(1, afterSequence).bind(2, limit)
                .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4) == 1, rs.getLong(5), null, null,
                        rs.getInt(6) == 1, rs.getString(7)))
                .list();
    }

    /** The card and face digest the user's change before seq left (null when there was none, or it was a deletion);
     * a move of the user's department leaves no digest and is passed over. */
    public static String acsDigestBefore(Tx tx, String tenantId, String userId, long seq) {
        return tx.h.createQuery("SELECT acs_digest FROM user_changes WHERE tenant_id = ? AND user_id = ? AND seq < ? "
                        + "AND (deleted = 1 OR acs_digest IS NOT NULL) ORDER BY seq DESC LIMIT 1")
                .bind(0, tenantId).bind(1, userId).bind(2, seq).mapTo(String.class).findOne().orElse(null);
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
