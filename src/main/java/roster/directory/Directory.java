package roster.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import roster.auth.SecretBox;
import roster.store.Database;
import roster.store.UserRows;

/**
 * The canonical directory: reads of single records and every change, for the admin API and the dialects alike.
 * Lists of users live in {@link roster.query.UserQueries}.
 */
public final class Directory {

    private final Database db;
    private final SecretBox secrets;
    private final Clock clock;

    public Directory(Database db, SecretBox secrets, Clock clock) {
        this.db = db;
        this.secrets = secrets;
        this.clock = clock;
    }

    public Database database() {
        return db;
    }

    /** Runs work on one tenant in one write transaction, then finishes the writer (checks, counters). */
    public <T> T write(String tenantId, boolean createTenant, Function<TenantWriter, T> work) {
        return db.write(h -> {
            TenantWriter writer = TenantWriter.open(h, tenantId, createTenant, clock, secrets);
            T result = work.apply(writer);
            writer.finish();
            return result;
        });
    }

    public TenantWriter openWriter(Handle h, String tenantId, boolean createTenant) {
        return TenantWriter.open(h, tenantId, createTenant, clock, secrets);
    }

    // ---- tenants

    public List<Tenant> tenants() {
        return db.read(h -> h.createQuery("SELECT id, name FROM tenants ORDER BY id")
                .map((rs, ctx) -> new Tenant(rs.getString(1), rs.getString(2))).list());
    }

    public Optional<Tenant> tenant(String id) {
        return db.read(h -> h.createQuery("SELECT id, name FROM tenants WHERE id = ?").bind(0, id)
                .map((rs, ctx) -> new Tenant(rs.getString(1), rs.getString(2))).findOne());
    }

    /** Creates a tenant, or renames it; create set refuses one that exists. */
    public Tenant putTenant(Tenant tenant, boolean create) {
        Validation.tenant("$", tenant);
        return db.write(h -> {
            boolean exists = h.createQuery("SELECT 1 FROM tenants WHERE id = ?").bind(0, tenant.id()).mapTo(Integer.class).findOne().isPresent();
            if (exists && create) throw new ConflictException("$.id", "tenant " + tenant.id() + " exists");
            TenantWriter w = openWriter(h, tenant.id(), true);
            w.setTenantName("$.name", tenant.name());
            w.finish();
            return tenant;
        });
    }

    /** Removes a tenant and everything in it. */
    public void deleteTenant(String id) {
        db.useWrite(h -> {
            int n = h.createUpdate("DELETE FROM tenants WHERE id = ?").bind(0, id).execute();
            if (n == 0) throw new NotFoundException("tenant", id);
            for (String table : List.of("departments", "access_groups", "users", "user_departments", "user_groups",
                    "user_faces", "user_changes", "user_counts", "apps", "tokens")) {
                h.createUpdate("DELETE FROM " + table + " WHERE tenant_id = ?").bind(0, id).execute();
            }
        });
    }

    // ---- departments and access groups

    public List<Department> departments(String tenantId) {
        requireTenant(tenantId);
        return db.read(h -> h.createQuery("SELECT id, num, name, parent_id FROM departments WHERE tenant_id = ? ORDER BY num")
                .bind(0, tenantId).map((rs, ctx) -> new Department(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4))).list());
    }

    public Optional<Department> department(String tenantId, String id) {
        return db.read(h -> h.createQuery("SELECT id, num, name, parent_id FROM departments WHERE tenant_id = ? AND id = ?")
                .bind(0, tenantId).bind(1, id)
                .map((rs, ctx) -> new Department(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4))).findOne());
    }

    public Optional<Department> departmentByNum(String tenantId, long num) {
        return db.read(h -> h.createQuery("SELECT id, num, name, parent_id FROM departments WHERE tenant_id = ? AND num = ?")
                .bind(0, tenantId).bind(1, num)
                .map((rs, ctx) -> new Department(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4))).findOne());
    }

    public List<AccessGroup> accessGroups(String tenantId) {
        requireTenant(tenantId);
        return db.read(h -> h.createQuery("SELECT id, name FROM access_groups WHERE tenant_id = ? ORDER BY id")
                .bind(0, tenantId).map((rs, ctx) -> new AccessGroup(rs.getString(1), rs.getString(2))).list());
    }

    public Optional<AccessGroup> accessGroup(String tenantId, String id) {
        return db.read(h -> h.createQuery("SELECT id, name FROM access_groups WHERE tenant_id = ? AND id = ?")
                .bind(0, tenantId).bind(1, id).map((rs, ctx) -> new AccessGroup(rs.getString(1), rs.getString(2))).findOne());
    }

    // ---- users

    /** Which unique key a single-user lookup goes by. */
    public enum UserKey {
        ID("id"), NUM("num"), USERNAME("username"), EMAIL("email"), PHONE("phone"), EXTERNAL_ID("external_id");

        private final String column;

        UserKey(String column) {
            this.column = column;
        }
    }

    public Optional<User> user(String tenantId, String id) {
        return user(tenantId, UserKey.ID, id, UserRows.Detail.FULL);
    }

    /** The user with this key (the first by num where the key is not unique, as phone and external id). */
    public Optional<User> user(String tenantId, UserKey key, Object value, UserRows.Detail detail) {
        return db.read(h -> {
            List<User> rows = h.createQuery("SELECT " + UserRows.COLUMNS + " FROM users u WHERE u.tenant_id = ? AND u."
                            + key.column + " = ? ORDER BY u.num LIMIT 1")
                    .bind(0, tenantId).bind(1, value).map((rs, ctx) -> UserRows.map(rs)).list();
            return UserRows.read(h, tenantId, rows, detail).stream().findFirst();
        });
    }

    public byte[] face(String tenantId, String userId) {
        return db.read(h -> h.createQuery("SELECT data FROM user_faces WHERE tenant_id = ? AND user_id = ?")
                .bind(0, tenantId).bind(1, userId).mapTo(byte[].class).findOne().orElse(null));
    }

    public User createUser(String tenantId, User user) {
        return write(tenantId, false, w -> {
            if (!w.readUsers(List.of(user.id())).isEmpty()) throw new ConflictException("$.id", "user " + user.id() + " exists");
            return single(w.putUsers(List.of(new TenantWriter.Located("$", user))), user.id(), w);
        });
    }

    /** Creates or replaces a user; fields left out are cleared, but for the password, which is kept. */
    public User putUser(String tenantId, User user) {
        return write(tenantId, false, w -> single(w.putUsers(List.of(new TenantWriter.Located("$", user))), user.id(), w));
    }

    /** Applies a JSON merge patch (RFC 7396) in canonical field names to a user. */
    public User patchUser(String tenantId, String id, JsonNode patch) {
        return write(tenantId, false, w -> {
            User current = w.readUsers(List.of(id)).stream().findFirst().orElseThrow(() -> new NotFoundException("user", id));
            User patched = merge(current.with().passwordHash(null).sequence(null).build(), patch, User.class);
            if (patched.id() == null || !patched.id().equals(id)) throw new InvalidInputException("$.id", "cannot be changed");
            User settled = patched.with().updatedAt(null).build(); // the server stamps the change
            return single(w.putUsers(List.of(new TenantWriter.Located("$", settled))), id, w);
        });
    }

    /** A user just written, or, when nothing changed, as it is stored. */
    private static User single(List<User> written, String id, TenantWriter w) {
        User user = written.isEmpty() ? w.readUsers(List.of(id)).get(0) : written.get(0);
        return user.withoutSecrets();
    }

    public void deleteUser(String tenantId, String id) {
        boolean deleted = write(tenantId, false, w -> w.deleteUser(id));
        if (!deleted) throw new NotFoundException("user", id);
    }

    // ---- apps

    public Optional<TenantApp> app(String appId) {
        return db.read(h -> h.createQuery("SELECT tenant_id, id, name, scopes, vendor, visible_to, secret_version FROM apps WHERE id = ?")
                .bind(0, appId).map((rs, ctx) -> new TenantApp(rs.getString(1), new App(rs.getString(2), null, rs.getString(3),
                        parse(rs.getString(4), STRINGS), rs.getString(5), parseVisible(rs.getString(6))), rs.getInt(7)))
                .findOne());
    }

    public List<App> apps(String tenantId) {
        requireTenant(tenantId);
        return db.read(h -> h.createQuery("SELECT id, name, scopes, vendor, visible_to FROM apps WHERE tenant_id = ? ORDER BY id")
                .bind(0, tenantId).map((rs, ctx) -> new App(rs.getString(1), null, rs.getString(2),
                        parse(rs.getString(3), STRINGS), rs.getString(4), parseVisible(rs.getString(5)))).list());
    }

    /** The app's secret in clear, for verifying a signature made with it. Never returned to a client. */
    public String secretOf(String appId) {
        String sealed = db.read(h -> h.createQuery("SELECT secret_sealed FROM apps WHERE id = ?").bind(0, appId)
                .mapTo(String.class).findOne().orElseThrow(() -> new NotFoundException("app", appId)));
        return secrets.open(appId, sealed);
    }

    public void deleteApp(String tenantId, String appId) {
        db.useWrite(h -> {
            int n = h.createUpdate("DELETE FROM apps WHERE tenant_id = ? AND id = ?").bind(0, tenantId).bind(1, appId).execute();
            if (n == 0) throw new NotFoundException("app", appId);
            h.createUpdate("DELETE FROM tokens WHERE app_id = ?").bind(0, appId).execute();
        });
    }

    private void requireTenant(String tenantId) {
        if (tenant(tenantId).isEmpty()) throw new NotFoundException("tenant", tenantId);
    }

    // ---- JSON helpers

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    /** Applies a JSON merge patch to a record by way of its canonical JSON. */
    public static <T> T merge(T current, JsonNode patch, Class<T> type) {
        if (patch == null || !patch.isObject()) throw new InvalidInputException("$", "a merge patch must be a JSON object");
        ObjectNode target = CanonicalJson.MAPPER.valueToTree(current);
        mergeInto(target, (ObjectNode) patch);
        return CanonicalJson.convert(target, type, "$");
    }

    private static void mergeInto(ObjectNode target, ObjectNode patch) {
        patch.fields().forEachRemaining(e -> {
            JsonNode value = e.getValue();
            if (value.isNull()) {
                target.remove(e.getKey());
            } else if (value.isObject() && target.get(e.getKey()) instanceof ObjectNode inner) {
                mergeInto(inner, (ObjectNode) value);
            } else {
                target.set(e.getKey(), value);
            }
        });
    }

    private static <T> T parse(String json, TypeReference<T> type) {
        try {
            return CanonicalJson.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column", e);
        }
    }

    private static VisibleTo parseVisible(String json) {
        try {
            return VisibleTo.fromJson(CanonicalJson.MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column", e);
        }
    }
}
