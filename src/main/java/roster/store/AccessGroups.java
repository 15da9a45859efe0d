package roster.store;

import java.util.List;
import java.util.Optional;
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

    public static void upsert(Tx tx, String tenantId, AccessGroup g) {
        tx.h.createUpdate("INSERT INTO access_groups (tenant_id, id, name) VALUES (?, ?, ?) "
                        + "ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name")
                .bind(0, tenantId).bind(1, g.id()).bind(2, g.name()).execute();
    }

    public static void delete(Tx tx, String tenantId, String id) {
        tx.h.createUpdate("DELETE FROM access_groups WHERE tenant_id = ? AND id = ?").bind(0, tenantId).bind(1, id).execute();
    }

    public static List<String> members(Tx tx, String tenantId, String id) {
        return tx.h.createQuery("SELECT user_id FROM user_groups WHERE tenant_id = ? AND group_id = ?")
                .bind(0, tenantId).bind(1, id).mapTo(String.class).list();
    }
}
