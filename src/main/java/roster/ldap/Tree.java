package roster.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.RDN;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where each thing of a tenant lives in the LDAP tree (the names product.md fixes), and back: {@code o=<tenant>}
 * with {@code ou=people}, {@code ou=departments}, {@code ou=groups} and {@code ou=apps} below it.
 */
final class Tree {

    static final String PEOPLE = "people";
    static final String DEPARTMENTS = "departments";
    static final String GROUPS = "groups";
    static final String APPS = "apps";
    static final Set<String> CONTAINERS = Set.of(PEOPLE, DEPARTMENTS, GROUPS, APPS);

    enum Kind { TENANT, CONTAINER, USER, DEPARTMENT, GROUP, APP }

    /** An entry's place: its tenant, its kind, and its id (the container's name, a uid, a department id, …). */
    record Node(String tenant, Kind kind, String id) {}

    private Tree() {}

    static DN tenant(String tenant) {
        return new DN(new RDN("o", tenant));
    }

    static DN container(String tenant, String container) {
        return new DN(new RDN("ou", container), new RDN("o", tenant));
    }

    static DN user(String tenant, String uid) {
        return below(tenant, PEOPLE, "uid", uid);
    }

    static DN department(String tenant, String id) {
        return below(tenant, DEPARTMENTS, "ou", id);
    }

    static DN group(String tenant, String id) {
        return below(tenant, GROUPS, "cn", id);
    }

    static DN app(String tenant, String id) {
        return below(tenant, APPS, "cn", id);
    }

    private static DN below(String tenant, String container, String attribute, String value) {
        return new DN(new RDN(attribute, value), new RDN("ou", container), new RDN("o", tenant));
    }

    /** The place a DN names, or empty when it is not of Roster's shape (whether it exists is not asked here). */
    static Optional<Node> parse(DN dn) {
        RDN[] rdns = dn.getRDNs(); // leaf first
        if (rdns.length == 0 || rdns.length > 3) return Optional.empty();
        String tenant = value(rdns[rdns.length - 1], "o");
        if (tenant == null) return Optional.empty();
        if (rdns.length == 1) return Optional.of(new Node(tenant, Kind.TENANT, tenant));
        String container = value(rdns[rdns.length - 2], "ou");
        if (container == null || !CONTAINERS.contains(container.toLowerCase(Locale.ROOT))) return Optional.empty();
        container = container.toLowerCase(Locale.ROOT);
        if (rdns.length == 2) return Optional.of(new Node(tenant, Kind.CONTAINER, container));
        String leaf = switch (container) {
            case PEOPLE -> value(rdns[0], "uid");
            case DEPARTMENTS -> value(rdns[0], "ou");
            default -> value(rdns[0], "cn");
        };
        if (leaf == null) return Optional.empty();
        Kind kind = switch (container) {
            case PEOPLE -> Kind.USER;
            case DEPARTMENTS -> Kind.DEPARTMENT;
            case GROUPS -> Kind.GROUP;
            default -> Kind.APP;
        };
        return Optional.of(new Node(tenant, kind, leaf));
    }

    /** The value of a single-valued RDN of this attribute, else null. */
    private static String value(RDN rdn, String attribute) {
        String[] names = rdn.getAttributeNames();
        if (names.length != 1 || !names[0].equalsIgnoreCase(attribute)) return null;
        return rdn.getAttributeValues()[0];
    }
}
