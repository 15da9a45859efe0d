package roster.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import roster.model.Acs;
import roster.model.Gender;
import roster.model.Status;
import roster.model.User;

/**
 * A canonical user as a SCIM User (RFC 7643 §4.1, the enterprise extension of §4.3 and Roster's own extension),
 * and back. The README's table "SCIM ↔ canonical" is this class in words. SCIM attributes the canonical user has no
 * field for (givenName, familyName, title, the enterprise fields, …) are kept under custom_data.scim, so what a
 * client wrote it reads back.
 */
final class UserMapping {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** custom_data's key for SCIM attributes without a canonical field. */
    static final String STASH = "scim";
    private static final List<String> NAME_PARTS = List.of("givenName", "familyName", "middleName", "honorificPrefix", "honorificSuffix");
    private static final List<String> PLAIN = List.of("title", "userType", "preferredLanguage", "locale", "timezone", "profileUrl");
    private static final List<String> ENTERPRISE_TEXT = List.of("employeeNumber", "costCenter", "organization", "division", "department");
    private static final Pattern PHONE_WITH_CODE = Pattern.compile("(\\+[0-9]{1,4})[ -]?(.+)");

    private UserMapping() {}

    // ---- canonical → SCIM

    static ObjectNode toScim(User u, String location) {
        ObjectNode out = JSON.objectNode();
        ArrayNode schemas = out.putArray("schemas").add(ScimFilter.CORE_USER).add(ScimFilter.ENTERPRISE).add(ScimFilter.ROSTER);
        out.put("id", u.id());
        if (u.externalId() != null) out.put("externalId", u.externalId());
        if (u.username() != null) out.put("userName", u.username());
        ObjectNode stash = stash(u);
        ObjectNode name = JSON.objectNode();
        if (u.name() != null) name.put("formatted", u.name());
        for (String part : NAME_PARTS) copyText(stash, part, name);
        if (!name.isEmpty()) out.set("name", name);
        if (u.name() != null) out.put("displayName", u.name());
        if (u.nickname() != null) out.put("nickName", u.nickname());
        for (String plain : PLAIN) copyText(stash, plain, out);
        if (u.email() != null) out.putArray("emails").addObject().put("value", u.email()).put("type", "work").put("primary", true);
        if (u.phone() != null) {
            String value = u.phoneCountryCode() == null ? u.phone() : u.phoneCountryCode() + " " + u.phone();
            out.putArray("phoneNumbers").addObject().put("value", value).put("type", "work").put("primary", true);
        }
        if (u.avatar() != null) out.putArray("photos").addObject().put("value", u.avatar()).put("type", "photo").put("primary", true);
        ObjectNode address = JSON.objectNode();
        putIf(address, "formatted", u.address());
        putIf(address, "streetAddress", u.streetAddress());
        putIf(address, "locality", u.city());
        putIf(address, "region", u.province());
        putIf(address, "postalCode", u.postalCode());
        putIf(address, "country", u.country());
        if (!address.isEmpty()) out.putArray("addresses").add(address.put("type", "work").put("primary", true));
        out.put("active", u.status() == Status.ACTIVE);
        if (!u.acs().groups().isEmpty()) {
            ArrayNode groups = out.putArray("groups");
            for (String g : u.acs().groups()) groups.addObject().put("value", g).put("$ref", "../Groups/" + g).put("type", "direct");
        }

        ObjectNode enterprise = out.putObject(ScimFilter.ENTERPRISE);
        JsonNode storedEnterprise = stash == null ? null : stash.get("enterprise");
        for (String field : ENTERPRISE_TEXT) copyText(storedEnterprise, field, enterprise);
        if (storedEnterprise != null && storedEnterprise.path("manager").path("value").isTextual()) {
            enterprise.putObject("manager").put("value", storedEnterprise.path("manager").path("value").asText());
        }
        if (enterprise.isEmpty()) {
            out.remove(ScimFilter.ENTERPRISE);
            schemas.remove(1);
        }

        ObjectNode roster = out.putObject(ScimFilter.ROSTER);
        roster.put("num", u.num());
        roster.put("status", u.status().wire());
        roster.put("gender", u.gender().name().toLowerCase(Locale.ROOT));
        ArrayNode departments = roster.putArray("departments");
        u.departments().forEach(departments::add);
        ArrayNode groups = roster.putArray("accessGroups");
        u.acs().groups().forEach(groups::add);
        if (u.acs().card() != null) roster.put("card", u.acs().card());
        ObjectNode custom = u.customData() == null ? JSON.objectNode() : u.customData().deepCopy();
        custom.remove(STASH);
        if (!custom.isEmpty()) roster.set("customData", custom);

        ObjectNode meta = out.putObject("meta");
        meta.put("resourceType", "User");
        if (u.createdAt() != null) meta.put("created", u.createdAt().toString());
        if (u.updatedAt() != null) meta.put("lastModified", u.updatedAt().toString());
        meta.put("location", location);
        if (u.sequence() != null) meta.put("version", version(u));
        return out;
    }

    /** The weak entity tag of a user: its change sequence, which every change of the user moves. */
    static String version(User u) {
        return "W/\"" + u.sequence() + "\"";
    }

    // ---- SCIM → canonical

    /**
     * The user a SCIM User body describes, over base (the stored user, or a new one): attributes of the core schema
     * and the enterprise extension that the body leaves out are cleared (PUT replaces); the Roster extension's
     * attributes left out are kept, since provisioning clients never send them. Read-only attributes are ignored.
     */
    static User fromScim(JsonNode in, User base) {
        if (in == null || !in.isObject()) throw ScimError.invalidSyntax("the body must be a JSON object");
        User.Builder b = base.with();
        String userName = text(in, "userName");
        if (userName == null || userName.isBlank()) throw ScimError.invalidValue("userName is required");
        b.username(userName);
        b.externalId(text(in, "externalId"));
        JsonNode name = field(in, "name");
        if (name != null && !name.isNull() && !name.isObject()) throw ScimError.invalidValue("name must be an object");
        String displayName = text(in, "displayName");
        String formatted = name == null ? null : text(name, "formatted");
        String joined = name == null ? null : joinNonNull(text(name, "givenName"), text(name, "middleName"), text(name, "familyName"));
        // displayName and name.formatted both show the canonical name: the one that differs from it is the change
        String current = base.name();
        if (displayName != null && !displayName.equals(current)) b.name(displayName);
        else if (formatted != null && !formatted.equals(current)) b.name(formatted);
        else b.name(displayName != null ? displayName : formatted != null ? formatted : joined);
        b.nickname(text(in, "nickName"));

        JsonNode email = pick(in, "emails");
        b.email(email == null ? null : text(email, "value"));
        JsonNode phone = pick(in, "phoneNumbers");
        String phoneValue = phone == null ? null : text(phone, "value");
        if (phoneValue != null && phoneValue.regionMatches(true, 0, "tel:", 0, 4)) phoneValue = phoneValue.substring(4);
        Matcher m = phoneValue == null ? null : PHONE_WITH_CODE.matcher(phoneValue);
        if (m != null && m.matches()) {
            b.phoneCountryCode(m.group(1)).phone(m.group(2));
        } else {
            b.phoneCountryCode(null).phone(phoneValue);
        }
        JsonNode photo = pick(in, "photos");
        b.avatar(photo == null ? null : text(photo, "value"));
        JsonNode address = pick(in, "addresses");
        b.address(address == null ? null : text(address, "formatted"));
        b.streetAddress(address == null ? null : text(address, "streetAddress"));
        b.city(address == null ? null : text(address, "locality"));
        b.province(address == null ? null : text(address, "region"));
        b.postalCode(address == null ? null : text(address, "postalCode"));
        b.country(address == null ? null : text(address, "country"));

        String password = text(in, "password");
        if (password != null) b.password(password);

        // status: active=true is "active"; active=false keeps a status that already is not active (resigned stays
        // resigned), else becomes "suspended"; the Roster extension's status, when it names another, says exactly
        Status status = base.status();
        JsonNode active = field(in, "active");
        if (active != null && !active.isNull()) status = bool(active, "active") ? Status.ACTIVE : status == Status.ACTIVE ? Status.SUSPENDED : status;

        // what has no canonical field, kept under custom_data.scim
        ObjectNode stash = JSON.objectNode();
        if (name != null && name.isObject()) for (String part : NAME_PARTS) putIf(stash, part, text(name, part));
        for (String plain : PLAIN) putIf(stash, plain, text(in, plain));
        JsonNode enterprise = field(in, ScimFilter.ENTERPRISE);
        if (enterprise != null && !enterprise.isNull()) {
            if (!enterprise.isObject()) throw ScimError.invalidValue(ScimFilter.ENTERPRISE + " must be an object");
            ObjectNode e = JSON.objectNode();
            for (String field : ENTERPRISE_TEXT) putIf(e, field, text(enterprise, field));
            JsonNode manager = field(enterprise, "manager");
            if (manager != null && !manager.isNull()) {
                String managerId = manager.isTextual() ? manager.asText() : text(manager, "value");
                if (managerId != null) e.putObject("manager").put("value", managerId);
            }
            if (!e.isEmpty()) stash.set("enterprise", e);
        }

        ObjectNode custom = base.customData() == null ? JSON.objectNode() : base.customData().deepCopy();
        JsonNode roster = field(in, ScimFilter.ROSTER);
        if (roster != null && !roster.isNull()) {
            if (!roster.isObject()) throw ScimError.invalidValue(ScimFilter.ROSTER + " must be an object");
            String exact = text(roster, "status");
            if (exact != null) {
                Status named = Status.ofWire(exact.toLowerCase(Locale.ROOT));
                if (named == null) throw ScimError.invalidValue("status is one of active, suspended, resigned, archived, deactivated");
                // a PATCH sees the stored status echoed here: only a status other than the stored one is a change
                if (named != base.status()) status = named;
            }
            String gender = text(roster, "gender");
            if (gender != null) b.gender(gender(gender));
            JsonNode departments = field(roster, "departments");
            if (departments != null) b.departments(ids(departments, "departments"));
            Acs acs = base.acs();
            JsonNode groups = field(roster, "accessGroups");
            if (groups != null) acs = new Acs(ids(groups, "accessGroups"), acs.card(), acs.face());
            JsonNode card = field(roster, "card");
            if (card != null) {
                if (!card.isNull() && !(card.isIntegralNumber() && card.canConvertToInt())) throw ScimError.invalidValue("card is a whole number");
                acs = new Acs(acs.groups(), card.isNull() ? null : card.asInt(), acs.face());
            }
            b.acs(acs);
            JsonNode customData = field(roster, "customData");
            if (customData != null) {
                if (!customData.isNull() && !customData.isObject()) throw ScimError.invalidValue("customData must be an object");
                JsonNode kept = custom.get(STASH);
                custom = customData.isNull() ? JSON.objectNode() : ((ObjectNode) customData).deepCopy();
                custom.remove(STASH);
                if (kept != null) custom.set(STASH, kept);
            }
        }
        if (stash.isEmpty()) custom.remove(STASH); else custom.set(STASH, stash);
        b.customData(custom.isEmpty() ? null : custom);
        if (status != base.status()) b.status(status).statusChangedAt(null);
        return b.build();
    }

    /** The value of a multi-valued attribute Roster keeps one of: the primary, else the first of type work, else the first. */
    private static JsonNode pick(JsonNode in, String attr) {
        JsonNode list = field(in, attr);
        if (list == null || list.isNull()) return null;
        if (!list.isArray()) throw ScimError.invalidValue(attr + " must be an array");
        JsonNode first = null;
        JsonNode work = null;
        for (JsonNode v : list) {
            if (!v.isObject()) throw ScimError.invalidValue(attr + " holds objects");
            JsonNode primary = field(v, "primary");
            if (primary != null && !primary.isNull() && bool(primary, attr + ".primary")) return v;
            if (first == null) first = v;
            if (work == null && "work".equalsIgnoreCase(text(v, "type"))) work = v;
        }
        return work != null ? work : first;
    }

    static JsonNode field(JsonNode object, String name) {
        return ScimFilter.get(object, name.toLowerCase(Locale.ROOT));
    }

    /** A string attribute; numbers and booleans are taken as their text (clients differ), other shapes are refused. */
    private static String text(JsonNode object, String name) {
        JsonNode v = field(object, name);
        if (v == null || v.isNull()) return null;
        if (v.isTextual()) return v.asText();
        if (v.isNumber() || v.isBoolean()) return v.asText();
        throw ScimError.invalidValue(name + " must be a string");
    }

    /** A boolean, also as the strings "True"/"False" that Entra ID sends. */
    static boolean bool(JsonNode v, String name) {
        if (v.isBoolean()) return v.asBoolean();
        if (v.isTextual()) {
            String s = v.asText().trim();
            if (s.equalsIgnoreCase("true")) return true;
            if (s.equalsIgnoreCase("false")) return false;
        }
        throw ScimError.invalidValue(name + " must be true or false");
    }

    private static List<String> ids(JsonNode list, String name) {
        if (list.isNull()) return List.of();
        if (!list.isArray()) throw ScimError.invalidValue(name + " must be an array of ids");
        List<String> out = new ArrayList<>();
        for (JsonNode v : list) {
            if (v.isTextual()) out.add(v.asText());
            else if (v.isObject() && field(v, "value") != null && field(v, "value").isTextual()) out.add(field(v, "value").asText());
            else throw ScimError.invalidValue(name + " must be an array of ids");
        }
        return out;
    }

    private static Gender gender(String word) {
        for (Gender g : Gender.values()) if (g.name().equalsIgnoreCase(word)) return g;
        throw ScimError.invalidValue("gender is male, female or unknown");
    }

    private static ObjectNode stash(User u) {
        JsonNode s = u.customData() == null ? null : u.customData().get(STASH);
        return s instanceof ObjectNode o ? o : null;
    }

    private static void copyText(JsonNode from, String field, ObjectNode to) {
        if (from != null && from.path(field).isTextual()) to.put(field, from.path(field).asText());
    }

    private static void putIf(ObjectNode node, String field, String value) {
        if (value != null) node.put(field, value);
    }

    private static String joinNonNull(String... parts) {
        StringBuilder out = new StringBuilder();
        for (String p : parts) {
            if (p == null || p.isBlank()) continue;
            if (out.length() > 0) out.append(' ');
            out.append(p.trim());
        }
        return out.length() == 0 ? null : out.toString();
    }

    /** Keys of an object, for the attributes projection. */
    static List<String> keys(ObjectNode node) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }
}
