package roster.store;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jdbi.v3.core.mapper.RowMapper;
import roster.model.Attribute;
import roster.model.Order;
import roster.model.Status;
import roster.model.User;
import roster.model.UserDetail;
import roster.model.UserFilter;

/** The users of each tenant: single reads by key, what the writer checks, and the one list query. */
public final class Users {

    private Users() {}

    /** A user row as written: the user plus what only the store keeps (the identity keys of its username and email). */
    public record Stored(User user, long seq, String contentHash, String usernameKey, String emailKey) {}

    /** What the writer needs of a stored user to decide whether and how it changes. */
    public record Existing(long seq, long num, Status status, String contentHash, String passwordHash, Instant createdAt,
                           Instant updatedAt, Instant statusChangedAt) {}

    public static List<User> byIds(Tx tx, String tenantId, Collection<String> ids, UserDetail detail) {
        if (ids.isEmpty()) return List.of();
        List<User> rows = tx.h.createQuery("SELECT " + UserRows.COLUMNS + " FROM users u WHERE u.tenant_id = :t AND u.id IN (<ids>)")
                .bind("t", tenantId).bindList("ids", List.copyOf(ids)).map((rs, ctx) -> UserRows.map(rs)).list();
        return UserRows.read(tx, tenantId, rows, detail);
    }

    /** The user whose attribute has this value (the first by num where it is not unique, as phone and external id). */
    public static Optional<User> byAttribute(Tx tx, String tenantId, Attribute attribute, Object value, UserDetail detail) {
        List<User> rows = tx.h.createQuery("SELECT " + UserRows.COLUMNS + " FROM users u WHERE u.tenant_id = ? AND "
                        + FilterSql.column(attribute) + " = ? ORDER BY u.num LIMIT 1")
                .bind(0, tenantId).bind(1, value).map((rs, ctx) -> UserRows.map(rs)).list();
        return UserRows.read(tx, tenantId, rows, detail).stream().findFirst();
    }

    /** The users whose latest change has one of these sequence numbers, by that number. */
    public static Map<Long, User> bySequences(Tx tx, String tenantId, List<Long> seqs, UserDetail detail) {
        Map<Long, User> out = new HashMap<>();
        if (seqs.isEmpty()) return out;
        List<User> rows = tx.h.createQuery("SELECT " + UserRows.COLUMNS + " FROM users u WHERE u.tenant_id = :t AND u.seq IN (<seqs>)")
                .bind("t", tenantId).bindList("seqs", seqs).map((rs, ctx) -> UserRows.map(rs)).list();
        for (User u : UserRows.read(tx, tenantId, rows, detail)) out.put(u.sequence(), u);
        return out;
    }

    public static byte[] face(Tx tx, String tenantId, String userId) {
        return tx.h.createQuery("SELECT data FROM user_faces WHERE tenant_id = ? AND user_id = ?")
                .bind(0, tenantId).bind(1, userId).mapTo(byte[].class).findOne().orElse(null);
    }

    // ---- for the writer

    public static Map<String, Existing> existing(Tx tx, String tenantId, Collection<String> ids) {
        Map<String, Existing> out = new HashMap<>();
        if (ids.isEmpty()) return out;
        tx.h.createQuery("SELECT id, seq, num, status, content_hash, password_hash, created_at, updated_at, status_changed_at "
                        + "FROM users WHERE tenant_id = :t AND id IN (<ids>)")
                .bind("t", tenantId).bindList("ids", List.copyOf(ids))
                .map((rs, ctx) -> Map.entry(rs.getString(1), new Existing(rs.getLong(2), rs.getLong(3),
                        Status.fromWire(rs.getString(4)), rs.getString(5), rs.getString(6),
                        Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)),
                        Instant.ofEpochMilli(rs.getLong(9)))))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Who holds each of these values of a unique attribute (username, email): value to user id. */
    public static Map<String, String> holders(Tx tx, String tenantId, Attribute attribute, Collection<String> values) {
        Map<String, String> out = new HashMap<>();
        if (values.isEmpty()) return out;
        String column = FilterSql.column(attribute);
        tx.h.createQuery("SELECT u.id, " + column + " FROM users u WHERE u.tenant_id = :t AND " + column + " IN (<values>)")
                .bind("t", tenantId).bindList("values", List.copyOf(values))
                .map((rs, ctx) -> Map.entry(rs.getString(2), rs.getString(1)))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * Who holds each of these identity keys (see {@link roster.model.Identifiers#key}) of a username or email:
     * key to user id. Two users whose usernames look alike share a key.
     */
    public static Map<String, String> keyHolders(Tx tx, String tenantId, Attribute attribute, Collection<String> keys) {
        Map<String, String> out = new HashMap<>();
        if (keys.isEmpty()) return out;
        String column = attribute == Attribute.USERNAME ? "username_key" : "email_key";
        tx.h.createQuery("SELECT id, " + column + " FROM users WHERE tenant_id = :t AND " + column + " IN (<keys>)")
                .bind("t", tenantId).bindList("keys", List.copyOf(keys))
                .map((rs, ctx) -> Map.entry(rs.getString(2), rs.getString(1)))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * Fills the identity keys of users stored before they existed (V8): one batch of users after the given
     * (tenant, id), in primary-key order so that each batch seeks instead of scanning again. Returns the last
     * (tenant, id) of the batch, or null when no user is left.
     */
    public static String[] backfillKeys(Tx tx, String[] after, int batch) {
        List<String[]> rows = tx.h.createQuery("SELECT tenant_id, id, username, email, username_key, email_key FROM users "
                        + "WHERE (tenant_id > :t OR (tenant_id = :t AND id > :id)) ORDER BY tenant_id, id LIMIT " + batch)
                .bind("t", after[0]).bind("id", after[1])
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)})
                .list();
        var update = tx.h.prepareBatch("UPDATE users SET username_key = ?, email_key = ? WHERE tenant_id = ? AND id = ?");
        boolean any = false;
        for (String[] r : rows) {
            if ((r[2] == null || r[4] != null) && (r[3] == null || r[5] != null)) continue;
            update.bind(0, roster.model.Identifiers.key(r[2])).bind(1, roster.model.Identifiers.key(r[3])).bind(2, r[0]).bind(3, r[1]).add();
            any = true;
        }
        if (any) update.execute();
        return rows.size() < batch ? null : new String[] {rows.get(rows.size() - 1)[0], rows.get(rows.size() - 1)[1]};
    }

    /** The users whose admin_of names this department (at most limit of them). */
    public static List<String> administering(Tx tx, String tenantId, String departmentId, int limit) {
        String quoted = roster.model.CanonicalJson.MAPPER.valueToTree(departmentId).toString();
        String like = "%" + quoted.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        // LIKE narrows by the JSON text; the parsed list decides (LIKE ignores ASCII case on SQLite)
        return tx.h.createQuery("SELECT id, admin_of FROM users WHERE tenant_id = ? AND admin_of LIKE ? ESCAPE '!' ORDER BY num")
                .bind(0, tenantId).bind(1, like)
                .map((rs, ctx) -> UserRows.parseList(rs.getString(2)).contains(departmentId) ? rs.getString(1) : null)
                .stream().filter(java.util.Objects::nonNull).limit(limit).toList();
    }

    /** The largest num from ceiling down that no user of the tenant holds (see Nums.freeBelow). */
    public static java.util.OptionalLong freeNumBelow(Tx tx, String tenantId, long ceiling) {
        return Nums.freeBelow(tx, "users", tenantId, ceiling);
    }

    /** Who holds each of these nums: num to user id. */
    public static Map<Long, String> numOwners(Tx tx, String tenantId, Collection<Long> nums) {
        Map<Long, String> out = new HashMap<>();
        if (nums.isEmpty()) return out;
        tx.h.createQuery("SELECT num, id FROM users WHERE tenant_id = :t AND num IN (<nums>)")
                .bind("t", tenantId).bindList("nums", List.copyOf(nums))
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    public static Map<String, Long> nums(Tx tx, String tenantId, List<String> ids) {
        Map<String, Long> nums = new HashMap<>();
        for (int from = 0; from < ids.size(); from += 1000) {
            tx.h.createQuery("SELECT id, num FROM users WHERE tenant_id = :t AND id IN (<ids>)").bind("t", tenantId)
                    .bindList("ids", ids.subList(from, Math.min(ids.size(), from + 1000)))
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> nums.put(e.getKey(), e.getValue()));
        }
        return nums;
    }

    /** Gives users new sequence numbers without changing their content (a department above them moved). */
    public static void resequence(Tx tx, String tenantId, Map<String, Long> seqs) {
        var batch = tx.h.prepareBatch("UPDATE users SET seq = ? WHERE tenant_id = ? AND id = ?");
        seqs.forEach((id, seq) -> batch.add(seq, tenantId, id));
        if (batch.size() > 0) batch.execute();
    }

    /** Writes users (insert or replace) with their memberships and faces; existing tells which rows were there. */
    public static void write(Tx tx, String tenantId, List<Stored> rows, Set<String> existing) {
        UserRows.upsert(tx, tenantId, rows, existing);
    }

    public static void delete(Tx tx, String tenantId, List<String> ids) {
        UserRows.delete(tx, tenantId, ids);
    }

    // ---- lists

    /**
     * One page of the filter's users in the order: after the keyset key when after is given (num or seq), or from
     * the num fromNum skipping skip rows (offset paging that counters have brought close to its place).
     */
    public static List<User> page(Tx tx, String tenantId, UserFilter filter, Predicate<UserFilter> wide, Order order,
                                  Long after, Long fromNum, long skip, int limit, UserDetail detail) {
        List<User> rows = select(tx, tenantId, filter, wide, order, after, fromNum, skip, limit, UserRows.COLUMNS,
                (rs, ctx) -> UserRows.map(rs));
        return UserRows.read(tx, tenantId, rows, detail);
    }

    /** A keyset page whose users carry only the attributes shown (and id, num, sequence): see UserRows.Projection. */
    public static List<User> page(Tx tx, String tenantId, UserFilter filter, Predicate<UserFilter> wide, Order order,
                                  Long after, int limit, Set<Attribute> shown) {
        return page(tx, tenantId, filter, wide, order, after, limit, shown, false);
    }

    /** An offset page (from the num fromNum, skipping skip rows) whose users carry only the attributes shown. */
    public static List<User> page(Tx tx, String tenantId, UserFilter filter, Predicate<UserFilter> wide, Order order,
                                  Long fromNum, long skip, int limit, Set<Attribute> shown) {
        UserRows.Projection projection = UserRows.Projection.of(shown);
        return select(tx, tenantId, filter, wide, order, null, fromNum, skip, limit, projection.columns(), (rs, ctx) -> projection.map(rs));
    }

    /** The same, and with memberships: their departments and access groups too (two indexed reads per page). */
    public static List<User> page(Tx tx, String tenantId, UserFilter filter, Predicate<UserFilter> wide, Order order,
                                  Long after, int limit, Set<Attribute> shown, boolean memberships) {
        UserRows.Projection projection = UserRows.Projection.of(shown);
        List<User> rows = select(tx, tenantId, filter, wide, order, after, null, 0, limit, projection.columns(), (rs, ctx) -> projection.map(rs));
        return memberships ? UserRows.read(tx, tenantId, rows, UserDetail.PROFILE) : rows;
    }

    private static List<User> select(Tx tx, String tenantId, UserFilter filter, Predicate<UserFilter> wide, Order order,
                                     Long after, Long fromNum, long skip, int limit, String columns, RowMapper<User> mapper) {
        Sql sql = FilterSql.where(tx, tenantId, filter, wide);
        if (after != null) sql.where(FilterSql.column(order.attribute()) + (order.descending() ? " < ?" : " > ?"), after);
        if (fromNum != null) sql.where("u.num >= ?", fromNum);
        String tail = "ORDER BY " + orderBy(tx, order) + " LIMIT ?" + (skip > 0 ? " OFFSET ?" : "");
        Object[] tailArgs = skip > 0 ? new Object[] {limit, skip} : new Object[] {limit};
        return sql.select(tx, columns, tail, tailArgs).map(mapper).list();
    }

    public static long count(Tx tx, String tenantId, UserFilter filter, Predicate<UserFilter> wide) {
        return FilterSql.where(tx, tenantId, filter, wide).select(tx, "COUNT(*)", "").mapTo(Long.class).one();
    }

    /** Whether the user is one the filter selects. */
    public static boolean matches(Tx tx, String tenantId, UserFilter filter, String userId) {
        // one row: each department condition is tested on it, never gathered
        Sql sql = FilterSql.where(tx, tenantId, filter, d -> true).where("u.id = ?", userId);
        return sql.select(tx, "1", "").mapTo(Integer.class).findOne().isPresent();
    }

    /**
     * The same order on both databases. Text that may be missing (username, name) puts users without a value, null
     * or empty alike, after all others in ascending order (before them in descending: the exact reverse), where
     * SQLite alone would put nulls first and PostgreSQL last; and text compares by code point on both (SQLite's
     * BINARY, PostgreSQL's "C" whatever the database's collation).
     */
    private static String orderBy(Tx tx, Order order) {
        String dir = order.descending() ? " DESC" : "";
        String column = FilterSql.column(order.attribute());
        if (order.attribute() == Attribute.NUM || order.attribute() == Attribute.SEQUENCE) return column + dir;
        if (order.attribute().type() != Attribute.Type.TEXT) return column + dir + ", u.num" + dir;
        String empty = "CASE WHEN " + column + " IS NULL OR " + column + " = '' THEN 1 ELSE 0 END";
        String value = "NULLIF(" + column + ", '')"; // null and empty alike, so that num orders them
        String collated = tx.kind == Database.Kind.POSTGRESQL ? value + " COLLATE \"C\"" : value;
        return empty + dir + ", " + collated + dir + ", u.num" + dir;
    }
}
