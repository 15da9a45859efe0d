package roster.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.util.StaticUtils;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import roster.model.Attribute;
import roster.model.UserFilter;
import roster.model.UserFilter.Comparison;

/**
 * RFC 4515 filters translated into the core's {@link UserFilter}, so users are selected by the same query as every
 * other front end's (never a second engine). Each LDAP attribute maps onto the core's words as its entry shows
 * it (see Entries); an attribute Roster does not serve, or a value that cannot be one of it, matches no user.
 * Approximate match is equality; extensible match is refused.
 */
final class Filters {

    /** Deeper or larger filters are refused: nobody needs them, and they are how a client would tie up the database. */
    static final int MAX_DEPTH = 16;
    static final int MAX_PARTS = 512;

    private static final UserFilter NONE = new UserFilter.Or(List.of());

    private Filters() {}

    /** Refuses what no entry can be tested with (extensible match) and what is too deep or too large. */
    static void check(Filter filter) {
        int[] parts = {0};
        check(filter, 1, parts);
    }

    private static void check(Filter f, int depth, int[] parts) {
        if (depth > MAX_DEPTH) throw new LdapRefusal(ResultCode.ADMIN_LIMIT_EXCEEDED, "filters may nest at most " + MAX_DEPTH + " deep");
        if (++parts[0] > MAX_PARTS) throw new LdapRefusal(ResultCode.ADMIN_LIMIT_EXCEEDED, "filters may have at most " + MAX_PARTS + " parts");
        switch (f.getFilterType()) {
            case Filter.FILTER_TYPE_AND, Filter.FILTER_TYPE_OR -> {
                for (Filter c : f.getComponents()) check(c, depth + 1, parts);
            }
            case Filter.FILTER_TYPE_NOT -> check(f.getNOTComponent(), depth + 1, parts);
            case Filter.FILTER_TYPE_EXTENSIBLE_MATCH -> throw new LdapRefusal(ResultCode.INAPPROPRIATE_MATCHING, "extensible match is not supported");
            default -> { }
        }
    }

    /** The users a filter selects; tenant-independent but for memberOf and departmentNumber, which name ids of it. */
    static UserFilter users(Filter f, String tenant) {
        return switch (f.getFilterType()) {
            case Filter.FILTER_TYPE_AND -> UserFilter.and(Arrays.stream(f.getComponents()).map(c -> users(c, tenant)).toList());
            case Filter.FILTER_TYPE_OR -> new UserFilter.Or(Arrays.stream(f.getComponents()).map(c -> users(c, tenant)).toList());
            case Filter.FILTER_TYPE_NOT -> UserFilter.not(users(f.getNOTComponent(), tenant));
            case Filter.FILTER_TYPE_EQUALITY, Filter.FILTER_TYPE_APPROXIMATE_MATCH -> equality(name(f), f.getAssertionValue(), tenant);
            case Filter.FILTER_TYPE_PRESENCE -> presence(name(f));
            case Filter.FILTER_TYPE_SUBSTRING -> substring(name(f), f.getSubInitialString(), List.of(f.getSubAnyStrings()), f.getSubFinalString());
            case Filter.FILTER_TYPE_GREATER_OR_EQUAL -> ordering(name(f), Comparison.GREATER_OR_EQUAL, f.getAssertionValue());
            case Filter.FILTER_TYPE_LESS_OR_EQUAL -> ordering(name(f), Comparison.LESS_OR_EQUAL, f.getAssertionValue());
            default -> throw new LdapRefusal(ResultCode.INAPPROPRIATE_MATCHING, "extensible match is not supported");
        };
    }

    private static String name(Filter f) {
        String name = f.getAttributeName();
        int semicolon = name.indexOf(';');
        return (semicolon < 0 ? name : name.substring(0, semicolon)).toLowerCase(Locale.ROOT);
    }

    private static UserFilter equality(String attribute, String value, String tenant) {
        return switch (attribute) {
            case "objectclass" -> Entries.USER_CLASSES.stream().anyMatch(value::equalsIgnoreCase) ? UserFilter.ALL : NONE;
            case "uid" -> uid(new UserFilter.Equals(Attribute.USERNAME, value, true), UserFilter.eq(Attribute.ID, value));
            case "cn", "sn", "givenname", "displayname" -> name(new UserFilter.Equals(Attribute.NAME, value, true),
                    uid(new UserFilter.Equals(Attribute.USERNAME, value, true), UserFilter.eq(Attribute.ID, value)));
            case "mail" -> new UserFilter.Equals(Attribute.EMAIL, value, true);
            case "telephonenumber" -> UserFilter.eq(Attribute.PHONE, value);
            case "employeenumber" -> number(value).map(n -> UserFilter.eq(Attribute.NUM, n)).orElse(NONE);
            case "departmentnumber", "ou" -> new UserFilter.InDepartments(List.of(value));
            case "memberof" -> groupOf(value, tenant).<UserFilter>map(UserFilter.InAccessGroup::new).orElse(NONE);
            case "createtimestamp" -> time(value).map(t -> UserFilter.eq(Attribute.CREATED_AT, t)).orElse(NONE);
            case "modifytimestamp" -> time(value).map(t -> UserFilter.eq(Attribute.UPDATED_AT, t)).orElse(NONE);
            default -> NONE;
        };
    }

    private static UserFilter presence(String attribute) {
        return switch (attribute) {
            case "objectclass", "uid", "cn", "sn", "givenname", "displayname", "employeenumber", "entryuuid" -> UserFilter.ALL;
            case "mail" -> new UserFilter.Present(Attribute.EMAIL);
            case "telephonenumber" -> new UserFilter.Present(Attribute.PHONE);
            case "memberof" -> new UserFilter.InAnyAccessGroup();
            case "departmentnumber", "ou" -> new UserFilter.InAnyDepartment();
            case "createtimestamp" -> new UserFilter.Present(Attribute.CREATED_AT);
            case "modifytimestamp" -> new UserFilter.Present(Attribute.UPDATED_AT);
            default -> NONE;
        };
    }

    private static UserFilter substring(String attribute, String prefix, List<String> middle, String suffix) {
        return switch (attribute) {
            case "uid" -> uid(sub(Attribute.USERNAME, prefix, middle, suffix), sub(Attribute.ID, prefix, middle, suffix));
            case "cn", "sn", "givenname", "displayname" -> name(sub(Attribute.NAME, prefix, middle, suffix),
                    uid(sub(Attribute.USERNAME, prefix, middle, suffix), sub(Attribute.ID, prefix, middle, suffix)));
            case "mail" -> sub(Attribute.EMAIL, prefix, middle, suffix);
            case "telephonenumber" -> sub(Attribute.PHONE, prefix, middle, suffix);
            default -> NONE;
        };
    }

    private static UserFilter ordering(String attribute, Comparison comparison, String value) {
        return switch (attribute) {
            case "uid" -> uid(UserFilter.compare(Attribute.USERNAME, comparison, value), UserFilter.compare(Attribute.ID, comparison, value));
            case "cn", "sn", "givenname", "displayname" -> name(UserFilter.compare(Attribute.NAME, comparison, value),
                    uid(UserFilter.compare(Attribute.USERNAME, comparison, value), UserFilter.compare(Attribute.ID, comparison, value)));
            case "mail" -> UserFilter.compare(Attribute.EMAIL, comparison, value);
            case "telephonenumber" -> UserFilter.compare(Attribute.PHONE, comparison, value);
            case "employeenumber" -> number(value).map(n -> UserFilter.compare(Attribute.NUM, comparison, n)).orElse(NONE);
            case "createtimestamp" -> time(value).map(t -> UserFilter.compare(Attribute.CREATED_AT, comparison, t)).orElse(NONE);
            case "modifytimestamp" -> time(value).map(t -> UserFilter.compare(Attribute.UPDATED_AT, comparison, t)).orElse(NONE);
            default -> NONE;
        };
    }

    /** uid is the username, or the id of a user without one (as Entries.uid names the entry). */
    private static UserFilter uid(UserFilter onUsername, UserFilter onId) {
        return new UserFilter.Or(List.of(onUsername,
                UserFilter.and(UserFilter.not(new UserFilter.Present(Attribute.USERNAME)), onId)));
    }

    /** cn, sn, givenName and displayName are the name, or the uid of a user without one. */
    private static UserFilter name(UserFilter onName, UserFilter onUid) {
        return new UserFilter.Or(List.of(onName, UserFilter.and(UserFilter.not(new UserFilter.Present(Attribute.NAME)), onUid)));
    }

    private static UserFilter sub(Attribute attribute, String prefix, List<String> middle, String suffix) {
        return new UserFilter.Substring(attribute, prefix, new ArrayList<>(middle), suffix, true);
    }

    private static Optional<Long> number(String value) {
        try {
            return Optional.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A generalized time as epoch milliseconds (the core's time values). */
    private static Optional<Long> time(String value) {
        try {
            return Optional.of(StaticUtils.decodeGeneralizedTime(value).getTime());
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The access group a memberOf value names, when it is a group DN of this tenant. */
    private static Optional<String> groupOf(String value, String tenant) {
        try {
            return Tree.parse(new DN(value)).filter(n -> n.kind() == Tree.Kind.GROUP && n.tenant().equals(tenant)).map(Tree.Node::id);
        } catch (LDAPException e) {
            return Optional.empty();
        }
    }
}
