package roster.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import roster.auth.Keys;
import roster.auth.Passwords;
import roster.auth.SecretBox;
import roster.store.UserRows;

/**
 * Applies changes to one tenant inside one write transaction. It is the only code that changes users.
 *
 * <p>Opening it locks the tenant's row, and the lock is held until the transaction ends. Every user change
 * takes the next number of the tenant's change sequence while holding that lock, so numbers are handed out
 * in commit order: a reader that has seen number N can never later find a committed change below N. (A number
 * taken from a database sequence before commit would not give this: two writers could commit out of order.)
 *
 * <p>References (departments, access groups) may be named before they are defined, as a streamed fixture
 * may do; whatever is still unknown when {@link #finish()} runs fails the transaction with the JSON path of
 * its first use.
 */
public final class TenantWriter {

    /** Users per block of the user_counts table; see UserQueries. */
    public static final int COUNT_BLOCK_BITS = 12;

    private final Handle h;
    private final String tenantId;
    private final Clock clock;
    private final SecretBox secrets;
    private long lastSeq;
    private long seqAtOpen;
    private long nextUserNum;
    private long nextDeptNum;
    private final Set<String> departments = new HashSet<>();
    private final Set<String> groups = new HashSet<>();
    private final Map<String, String> missingDepartments = new LinkedHashMap<>();
    private final Map<String, String> missingGroups = new LinkedHashMap<>();
    private final Map<String, String> writtenDepartments = new LinkedHashMap<>();
    private final Map<String, String> visibleUsers = new LinkedHashMap<>();
    private final Map<CountKey, Long> countDeltas = new HashMap<>();
    /** Users given a new sequence number only because a department above them moved (see touchMembersBelow). */
    private final Set<String> moved = new HashSet<>();
    private final Summary summary = new Summary();

    private record CountKey(long block, Status status) {}

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

    private TenantWriter(Handle h, String tenantId, Clock clock, SecretBox secrets) {
        this.h = h;
        this.tenantId = tenantId;
        this.clock = clock;
        this.secrets = secrets;
    }

    /** Opens a writer on an existing tenant, or creates the tenant first when create is set. */
    public static TenantWriter open(Handle h, String tenantId, boolean create, Clock clock, SecretBox secrets) {
        if (create) {
            h.createUpdate("INSERT INTO tenants (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")
                    .bind(0, tenantId).bind(1, clock.millis()).execute();
        }
        TenantWriter w = new TenantWriter(h, tenantId, clock, secrets);
        // A no-op update takes the row lock (PostgreSQL) and the write lock is already ours (SQLite).
        boolean found = h.createQuery("UPDATE tenants SET last_seq = last_seq WHERE id = ? "
                        + "RETURNING last_seq, next_user_num, next_dept_num")
                .bind(0, tenantId)
                .map((rs, ctx) -> {
                    w.lastSeq = rs.getLong(1);
                    w.seqAtOpen = w.lastSeq;
                    w.nextUserNum = rs.getLong(2);
                    w.nextDeptNum = rs.getLong(3);
                    return true;
                })
                .findOne().orElse(false);
        if (!found) throw new NotFoundException("tenant", tenantId);
        w.departments.addAll(h.createQuery("SELECT id FROM departments WHERE tenant_id = ?").bind(0, tenantId).mapTo(String.class).list());
        w.groups.addAll(h.createQuery("SELECT id FROM access_groups WHERE tenant_id = ?").bind(0, tenantId).mapTo(String.class).list());
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
        h.createUpdate("UPDATE tenants SET name = ? WHERE id = ?").bind(0, name).bind(1, tenantId).execute();
    }

    // ---- departments and access groups

    public Department putDepartment(String path, Department d) {
        Validation.department(path, d);
        record Row(long num, String parent) {}
        Row existing = h.createQuery("SELECT num, parent_id FROM departments WHERE tenant_id = ? AND id = ?")
                .bind(0, tenantId).bind(1, d.id()).map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2))).findOne().orElse(null);
        Long existingNum = existing == null ? null : existing.num();
        long num;
        if (existingNum != null) {
            if (d.num() != null && !d.num().equals(existingNum)) {
                throw new ConflictException(path + ".num", "a department's num never changes (it is " + existingNum + ")");
            }
            num = existingNum;
        } else if (d.num() != null) {
            boolean taken = h.createQuery("SELECT 1 FROM departments WHERE tenant_id = ? AND num = ?")
                    .bind(0, tenantId).bind(1, d.num()).mapTo(Integer.class).findOne().isPresent();
            if (taken) throw new ConflictException(path + ".num", "num " + d.num() + " belongs to another department");
            num = d.num();
        } else {
            num = nextDeptNum;
        }
        nextDeptNum = Math.max(nextDeptNum, num + 1);
        h.createUpdate("INSERT INTO departments (tenant_id, id, num, name, parent_id) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id")
                .bind(0, tenantId).bind(1, d.id()).bind(2, num).bind(3, d.name()).bind(4, d.parent()).execute();
        departments.add(d.id());
        missingDepartments.remove(d.id());
        if (writtenDepartments.put(d.id(), path) != null) throw new ConflictException(path + ".id", "department " + d.id() + " is listed twice");
        if (d.parent() != null) requireDepartment(d.parent(), path + ".parent");
        if (existing != null && !Objects.equals(existing.parent(), d.parent())) touchMembersBelow(d.id());
        return new Department(d.id(), num, d.name(), d.parent());
    }

    /**
     * A department moved: every user in it or below it now belongs to other org subtrees, which is a change
     * to each of them. Each gets a new sequence number (and a change-feed entry), so a bizapi client syncing
     * the new org by lastSequence finds the users that moved in. Their content is unchanged.
     */
    private void touchMembersBelow(String departmentId) {
        List<String> members = h.createQuery("WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT d.id FROM departments d "
                        + "JOIN sub s ON d.parent_id = s.id WHERE d.tenant_id = ?) "
                        + "SELECT DISTINCT user_id FROM user_departments WHERE tenant_id = ? AND dept_id IN (SELECT id FROM sub)")
                .bind(0, departmentId).bind(1, tenantId).bind(2, tenantId).mapTo(String.class).list();
        if (members.isEmpty()) return;
        Map<String, Long> nums = new HashMap<>();
        for (int from = 0; from < members.size(); from += 1000) {
            h.createQuery("SELECT id, num FROM users WHERE tenant_id = :t AND id IN (<ids>)").bind("t", tenantId)
                    .bindList("ids", members.subList(from, Math.min(members.size(), from + 1000)))
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> nums.put(e.getKey(), e.getValue()));
        }
        long now = clock.millis();
        PreparedBatch users = h.prepareBatch("UPDATE users SET seq = ? WHERE tenant_id = ? AND id = ?");
        PreparedBatch changes = h.prepareBatch("INSERT INTO user_changes (tenant_id, seq, user_id, user_num, deleted, changed_at) VALUES (?, ?, ?, ?, ?, ?)");
        moved.addAll(members);
        for (String id : members) {
            long seq = ++lastSeq;
            users.add(seq, tenantId, id);
            changes.add(tenantId, seq, id, nums.get(id), 0, now);
        }
        users.execute();
        changes.execute();
    }

    /** Removes a department that has no sub-departments and no members. */
    public void deleteDepartment(String id) {
        if (!departments.contains(id)) throw new NotFoundException("department", id);
        boolean hasChildren = h.createQuery("SELECT 1 FROM departments WHERE tenant_id = ? AND parent_id = ? LIMIT 1")
                .bind(0, tenantId).bind(1, id).mapTo(Integer.class).findOne().isPresent();
        if (hasChildren) throw new ConflictException("$", "department " + id + " has sub-departments");
        boolean hasMembers = h.createQuery("SELECT 1 FROM user_departments WHERE tenant_id = ? AND dept_id = ? LIMIT 1")
                .bind(0, tenantId).bind(1, id).mapTo(Integer.class).findOne().isPresent();
        if (hasMembers) throw new ConflictException("$", "department " + id + " has members");
        h.createUpdate("DELETE FROM departments WHERE tenant_id = ? AND id = ?").bind(0, tenantId).bind(1, id).execute();
        departments.remove(id);
    }

    public void putAccessGroup(String path, AccessGroup g) {
        Validation.accessGroup(path, g);
        h.createUpdate("INSERT INTO access_groups (tenant_id, id, name) VALUES (?, ?, ?) "
                        + "ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name")
                .bind(0, tenantId).bind(1, g.id()).bind(2, g.name()).execute();
        groups.add(g.id());
        missingGroups.remove(g.id());
    }

    /** Removes an access group; its members leave it, which is a change to each of them. */
    public void deleteAccessGroup(String id) {
        if (!groups.contains(id)) throw new NotFoundException("access group", id);
        List<String> members = h.createQuery("SELECT user_id FROM user_groups WHERE tenant_id = ? AND group_id = ?")
                .bind(0, tenantId).bind(1, id).mapTo(String.class).list();
        List<Located> changed = new ArrayList<>();
        for (User u : readUsers(members)) {
            List<String> remaining = new ArrayList<>(u.acs().groups());
            remaining.remove(id);
            changed.add(new Located("$", u.with().acs(new Acs(remaining, u.acs().card(), u.acs().face())).build()));
        }
        putUsers(changed);
        h.createUpdate("DELETE FROM access_groups WHERE tenant_id = ? AND id = ?").bind(0, tenantId).bind(1, id).execute();
        groups.remove(id);
    }

    public boolean hasDepartment(String id) {
        return departments.contains(id);
    }

    public boolean hasAccessGroup(String id) {
        return groups.contains(id);
    }

    private void requireDepartment(String id, String path) {
        if (!departments.contains(id)) missingDepartments.putIfAbsent(id, path);
    }

    private void requireGroup(String id, String path) {
        if (!groups.contains(id)) missingGroups.putIfAbsent(id, path);
    }

    // ---- users

    /** A user as given, with the JSON path it came from. */
    public record Located(String path, User user) {}

    private record Existing(long seq, long num, Status status, String contentHash, String passwordHash, Instant createdAt,
                            Instant updatedAt, Instant statusChangedAt) {}

    /** Creates, replaces or deletes (deleted: true) each user; a user whose content did not change is left alone. */
    public List<User> putUsers(List<Located> batch) {
        Map<String, Located> byId = new LinkedHashMap<>();
        for (Located l : batch) {
            Validation.user(l.path(), l.user());
            if (byId.put(l.user().id(), l) != null) throw new ConflictException(l.path() + ".id", "user " + l.user().id() + " is listed twice");
        }
        Map<String, Existing> existing = existing(byId.keySet());
        for (Located l : batch) {
            Existing old = existing.get(l.user().id());
            // written earlier in this same transaction: the document names the user twice (a move of its department
            // renumbers it too, and does not count)
            if (old != null && old.seq() > seqAtOpen && !moved.remove(l.user().id())) throw new ConflictException(l.path() + ".id", "user " + l.user().id() + " is listed twice");
        }
        List<Located> upserts = batch.stream().filter(l -> !l.user().isDeletion()).toList();
        checkReferences(upserts);
        checkUnique(upserts, "username", User::username);
        checkUnique(upserts, "email", User::email);
        Map<Long, String> numOwners = numOwners(upserts);

        List<UserRows.Stored> rows = new ArrayList<>();
        List<String> deletions = new ArrayList<>();
        List<User> written = new ArrayList<>();
        PreparedBatch changes = h.prepareBatch("INSERT INTO user_changes (tenant_id, seq, user_id, user_num, deleted, changed_at) VALUES (?, ?, ?, ?, ?, ?)");
        long now = clock.millis();
        for (Located l : batch) {
            User in = l.user();
            Existing old = existing.get(in.id());
            if (in.isDeletion()) {
                if (old == null) continue;
                long seq = ++lastSeq;
                deletions.add(in.id());
                changes.add(tenantId, seq, in.id(), old.num(), 1, now);
                count(old.num(), old.status(), -1);
                summary.deleted++;
                continue;
            }
            User user = settle(l, old, numOwners);
            String hash = contentHash(user);
            if (old != null && old.contentHash().equals(hash) && sameTimes(in, old)) {
                summary.unchanged++;
                continue;
            }
            Instant at = Instant.ofEpochMilli(now);
            Instant createdAt = in.createdAt() != null ? in.createdAt() : old != null ? old.createdAt() : at;
            Instant statusChangedAt = in.statusChangedAt() != null ? in.statusChangedAt()
                    : old == null ? createdAt : old.status() != user.status() ? at : old.statusChangedAt();
            long seq = ++lastSeq;
            user = user.with().createdAt(createdAt).updatedAt(in.updatedAt() != null ? in.updatedAt() : at)
                    .statusChangedAt(statusChangedAt).sequence(seq).password(null).build();
            rows.add(new UserRows.Stored(user, seq, hash));
            changes.add(tenantId, seq, user.id(), user.num(), 0, now);
            if (old != null) count(old.num(), old.status(), -1);
            count(user.num(), user.status(), +1);
            if (old == null) summary.created++; else summary.updated++;
            written.add(user);
        }
        UserRows.delete(h, tenantId, deletions);
        UserRows.upsert(h, tenantId, rows, existing.keySet());
        if (changes.size() > 0) changes.execute();
        return written;
    }

    /** Deletes one user; false when there was none. */
    public boolean deleteUser(String id) {
        long before = summary.deleted;
        putUsers(List.of(new Located("$", User.deletion(id))));
        return summary.deleted > before;
    }

    /** The stored users of these ids, with everything needed to write them back unchanged. */
    public List<User> readUsers(java.util.Collection<String> ids) {
        if (ids.isEmpty()) return List.of();
        List<User> rows = h.createQuery("SELECT " + UserRows.COLUMNS + " FROM users u WHERE u.tenant_id = :t AND u.id IN (<ids>)")
                .bind("t", tenantId).bindList("ids", List.copyOf(ids)).map((rs, ctx) -> UserRows.map(rs)).list();
        return UserRows.read(h, tenantId, rows, UserRows.Detail.SECRETS);
    }

    /** The user as it will be stored: num settled, lists normalised, the password hashed (or the hash kept). */
    private User settle(Located l, Existing old, Map<Long, String> numOwners) {
        User in = l.user();
        long num;
        if (old != null) {
            if (in.num() != null && in.num() != old.num()) {
                throw new ConflictException(l.path() + ".num", "a user's num never changes (it is " + old.num() + ")");
            }
            num = old.num();
        } else if (in.num() != null) {
            String owner = numOwners.get(in.num());
            if (owner != null && !owner.equals(in.id())) {
                throw new ConflictException(l.path() + ".num", "num " + in.num() + " belongs to user " + owner);
            }
            num = in.num();
        } else {
            num = nextUserNum;
        }
        nextUserNum = Math.max(nextUserNum, num + 1);
        String passwordHash = in.passwordHash();
        if (in.password() != null) {
            passwordHash = old != null && Passwords.verify(in.password(), old.passwordHash()) ? old.passwordHash() : Passwords.hash(in.password());
        } else if (passwordHash == null && old != null) {
            passwordHash = old.passwordHash(); // write-only: leaving it out keeps it
        }
        Acs acs = in.acs();
        return in.with()
                .num(num)
                .status(in.status())
                .gender(in.gender())
                .emailVerified(in.hasVerifiedEmail())
                .phoneVerified(in.hasVerifiedPhone())
                .departments(sorted(in.departments()))
                .acs(new Acs(sorted(acs.groups()), acs.card(), acs.face()))
                .password(null)
                .passwordHash(passwordHash)
                .build();
    }

    private static boolean sameTimes(User in, Existing old) {
        return (in.createdAt() == null || in.createdAt().equals(old.createdAt()))
                && (in.updatedAt() == null || in.updatedAt().equals(old.updatedAt()))
                && (in.statusChangedAt() == null || in.statusChangedAt().equals(old.statusChangedAt()));
    }

    private static List<String> sorted(List<String> values) {
        return List.copyOf(new TreeSet<>(values));
    }

    /** A digest of everything a user holds but its times, so that a load of an unchanged user writes nothing. */
    static String contentHash(User settled) {
        Face face = settled.acs().face();
        User content = settled.with()
                .createdAt(null).updatedAt(null).statusChangedAt(null).sequence(null)
                .acs(new Acs(settled.acs().groups(), settled.acs().card(),
                        face == null ? null : new Face(face.type(), Keys.sha256(face.data()))))
                .build();
        try {
            byte[] json = CanonicalJson.MAPPER.writeValueAsBytes(content);
            return Base64.getEncoder().withoutPadding().encodeToString(Keys.sha256(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Existing> existing(Set<String> ids) {
        Map<String, Existing> out = new HashMap<>();
        if (ids.isEmpty()) return out;
        h.createQuery("SELECT id, seq, num, status, content_hash, password_hash, created_at, updated_at, status_changed_at "
                        + "FROM users WHERE tenant_id = :t AND id IN (<ids>)")
                .bind("t", tenantId).bindList("ids", List.copyOf(ids))
                .map((rs, ctx) -> Map.entry(rs.getString(1), new Existing(rs.getLong(2), rs.getLong(3),
                        Status.fromWire(rs.getString(4)), rs.getString(5), rs.getString(6),
                        Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)),
                        Instant.ofEpochMilli(rs.getLong(9)))))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private void checkReferences(List<Located> users) {
        for (Located l : users) {
            User u = l.user();
            for (int i = 0; i < u.departments().size(); i++) requireDepartment(u.departments().get(i), l.path() + ".departments[" + i + "]");
            for (int i = 0; i < u.acs().groups().size(); i++) requireGroup(u.acs().groups().get(i), l.path() + ".acs.groups[" + i + "]");
            if (!u.administersWholeTenant()) {
                for (int i = 0; i < u.adminOf().size(); i++) requireDepartment(u.adminOf().get(i), l.path() + ".admin_of[" + i + "]");
            }
        }
    }

    /** A username or email may belong to one user of the tenant; users of this batch may also hand theirs on. */
    private void checkUnique(List<Located> users, String field, java.util.function.Function<User, String> value) {
        Map<String, Located> claimed = new LinkedHashMap<>();
        for (Located l : users) {
            String v = value.apply(l.user());
            if (v == null) continue;
            Located other = claimed.put(v, l);
            if (other != null) throw new ConflictException(l.path() + "." + field, field + " " + v + " is also given to user " + other.user().id());
        }
        if (claimed.isEmpty()) return;
        Set<String> inBatch = new HashSet<>();
        users.forEach(l -> inBatch.add(l.user().id()));
        h.createQuery("SELECT id, " + field + " FROM users WHERE tenant_id = :t AND " + field + " IN (<values>)")
                .bind("t", tenantId).bindList("values", List.copyOf(claimed.keySet()))
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(holder -> {
                    Located claimant = claimed.get(holder.getValue());
                    if (!holder.getKey().equals(claimant.user().id()) && !inBatch.contains(holder.getKey())) {
                        throw new ConflictException(claimant.path() + "." + field,
                                field + " " + holder.getValue() + " belongs to user " + holder.getKey());
                    }
                });
    }

    private Map<Long, String> numOwners(List<Located> users) {
        List<Long> nums = users.stream().map(l -> l.user().num()).filter(Objects::nonNull).toList();
        Map<Long, String> owners = new HashMap<>();
        if (nums.isEmpty()) return owners;
        h.createQuery("SELECT num, id FROM users WHERE tenant_id = :t AND num IN (<nums>)")
                .bind("t", tenantId).bindList("nums", nums)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
                .forEach(e -> owners.put(e.getKey(), e.getValue()));
        Map<Long, String> inBatch = new HashMap<>();
        for (Located l : users) {
            Long num = l.user().num();
            if (num == null) continue;
            String other = inBatch.put(num, l.user().id());
            if (other != null && !other.equals(l.user().id())) {
                throw new ConflictException(l.path() + ".num", "num " + num + " is also given to user " + other);
            }
        }
        return owners;
    }

    private void count(long num, Status status, long delta) {
        countDeltas.merge(new CountKey(num >> COUNT_BLOCK_BITS, status), delta, Long::sum);
    }

    // ---- apps

    /** Creates or replaces an app of this tenant; a secret left out keeps the stored one. */
    public void putApp(String path, App app) {
        record Row(String tenantId, String sealed, int version) {}
        Row old = h.createQuery("SELECT tenant_id, secret_sealed, secret_version FROM apps WHERE id = ?").bind(0, app.id())
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getInt(3))).findOne().orElse(null);
        Validation.app(path, app, old == null);
        if (old != null && !old.tenantId().equals(tenantId)) {
            throw new ConflictException(path + ".id", "app " + app.id() + " belongs to another tenant");
        }
        String sealed;
        int version;
        if (app.secret() == null) {
            sealed = old.sealed();
            version = old.version();
        } else if (old != null && Keys.constantTimeEquals(secrets.open(app.id(), old.sealed()), app.secret())) {
            sealed = old.sealed();
            version = old.version();
        } else {
            sealed = secrets.seal(app.id(), app.secret());
            version = old == null ? 1 : old.version() + 1; // a new secret revokes the tokens of the old one
        }
        VisibleTo visible = app.visibleTo();
        for (int i = 0; i < visible.departments().size(); i++) requireDepartment(visible.departments().get(i), path + ".visible_to.departments[" + i + "]");
        for (int i = 0; i < visible.users().size(); i++) visibleUsers.putIfAbsent(visible.users().get(i), path + ".visible_to.users[" + i + "]");
        long now = clock.millis();
        h.createUpdate("INSERT INTO apps (id, tenant_id, name, secret_sealed, secret_version, scopes, vendor, visible_to, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                        + "secret_sealed = excluded.secret_sealed, secret_version = excluded.secret_version, "
                        + "scopes = excluded.scopes, vendor = excluded.vendor, visible_to = excluded.visible_to, "
                        + "updated_at = excluded.updated_at")
                .bind(0, app.id()).bind(1, tenantId).bind(2, app.name()).bind(3, sealed).bind(4, version)
                .bind(5, json(app.scopes())).bind(6, app.vendor()).bind(7, json(visible)).bind(8, now).bind(9, now)
                .execute();
    }

    private static String json(Object value) {
        try {
            return CanonicalJson.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the end of the transaction

    /** Checks what can only be checked once everything is written, then stores the tenant's counters. */
    public Summary finish() {
        if (!missingDepartments.isEmpty()) {
            var first = missingDepartments.entrySet().iterator().next();
            throw new InvalidInputException(first.getValue(), "unknown department \"" + first.getKey() + "\"");
        }
        if (!missingGroups.isEmpty()) {
            var first = missingGroups.entrySet().iterator().next();
            throw new InvalidInputException(first.getValue(), "unknown access group \"" + first.getKey() + "\"");
        }
        checkVisibleUsers();
        if (!writtenDepartments.isEmpty()) checkTree();
        PreparedBatch counts = h.prepareBatch("INSERT INTO user_counts (tenant_id, block, status, n) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (tenant_id, block, status) DO UPDATE SET n = user_counts.n + excluded.n");
        countDeltas.forEach((key, delta) -> {
            if (delta != 0) counts.add(tenantId, key.block(), key.status().wire(), delta);
        });
        if (counts.size() > 0) counts.execute();
        countDeltas.clear();
        h.createUpdate("UPDATE tenants SET last_seq = ?, next_user_num = ?, next_dept_num = ? WHERE id = ?")
                .bind(0, lastSeq).bind(1, nextUserNum).bind(2, nextDeptNum).bind(3, tenantId).execute();
        return summary;
    }

    private void checkVisibleUsers() {
        if (visibleUsers.isEmpty()) return;
        Set<String> found = new HashSet<>(h.createQuery("SELECT id FROM users WHERE tenant_id = :t AND id IN (<ids>)")
                .bind("t", tenantId).bindList("ids", List.copyOf(visibleUsers.keySet())).mapTo(String.class).list());
        for (var e : visibleUsers.entrySet()) {
            if (!found.contains(e.getKey())) throw new InvalidInputException(e.getValue(), "unknown user \"" + e.getKey() + "\"");
        }
    }

    /** Every department written here must reach a root without meeting itself again. */
    private void checkTree() {
        Map<String, String> parents = new HashMap<>();
        h.createQuery("SELECT id, parent_id FROM departments WHERE tenant_id = ?").bind(0, tenantId)
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                .forEach(row -> parents.put(row[0], row[1]));
        for (var e : writtenDepartments.entrySet()) {
            Set<String> seen = new LinkedHashSet<>();
            for (String at = e.getKey(); at != null; at = parents.get(at)) {
                if (!seen.add(at)) throw new InvalidInputException(e.getValue() + ".parent", "makes a cycle: " + String.join(" -> ", seen) + " -> " + at);
            }
        }
    }
}
