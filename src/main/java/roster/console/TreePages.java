package roster.console;

import static roster.console.Console.BASE;
import static roster.console.Console.field;
import static roster.console.Console.form;
import static roster.console.Console.reason;
import static roster.console.Console.redirect;
import static roster.console.Console.text;
import static roster.console.Console.trimmed;
import static roster.console.Console.url;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import roster.model.AccessGroup;
import roster.model.Department;
import roster.model.Failure;

/** The department tree (create, rename, move under another parent, users below each) and the access groups. */
final class TreePages {

    private final Console console;

    TreePages(Console console) {
        this.console = console;
    }

    void register(Javalin app, String tenant) {
        Console.page(app, tenant + "/departments", ctx -> departmentsPage(ctx, 200, Map.of(), null));
        app.post(tenant + "/departments", this::createDepartment);
        app.post(tenant + "/departments/{id}", this::saveDepartment);
        Console.page(app, tenant + "/access-groups", ctx -> groupsPage(ctx, 200, Map.of(), null));
        app.post(tenant + "/access-groups", this::saveGroup);
    }

    // ---- departments

    private void departmentsPage(Context ctx, int status, Map<String, String> errors, String notice) {
        String tenant = console.tenant(ctx);
        List<Department> all = console.services.directory().departments(tenant);
        Map<String, Long> direct = console.services.directory().directMemberCounts(tenant);
        Map<String, List<Department>> children = new HashMap<>();
        for (Department d : all) children.computeIfAbsent(d.parent() == null || d.parent().isEmpty() ? "" : d.parent(), k -> new ArrayList<>()).add(d);
        List<Pages.DepartmentRow> rows = new ArrayList<>();
        for (Department root : children.getOrDefault("", List.of())) walk(root, 0, children, direct, rows);
        console.render(ctx, status, "departments.jte", new Pages.Departments(console.frame(ctx, "departments.title", tenant), rows, errors, notice));
    }

    /** Adds a department and its subtree in order; returns the users in it and below (memberships, summed). */
    private static long walk(Department d, int depth, Map<String, List<Department>> children, Map<String, Long> direct, List<Pages.DepartmentRow> rows) {
        int at = rows.size();
        rows.add(null);
        long below = direct.getOrDefault(d.id(), 0L);
        if (depth < 64) for (Department child : children.getOrDefault(d.id(), List.of())) below += walk(child, depth + 1, children, direct, rows);
        rows.set(at, new Pages.DepartmentRow(d, depth, below));
        return below;
    }

    private void createDepartment(Context ctx) {
        String tenant = console.tenant(ctx);
        String id = trimmed(form(ctx, "id"));
        Department d = new Department(id, null, trimmed(form(ctx, "name")), trimmed(form(ctx, "parent")));
        try {
            console.directory(ctx).write(tenant, false, w -> {
                if (id != null && w.hasDepartment(id)) throw new Failure.Conflict("$.id", "department " + id + " exists");
                return w.putDepartment("$", d);
            });
        } catch (Failure.InvalidInput | Failure.Conflict e) {
            departmentsPage(ctx, 400, Map.of("new." + field(e), reason(e)), null);
            return;
        }
        redirect(ctx, BASE + "/tenants/" + url(tenant) + "/departments");
    }

    /** Renames a department or moves it under another parent (its users get a change each, as in every API). */
    private void saveDepartment(Context ctx) {
        String tenant = console.tenant(ctx);
        String id = ctx.pathParam("id");
        Department current = console.services.directory().department(tenant, id).orElseThrow(() -> new Failure.NotFound(Failure.Subject.DEPARTMENT, id));
        Department d = new Department(id, current.num(), trimmed(form(ctx, "name")), trimmed(form(ctx, "parent")));
        try {
            console.directory(ctx).write(tenant, false, w -> w.putDepartment("$", d));
        } catch (Failure.InvalidInput | Failure.Conflict e) {
            departmentsPage(ctx, 400, Map.of(id + "." + field(e), reason(e)), null);
            return;
        }
        departmentsPage(ctx, 200, Map.of(), text(ctx).format("departments.saved", id));
    }

    // ---- access groups

    private void groupsPage(Context ctx, int status, Map<String, String> errors, String notice) {
        String tenant = console.tenant(ctx);
        console.render(ctx, status, "groups.jte", new Pages.Groups(console.frame(ctx, "groups.title", tenant), console.services.directory().accessGroups(tenant), errors, notice));
    }

    /** Creates an access group or renames one. */
    private void saveGroup(Context ctx) {
        String tenant = console.tenant(ctx);
        String id = trimmed(form(ctx, "id"));
        AccessGroup group = new AccessGroup(id, trimmed(form(ctx, "name")));
        try {
            console.directory(ctx).write(tenant, false, w -> {
                w.putAccessGroup("$", group);
                return null;
            });
        } catch (Failure.InvalidInput | Failure.Conflict e) {
            groupsPage(ctx, 400, Map.of(field(e), reason(e)), null);
            return;
        }
        groupsPage(ctx, 200, Map.of(), text(ctx).format("groups.saved", id));
    }
}
