package roster.directory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import roster.model.AccessGroup;
import roster.model.Acs;
import roster.model.Department;
import roster.model.Failure;
import roster.model.User;
import roster.store.AccessGroups;
import roster.store.Changes;
import roster.store.Departments;
import roster.store.Users;

/** The department tree and access groups part of a {@link TenantWriter}. */
final class DepartmentWriter {

    private final TenantWriter w;

    DepartmentWriter(TenantWriter w) {
        this.w = w;
    }

    Department putDepartment(String path, Department d) {
        Validation.department(path, d);
        Optional<Department> existing = Departments.byId(w.tx, w.tenantId, d.id());
        long num;
        if (existing.isPresent()) {
            long existingNum = existing.get().num();
            if (d.num() != null && d.num() != existingNum) {
                throw new Failure.Conflict(path + ".num", "a department's num never changes (it is " + existingNum + ")");
            }
            num = existingNum;
        } else if (d.num() != null) {
            if (Departments.numTaken(w.tx, w.tenantId, d.num())) throw new Failure.Conflict(path + ".num", "num " + d.num() + " belongs to another department");
            num = d.num();
        } else {
            num = w.assignDepartmentNum();
        }
        w.nextDeptNum = TenantWriter.after(w.nextDeptNum, num);
        Department stored = new Department(d.id(), num, d.name(), d.parent());
        Departments.upsert(w.tx, w.tenantId, stored);
        w.defined(d.id());
        if (w.writtenDepartments.put(d.id(), path) != null) throw new Failure.Conflict(path + ".id", "department " + d.id() + " is listed twice");
        if (d.parent() != null) w.requireDepartment(d.parent(), path + ".parent");
        if (existing.isPresent() && !Objects.equals(existing.get().parent(), d.parent())) touchMembersBelow(d.id());
        return stored;
    }

    /**
     * A department moved: every user in it or below it now belongs to other org subtrees, which is a change to
     * each of them. Each gets a new sequence number (and a change-feed entry), so a bizapi client syncing the new
     * org by lastSequence finds the users that moved in. Their content is unchanged.
     */
    private void touchMembersBelow(String departmentId) {
        List<String> members = Departments.membersBelow(w.tx, w.tenantId, departmentId);
        if (members.isEmpty()) return;
        Map<String, Long> nums = Users.nums(w.tx, w.tenantId, members);
        Map<String, Long> seqs = new LinkedHashMap<>();
        List<Changes.Row> changes = new ArrayList<>();
        long now = w.clock.millis();
        for (String id : members) {
            long seq = w.nextSequence();
            seqs.put(id, seq);
            changes.add(new Changes.Row(seq, id, nums.get(id), false, now, w.actor, w.actor == null ? null : "moved:" + departmentId));
        }
        w.users().moved.addAll(members);
        Users.resequence(w.tx, w.tenantId, seqs);
        Changes.record(w.tx, w.tenantId, changes);
    }

    /** Removes a department that has no sub-departments and no members, and that no admin_of or visible_to names. */
    void deleteDepartment(String id) {
        if (!w.departments.contains(id)) throw new Failure.NotFound(Failure.Subject.DEPARTMENT, id);
        if (Departments.hasChildren(w.tx, w.tenantId, id)) throw new Failure.Conflict("$", "department " + id + " has sub-departments");
        if (Departments.hasMembers(w.tx, w.tenantId, id)) throw new Failure.Conflict("$", "department " + id + " has members");
        w.checkNoReferrers(id);
        Departments.delete(w.tx, w.tenantId, id);
        w.departments.remove(id);
    }

    void putAccessGroup(String path, AccessGroup g) {
        Validation.accessGroup(path, g);
        AccessGroups.upsert(w.tx, w.tenantId, g);
        w.definedGroup(g.id());
    }

    /** Removes an access group; its members leave it, which is a change to each of them. */
    void deleteAccessGroup(String id) {
        if (!w.groups.contains(id)) throw new Failure.NotFound(Failure.Subject.ACCESS_GROUP, id);
        List<UserWriter.Located> changed = new ArrayList<>();
        for (User u : w.readUsers(AccessGroups.members(w.tx, w.tenantId, id))) {
            List<String> remaining = new ArrayList<>(u.acs().groups());
            remaining.remove(id);
            changed.add(new UserWriter.Located("$", u.with().acs(new Acs(remaining, u.acs().card(), u.acs().face())).build()));
        }
        w.putUsers(changed);
        AccessGroups.delete(w.tx, w.tenantId, id);
        w.groups.remove(id);
    }
}
