package roster.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import roster.model.Attribute;
import roster.model.UserDetail;

/**
 * The parameters of a list (RFC 7644 §3.4.2, and RFC 9865's cursor), from the query string of GET or the
 * SearchRequest body of POST .search, plus attributes / excludedAttributes (§3.4.2.5), which also apply to single
 * resources. cursor is null for index paging, "" for the first page of a cursor walk.
 */
record ListQuery(String filter, String sortBy, String sortOrder, Integer startIndex, int count, String cursor,
                 List<String> attributes, List<String> excluded) {

    static ListQuery of(Context ctx) {
        boolean cursor = ctx.queryParamMap().containsKey("cursor");
        return new ListQuery(ctx.queryParam("filter"), blankToNull(ctx.queryParam("sortBy")), blankToNull(ctx.queryParam("sortOrder")),
                integer("startIndex", ctx.queryParam("startIndex")), count(integer("count", ctx.queryParam("count"))),
                cursor ? (ctx.queryParam("cursor") == null ? "" : ctx.queryParam("cursor")) : null,
                names(ctx.queryParam("attributes")), names(ctx.queryParam("excludedAttributes")));
    }

    static ListQuery of(JsonNode body) {
        JsonNode cursor = UserMapping.field(body, "cursor");
        return new ListQuery(text(body, "filter"), blankToNull(text(body, "sortBy")), blankToNull(text(body, "sortOrder")),
                integer(body, "startIndex"), count(integer(body, "count")),
                cursor == null ? null : cursor.isNull() ? "" : text(body, "cursor"),
                names(body, "attributes"), names(body, "excludedAttributes"));
    }

    /** attributes / excludedAttributes of a request for one resource. */
    static ListQuery projectionOf(Context ctx) {
        return new ListQuery(null, null, null, null, 0, null, names(ctx.queryParam("attributes")), names(ctx.queryParam("excludedAttributes")));
    }

    /** The resource with only the attributes asked for (id and schemas always), or without those excluded. */
    ObjectNode project(ObjectNode resource) {
        if (attributes.isEmpty() && excluded.isEmpty()) return resource;
        if (!attributes.isEmpty()) {
            ObjectNode out = resource.objectNode();
            ArrayNode schemas = out.putArray("schemas");
            if (resource.has("id")) out.set("id", resource.get("id"));
            for (String name : attributes) copy(resource, out, ScimFilter.path(name, false));
            // the core schema, and the extensions whose attributes are shown: the same whatever the read brought
            JsonNode all = resource.path("schemas");
            for (int i = 0; i < all.size(); i++) if (i == 0 || out.has(all.get(i).asText())) schemas.add(all.get(i));
            return out;
        }
        ObjectNode out = resource.deepCopy();
        for (String name : excluded) {
            ScimFilter.Path path = ScimFilter.path(name, false);
            if (path.urn() == null && (path.attr().equals("id") || path.attr().equals("schemas"))) continue;
            ObjectNode container = path.urn() == null ? out : (ObjectNode) objectIn(out, path.urn());
            if (container == null) continue;
            if (path.attr() == null) {
                out.remove(keyOf(out, path.urn()));
            } else if (path.sub() == null) {
                container.remove(keyOf(container, path.attr()));
            } else if (container.get(keyOf(container, path.attr())) instanceof ObjectNode inner) {
                inner.remove(keyOf(inner, path.sub()));
            }
        }
        return out;
    }

    /**
     * What a read of users must bring for the attributes asked: columns, when every attribute asked is a plain
     * column of the users row (a projected read, which a keyset page can do: attributes=userName reads three
     * columns, not the row and its memberships), else null and the detail (memberships only when groups, the
     * Roster extension's departments or access groups are shown).
     */
    record Reads(Set<Attribute> columns, UserDetail detail) {}

    private static final Set<Attribute> ADDRESS = EnumSet.of(Attribute.ADDRESS, Attribute.STREET_ADDRESS, Attribute.CITY,
            Attribute.PROVINCE, Attribute.POSTAL_CODE, Attribute.COUNTRY);
    private static final String ROSTER_URN = ScimFilter.ROSTER.toLowerCase(Locale.ROOT);

    Reads reads() {
        if (attributes.isEmpty()) {
            boolean memberships = !(excluded.stream().anyMatch(n -> n.equalsIgnoreCase("groups"))
                    && (excluded.stream().anyMatch(n -> n.equalsIgnoreCase(ScimFilter.ROSTER))
                        || excludes(ROSTER_URN, "departments") && excludes(ROSTER_URN, "accessgroups")));
            return new Reads(null, memberships ? UserDetail.PROFILE : UserDetail.ROW);
        }
        Set<Attribute> columns = EnumSet.noneOf(Attribute.class);
        boolean row = false;
        boolean memberships = false;
        for (String name : attributes) {
            ScimFilter.Path p = ScimFilter.path(name, false);
            String attr = p.attr() == null ? "" : p.attr();
            String sub = p.sub() == null ? "" : p.sub();
            if (p.urn() == null) {
                switch (attr) {
                    case "id", "schemas" -> {}
                    case "externalid" -> columns.add(Attribute.EXTERNAL_ID);
                    case "username" -> columns.add(Attribute.USERNAME);
                    case "displayname" -> columns.add(Attribute.NAME);
                    case "nickname" -> columns.add(Attribute.NICKNAME);
                    case "name" -> {
                        if (sub.equals("formatted")) columns.add(Attribute.NAME); else row = true; // givenName… live in custom_data
                    }
                    case "emails" -> columns.add(Attribute.EMAIL);
                    case "phonenumbers" -> columns.addAll(List.of(Attribute.PHONE, Attribute.PHONE_COUNTRY_CODE));
                    case "photos" -> columns.add(Attribute.AVATAR);
                    case "addresses" -> columns.addAll(ADDRESS);
                    case "active" -> columns.add(Attribute.STATUS);
                    case "groups" -> memberships = true;
                    case "meta" -> {
                        if (!sub.equals("lastmodified")) columns.add(Attribute.CREATED_AT);
                        if (!sub.equals("created")) columns.add(Attribute.UPDATED_AT);
                    }
                    default -> row = true; // title, userType, …: kept in custom_data
                }
            } else if (p.urn().equals(ROSTER_URN)) {
                switch (attr) {
                    case "num" -> {}
                    case "status" -> columns.add(Attribute.STATUS);
                    case "gender" -> columns.add(Attribute.GENDER);
                    case "card" -> columns.add(Attribute.ACS_CARD);
                    case "departments", "accessgroups" -> memberships = true;
                    case "" -> memberships = true;
                    default -> row = true;
                }
            } else {
                row = true; // the enterprise extension lives in custom_data
            }
        }
        if (memberships) return new Reads(null, UserDetail.PROFILE);
        return row ? new Reads(null, UserDetail.ROW) : new Reads(columns, UserDetail.ROW);
    }

    private boolean excludes(String urn, String attr) {
        for (String name : excluded) {
            ScimFilter.Path p = ScimFilter.path(name, false);
            if (urn.equals(p.urn()) && attr.equals(p.attr()) && p.sub() == null) return true;
        }
        return false;
    }

    private static void copy(ObjectNode from, ObjectNode to, ScimFilter.Path path) {
        JsonNode source = path.urn() == null ? from : objectIn(from, path.urn());
        if (source == null) return;
        ObjectNode target = to;
        if (path.urn() != null) {
            String urnKey = keyOf(from, path.urn());
            target = to.get(urnKey) instanceof ObjectNode o ? o : to.putObject(urnKey);
            if (path.attr() == null) {
                to.set(urnKey, source.deepCopy());
                return;
            }
        }
        String key = keyOf(source, path.attr());
        JsonNode value = source.get(key);
        if (value == null) return;
        if (path.sub() == null || !value.isObject()) {
            target.set(key, value.deepCopy());
            return;
        }
        String subKey = keyOf(value, path.sub());
        if (value.has(subKey)) {
            ObjectNode inner = target.get(key) instanceof ObjectNode o ? o : target.putObject(key);
            inner.set(subKey, value.get(subKey).deepCopy());
        }
    }

    private static JsonNode objectIn(JsonNode node, String lowerName) {
        JsonNode v = ScimFilter.get(node, lowerName);
        return v != null && v.isObject() ? v : null;
    }

    private static String keyOf(JsonNode object, String lowerName) {
        for (var it = object.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.equalsIgnoreCase(lowerName)) return k;
        }
        return lowerName;
    }

    // ---- reading parameters

    private static int count(Integer asked) {
        if (asked == null) return ScimApi.DEFAULT_COUNT;
        return Math.max(0, Math.min(ScimApi.MAX_COUNT, asked)); // RFC 7644: negative is 0; more than the maximum is the maximum
    }

    private static Integer integer(String name, String value) {
        if (value == null || value.isEmpty()) return null;
        try {
            long n = Long.parseLong(value.trim());
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n));
        } catch (NumberFormatException e) {
            throw ScimError.invalidValue(name + " must be an integer");
        }
    }

    private static Integer integer(JsonNode body, String name) {
        JsonNode v = UserMapping.field(body, name);
        if (v == null || v.isNull()) return null;
        if (v.isIntegralNumber()) return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v.asLong()));
        if (v.isTextual()) return integer(name, v.asText());
        throw ScimError.invalidValue(name + " must be an integer");
    }

    private static String text(JsonNode body, String name) {
        JsonNode v = UserMapping.field(body, name);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw ScimError.invalidValue(name + " must be a string");
        return v.asText();
    }

    private static List<String> names(String csv) {
        List<String> out = new ArrayList<>();
        if (csv == null) return out;
        for (String part : csv.split(",")) if (!part.isBlank()) out.add(part.trim());
        if (out.size() > 100) throw ScimError.invalidValue("at most 100 attribute names");
        for (String name : out) checkName(name);
        return out;
    }

    private static List<String> names(JsonNode body, String name) {
        JsonNode v = UserMapping.field(body, name);
        if (v == null || v.isNull()) return new ArrayList<>();
        if (v.isTextual()) return names(v.asText());
        if (!v.isArray()) throw ScimError.invalidValue(name + " must be an array of attribute names");
        List<String> out = new ArrayList<>();
        for (JsonNode n : v) {
            if (!n.isTextual()) throw ScimError.invalidValue(name + " must be an array of attribute names");
            out.add(n.asText().trim());
        }
        if (out.size() > 100) throw ScimError.invalidValue("at most 100 attribute names");
        for (String n : out) checkName(n);
        return out;
    }

    private static void checkName(String name) {
        try {
            ScimFilter.path(name, false);
        } catch (ScimError e) {
            throw ScimError.invalidValue("'" + name.toLowerCase(Locale.ROOT) + "' is not an attribute name");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
