package roster.ldap;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.schema.Schema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import roster.model.AccessGroup;
import roster.model.Department;
import roster.model.Tenant;
import roster.model.User;

/** The directory as LDAP entries: users as inetOrgPerson, departments as organizationalUnit, groups as groupOfNames. */
final class Entries {

    static final String PAGED_RESULTS = "1.2.840.113556.1.4.319";
    static final String WHO_AM_I = "1.3.6.1.4.1.4203.1.11.3";
    static final String START_TLS = "1.3.6.1.4.1.1466.20037";
    static final String SCHEMA_DN = "cn=Subschema";

    /** Operational attributes: returned when named or with "+", never for "*". */
    static final Set<String> OPERATIONAL = Set.of("entryuuid", "createtimestamp", "modifytimestamp", "subschemasubentry",
            "namingcontexts", "supportedcontrol", "supportedextension", "supportedldapversion", "vendorname", "vendorversion",
            "attributetypes", "objectclasses");
    /** Served only when named: a face image is large. */
    static final String PHOTO = "jpegphoto";

    /** The user columns an entry is made of (besides id and num, always read); memberships are read when asked for. */
    static final Set<roster.model.Attribute> USER_COLUMNS = java.util.EnumSet.of(roster.model.Attribute.USERNAME,
            roster.model.Attribute.NAME, roster.model.Attribute.EMAIL, roster.model.Attribute.PHONE, roster.model.Attribute.CREATED_AT,
            roster.model.Attribute.UPDATED_AT, roster.model.Attribute.ACS_FACE);

    /** Whether a search returns an attribute made of the user's departments or access groups. */
    static boolean wantsMemberships(List<String> requested) {
        return allUserAttributes(requested) || named(requested, "departmentNumber") || named(requested, "memberOf") || named(requested, "ou");
    }

    static final List<String> USER_CLASSES = List.of("top", "person", "organizationalPerson", "inetOrgPerson");

    private Entries() {}

    /** A user's uid, the name of its entry: the username, or the id of a user without one. */
    static String uid(User u) {
        return u.username() != null && !u.username().isEmpty() ? u.username() : u.id();
    }

    static Entry user(String tenant, User u, byte[] photo) {
        Entry e = new Entry(Tree.user(tenant, uid(u)));
        e.addAttribute("objectClass", USER_CLASSES.toArray(String[]::new));
        e.addAttribute("uid", uid(u));
        String name = u.name() != null && !u.name().isEmpty() ? u.name() : uid(u);
        e.addAttribute("cn", name);
        // the canonical model holds one name: sn (required by person) and givenName carry it whole
        e.addAttribute("sn", name);
        e.addAttribute("givenName", name);
        e.addAttribute("displayName", name);
        add(e, "mail", u.email());
        add(e, "telephoneNumber", u.phone());
        if (u.num() != null) e.addAttribute("employeeNumber", String.valueOf(u.num()));
        if (!u.departments().isEmpty()) {
            String[] departments = u.departments().toArray(String[]::new);
            e.addAttribute("departmentNumber", departments);
            e.addAttribute("ou", departments); // the ou of each department's own entry
        }
        if (!u.acs().groups().isEmpty()) {
            e.addAttribute("memberOf", u.acs().groups().stream().map(g -> Tree.group(tenant, g).toString()).toArray(String[]::new));
        }
        e.addAttribute("entryUUID", uuid(tenant, u.id()));
        time(e, "createTimestamp", u.createdAt());
        time(e, "modifyTimestamp", u.updatedAt());
        if (photo != null) e.addAttribute("jpegPhoto", photo);
        return e;
    }

    static Entry tenant(Tenant t) {
        Entry e = new Entry(Tree.tenant(t.id()));
        e.addAttribute("objectClass", "top", "organization");
        e.addAttribute("o", t.id());
        add(e, "description", t.name());
        return e;
    }

    static Entry container(String tenant, String container) {
        Entry e = new Entry(Tree.container(tenant, container));
        e.addAttribute("objectClass", "top", "organizationalUnit");
        e.addAttribute("ou", container);
        return e;
    }

    static Entry department(String tenant, Department d) {
        Entry e = new Entry(Tree.department(tenant, d.id()));
        e.addAttribute("objectClass", "top", "organizationalUnit");
        e.addAttribute("ou", d.id());
        add(e, "description", d.name());
        if (d.parent() != null) e.addAttribute("seeAlso", Tree.department(tenant, d.parent()).toString());
        e.addAttribute("entryUUID", uuid(tenant, "department/" + d.id()));
        return e;
    }

    /** members: the DNs of the group's members the caller may see, or null when they were not asked for. */
    static Entry group(String tenant, AccessGroup g, List<String> members) {
        Entry e = new Entry(Tree.group(tenant, g.id()));
        e.addAttribute("objectClass", "top", "groupOfNames");
        e.addAttribute("cn", g.id());
        add(e, "description", g.name());
        if (members != null && !members.isEmpty()) e.addAttribute("member", members.toArray(String[]::new));
        e.addAttribute("entryUUID", uuid(tenant, "group/" + g.id()));
        return e;
    }

    /** The root DSE: what a client asks a server before anything else. */
    static Entry rootDse(List<String> namingContexts, String version, boolean startTls) {
        Entry e = new Entry(DN.NULL_DN);
        e.addAttribute("objectClass", "top");
        if (!namingContexts.isEmpty()) e.addAttribute("namingContexts", namingContexts.toArray(String[]::new));
        e.addAttribute("supportedLDAPVersion", "3");
        e.addAttribute("supportedControl", PAGED_RESULTS);
        if (startTls) e.addAttribute("supportedExtension", WHO_AM_I, START_TLS);
        else e.addAttribute("supportedExtension", WHO_AM_I);
        e.addAttribute("subschemaSubentry", SCHEMA_DN);
        e.addAttribute("vendorName", "Roster");
        e.addAttribute("vendorVersion", version);
        return e;
    }

    /** The subschema entry: the standard definitions of the attribute types and object classes served. */
    static Entry schema() {
        Entry e = new Entry(SCHEMA_DN);
        e.addAttribute("objectClass", "top", "subschema", "subentry");
        e.addAttribute("cn", "Subschema");
        Schema standard;
        try {
            standard = Schema.getDefaultStandardSchema();
        } catch (com.unboundid.ldap.sdk.LDAPException ex) {
            throw new IllegalStateException("the LDAP SDK's standard schema cannot be read", ex);
        }
        List<String> types = new ArrayList<>();
        for (String name : List.of("objectClass", "uid", "cn", "sn", "givenName", "displayName", "mail", "telephoneNumber",
                "employeeNumber", "departmentNumber", "ou", "o", "description", "seeAlso", "member", "memberOf", "entryUUID",
                "createTimestamp", "modifyTimestamp", "jpegPhoto")) {
            var type = standard.getAttributeType(name);
            if (type != null) types.add(type.toString());
        }
        List<String> classes = new ArrayList<>();
        for (String name : List.of("top", "person", "organizationalPerson", "inetOrgPerson", "organization", "organizationalUnit", "groupOfNames")) {
            var c = standard.getObjectClass(name);
            if (c != null) classes.add(c.toString());
        }
        e.addAttribute("attributeTypes", types.toArray(String[]::new));
        e.addAttribute("objectClasses", classes.toArray(String[]::new));
        return e;
    }

    /**
     * The entry with the attributes a search asked for: all user attributes for none or "*" (a photo only when
     * named), operational ones when named or for "+", none for "1.1"; names ignore case and options.
     */
    static Entry select(Entry full, List<String> requested, boolean typesOnly) {
        Set<String> asked = new HashSet<>();
        for (String r : requested) asked.add(base(r));
        boolean allUser = asked.isEmpty() || asked.contains("*");
        boolean allOperational = asked.contains("+");
        List<Attribute> kept = new ArrayList<>();
        for (Attribute a : full.getAttributes()) {
            String name = base(a.getName());
            boolean keep = asked.contains(name)
                    || (OPERATIONAL.contains(name) ? allOperational : allUser && !name.equals(PHOTO));
            if (keep) kept.add(typesOnly ? new Attribute(a.getName()) : a);
        }
        return new Entry(full.getDN(), kept);
    }

    /** Whether a search asked for this attribute by name (for what is read only when asked, as photos and members). */
    static boolean named(List<String> requested, String attribute) {
        return requested.stream().anyMatch(r -> base(r).equals(attribute.toLowerCase(Locale.ROOT)));
    }

    static boolean allUserAttributes(List<String> requested) {
        return requested.isEmpty() || requested.contains("*");
    }

    private static String base(String attribute) {
        int semicolon = attribute.indexOf(';');
        return (semicolon < 0 ? attribute : attribute.substring(0, semicolon)).toLowerCase(Locale.ROOT);
    }

    /** A stable entryUUID: derived from the tenant and the id, so it survives renames and never changes. */
    static String uuid(String tenant, String id) {
        return UUID.nameUUIDFromBytes((tenant + "\u0000" + id).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static void add(Entry e, String attribute, String value) {
        if (value != null && !value.isEmpty()) e.addAttribute(attribute, value);
    }

    private static void time(Entry e, String attribute, Instant at) {
        if (at != null) e.addAttribute(attribute, generalizedTime(at));
    }

    /**
     * yyyyMMddHHmmss.SSSZ in UTC, as the SDK's encodeGeneralizedTime writes it, without its Calendar: that took an
     * eighth of a page's server time (JFR, 20k users).
     */
    static String generalizedTime(Instant at) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(at.getEpochSecond(), at.getNano(), ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(19);
        pad(b, t.getYear(), 4);
        pad(b, t.getMonthValue(), 2);
        pad(b, t.getDayOfMonth(), 2);
        pad(b, t.getHour(), 2);
        pad(b, t.getMinute(), 2);
        pad(b, t.getSecond(), 2);
        b.append('.');
        pad(b, t.getNano() / 1_000_000, 3);
        return b.append('Z').toString();
    }

    private static void pad(StringBuilder b, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) b.append('0');
        b.append(digits);
    }
}
