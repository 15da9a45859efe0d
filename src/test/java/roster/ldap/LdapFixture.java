package roster.ldap;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import roster.TestServer;
import roster.config.Settings;

/**
 * A real server with its LDAP listener on a free port, the demo directory plus some bulk users to page through,
 * and apps with scope ldap: one that sees everyone, one that sees the eng department only.
 */
final class LdapFixture {

    static final String ALL_APP = "ldap-all";
    static final String ALL_DN = "cn=ldap-all,ou=apps,o=acme";
    static final String ENG_DN = "cn=ldap-eng,ou=apps,o=acme";
    static final String SECRET = "ldap-test-secret-0001";
    static final String PEOPLE = "ou=people,o=acme";
    static final int BULK = 30;

    private LdapFixture() {}

    static TestServer start() {
        return start(UnaryOperator.identity());
    }

    static TestServer start(UnaryOperator<Settings> tweak) {
        TestServer server = TestServer.start(s -> tweak.apply(s.withLdapPort(0)));
        server.loadDemo();
        StringBuilder users = new StringBuilder();
        for (int i = 0; i < BULK; i++) {
            if (i > 0) users.append(',');
            users.append(String.format("{\"id\":\"b%02d\",\"username\":\"bulk%02d\",\"name\":\"Bulk %02d\",\"departments\":[\"sales\"]}", i, i, i));
        }
        server.load("{\"tenants\":[{\"id\":\"acme\",\"users\":[" + users + "]}]}");
        createApp(server, "ldap-all", "\"all\"");
        createApp(server, "ldap-eng", "{\"departments\":[\"eng\"],\"users\":[]}");
        return server;
    }

    static void createApp(TestServer server, String id, String visibleTo) {
        var created = server.admin("POST", "/admin/v1/tenants/acme/apps", "{\"id\":\"" + id + "\",\"secret\":\"" + SECRET
                + "\",\"name\":\"LDAP test\",\"scopes\":[\"ldap\"],\"visible_to\":" + visibleTo + "}");
        if (created.statusCode() / 100 != 2) throw new AssertionError("app refused: " + created.body());
    }

    static int port(TestServer server) {
        return frontEnd(server).port();
    }

    static LdapFrontEnd frontEnd(TestServer server) {
        return server.server.frontEnds().stream().filter(LdapFrontEnd.class::isInstance).map(LdapFrontEnd.class::cast)
                .findFirst().orElseThrow();
    }

    /** Every uid of the directory: the demo's six (u1006 has no username) and the bulk users. */
    static List<String> allUids() {
        List<String> uids = new ArrayList<>(List.of("zhangsan", "lisi", "wangwu", "zhaoliu", "ada", "u1006"));
        for (int i = 0; i < BULK; i++) uids.add(String.format("bulk%02d", i));
        return uids;
    }
}
