package roster.scim;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import roster.model.Attribute;
import roster.model.Failure;
import roster.model.Order;
import roster.model.Status;
import roster.model.Times;
import roster.model.UserFilter;
import roster.model.UserFilter.Comparison;

/**
 * SCIM filters on Users, translated into the core's UserFilter: every attribute SCIM can filter on is one of the
 * core's Attribute words (userName, emails and the other caseExact-false text case-blind, id and externalId exactly),
 * so the filter runs as SQL on the users table, through its indexes, never as a scan of resources in memory.
 */
final class UserFilters {

    private static final String ROSTER = ScimFilter.ROSTER.toLowerCase(Locale.ROOT) + ":";

    /** A filterable attribute: the core's word, and whether text compares without regard to case. */
    private record Target(Attribute attribute, boolean ignoreCase) {}

    private static final Map<String, Target> TARGETS = Map.ofEntries(
            Map.entry("id", new Target(Attribute.ID, false)),
            Map.entry("externalid", new Target(Attribute.EXTERNAL_ID, false)),
            Map.entry("username", new Target(Attribute.USERNAME, true)),
            Map.entry("displayname", new Target(Attribute.NAME, true)),
            Map.entry("name.formatted", new Target(Attribute.NAME, true)),
            Map.entry("nickname", new Target(Attribute.NICKNAME, true)),
            Map.entry("emails", new Target(Attribute.EMAIL, true)),
            Map.entry("emails.value", new Target(Attribute.EMAIL, true)),
            Map.entry("phonenumbers", new Target(Attribute.PHONE, false)),
            Map.entry("phonenumbers.value", new Target(Attribute.PHONE, false)),
            Map.entry("photos", new Target(Attribute.AVATAR, false)),
            Map.entry("photos.value", new Target(Attribute.AVATAR, false)),
            Map.entry("addresses.formatted", new Target(Attribute.ADDRESS, true)),
            Map.entry("addresses.streetaddress", new Target(Attribute.STREET_ADDRESS, true)),
            Map.entry("addresses.locality", new Target(Attribute.CITY, true)),
            Map.entry("addresses.region", new Target(Attribute.PROVINCE, true)),
            Map.entry("addresses.postalcode", new Target(Attribute.POSTAL_CODE, true)),
            Map.entry("addresses.country", new Target(Attribute.COUNTRY, true)),
            Map.entry("meta.created", new Target(Attribute.CREATED_AT, false)),
            Map.entry("meta.lastmodified", new Target(Attribute.UPDATED_AT, false)),
            Map.entry(ROSTER + "num", new Target(Attribute.NUM, false)),
            Map.entry(ROSTER + "status", new Target(Attribute.STATUS, false)),
            Map.entry(ROSTER + "gender", new Target(Attribute.GENDER, false)));

    /** The multi-valued attributes Roster holds one value of, and the core attribute whose presence means "has one". */
    private static final Map<String, Attribute> SINGLE_VALUED = Map.of(
            "emails", Attribute.EMAIL, "phonenumbers", Attribute.PHONE, "photos", Attribute.AVATAR, "addresses", Attribute.ADDRESS);

    private UserFilters() {}

    static UserFilter translate(ScimFilter.Node node) {
        return translate(node, null);
    }

    /** parent: the multi-valued attribute a value path is inside (its sub-attributes are named alone), or null. */
    private static UserFilter translate(ScimFilter.Node node, String parent) {
        if (node instanceof ScimFilter.And a) return UserFilter.and(translate(a.left(), parent), translate(a.right(), parent));
        if (node instanceof ScimFilter.Or o) return UserFilter.or(List.of(translate(o.left(), parent), translate(o.right(), parent)));
        if (node instanceof ScimFilter.Not n) return UserFilter.not(translate(n.inner(), parent));
        if (node instanceof ScimFilter.ValuePath vp) {
            String attr = vp.path().key();
            Attribute has = SINGLE_VALUED.get(attr);
            if (has == null && !attr.equals("groups") && !attr.equals(ROSTER + "accessgroups") && !attr.equals(ROSTER + "departments")) {
                throw ScimError.invalidFilter("'" + attr + "' is not a multi-valued attribute that can be filtered on");
            }
            UserFilter inner = translate(vp.inner(), attr);
            return has == null ? inner : UserFilter.and(presence(attr), inner);
        }
        ScimFilter.Path path = node instanceof ScimFilter.Present p ? p.path() : ((ScimFilter.Compare) node).path();
        String key = parent == null ? path.key() : parent + "." + path.key();
        String op = node instanceof ScimFilter.Compare c ? c.op() : "pr";
        JsonNode value = node instanceof ScimFilter.Compare c ? c.value() : null;

        // the type and primary of the one value Roster keeps: it is primary, and of type "work" (a photo's is "photo")
        if (key.endsWith(".type") || key.endsWith(".primary")) {
            String multi = key.substring(0, key.lastIndexOf('.'));
            if (SINGLE_VALUED.containsKey(multi)) {
                JsonNode ours = key.endsWith(".primary") ? com.fasterxml.jackson.databind.node.BooleanNode.TRUE
                        : com.fasterxml.jackson.databind.node.TextNode.valueOf(multi.equals("photos") ? "photo" : "work");
                boolean holds = op.equals("pr") || ours.asText().equalsIgnoreCase(value.asText()) == op.equals("eq");
                if (!op.equals("pr") && !op.equals("eq") && !op.equals("ne")) throw ScimError.invalidFilter("'" + key + "' supports eq, ne and pr");
                return holds ? presence(multi) : UserFilter.or(List.of());
            }
        }
        if (key.equals("active")) {
            UserFilter active = UserFilter.status(Status.ACTIVE);
            if (op.equals("pr")) return UserFilter.ALL;
            boolean wanted = bool(value, key);
            if (op.equals("eq")) return wanted ? active : UserFilter.not(active);
            if (op.equals("ne")) return wanted ? UserFilter.not(active) : active;
            throw ScimError.invalidFilter("'active' supports eq, ne and pr");
        }
        if (key.equals("groups") || key.equals("groups.value") || key.equals(ROSTER + "accessgroups")) {
            if (op.equals("pr")) return new UserFilter.InAnyAccessGroup();
            if (op.equals("eq")) return new UserFilter.InAccessGroup(text(value, key));
            if (op.equals("ne")) return UserFilter.not(new UserFilter.InAccessGroup(text(value, key)));
            throw ScimError.invalidFilter("'" + key + "' supports eq, ne and pr");
        }
        if (key.equals(ROSTER + "departments")) {
            if (op.equals("pr")) return new UserFilter.InAnyDepartment();
            if (op.equals("eq")) return new UserFilter.InDepartments(List.of(text(value, key)));
            if (op.equals("ne")) return UserFilter.not(new UserFilter.InDepartments(List.of(text(value, key))));
            throw ScimError.invalidFilter("'" + key + "' supports eq, ne (a department with its whole subtree) and pr");
        }
        Target target = TARGETS.get(key);
        if (target == null) throw ScimError.invalidFilter("'" + key + "' cannot be filtered on");
        Attribute attribute = target.attribute();
        if (op.equals("pr")) return new UserFilter.Present(attribute);
        if (value.isNull()) {
            if (op.equals("eq")) return UserFilter.not(new UserFilter.Present(attribute));
            if (op.equals("ne")) return new UserFilter.Present(attribute);
            throw ScimError.invalidFilter("null compares with eq and ne only");
        }
        Object v = coerce(attribute, value, key);
        boolean text = attribute.type() == Attribute.Type.TEXT;
        return switch (op) {
            case "eq" -> equal(target, v);
            case "ne" -> UserFilter.not(equal(target, v));
            case "co", "sw", "ew" -> {
                if (!text) throw ScimError.invalidFilter("'" + op + "' compares text; '" + key + "' is not text");
                String s = (String) v;
                yield new UserFilter.Substring(attribute, op.equals("sw") ? s : null, op.equals("co") ? List.of(s) : List.of(),
                        op.equals("ew") ? s : null, target.ignoreCase());
            }
            case "gt" -> UserFilter.compare(attribute, Comparison.GREATER, v);
            case "ge" -> UserFilter.compare(attribute, Comparison.GREATER_OR_EQUAL, v);
            case "lt" -> UserFilter.compare(attribute, Comparison.LESS, v);
            case "le" -> UserFilter.compare(attribute, Comparison.LESS_OR_EQUAL, v);
            default -> throw ScimError.invalidFilter("unknown operator " + op);
        };
    }

    private static UserFilter equal(Target target, Object value) {
        return new UserFilter.Equals(target.attribute(), value, target.ignoreCase() && value instanceof String);
    }

    private static UserFilter presence(String multi) {
        if (!multi.equals("addresses")) return new UserFilter.Present(SINGLE_VALUED.get(multi));
        return UserFilter.or(List.of(new UserFilter.Present(Attribute.ADDRESS), new UserFilter.Present(Attribute.STREET_ADDRESS),
                new UserFilter.Present(Attribute.CITY), new UserFilter.Present(Attribute.PROVINCE),
                new UserFilter.Present(Attribute.POSTAL_CODE), new UserFilter.Present(Attribute.COUNTRY)));
    }

    private static Object coerce(Attribute attribute, JsonNode value, String key) {
        switch (attribute.type()) {
            case NUMBER:
                if (!value.canConvertToLong() || !value.isIntegralNumber()) throw ScimError.invalidFilter("'" + key + "' compares with a whole number");
                return value.asLong();
            case TIME:
                try {
                    return Times.millis(Instant.parse(text(value, key)), key);
                } catch (DateTimeParseException | Failure.InvalidInput e) {
                    throw ScimError.invalidFilter("'" + key + "' compares with a date-time such as \"2026-01-31T12:00:00Z\"");
                }
            default:
                return text(value, key);
        }
    }

    private static String text(JsonNode value, String key) {
        if (value == null || !value.isTextual()) throw ScimError.invalidFilter("'" + key + "' compares with a quoted string");
        return value.asText();
    }

    private static boolean bool(JsonNode value, String key) {
        if (value.isBoolean()) return value.asBoolean();
        if (value.isTextual() && (value.asText().equalsIgnoreCase("true") || value.asText().equalsIgnoreCase("false"))) return Boolean.parseBoolean(value.asText().toLowerCase(Locale.ROOT));
        throw ScimError.invalidFilter("'" + key + "' compares with true or false");
    }

    // ---- sortBy

    static Order order(String sortBy, String sortOrder) {
        boolean descending;
        if (sortOrder == null || sortOrder.equalsIgnoreCase("ascending")) descending = false;
        else if (sortOrder.equalsIgnoreCase("descending")) descending = true;
        else throw ScimError.invalidValue("sortOrder is ascending or descending");
        if (sortBy == null) return descending ? Order.NUM_DESC : Order.NUM;
        String key;
        try {
            key = ScimFilter.path(sortBy, false).key();
        } catch (ScimError e) {
            throw ScimError.invalidValue("sortBy: " + e.getMessage());
        }
        return switch (key) {
            case "username" -> descending ? Order.USERNAME_DESC : Order.USERNAME_ASC;
            case "displayname", "name.formatted" -> descending ? Order.NAME_DESC : Order.NAME_ASC;
            case "meta.created" -> descending ? Order.CREATED_DESC : Order.CREATED_ASC;
            case "meta.lastmodified" -> descending ? Order.UPDATED_DESC : Order.UPDATED_ASC;
            default -> {
                if (key.equals(ROSTER + "num")) yield descending ? Order.NUM_DESC : Order.NUM;
                throw ScimError.invalidValue("sortBy: Users sort by userName, displayName, name.formatted, meta.created, meta.lastModified or the Roster extension's num");
            }
        };
    }
}
