package roster.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.mapper.RowMapper;
import roster.model.Department;

/** The department tree of each tenant, and the one query that walks down it. */
public final class Departments {

    private static final String COLUMNS = "id, num, name, parent_id";
    private static final RowMapper<Department> ROW =
            (rs, ctx) -> new Department(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4));

    private Departments() {}

    /**
     * The departments given and every department below them, as a recursive CTE named name(id). Its arguments,
     * in order, are {@link #subtreeArgs}. Every subtree in Roster (scopes, an org, a moved department) is this.
     */
    static String subtree(String name, int departments) {
        return name + "(id) AS (SELECT id FROM departments WHERE tenant_id = ? AND id IN (" + Sql.placeholders(departments)
                + ") UNION SELECT d.id FROM departments d JOIN " + name + " s ON d.parent_id = s.id WHERE d.tenant_id = ?)";
    }

    static List<Object> subtreeArgs(String tenantId, Collection<String> departments) {
        List<Object> args = new ArrayList<>();
        args.add(tenantId);
        args.addAll(departments);
        args.add(tenantId);
        return args;
    }

    public static List<Department> all(Tx tx, String tenantId) {
        return tx.h.createQuery("SELECT " + COLUMNS + " FROM departments WHERE tenant_id = ? ORDER BY num").bind(0, tenantId).map(ROW).list();
    }

    public static Optional<Department> byId(Tx tx, String tenantId, String id) {
        return tx.h.createQuery("SELECT " + COLUMNS + " FROM departments WHERE tenant_id = ? AND id = ?")
                .bind(0, tenantId).bind(1, id).map(ROW).findOne();
    }

    public static Optional<Department> byNum(Tx tx, String tenantId, long num) {
        return tx.h.createQuery("SELECT " + COLUMNS + " FROM departments WHERE tenant_id = ? AND num = ?")
                .bind(0, tenantId).bind(1, num).map(ROW).findOne();
    }

    public static List<String> ids(Tx tx, String tenantId) {
        return tx.h.createQuery("SELECT id FROM departments WHERE tenant_id = ?").bind(0, tenantId).mapTo(String.class).list();
    }

    /** The tenant's root departments: those without a parent. */
    public static Set<String> roots(Tx tx, String tenantId) {
        return new HashSet<>(tx.h.createQuery("SELECT id FROM departments WHERE tenant_id = ? AND parent_id IS NULL")
                .bind(0, tenantId).mapTo(String.class).list());
    }

    /** Each department's parent (null for a root). */
    public static Map<String, String> parents(Tx tx, String tenantId) {
        Map<String, String> parents = new HashMap<>();
        tx.h.createQuery("SELECT id, parent_id FROM departments WHERE tenant_id = ?").bind(0, tenantId)
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                .forEach(row -> parents.put(row[0], row[1]));
        return parents;
    }

    public static boolean numTaken(Tx tx, String tenantId, long num) {
        return tx.h.createQuery("SELECT 1 FROM departments WHERE tenant_id = ? AND num = ?")
                .bind(0, tenantId).bind(1, num).mapTo(Integer.class).findOne().isPresent();
    }

    public static void upsert(Tx tx, String tenantId, Department d) {
        tx.h.createUpdate("INSERT INTO departments (tenant_id, id, num, name, parent_id) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id")
                .bind(0, tenantId).bind(1, d.id()).bind(2, d.num()).bind(3, d.name()).bind(4, d.parent()).execute();
    }

    public static boolean hasChildren(Tx tx, String tenantId, String id) {
        return tx.h.createQuery("SELECT 1 FROM departments WHERE tenant_id = ? AND parent_id = ? LIMIT 1")
                .bind(0, tenantId).bind(1, id).mapTo(Integer.class).findOne().isPresent();
    }

    public static boolean hasMembers(Tx tx, String tenantId, String id) {
        return tx.h.createQuery("SELECT 1 FROM user_departments WHERE tenant_id = ? AND dept_id = ? LIMIT 1")
                .bind(0, tenantId).bind(1, id).mapTo(Integer.class).findOne().isPresent();
    }

    public static void delete(Tx tx, String tenantId, String id) {
        tx.h.createUpdate("DELETE FROM departments WHERE tenant_id = ? AND id = ?").bind(0, tenantId).bind(1, id).execute();
    }

    /** Members of each department that has any (its own, not its subtree's). */
    public static Map<String, Long> memberCounts(Tx tx, String tenantId) {
        Map<String, Long> counts = new java.util.HashMap<>();
        tx.h.createQuery("SELECT dept_id, COUNT(*) FROM user_departments WHERE tenant_id = ? GROUP BY dept_id").bind(0, tenantId)
                .map((rs, ctx) -> counts.put(rs.getString(1), rs.getLong(2))).list();
        return counts;
    }

    /** The ids of the users in the department or below it. */
    public static List<String> membersBelow(Tx tx, String tenantId, String id) {
        var query = tx.h.createQuery("WITH RECURSIVE " + subtree("sub", 1)
                + " SELECT DISTINCT user_id FROM user_departments WHERE tenant_id = ? AND dept_id IN (SELECT id FROM sub)");
        List<Object> args = subtreeArgs(tenantId, List.of(id));
        args.add(tenantId);
        for (int i = 0; i < args.size(); i++) query.bind(i, args.get(i));
        return query.mapTo(String.class).list();
    }

    /** Whether the departments and their subtrees hold at least threshold memberships; stops counting there. */
    public static boolean hasAtLeastMembers(Tx tx, String tenantId, List<String> departments, long threshold) {
        var query = tx.h.createQuery("WITH RECURSIVE " + subtree("sub", departments.size())
                + " SELECT COUNT(*) FROM (SELECT 1 FROM user_departments ud WHERE ud.tenant_id = ? "
                + "AND ud.dept_id IN (SELECT id FROM sub) LIMIT ?) members");
        List<Object> args = subtreeArgs(tenantId, departments);
        args.add(tenantId);
        args.add(threshold);
        for (int i = 0; i < args.size(); i++) query.bind(i, args.get(i));
        return query.mapTo(Long.class).one() >= threshold;
    }

    /** The largest num from ceiling down that no department of the tenant holds (see Nums.freeBelow). */
    public static java.util.OptionalLong freeNumBelow(Tx tx, String tenantId, long ceiling) {
        return Nums.freeBelow(tx, "departments", tenantId, ceiling);
    }
}
