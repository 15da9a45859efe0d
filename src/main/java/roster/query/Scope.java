package roster.query;

import java.util.List;
import roster.directory.VisibleTo;

/**
 * A set of users: everyone, or the members of some departments (each with its whole subtree) plus some named
 * users. An app's visible_to, an EnOS administrator's admin_of and a bizapi orgId are all scopes.
 */
public record Scope(boolean all, List<String> departments, List<String> users) {

    public static final Scope ALL = new Scope(true, List.of(), List.of());

    public static Scope of(VisibleTo visibleTo) {
        return visibleTo.all() ? ALL : new Scope(false, visibleTo.departments(), visibleTo.users());
    }

    public static Scope departments(List<String> departmentIds) {
        return new Scope(false, List.copyOf(departmentIds), List.of());
    }
}
