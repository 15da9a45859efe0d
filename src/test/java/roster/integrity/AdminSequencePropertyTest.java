package roster.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import roster.TestServer;

/**
 * Random sequences of admin operations (departments created, moved and deleted, users and apps naming them,
 * access groups, deletions of each) through the admin API: every answer is a success or a refusal in the admin
 * envelope (never a 5xx), and afterwards the tenant's export with secrets loads into an empty database and gives
 * the same directory back. A dangling reference (the bug this guards) makes that load fail.
 */
class AdminSequencePropertyTest {

    private static final List<String> DEPARTMENTS = List.of("d1", "d2", "d3");
    private static final List<String> USERS = List.of("u1", "u2", "u3");
    private static final List<String> GROUPS = List.of("g1", "g2");
    private static final AtomicInteger TENANTS = new AtomicInteger();
    private static TestServer server;
    private static TestServer empty;

    @BeforeContainer
    static void start() {
        server = TestServer.start();
        empty = TestServer.start();
    }

    @AfterContainer
    static void stop() {
        server.close();
        empty.close();
    }

    /** One admin call: a method, a path below the tenant, a body. */
    record Op(String method, String path, String body) {
        @Override
        public String toString() {
            return method + " " + path + (body == null ? "" : " " + body);
        }
    }

    @Property(tries = 30)
    void anyAdminSequenceLeavesAnExportThatLoadsIntoAnEmptyDatabase(@ForAll("sequences") List<Op> ops) {
        String tenant = "p" + TENANTS.incrementAndGet();
        assertThat(server.admin("POST", "/admin/v1/tenants", "{\"id\":\"" + tenant + "\"}").statusCode()).isEqualTo(201);
        // every department and group exists at first, so that most generated writes name things that exist
        List<Op> all = new ArrayList<>();
        DEPARTMENTS.forEach(d -> all.add(new Op("PUT", "/departments/" + d, "{\"name\":\"" + d + "\"}")));
        GROUPS.forEach(g -> all.add(new Op("PUT", "/access-groups/" + g, "{\"name\":\"" + g + "\"}")));
        all.addAll(ops);
        for (Op op : all) {
            String path = "/admin/v1/tenants/" + tenant + op.path().replace("APP", tenant + "_app");
            HttpResponse<String> r = server.admin(op.method(), path, op.body() == null ? null : op.body().replace("APP", tenant + "_app"));
            assertThat(r.statusCode()).as(op + " -> " + r.body()).isIn(200, 201, 204, 400, 404, 409);
            if (r.statusCode() >= 400) assertThat(r.body()).as(op.toString()).contains("\"error\"").contains("\"request_id\"");
        }
        String exported = exportOf(server, tenant);
        HttpResponse<String> loaded = empty.admin("POST", "/admin/v1/load", exported);
        assertThat(loaded.statusCode()).as("load of " + exported + " -> " + loaded.body()).isEqualTo(200);
        assertThat(DanglingReferenceTest.tree(exportOf(empty, tenant))).isEqualTo(DanglingReferenceTest.tree(exported));
    }

    private static String exportOf(TestServer s, String tenant) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        new roster.fixture.FixtureWriter(s.services.directory(), s.services.database()).write(out, tenant, true);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<List<Op>> sequences() {
        return op().list().ofMinSize(1).ofMaxSize(25);
    }

    private Arbitrary<Op> op() {
        Arbitrary<String> dept = Arbitraries.of(DEPARTMENTS);
        Arbitrary<String> user = Arbitraries.of(USERS);
        Arbitrary<String> group = Arbitraries.of(GROUPS);
        Arbitrary<List<String>> depts = Arbitraries.of(DEPARTMENTS).set().ofMaxSize(2).map(ArrayList::new);
        Arbitrary<List<String>> users = Arbitraries.of(USERS).set().ofMaxSize(2).map(ArrayList::new);
        Arbitrary<List<String>> groups = Arbitraries.of(GROUPS).set().ofMaxSize(2).map(ArrayList::new);
        Arbitrary<String> parent = Arbitraries.of(DEPARTMENTS).injectNull(0.4);
        return Arbitraries.oneOf(
                Combinators.combine(dept, parent).as((d, p) -> new Op("PUT", "/departments/" + d,
                        "{\"name\":\"" + d + "\"" + (p == null ? "" : ",\"parent\":\"" + p + "\"") + "}")),
                dept.map(d -> new Op("DELETE", "/departments/" + d, null)),
                group.map(g -> new Op("PUT", "/access-groups/" + g, "{\"name\":\"" + g + "\"}")),
                group.map(g -> new Op("DELETE", "/access-groups/" + g, null)),
                Combinators.combine(user, depts, depts, groups).as((u, in, admin, gs) -> new Op("PUT", "/users/" + u,
                        "{\"username\":\"" + u + "\",\"password\":\"pw-" + u + "\",\"departments\":" + json(in)
                                + ",\"admin_of\":" + json(admin) + ",\"acs\":{\"groups\":" + json(gs) + "}}")),
                user.map(u -> new Op("DELETE", "/users/" + u, null)),
                Combinators.combine(depts, users).as((ds, us) -> new Op("PUT", "/apps/APP",
                        "{\"secret\":\"property-secret-0001\",\"scopes\":[\"acs:users\"],\"visible_to\":{\"departments\":"
                                + json(ds) + ",\"users\":" + json(us) + "}}")),
                Arbitraries.just(new Op("DELETE", "/apps/APP", null)));
    }

    private static String json(List<String> ids) {
        return ids.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "[", "]"));
    }
}
