package roster.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import roster.model.App;
import roster.model.TenantApp;
import roster.model.VisibleTo;

/** The apps of every tenant: their grants (scopes, visible_to) and their sealed secrets. */
public final class Apps {

    private static final String COLUMNS = "tenant_id, id, name, scopes, vendor, visible_to, secret_version";
    /** The same columns of apps joined as "a" (see Grants.live). */
    static final String COLUMNS_OF_A = "a." + COLUMNS.replace(", ", ", a.");
    private static final RowMapper<TenantApp> ROW = (rs, ctx) -> row(rs, 1);
    private static final TypeReference<com.fasterxml.jackson.databind.JsonNode> JSON = new TypeReference<>() {};

    private Apps() {}

    /** The app whose COLUMNS start at the given column of the row. */
    static TenantApp row(java.sql.ResultSet rs, int first) throws java.sql.SQLException {
        return new TenantApp(rs.getString(first), new App(rs.getString(first + 1), null, rs.getString(first + 2),
                JsonColumns.read(rs.getString(first + 3), JsonColumns.STRINGS), rs.getString(first + 4),
                VisibleTo.fromJson(JsonColumns.read(rs.getString(first + 5), JSON))), rs.getInt(first + 6));
    }

    /** The stored secret of an app, sealed, and its version (a new secret revokes the tokens of the old). */
    public record Secret(String tenantId, String sealed, int version) {}

    public static Optional<TenantApp> byId(Tx tx, String appId) {
        return tx.h.createQuery("SELECT " + COLUMNS + " FROM apps WHERE id = ?").bind(0, appId).map(ROW).findOne();
    }

    public static List<App> all(Tx tx, String tenantId) {
        return tx.h.createQuery("SELECT " + COLUMNS + " FROM apps WHERE tenant_id = ? ORDER BY id").bind(0, tenantId)
                .map(ROW).map(TenantApp::app).list();
    }

    public static Optional<Secret> secret(Tx tx, String appId) {
        return tx.h.createQuery("SELECT tenant_id, secret_sealed, secret_version FROM apps WHERE id = ?").bind(0, appId)
                .map((rs, ctx) -> new Secret(rs.getString(1), rs.getString(2), rs.getInt(3))).findOne();
    }

    public static void upsert(Tx tx, String tenantId, App app, Secret secret, long now) {
        tx.h.createUpdate("INSERT INTO apps (id, tenant_id, name, secret_sealed, secret_version, scopes, vendor, visible_to, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                        + "secret_sealed = excluded.secret_sealed, secret_version = excluded.secret_version, "
                        + "scopes = excluded.scopes, vendor = excluded.vendor, visible_to = excluded.visible_to, "
                        + "updated_at = excluded.updated_at")
                .bind(0, app.id()).bind(1, tenantId).bind(2, app.name()).bind(3, secret.sealed()).bind(4, secret.version())
                .bind(5, JsonColumns.write(app.scopes())).bind(6, app.vendor()).bind(7, JsonColumns.write(app.visibleTo())).bind(8, now).bind(9, now)
                .execute();
    }

    /** The app's event keys (encrypt key, verification token), sealed as one JSON object; see AppWriter. */
    public static Optional<String> eventKeys(Tx tx, String appId) {
        return tx.h.createQuery("SELECT event_keys_sealed FROM apps WHERE id = ?").bind(0, appId).mapTo(String.class).findOne()
                .filter(java.util.Objects::nonNull);
    }

    public static void putEventKeys(Tx tx, String appId, String sealed) {
        tx.h.createUpdate("UPDATE apps SET event_keys_sealed = ? WHERE id = ?").bind(0, sealed).bind(1, appId).execute();
    }

    /** Narrows what an app sees (a user it named was deleted). */
    public static void setVisibleTo(Tx tx, String tenantId, String appId, VisibleTo visibleTo, long now) {
        tx.h.createUpdate("UPDATE apps SET visible_to = ?, updated_at = ? WHERE tenant_id = ? AND id = ?")
                .bind(0, JsonColumns.write(visibleTo)).bind(1, now).bind(2, tenantId).bind(3, appId).execute();
    }

    /** Removes an app and its tokens; false when the tenant has no such app. */
    public static boolean delete(Tx tx, String tenantId, String appId) {
        if (tx.h.createUpdate("DELETE FROM apps WHERE tenant_id = ? AND id = ?").bind(0, tenantId).bind(1, appId).execute() == 0) return false;
        tx.h.createUpdate("DELETE FROM tokens WHERE app_id = ?").bind(0, appId).execute();
        return true;
    }
}
