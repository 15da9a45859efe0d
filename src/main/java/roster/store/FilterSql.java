package roster.store;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import roster.model.Attribute;
import roster.model.UserFilter;

/**
 * Compiles the core's neutral {@link UserFilter} into a WHERE clause on the users table u: the one query engine
 * behind every front end. Comparisons on nullable columns carry an IS NOT NULL guard, so that every condition is
 * two-valued and NOT is the plain complement (SQL's NULL would otherwise drop the row from both sides).
 */
final class FilterSql {

    private static final Map<Attribute, String> COLUMNS = Map.ofEntries(
            Map.entry(Attribute.ID, "u.id"), Map.entry(Attribute.NUM, "u.num"), Map.entry(Attribute.SEQUENCE, "u.seq"),
            Map.entry(Attribute.USERNAME, "u.username"), Map.entry(Attribute.NAME, "u.name"),
            Map.entry(Attribute.NICKNAME, "u.nickname"), Map.entry(Attribute.EMAIL, "u.email"),
            Map.entry(Attribute.PHONE, "u.phone"), Map.entry(Attribute.PHONE_COUNTRY_CODE, "u.phone_country_code"),
            Map.entry(Attribute.EXTERNAL_ID, "u.external_id"), Map.entry(Attribute.AVATAR, "u.avatar"),
            Map.entry(Attribute.COUNTRY, "u.country"), Map.entry(Attribute.PROVINCE, "u.province"),
            Map.entry(Attribute.CITY, "u.city"), Map.entry(Attribute.ADDRESS, "u.address"),
            Map.entry(Attribute.STREET_ADDRESS, "u.street_address"), Map.entry(Attribute.POSTAL_CODE, "u.postal_code"),
            Map.entry(Attribute.STATUS, "u.status"), Map.entry(Attribute.GENDER, "u.gender"),
            Map.entry(Attribute.CREATED_AT, "u.created_at"), Map.entry(Attribute.UPDATED_AT, "u.updated_at"),
            Map.entry(Attribute.STATUS_CHANGED_AT, "u.status_changed_at"), Map.entry(Attribute.ACS_CARD, "u.acs_card"),
            Map.entry(Attribute.ACS_FACE, "u.face_type"));

    private static final Set<Attribute> NOT_NULL = EnumSet.of(Attribute.ID, Attribute.NUM, Attribute.SEQUENCE,
            Attribute.STATUS, Attribute.GENDER, Attribute.CREATED_AT, Attribute.UPDATED_AT, Attribute.STATUS_CHANGED_AT);

    private final Sql sql;
    private final Tx tx;
    private final String tenantId;
    private final Predicate<UserFilter> wide;
    private int subtrees;

    private FilterSql(Sql sql, Tx tx, String tenantId, Predicate<UserFilter> wide) {
        this.sql = sql;
        this.tx = tx;
        this.tenantId = tenantId;
        this.wide = wide;
    }

    static String column(Attribute attribute) {
        return COLUMNS.get(attribute);
    }

    /**
     * The users of the tenant that the filter selects. Membership conditions in wide are tested row by row
     * (EXISTS); the others gather their members first (see UserQueries for when each is cheaper).
     */
    static Sql where(Tx tx, String tenantId, UserFilter filter, Predicate<UserFilter> wide) {
        Sql sql = new Sql().where("u.tenant_id = ?", tenantId);
        FilterSql compiler = new FilterSql(sql, tx, tenantId, wide);
        List<UserFilter> conjuncts = filter instanceof UserFilter.And and ? and.all() : List.of(filter);
        for (UserFilter part : conjuncts) {
            if (part instanceof UserFilter.All) continue;
            List<Object> args = new ArrayList<>();
            String condition = compiler.condition(part, args);
            sql.where(condition);
            sql.whereArgs(args);
        }
        return sql;
    }

    private String condition(UserFilter f, List<Object> args) {
        if (f instanceof UserFilter.All) return "1 = 1";
        if (f instanceof UserFilter.And and) return joined(and.all(), " AND ", "1 = 1", args);
        if (f instanceof UserFilter.Or or) return joined(or.any(), " OR ", "1 = 0", args);
        if (f instanceof UserFilter.Not not) return "NOT (" + condition(not.filter(), args) + ")";
        if (f instanceof UserFilter.Equals eq) {
            String c = column(eq.attribute());
            if (eq.ignoreCase() && eq.value() instanceof String text) {
                args.add(text.toLowerCase(Locale.ROOT));
                return guarded(eq.attribute(), "LOWER(" + c + ") = ?");
            }
            args.add(eq.value());
            return guarded(eq.attribute(), c + " = ?");
        }
        if (f instanceof UserFilter.In in) {
            if (in.values().isEmpty()) return "1 = 0";
            args.addAll(in.values());
            return guarded(in.attribute(), column(in.attribute()) + " IN (" + Sql.placeholders(in.values().size()) + ")");
        }
        if (f instanceof UserFilter.Present p) return NOT_NULL.contains(p.attribute()) ? "1 = 1" : column(p.attribute()) + " IS NOT NULL";
        if (f instanceof UserFilter.Substring s) return substring(s, args);
        if (f instanceof UserFilter.Compare cmp) {
            String op = switch (cmp.comparison()) {
                case GREATER -> " > ?";
                case GREATER_OR_EQUAL -> " >= ?";
                case LESS -> " < ?";
                case LESS_OR_EQUAL -> " <= ?";
            };
            args.add(cmp.value());
            String condition = column(cmp.attribute()) + op;
            // an updated-at window is read through its index (the changes since a sync are few), where SQLite,
            // which cannot tell how much of a tenant a range holds, would walk the tenant in num order
            if (cmp.attribute() == Attribute.UPDATED_AT && tx.kind == Database.Kind.SQLITE) condition = "likelihood(" + condition + ", 0.001)";
            return guarded(cmp.attribute(), condition);
        }
        if (f instanceof UserFilter.InDepartments d) return inDepartments(d, args);
        if (f instanceof UserFilter.InAccessGroup g) {
            if (wide.test(g)) {
                args.add(g.group());
                return "EXISTS (SELECT 1 FROM user_groups g WHERE g.tenant_id = u.tenant_id AND g.user_id = u.id AND g.group_id = ?)";
            }
            args.add(tenantId);
            args.add(g.group());
            return "u.id IN (SELECT g.user_id FROM user_groups g WHERE g.tenant_id = ? AND g.group_id = ?)";
        }
        if (f instanceof UserFilter.InAnyAccessGroup) return "u.acs_member = 1";
        if (f instanceof UserFilter.InAnyDepartment) {
            return "EXISTS (SELECT 1 FROM user_departments ud WHERE ud.tenant_id = u.tenant_id AND ud.user_id = u.id)";
        }
        throw new IllegalStateException("unknown filter " + f.getClass().getSimpleName());
    }

    private String joined(List<UserFilter> parts, String operator, String empty, List<Object> args) {
        if (parts.isEmpty()) return empty;
        List<String> each = new ArrayList<>();
        for (UserFilter part : parts) each.add(condition(part, args));
        return "(" + String.join(operator, each) + ")";
    }

    private static String guarded(Attribute attribute, String condition) {
        return NOT_NULL.contains(attribute) ? condition : "(" + column(attribute) + " IS NOT NULL AND " + condition + ")";
    }

    /**
     * LIKE with its own characters escaped by '!' (a backslash would trip Jdbi's SQL lexer). Case-blind matching
     * lowers both sides; exact matching is LIKE on PostgreSQL and GLOB on SQLite, whose LIKE ignores ASCII case.
     */
    private String substring(UserFilter.Substring s, List<Object> args) {
        String c = column(s.attribute());
        boolean glob = !s.ignoreCase() && tx.kind == Database.Kind.SQLITE;
        String any = glob ? "*" : "%";
        // initial*middle*…*final, as LDAP writes it: contains("x") is %x%
        StringBuilder pattern = new StringBuilder(s.prefix() == null ? "" : escape(s.prefix(), glob)).append(any);
        for (String part : s.middle()) pattern.append(escape(part, glob)).append(any);
        if (s.suffix() != null) pattern.append(escape(s.suffix(), glob));
        String text = s.ignoreCase() ? pattern.toString().toLowerCase(Locale.ROOT) : pattern.toString();
        args.add(text);
        if (glob) return guarded(s.attribute(), c + " GLOB ?");
        return guarded(s.attribute(), (s.ignoreCase() ? "LOWER(" + c + ")" : c) + " LIKE ? ESCAPE '!'");
    }

    private static String escape(String text, boolean glob) {
        if (glob) return text.replace("[", "[[]").replace("*", "[*]").replace("?", "[?]");
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    /** Members of the departments and of every department below them. */
    private String inDepartments(UserFilter.InDepartments d, List<Object> args) {
        if (d.departments().isEmpty()) return "1 = 0";
        String name = "sub" + subtrees++;
        sql.cte(Departments.subtree(name, d.departments().size()), Departments.subtreeArgs(tenantId, d.departments()));
        if (wide.test(d)) {
            // SQLite would probe the (tenant, dept) index once per department of the subtree for every row; the
            // unary + keeps it on the primary key (tenant, user, dept), one probe per row (40 µs a row less at 100k)
            String dept = tx.kind == Database.Kind.SQLITE ? "+ud.dept_id" : "ud.dept_id";
            return "EXISTS (SELECT 1 FROM user_departments ud WHERE ud.tenant_id = u.tenant_id AND ud.user_id = u.id "
                    + "AND " + dept + " IN (SELECT id FROM " + name + "))";
        }
        args.add(tenantId);
        return "u.id IN (SELECT ud.user_id FROM user_departments ud WHERE ud.tenant_id = ? AND ud.dept_id IN (SELECT id FROM " + name + "))";
    }
}
