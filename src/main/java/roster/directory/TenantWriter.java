package roster.directory;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import roster.crypto.SecretBox;
import roster.model.AccessGroup;
import roster.model.App;
import roster.model.Department;
import roster.model.Failure;
import roster.model.Identifiers;
import roster.model.User;
import roster.model.VisibleTo;
import roster.store.AccessGroups;
import roster.store.Apps;
import roster.store.Counters;
import roster.store.Departments;
import roster.store.Tenants;
import roster.store.Tx;
import roster.store.Users;

/**
 * Applies changes to one tenant inside one write transaction. It is the only way users, departments, access
 * groups and apps are written; {@link UserWriter}, {@link DepartmentWriter} and {@link AppWriter} each do one of
 * those jobs on the state kept here.
 *
 * <p><b>The change sequence.</b> Opening a writer locks the tenant's row, and the lock is held until the
 * transaction ends. Every user change takes the next number of the tenant's sequence ({@link #nextSequence})
 * while holding that lock, so numbers are handed out in commit order: a reader that has seen number N can never
 * later find a committed change below N. (A number taken from a database sequence before commit would not give
 * this: two writers could commit out of order.) The numbers are stored back in {@link #finish()}.
 *
 * <p>References (departments, access groups, users named by an app) may be named before they are defined, as a
 * streamed fixture may do; whatever is still unknown when {@link #finish()} runs fails the transaction with the
 * JSON path of its first use.
 */
public final class TenantWriter {

    final Tx tx;
    final String tenantId;
    final Clock clock;
    /** Who makes these changes (recorded with each, with the fields it changed); null when the write names no one. */
    final String actor;
    private final long seqAtOpen;
    private long lastSeq;
    long nextUserNum;
    long nextDeptNum;
    private long freeUserNumCeiling = Identifiers.MAX_NUM;
    private long freeDeptNumCeiling = Identifiers.MAX_NUM;
    final Set<String> departments = new HashSet<>();
    final Set<String> groups = new HashSet<>();
    private final Map<String, String> missingDepartments = new LinkedHashMap<>();
    private final Map<String, String> missingGroups = new LinkedHashMap<>();
    private final Map<String, String> missingUsers = new LinkedHashMap<>();
    /** Departments written here, by the JSON path they came from; their tree is checked at the end. */
    final Map<String, String> writtenDepartments = new LinkedHashMap<>();
    private final Map<Counters.Key, Long> countDeltas = new HashMap<>();
    private final Summary summary = new Summary();
    private final UserWriter users;
    private final DepartmentWriter tree;
    private final AppWriter apps;

    /** What a write did, for the load report and the admin API. */
    public static final class Summary {
        public long created, updated, deleted, unchanged;

        public void add(Summary other) {
            created += other.created;
            updated += other.updated;
            deleted += other.deleted;
            unchanged += other.unchanged;
        }

        @Override
        public String toString() {
            return created + " created, " + updated + " updated, " + deleted + " deleted, " + unchanged + " unchanged";
        }
    }

    private TenantWriter(Tx tx, String tenantId, Tenants.Sequence sequence, Clock clock, SecretBox secrets, Set<String> scopes, String actor) {
        this.tx = tx;
        this.actor = actor;
        this.tenantId = tenantId;
        this.clock = clock;
        this.seqAtOpen = sequence.lastSeq();
        this.lastSeq = sequence.lastSeq();
        this.nextUserNum = sequence.nextUserNum();
        this.nextDeptNum = sequence.nextDeptNum();
        this.users = new UserWriter(this);
        this.tree = new DepartmentWriter(this);
        this.apps = new AppWriter(this, secrets, scopes);
    }

    /** Opens a writer on an existing tenant, or creates the tenant first when create is set. */
    static TenantWriter open(Tx tx, String tenantId, boolean create, Clock clock, SecretBox secrets, Set<String> scopes, String actor) {
        if (create) Tenants.createIfAbsent(tx, tenantId, clock.millis());
        Tenants.Sequence sequence = Tenants.lock(tx, tenantId).orElseThrow(() -> new Failure.NotFound(Failure.Subject.TENANT, tenantId));
        TenantWriter w = new TenantWriter(tx, tenantId, sequence, clock, secrets, scopes, actor);
        w.departments.addAll(Departments.ids(tx, tenantId));
        w.groups.addAll(AccessGroups.ids(tx, tenantId));
        return w;
    }

    public String tenantId() {
        return tenantId;
    }

    public Summary summary() {
        return summary;
    }

    public void setTenantName(String path, String name) {
        Validation.text(path, name);
        Tenants.rename(tx, tenantId, name);
    }

    // ---- what each part writes

    public Department putDepartment(String path, Department d) {
        return tree.putDepartment(path, d);
    }

    public void deleteDepartment(String id) {
        tree.deleteDepartment(id);
    }

    public void putAccessGroup(String path, AccessGroup g) {
        tree.putAccessGroup(path, g);
    }

    public void deleteAccessGroup(String id) {
        tree.deleteAccessGroup(id);
    }

    public boolean hasDepartment(String id) {
        return departments.contains(id);
    }

    public boolean hasAccessGroup(String id) {
        return groups.contains(id);
    }

    /** The group's version as this transaction sees it (see Directory.accessGroupVersions), if the group exists. */
    public Optional<Long> accessGroupVersion(String id) {
        return AccessGroups.version(tx, tenantId, id);
    }

    /** Creates, replaces or deletes (deleted: true) each user; a user whose content did not change is left alone. */
    public List<User> putUsers(List<UserWriter.Located> batch) {
        return users.put(batch);
    }

    /** Deletes one user; false when there was none. */
    public boolean deleteUser(String id) {
        return users.delete(id);
    }

    /** The stored users of these ids, with everything needed to write them back unchanged. */
    public List<User> readUsers(java.util.Collection<String> ids) {
        return users.read(ids);
    }

    public void putApp(String path, App app) {
        apps.put(path, app);
    }

    // ---- state shared by the parts

    UserWriter users() {
        return users;
    }

    /** The next number of the tenant's change sequence; see the class comment for why this gives commit order. */
    long nextSequence() {
        return ++lastSeq;
    }

    /** Whether a user last changed at seq was written earlier in this same transaction. */
    boolean writtenHere(long seq) {
        return seq > seqAtOpen;
    }

    void count(long num, roster.model.Status status, long delta) {
        countDeltas.merge(Counters.Key.of(num, status), delta, Long::sum);
    }

    /**
     * A user num the server assigns: the tenant's counter, or, once an explicit num at the bound has pushed the
     * counter past it, the largest free num below the last one handed out that way (see Users.freeNumBelow).
     */
    long assignUserNum() {
        if (nextUserNum <= Identifiers.MAX_NUM) return nextUserNum;
        long num = Users.freeNumBelow(tx, tenantId, freeUserNumCeiling)
                .orElseThrow(() -> new Failure.Conflict("$.num", "every num of the tenant is taken"));
        freeUserNumCeiling = num - 1;
        return num;
    }

    long assignDepartmentNum() {
        if (nextDeptNum <= Identifiers.MAX_NUM) return nextDeptNum;
        long num = Departments.freeNumBelow(tx, tenantId, freeDeptNumCeiling)
                .orElseThrow(() -> new Failure.Conflict("$.num", "every department num of the tenant is taken"));
        freeDeptNumCeiling = num - 1;
        return num;
    }

    /** The counter after a num was used: never past the bound + 1, whatever an old row holds. */
    static long after(long counter, long num) {
        return Math.max(counter, Math.min(num, Identifiers.MAX_NUM) + 1);
    }

    /**
     * A department may only go when nothing names it: a user's admin_of or an app's visible_to would otherwise
     * point at nothing (a backup could not be loaded, and a department of that id created later would silently
     * give the rights back). Refused with the referrer named.
     */
    void checkNoReferrers(String departmentId) {
        List<String> admins = Users.administering(tx, tenantId, departmentId, 1);
        if (!admins.isEmpty()) {
            throw new Failure.Conflict("$", "department " + departmentId + " is in the admin_of of user " + admins.get(0));
        }
        for (App app : Apps.all(tx, tenantId)) {
            if (app.visibleTo().departments().contains(departmentId)) {
                throw new Failure.Conflict("$", "department " + departmentId + " is in the visible_to of app " + app.id());
            }
        }
    }

    /** Users deleted: the apps that named them in visible_to no longer do (in the same transaction). */
    void forgetUsers(java.util.Collection<String> userIds) {
        Set<String> gone = new HashSet<>(userIds);
        for (App app : Apps.all(tx, tenantId)) {
            VisibleTo v = app.visibleTo();
            if (v.users().stream().noneMatch(gone::contains)) continue;
            List<String> kept = v.users().stream().filter(u -> !gone.contains(u)).toList();
            Apps.setVisibleTo(tx, tenantId, app.id(), new VisibleTo(v.all(), v.departments(), kept), clock.millis());
        }
    }

    void requireDepartment(String id, String path) {
        if (!departments.contains(id)) missingDepartments.putIfAbsent(id, path);
    }

    void requireGroup(String id, String path) {
        if (!groups.contains(id)) missingGroups.putIfAbsent(id, path);
    }

    void requireUser(String id, String path) {
        missingUsers.putIfAbsent(id, path);
    }

    void defined(String departmentId) {
        departments.add(departmentId);
        missingDepartments.remove(departmentId);
    }

    void definedGroup(String groupId) {
        groups.add(groupId);
        missingGroups.remove(groupId);
    }

    // ---- the end of the transaction

    /** Checks what can only be checked once everything is written, then stores the tenant's counters. */
    public Summary finish() {
        firstMissing(missingDepartments, "department");
        firstMissing(missingGroups, "access group");
        if (!missingUsers.isEmpty()) {
            Set<String> found = new HashSet<>(Users.nums(tx, tenantId, List.copyOf(missingUsers.keySet())).keySet());
            missingUsers.keySet().removeAll(found);
            firstMissing(missingUsers, "user");
        }
        if (!writtenDepartments.isEmpty()) checkTree();
        Counters.add(tx, tenantId, countDeltas);
        countDeltas.clear();
        Tenants.saveSequence(tx, tenantId, new Tenants.Sequence(lastSeq, nextUserNum, nextDeptNum));
        return summary;
    }

    private static void firstMissing(Map<String, String> missing, String what) {
        if (missing.isEmpty()) return;
        var first = missing.entrySet().iterator().next();
        throw new Failure.InvalidInput(first.getValue(), "unknown " + what + " \"" + first.getKey() + "\"");
    }

    /** Every department written here must reach a root without meeting itself again. */
    private void checkTree() {
        Map<String, String> parents = Departments.parents(tx, tenantId);
        for (var e : writtenDepartments.entrySet()) {
            Set<String> seen = new LinkedHashSet<>();
            for (String at = e.getKey(); at != null; at = parents.get(at)) {
                if (!seen.add(at)) throw new Failure.InvalidInput(e.getValue() + ".parent", "makes a cycle: " + String.join(" -> ", seen) + " -> " + at);
            }
        }
    }
}
