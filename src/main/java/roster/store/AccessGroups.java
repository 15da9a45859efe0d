package roster.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.mapper.RowMapper;
import roster.model.AccessGroup;

/** The access-control permission groups of each tenant. */
public final class AccessGroups {

    private static final RowMapper<AccessGroup> ROW = (rs, ctx) -> new AccessGroup(rs.getString(1), rs.getString(2));

    private AccessGroups() {}

    public static List<AccessGroup> all(Tx tx, String tenantId) {
        return tx.h.createQuery("SELECT id, name FROM access_groups WHERE tenant_id = ? ORDER BY id").bind(0, tenantId).map(ROW).list();
    }

    public static Optional<AccessGroup> byId(Tx tx, String tenantId, String id) {
        return tx.h.createQuery("SELECT id, name FROM access_groups WHERE tenant_id = ? AND id = ?")
                .bind(0, tenantId).bind(1, id).map(ROW).findOne();
    }

    /** Whether the group has at least threshold members (counting stops there). */
    public static boolean hasAtLeastMembers(Tx tx, String tenantId, String group, long threshold) {
        return tx.h.createQuery("SELECT COUNT(*) FROM (SELECT 1 FROM user_groups WHERE tenant_id = ? AND group_id = ? LIMIT ?) members")
                .bind(0, tenantId).bind(1, group).bind(2, threshold).mapTo(Long.class).one() >= threshold;
    }

    public static List<String> ids(Tx tx, String tenantId) {
        return tx.h.createQuery("SELECT id FROM access_groups WHERE tenant_id = ?").bind(0, tenantId).mapTo(String.class).list();
    }

    /** Creates or renames a group; its version changes when it is new or its name changes. */
    public static void upsert(Tx tx, String tenantId, AccessGroup g) {
        tx.h.createUpdate("INSERT INTO access_groups (tenant_id, id, name, version) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, version = CASE "
                        + "WHEN access_groups.name = excluded.name OR (access_groups.name IS NULL AND excluded.name IS NULL) "
                        + "THEN access_groups.version ELSE excluded.version END")
                .bind(0, tenantId).bind(1, g.id()).bind(2, g.name()).bind(3, freshVersion()).execute();
    }

    /**
     * The version of a group (SCIM's ETag): a stored value drawn afresh on every change of the group's name or
     * members, random rather than counted so that a group deleted and made again under its id never takes a tag
     * it had before.
     */
    public static Optional<Long> version(Tx tx, String tenantId, String id) {
        return tx.h.createQuery("SELECT version FROM access_groups WHERE tenant_id = ? AND id = ?")
                .bind(0, tenantId).bind(1, id).mapTo(Long.class).findOne();
    }

    public static Map<String, Long> versions(Tx tx, String tenantId) {
        Map<String, Long> out = new HashMap<>();
        tx.h.createQuery("SELECT id, version FROM access_groups WHERE tenant_id = ?").bind(0, tenantId)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** A new version for each of these groups, whose members changed. */
    static void touch(Tx tx, String tenantId, Collection<String> ids) {
        if (ids.isEmpty()) return;
        tx.h.createUpdate("UPDATE access_groups SET version = :v WHERE tenant_id = :t AND id IN (<ids>)")
                .bind("v", freshVersion()).bind("t", tenantId).bindList("ids", List.copyOf(ids)).execute();
    }

    private static long freshVersion() {
        return ThreadLocalRandom.current().nextLong(1, 1L << 53); // kept below 2^53: exact as a JSON number anywhere
    }

    public static void delete(Tx tx, String tenantId, String id) {
        tx.h.createUpdate("DELETE FROM access_groups WHERE tenant_id = ? AND id = ?").bind(0, tenantId).bind(1, id).execute();
    }

    public static List<String> members(Tx tx, String tenantId, String id) {
        return tx.h.createQuery("SELECT user_id FROM user_groups WHERE tenant_id = ? AND group_id = ?")
                .bind(0, tenantId).bind(1, id).mapTo(String.class).list();
    }
}
