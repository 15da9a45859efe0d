package roster.query;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import roster.directory.User;
import roster.store.Database;
import roster.store.UserRows;

/** Every change to a tenant's users in commit order, deletions included, each with its sequence number. */
public final class ChangeFeed {

    private final Database db;

    public ChangeFeed(Database db) {
        this.db = db;
    }

    /**
     * One change. user is the state the change left, present when it is the user's latest change (an earlier
     * change of a user that changed again is superseded: its state is no longer stored).
     */
    public record Change(long sequence, String userId, long userNum, boolean deleted, Instant changedAt, User user) {}

    public List<Change> after(String tenantId, long afterSequence, int limit) {
        return db.read(h -> {
            record Row(long seq, String userId, long num, boolean deleted, long at) {}
            List<Row> rows = h.createQuery("SELECT seq, user_id, user_num, deleted, changed_at FROM user_changes "
                            + "WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?")
                    .bind(0, tenantId).bind(1, afterSequence).bind(2, limit)
                    .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4) == 1, rs.getLong(5)))
                    .list();
            List<Long> seqs = rows.stream().filter(r -> !r.deleted()).map(Row::seq).toList();
            Map<Long, User> latest = new HashMap<>();
            if (!seqs.isEmpty()) {
                List<User> users = h.createQuery("SELECT " + UserRows.COLUMNS + " FROM users u WHERE u.tenant_id = :t AND u.seq IN (<seqs>)")
                        .bind("t", tenantId).bindList("seqs", seqs).map((rs, ctx) -> UserRows.map(rs)).list();
                for (User u : UserRows.read(h, tenantId, users, UserRows.Detail.PROFILE)) latest.put(u.sequence(), u);
            }
            return rows.stream().map(r -> new Change(r.seq(), r.userId(), r.num(), r.deleted(),
                    Instant.ofEpochMilli(r.at()), latest.get(r.seq()))).toList();
        });
    }

    public long lastSequence(String tenantId) {
        return db.read(h -> h.createQuery("SELECT last_seq FROM tenants WHERE id = ?").bind(0, tenantId)
                .mapTo(Long.class).findOne().orElse(0L));
    }
}
