package roster.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import roster.directory.Status;
import roster.directory.TenantWriter;
import roster.directory.User;
import roster.store.Database;
import roster.store.UserRows;

/**
 * The one query core behind every user list: filter, stable order, keyset and offset paging, counts.
 *
 * <p>Keyset pages seek straight to their key through an index, so page 20,000 costs what page 1 costs. Offset
 * pages and total counts of a whole tenant (or of some statuses) read the per-block counters of user_counts: a
 * few hundred rows say which block of 4096 nums holds the wanted offset, and only that block is scanned.
 * Counters of other filters (a department subtree, an updated-at window) count the rows they select; those are
 * narrower than the tenant by construction.
 */
public final class UserQueries {

    private final Database db;
    private final Map<String, Blocks> blockCache = lru(256);

    private final Map<String, Boolean> wideCache = lru(256);

    /** A small thread-safe map that forgets the least recently used entry beyond its size. */
    private static <V> Map<String, V> lru(int capacity) {
        return Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        });
    }

    public UserQueries(Database db) {
        this.db = db;
    }

    /** A keyset page: users after the key, in order; next is the key to ask for the page after, null at the end. */
    public record KeysetPage(List<User> users, Long next) {}

    /** An offset page with the total of the whole filter. */
    public record OffsetPage(List<User> users, long total) {}

    public KeysetPage keysetPage(UserFilter filter, Order order, Long after, int limit, UserRows.Detail detail) {
        if (!order.isKeyset()) throw new IllegalArgumentException("keyset paging needs order NUM or SEQUENCE");
        return db.read(h -> {
            Sql sql = where(filter, wideScopes(h, filter));
            if (after != null) sql.where(order.column + " > ?", after);
            List<User> rows = sql.select(h, UserRows.COLUMNS, "ORDER BY " + order.sql() + " LIMIT ?", limit + 1)
                    .map((rs, ctx) -> UserRows.map(rs)).list();
            boolean more = rows.size() > limit;
            if (more) rows = rows.subList(0, limit);
            List<User> users = UserRows.read(h, filter.tenantId(), rows, detail);
            Long next = more ? keyOf(users.get(users.size() - 1), order) : null;
            return new KeysetPage(users, next);
        });
    }

    public OffsetPage offsetPage(UserFilter filter, Order order, long offset, int limit, UserRows.Detail detail) {
        return db.read(h -> {
            Blocks blocks = filter.isCountable() ? blocks(h, filter) : null;
            long total = blocks != null ? blocks.total() : count(h, filter);
            if (offset >= total || limit == 0) return new OffsetPage(List.of(), total);
            Sql sql = where(filter, wideScopes(h, filter));
            long skip = offset;
            if (blocks != null && order == Order.NUM) {
                int b = blocks.blockHolding(offset);
                sql.where("u.num >= ?", blocks.ids[b] << TenantWriter.COUNT_BLOCK_BITS);
                skip = offset - (b == 0 ? 0 : blocks.cumulative[b - 1]);
            }
            List<User> rows = sql.select(h, UserRows.COLUMNS, "ORDER BY " + order.sql() + " LIMIT ? OFFSET ?", limit, skip)
                    .map((rs, ctx) -> UserRows.map(rs)).list();
            return new OffsetPage(UserRows.read(h, filter.tenantId(), rows, detail), total);
        });
    }

    public long count(UserFilter filter) {
        return db.read(h -> filter.isCountable() ? blocks(h, filter).total() : count(h, filter));
    }

    /**
     * Whether one user, already read, is in the scope: named by it, or a member of one of its departments or of
     * a department below. Walks up from the user's few departments, so it costs a handful of index reads where
     * asking the list query for one user could scan the scope's members.
     */
    public boolean inScope(String tenantId, Scope scope, User user) {
        if (scope.all() || scope.users().contains(user.id())) return true;
        if (scope.departments().isEmpty() || user.departments().isEmpty()) return false;
        return db.read(h -> {
            List<Object> args = new ArrayList<>(List.of(tenantId));
            args.addAll(user.departments());
            args.add(tenantId);
            String text = "WITH RECURSIVE up(id) AS (SELECT id FROM departments WHERE tenant_id = ? AND id IN ("
                    + Sql.placeholders(user.departments()) + ") UNION SELECT d.parent_id FROM departments d JOIN up ON d.id = up.id "
                    + "WHERE d.tenant_id = ? AND d.parent_id IS NOT NULL) SELECT COUNT(*) FROM up WHERE id IN ("
                    + Sql.placeholders(scope.departments()) + ")";
            args.addAll(scope.departments());
            var query = h.createQuery(text);
            for (int i = 0; i < args.size(); i++) query.bind(i, args.get(i));
            return query.mapTo(Long.class).one() > 0;
        });
    }

    private long count(Handle h, UserFilter filter) {
        return where(filter, Set.of()).select(h, "COUNT(*)", "").mapTo(Long.class).one();
    }

    private static Long keyOf(User user, Order order) {
        return order == Order.SEQUENCE ? user.sequence() : user.num();
    }

    /**
     * The WHERE clause of a filter. Literal predicates where a partial index must recognise them. The scopes at
     * the indexes in wide are tested row by row (see wideScopes); the others as a set of members.
     */
    private static Sql where(UserFilter f, Set<Integer> wide) {
        Sql sql = new Sql().where("u.tenant_id = ?", f.tenantId());
        for (int i = 0; i < f.scopes().size(); i++) scope(sql, f.tenantId(), f.scopes().get(i), "scope" + i, wide.contains(i));
        if (!f.statuses().isEmpty()) {
            List<String> names = f.statuses().stream().map(Status::wire).sorted().toList();
            sql.where("u.status IN (" + Sql.placeholders(names) + ")", names.toArray());
        }
        if (f.accessGroupMembersOnly()) sql.where("u.status = 'active' AND u.acs_member = 1");
        if (f.accessGroup() != null) {
            sql.where("u.id IN (SELECT g.user_id FROM user_groups g WHERE g.tenant_id = ? AND g.group_id = ?)", f.tenantId(), f.accessGroup());
        }
        if (f.updatedFrom() != null) sql.where("u.updated_at >= ?", f.updatedFrom().toEpochMilli());
        if (f.updatedTo() != null) sql.where("u.updated_at <= ?", f.updatedTo().toEpochMilli());
        if (f.afterSequence() != null) sql.where("u.seq > ?", f.afterSequence());
        for (Match m : f.matches()) {
            List<Object> args = new ArrayList<>();
            String condition = m.sql(args);
            sql.where(condition, args.toArray());
        }
        return sql;
    }

    /** Members of the scope's departments and of every department below them, plus its named users. */
    private static void scope(Sql sql, String tenantId, Scope scope, String name, boolean wide) {
        List<String> alternatives = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (!scope.departments().isEmpty()) {
            List<Object> cteArgs = new ArrayList<>();
            cteArgs.add(tenantId);
            cteArgs.addAll(scope.departments());
            cteArgs.add(tenantId);
            sql.cte(name + "(id) AS (SELECT id FROM departments WHERE tenant_id = ? AND id IN ("
                    + Sql.placeholders(scope.departments()) + ") UNION SELECT d.id FROM departments d JOIN " + name
                    + " s ON d.parent_id = s.id WHERE d.tenant_id = ?)", cteArgs.toArray());
            alternatives.add(wide
                    ? "EXISTS (SELECT 1 FROM user_departments ud WHERE ud.tenant_id = u.tenant_id AND ud.user_id = u.id AND ud.dept_id IN (SELECT id FROM " + name + "))"
                    : "u.id IN (SELECT ud.user_id FROM user_departments ud WHERE ud.tenant_id = ? AND ud.dept_id IN (SELECT id FROM " + name + "))");
            if (!wide) args.add(tenantId);
        }
        if (!scope.users().isEmpty()) {
            alternatives.add("u.id IN (" + Sql.placeholders(scope.users()) + ")");
            args.addAll(scope.users());
        }
        sql.where(alternatives.isEmpty() ? "1 = 0" : "(" + String.join(" OR ", alternatives) + ")", args.toArray());
    }

    /**
     * The scopes of a filter whose members are at least a twentieth of the tenant. A page walks the users in
     * order until it is full; for such a scope, testing each user's membership as the walk meets it finds a
     * member every few rows, where gathering the scope's members first would read them all on every page
     * (a million for the root of a tenant: 1.8 s a page instead of 25 ms). A narrow scope is the opposite case:
     * its few members are gathered and looked up directly. Counting stops at the threshold, and the answer is
     * cached until the tenant next changes.
     */
    private Set<Integer> wideScopes(Handle h, UserFilter filter) {
        Set<Integer> wide = new java.util.HashSet<>();
        for (int i = 0; i < filter.scopes().size(); i++) {
            Scope scope = filter.scopes().get(i);
            if (scope.departments().isEmpty()) continue;
            Blocks all = blocks(h, UserFilter.tenant(filter.tenantId()));
            String key = filter.tenantId() + "|" + new TreeSet<>(scope.departments()) + "|" + all.version();
            Boolean isWide = wideCache.get(key);
            if (isWide == null) {
                long threshold = Math.max(1000, all.total() / 20);
                List<Object> args = new ArrayList<>(List.of(filter.tenantId()));
                args.addAll(scope.departments());
                args.add(filter.tenantId());
                args.add(filter.tenantId());
                args.add(threshold);
                var query = h.createQuery("WITH RECURSIVE sub(id) AS (SELECT id FROM departments WHERE tenant_id = ? AND id IN ("
                        + Sql.placeholders(scope.departments()) + ") UNION SELECT d.id FROM departments d JOIN sub s ON d.parent_id = s.id "
                        + "WHERE d.tenant_id = ?) SELECT COUNT(*) FROM (SELECT 1 FROM user_departments ud WHERE ud.tenant_id = ? "
                        + "AND ud.dept_id IN (SELECT id FROM sub) LIMIT ?) members");
                for (int a = 0; a < args.size(); a++) query.bind(a, args.get(a));
                isWide = query.mapTo(Long.class).one() >= threshold;
                wideCache.put(key, isWide);
            }
            if (isWide) wide.add(i);
        }
        return wide;
    }

    // ---- per-block counters

    /** Blocks of 4096 nums that hold users of the filter, with the running total of users up to each. */
    private record Blocks(long[] ids, long[] cumulative, String version) {
        long total() {
            return cumulative.length == 0 ? 0 : cumulative[cumulative.length - 1];
        }

        int blockHolding(long offset) {
            int i = java.util.Arrays.binarySearch(cumulative, offset + 1);
            return i >= 0 ? i : -i - 1;
        }
    }

    /**
     * Reads the counters, or takes them from the cache when the tenant's change sequence has not moved since
     * (every change to a user moves it, so the cache can never be stale: it only spares the read).
     */
    private Blocks blocks(Handle h, UserFilter filter) {
        // created_at too: a tenant deleted and created again starts its sequence over, and must not meet the
        // counters of its namesake
        String version = h.createQuery("SELECT last_seq || '@' || created_at FROM tenants WHERE id = ?").bind(0, filter.tenantId())
                .mapTo(String.class).findOne().orElse("none");
        Set<String> statuses = new TreeSet<>();
        filter.statuses().forEach(s -> statuses.add(s.wire()));
        String key = filter.tenantId() + "|" + statuses + "|" + version;
        Blocks cached = blockCache.get(key);
        if (cached != null) return cached;
        StringBuilder text = new StringBuilder("SELECT block, SUM(n) FROM user_counts WHERE tenant_id = ?");
        List<Object> args = new ArrayList<>(List.of(filter.tenantId()));
        if (!statuses.isEmpty()) {
            text.append(" AND status IN (").append(Sql.placeholders(statuses)).append(')');
            args.addAll(statuses);
        }
        text.append(" GROUP BY block HAVING SUM(n) > 0 ORDER BY block");
        var query = h.createQuery(text.toString());
        for (int i = 0; i < args.size(); i++) query.bind(i, args.get(i));
        List<long[]> rows = query.map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).list();
        long[] ids = new long[rows.size()];
        long[] cumulative = new long[rows.size()];
        long running = 0;
        for (int i = 0; i < rows.size(); i++) {
            ids[i] = rows.get(i)[0];
            running += rows.get(i)[1];
            cumulative[i] = running;
        }
        Blocks blocks = new Blocks(ids, cumulative, version);
        blockCache.put(key, blocks);
        return blocks;
    }
}
