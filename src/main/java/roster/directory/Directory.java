package roster.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import roster.crypto.SecretBox;
import roster.model.AccessGroup;
import roster.model.App;
import roster.model.Attribute;
import roster.model.CanonicalJson;
import roster.model.Department;
import roster.model.Failure;
import roster.model.Identifiers;
import roster.model.Tenant;
import roster.model.TenantApp;
import roster.model.User;
import roster.model.UserDetail;
import roster.store.AccessGroups;
import roster.store.Apps;
import roster.store.Database;
import roster.store.Departments;
import roster.store.Tenants;
import roster.store.Tx;
import roster.store.Users;

/**
 * The canonical directory: reads of single records and every change, for the admin API and every front end
 * alike. Changes are typed: a front end gives records or an edit of a user's builder, never canonical JSON made
 * by hand. Lists of users live in {@link roster.query.UserQueries}.
 */
public final class Directory {

    private final Database db;
    private final SecretBox secrets;
    private final Clock clock;
    private final Set<String> scopes;
    private final String actor;

    /** scopes: every scope an app may be granted, as the front ends declare them. */
    public Directory(Database db, SecretBox secrets, Clock clock, Set<String> scopes) {
        this(db, secrets, clock, scopes, null);
    }

    private Directory(Database db, SecretBox secrets, Clock clock, Set<String> scopes, String actor) {
        this.db = db;
        this.secrets = secrets;
        this.clock = clock;
        this.scopes = Set.copyOf(scopes);
        this.actor = actor;
    }

    /**
     * This directory with writes recorded as made by actor: each user change in the feed then carries who made it
     * and the names of the fields it changed (the console's audit view). Costs one read of the users before a write.
     */
    public Directory actingAs(String actor) {
        return new Directory(db, secrets, clock, scopes, actor);
    }

    /** Webhook subscriptions and their delivery state; rotationMillis: how long a replaced secret keeps signing. */
    public Subscriptions subscriptions(long rotationMillis) {
        return new Subscriptions(db, secrets, clock, rotationMillis);
    }

    /** Runs work on one tenant in one write transaction, then finishes the writer (checks, counters). */
    public <T> T write(String tenantId, boolean createTenant, Function<TenantWriter, T> work) {
        return db.write(tx -> {
            TenantWriter writer = openWriter(tx, tenantId, createTenant);
            T result = work.apply(writer);
            writer.finish();
            return result;
        });
    }

    /** Runs work that spans tenants (a fixture) in one write transaction; it opens a writer per tenant. */
    public <T> T writeAll(Function<Tx, T> work) {
        return db.writeUnbounded(work); // a fixture of any size is one transaction: no statement timeout
    }

    public TenantWriter openWriter(Tx tx, String tenantId, boolean createTenant) {
        return TenantWriter.open(tx, tenantId, createTenant, clock, secrets, scopes, actor);
    }

    // ---- tenants

    public List<Tenant> tenants() {
        return db.read(Tenants::all);
    }

    public Optional<Tenant> tenant(String id) {
        return db.read(tx -> Tenants.byId(tx, id));
    }

    /** Creates a tenant, or renames it; create set refuses one that exists. */
    public Tenant putTenant(Tenant tenant, boolean create) {
        Validation.tenant("$", tenant);
        return db.write(tx -> {
            if (create && Tenants.byId(tx, tenant.id()).isPresent()) throw new Failure.Conflict("$.id", "tenant " + tenant.id() + " exists");
            TenantWriter w = openWriter(tx, tenant.id(), true);
            w.setTenantName("$.name", tenant.name());
            w.finish();
            return tenant;
        });
    }

    /** Removes a tenant and everything in it; its users leave tombstones in the change feed (see Tenants.delete). */
    public void deleteTenant(String id) {
        db.useWrite(tx -> {
            if (!Tenants.delete(tx, id, clock.millis())) throw new Failure.NotFound(Failure.Subject.TENANT, id);
        });
    }

    // ---- departments and access groups

    public List<Department> departments(String tenantId) {
        return db.read(tx -> Departments.all(tx, requireTenant(tx, tenantId)));
    }

    public Optional<Department> department(String tenantId, String id) {
        return db.read(tx -> Departments.byId(tx, tenantId, id));
    }

    public Optional<Department> departmentByNum(String tenantId, long num) {
        return db.read(tx -> Departments.byNum(tx, tenantId, num));
    }

    /** Users per department, each counted in its own department (not below); the console sums the tree. */
    public java.util.Map<String, Long> directMemberCounts(String tenantId) {
        return db.read(tx -> Departments.memberCounts(tx, requireTenant(tx, tenantId)));
    }

    public List<AccessGroup> accessGroups(String tenantId) {
        return db.read(tx -> AccessGroups.all(tx, requireTenant(tx, tenantId)));
    }

    /** The version of each access group: drawn afresh on every change of its name or members (SCIM's Group ETag). */
    public Map<String, Long> accessGroupVersions(String tenantId) {
        return db.read(tx -> AccessGroups.versions(tx, requireTenant(tx, tenantId)));
    }

    public Optional<Long> accessGroupVersion(String tenantId, String id) {
        return db.read(tx -> AccessGroups.version(tx, tenantId, id));
    }

    public Optional<AccessGroup> accessGroup(String tenantId, String id) {
        return db.read(tx -> AccessGroups.byId(tx, tenantId, id));
    }

    // ---- users

    public Optional<User> user(String tenantId, String id) {
        return user(tenantId, Attribute.ID, id, UserDetail.FULL);
    }

    /** The user whose attribute has this value (the first by num where it is not unique, as phone and external id). */
    public Optional<User> user(String tenantId, Attribute key, Object value, UserDetail detail) {
        // stored in NFC (see UserWriter), so looked up in NFC
        if (value instanceof String s && (key == Attribute.ID || key == Attribute.USERNAME || key == Attribute.EMAIL)) value = Identifiers.lookup(s);
        if (value == null) return Optional.empty();
        Object v = value;
        return db.read(tx -> Users.byAttribute(tx, tenantId, key, v, detail));
    }

    public byte[] face(String tenantId, String userId) {
        String id = Identifiers.lookup(userId);
        return id == null ? null : db.read(tx -> Users.face(tx, tenantId, id));
    }

    public User createUser(String tenantId, User given) {
        User user = inNfc(given);
        return write(tenantId, false, w -> {
            if (!w.readUsers(List.of(user.id())).isEmpty()) throw new Failure.Conflict("$.id", "user " + user.id() + " exists");
            return single(w.putUsers(List.of(new UserWriter.Located("$", user))), user.id(), w);
        });
    }

    /** Creates or replaces a user; fields left out are cleared, but for the password, which is kept. */
    public User putUser(String tenantId, User given) {
        User user = inNfc(given);
        return write(tenantId, false, w -> single(w.putUsers(List.of(new UserWriter.Located("$", user))), user.id(), w));
    }

    /**
     * Changes some fields of a user: the edit receives the stored user (without its password hash) and returns it
     * changed, through {@link User#with()}. The id cannot change; the server stamps the time of the change.
     */
    public User updateUser(String tenantId, String id, UnaryOperator<User> edit) {
        return updateUser(tenantId, id, current -> {}, edit);
    }

    /**
     * The same, when the stored user passes the precondition: it sees the user as stored (with its sequence) inside
     * the write transaction and throws to refuse, so a check such as an HTTP If-Match cannot race another writer.
     */
    public User updateUser(String tenantId, String given, Consumer<User> precondition, UnaryOperator<User> edit) {
        String id = Identifiers.lookup(given);
        if (id == null) throw new Failure.NotFound(Failure.Subject.USER, "(not a valid id)");
        return write(tenantId, false, w -> {
            User current = w.readUsers(List.of(id)).stream().findFirst().orElseThrow(() -> new Failure.NotFound(Failure.Subject.USER, id));
            precondition.accept(current.withoutSecrets());
            User changed = edit.apply(current.with().passwordHash(null).sequence(null).build()).with().updatedAt(null).build();
            if (changed.id() == null || !changed.id().equals(id)) throw new Failure.InvalidInput("$.id", "cannot be changed");
            return single(w.putUsers(List.of(new UserWriter.Located("$", changed))), id, w);
        });
    }

    /**
     * As {@link #updateUser(String, String, UnaryOperator)}, refused when the user changed since it was read at
     * sequence expected: two people editing one user do not overwrite each other silently.
     */
    public User updateUser(String tenantId, String id, long expected, UnaryOperator<User> edit) {
        return updateUser(tenantId, id, current -> {
            if (current.sequence() == null || current.sequence() != expected) {
                throw new Failure.Conflict("$.sequence", "changed by someone else since you read it (now at " + current.sequence() + ")");
            }
        }, edit);
    }

    /** Applies a JSON merge patch (RFC 7396) in canonical field names, the admin API's own wire, to a user. */
    public User patchUser(String tenantId, String id, JsonNode patch) {
        return updateUser(tenantId, id, current -> merge(current, patch, User.class));
    }

    /** The user with its id in NFC, as the writer stores it (see UserWriter), so that it is found as stored. */
    private static User inNfc(User user) {
        String id = Identifiers.nfc(user.id());
        return java.util.Objects.equals(id, user.id()) ? user : user.with().id(id).build();
    }

    /** A user just written, or, when nothing changed, as it is stored. */
    private static User single(List<User> written, String id, TenantWriter w) {
        User user = written.isEmpty() ? w.readUsers(List.of(id)).get(0) : written.get(0);
        return user.withoutSecrets();
    }

    public void deleteUser(String tenantId, String given) {
        String id = Identifiers.lookup(given);
        if (id == null) throw new Failure.NotFound(Failure.Subject.USER, "(not a valid id)");
        boolean deleted = write(tenantId, false, w -> w.deleteUser(id));
        if (!deleted) throw new Failure.NotFound(Failure.Subject.USER, id);
    }

    /** Removes a user when the stored user (with its sequence) passes the precondition, checked inside the write. */
    public void deleteUser(String tenantId, String id, Consumer<User> precondition) {
        write(tenantId, false, w -> {
            User current = w.readUsers(List.of(id)).stream().findFirst().orElseThrow(() -> new Failure.NotFound(Failure.Subject.USER, id));
            precondition.accept(current.withoutSecrets());
            return w.deleteUser(id);
        });
    }

    // ---- apps

    public Optional<TenantApp> app(String appId) {
        return db.read(tx -> Apps.byId(tx, appId));
    }

    public List<App> apps(String tenantId) {
        return db.read(tx -> Apps.all(tx, requireTenant(tx, tenantId)));
    }

    /** The app's secret in clear, for an export with secrets. Never returned to a client. */
    public String secretOf(String appId) {
        Apps.Secret secret = db.read(tx -> Apps.secret(tx, appId)).orElseThrow(() -> new Failure.NotFound(Failure.Subject.APP, appId));
        return secrets.open(appId, secret.sealed());
    }

    public void putApp(String tenantId, App app) {
        write(tenantId, false, w -> {
            w.putApp("$", app);
            return null;
        });
    }

    public void deleteApp(String tenantId, String appId) {
        db.useWrite(tx -> {
            if (!Apps.delete(tx, tenantId, appId)) throw new Failure.NotFound(Failure.Subject.APP, appId);
        });
    }

    private static String requireTenant(Tx tx, String tenantId) {
        if (Tenants.byId(tx, tenantId).isEmpty()) throw new Failure.NotFound(Failure.Subject.TENANT, tenantId);
        return tenantId;
    }

    // ---- JSON merge patch

    /** Applies a JSON merge patch to a record by way of its canonical JSON. */
    public static <T> T merge(T current, JsonNode patch, Class<T> type) {
        if (patch == null || !patch.isObject()) throw new Failure.InvalidInput("$", "a merge patch must be a JSON object");
        ObjectNode target = CanonicalJson.MAPPER.valueToTree(current);
        mergeInto(target, (ObjectNode) patch);
        return CanonicalJson.convert(target, type, "$");
    }

    /** An object with a JSON merge patch (RFC 7396) applied; the target is left as it was. */
    public static ObjectNode mergePatch(ObjectNode target, ObjectNode patch) {
        ObjectNode merged = target.deepCopy();
        mergeInto(merged, patch);
        return merged;
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
}
