package roster.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import roster.model.Status;

/**
 * Users per block of 4096 nums and status (user_counts). An offset page at any depth and a total count read a
 * few hundred of these rows instead of scanning the tenant; the writer keeps them exact in its transaction.
 */
public final class Counters {

    /** A block holds the users whose num shifted right by this many bits is the block's number. */
    public static final int BLOCK_BITS = 12;

    private Counters() {}

    public record Key(long block, Status status) {
        public static Key of(long num, Status status) {
            return new Key(num >> BLOCK_BITS, status);
        }
    }

    /** One block with users of the asked statuses, and how many. */
    public record Block(long block, long users) {
        public long firstNum() {
            return block << BLOCK_BITS;
        }
    }

    public static void add(Tx tx, String tenantId, Map<Key, Long> deltas) {
        var batch = tx.h.prepareBatch("INSERT INTO user_counts (tenant_id, block, status, n) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (tenant_id, block, status) DO UPDATE SET n = user_counts.n + excluded.n");
        deltas.forEach((key, delta) -> {
            if (delta != 0) batch.add(tenantId, key.block(), key.status().wire(), delta);
        });
        if (batch.size() > 0) batch.execute();
    }

    /** The non-empty blocks in order, counting users of these statuses (all when empty). */
    public static List<Block> blocks(Tx tx, String tenantId, Collection<Status> statuses) {
        StringBuilder text = new StringBuilder("SELECT block, SUM(n) FROM user_counts WHERE tenant_id = ?");
        List<Object> args = new ArrayList<>(List.of(tenantId));
        if (!statuses.isEmpty()) {
            text.append(" AND status IN (").append(Sql.placeholders(statuses.size())).append(')');
            statuses.forEach(s -> args.add(s.wire()));
        }
        text.append(" GROUP BY block HAVING SUM(n) > 0 ORDER BY block");
        var query = tx.h.createQuery(text.toString());
        for (int i = 0; i < args.size(); i++) query.bind(i, args.get(i));
        return query.map((rs, ctx) -> new Block(rs.getLong(1), rs.getLong(2))).list();
    }
}
