package roster.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Which users of a tenant: a condition tree in the core's own words, the one filter every front end translates
 * its wire into (Authing's advancedFilter, the admin API's parameters, SCIM and LDAP filters) and that store/
 * compiles to SQL in one place. Conditions are two-valued: a comparison on an absent attribute is false, so
 * {@code not(eq(EMAIL, x))} holds for a user without an email, as LDAP and SCIM expect.
 *
 * <p>Values: text as String, numbers as Long, times as epoch milliseconds (Long), status and gender as their
 * canonical wire words.
 */
public sealed interface UserFilter {

    /** Every user of the tenant. */
    record All() implements UserFilter {}

    record And(List<UserFilter> all) implements UserFilter {
        public And { all = List.copyOf(all); }
    }

    record Or(List<UserFilter> any) implements UserFilter {
        public Or { any = List.copyOf(any); }
    }

    record Not(UserFilter filter) implements UserFilter {}

    /** The attribute equals the value; ignoreCase compares text without regard to case. */
    record Equals(Attribute attribute, Object value, boolean ignoreCase) implements UserFilter {}

    /** The attribute equals one of the values (exactly). */
    record In(Attribute attribute, List<Object> values) implements UserFilter {
        public In { values = List.copyOf(values); }
    }

    /** The attribute has a value. */
    record Present(Attribute attribute) implements UserFilter {}

    /** Text that starts with prefix, holds each of the middle parts in order, and ends with suffix (each may be absent). */
    record Substring(Attribute attribute, String prefix, List<String> middle, String suffix, boolean ignoreCase) implements UserFilter {
        public Substring { middle = List.copyOf(middle); }
    }

    enum Comparison { GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL }

    /** An ordering comparison of the attribute with the value. */
    record Compare(Attribute attribute, Comparison comparison, Object value) implements UserFilter {}

    /** A member of one of the departments or of any department below them. */
    record InDepartments(List<String> departments) implements UserFilter {
        public InDepartments { departments = List.copyOf(departments); }
    }

    /** A member of at least one department. */
    record InAnyDepartment() implements UserFilter {}

    /** A member of the access group. */
    record InAccessGroup(String group) implements UserFilter {}

    /** A member of at least one access group. */
    record InAnyAccessGroup() implements UserFilter {}

    // ---- builders, so that a translation reads like the condition it makes

    UserFilter ALL = new All();

    static UserFilter and(UserFilter... filters) {
        List<UserFilter> parts = new ArrayList<>();
        for (UserFilter f : filters) {
            if (f instanceof All) continue;
            if (f instanceof And a) parts.addAll(a.all()); else parts.add(f);
        }
        return parts.isEmpty() ? ALL : parts.size() == 1 ? parts.get(0) : new And(parts);
    }

    static UserFilter and(List<UserFilter> filters) {
        return and(filters.toArray(UserFilter[]::new));
    }

    static UserFilter or(List<UserFilter> filters) {
        return filters.size() == 1 ? filters.get(0) : new Or(filters);
    }

    static UserFilter not(UserFilter filter) {
        return new Not(filter);
    }

    static UserFilter eq(Attribute attribute, Object value) {
        return new Equals(attribute, value, false);
    }

    static UserFilter in(Attribute attribute, List<?> values) {
        return new In(attribute, List.copyOf(values));
    }

    static UserFilter contains(Attribute attribute, String text) {
        return new Substring(attribute, null, List.of(text), null, true);
    }

    static UserFilter compare(Attribute attribute, Comparison comparison, Object value) {
        return new Compare(attribute, comparison, value);
    }

    static UserFilter status(Status status) {
        return eq(Attribute.STATUS, status.wire());
    }

    /** The users an app may see: everyone, or its departments' members (with their subtrees) and its named users. */
    static UserFilter visibleTo(VisibleTo visible) {
        if (visible.all()) return ALL;
        List<UserFilter> any = new ArrayList<>();
        if (!visible.departments().isEmpty()) any.add(new InDepartments(visible.departments()));
        if (!visible.users().isEmpty()) any.add(in(Attribute.ID, visible.users()));
        return any.isEmpty() ? new Or(List.of()) : or(any);
    }
}
