package roster.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;
import roster.fixture.FixtureWriter;

/**
 * A deletion never leaves a reference to nothing: a department named in a user's admin_of or an app's visible_to
 * is refused with 409 naming the referrer; a user named in an app's visible_to leaves it in the same transaction;
 * an access group's members leave it, each as a change. Afterwards an export with secrets loads into an empty
 * database and gives the same directory, and a department created again under the old id gives nothing back.
 */
class DanglingReferenceTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.load("""
                {"tenants":[{"id":"refs","departments":[{"id":"root","name":"Root"},{"id":"ops","name":"Ops","parent":"root"},
                  {"id":"lab","name":"Lab","parent":"root"}],
                 "access_groups":[{"id":"doors","name":"Doors"}],
                 "users":[{"id":"boss","username":"boss","admin_of":["ops"],"departments":["root"],"acs":{"groups":["doors"]}},
                          {"id":"seen","username":"seen","departments":["root"]}],
                 "apps":[{"id":"refs_app","secret":"refs-app-secret-0001","scopes":["acs:users"],
                          "visible_to":{"departments":["lab"],"users":["seen"]}}]}]}""");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aDepartmentInSomeonesAdminOfIsNotDeleted() {
        HttpResponse<String> r = server.admin("DELETE", "/admin/v1/tenants/refs/departments/ops", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        JsonNode body = DemoApps.json(r);
        assertThat(body.get("error").asText()).isEqualTo("conflict");
        assertThat(body.get("message").asText()).contains("admin_of").contains("boss");
        assertThat(server.admin("GET", "/admin/v1/tenants/refs/departments/ops", null).statusCode()).isEqualTo(200);
        // the user can still be patched (its reference still resolves)
        assertThat(server.admin("PATCH", "/admin/v1/tenants/refs/users/boss", "{\"name\":\"Boss\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void aDepartmentAnAppSeesIsNotDeleted() {
        HttpResponse<String> r = server.admin("DELETE", "/admin/v1/tenants/refs/departments/lab", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        assertThat(DemoApps.json(r).get("message").asText()).contains("visible_to").contains("refs_app");
    }

    @Test
    void aDeletedUserLeavesTheAppsThatNamedItAndARecreatedOneIsNotSeenAgain() {
        server.admin("POST", "/admin/v1/tenants/refs/users", "{\"id\":\"gone\",\"departments\":[\"root\"]}");
        assertThat(server.admin("PATCH", "/admin/v1/tenants/refs/apps/refs_app",
                "{\"visible_to\":{\"departments\":[\"lab\"],\"users\":[\"seen\",\"gone\"]}}").statusCode()).isEqualTo(200);
        assertThat(server.admin("DELETE", "/admin/v1/tenants/refs/users/gone", null).statusCode()).isEqualTo(204);
        JsonNode app = DemoApps.json(server.admin("GET", "/admin/v1/tenants/refs/apps/refs_app", null));
        assertThat(app.get("visible_to").get("users").toString()).isEqualTo("[\"seen\"]");
        server.admin("POST", "/admin/v1/tenants/refs/users", "{\"id\":\"gone\",\"departments\":[\"root\"]}");
        app = DemoApps.json(server.admin("GET", "/admin/v1/tenants/refs/apps/refs_app", null));
        assertThat(app.get("visible_to").get("users").toString()).isEqualTo("[\"seen\"]");
        // the app can still be written back as it is
        assertThat(server.admin("PUT", "/admin/v1/tenants/refs/apps/refs_app", app.toString()).statusCode()).isEqualTo(200);
    }

    @Test
    void anAccessGroupsMembersLeaveItEachAsAChange() {
        server.admin("POST", "/admin/v1/tenants/refs/access-groups", "{\"id\":\"temp\",\"name\":\"Temp\"}");
        server.admin("POST", "/admin/v1/tenants/refs/users", "{\"id\":\"member\",\"acs\":{\"groups\":[\"temp\"]}}");
        long before = server.services.changes().lastSequence("refs");
        assertThat(server.admin("DELETE", "/admin/v1/tenants/refs/access-groups/temp", null).statusCode()).isEqualTo(204);
        JsonNode feed = DemoApps.json(server.admin("GET", "/admin/v1/tenants/refs/changes?after=" + before, null));
        assertThat(feed.get("changes").findValuesAsText("user_id")).containsExactly("member");
        assertThat(DemoApps.json(server.admin("GET", "/admin/v1/tenants/refs/users/member", null)).path("acs").path("groups").size()).isZero();
    }

    @Test
    void anExportWithSecretsLoadsIntoAnEmptyDatabaseAndGivesTheSameDirectory() {
        String exported = export(server);
        try (TestServer empty = TestServer.start()) {
            empty.load(exported);
            assertThat(tree(export(empty))).isEqualTo(tree(exported));
        }
    }

    static String export(TestServer s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FixtureWriter(s.services.directory(), s.services.database()).write(out, null, true);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** An export as a tree, without each user's sequence (the order of sync, which a load numbers anew). */
    static JsonNode tree(String json) {
        try {
            JsonNode tree = DemoApps.JSON.readTree(json);
            tree.findParents("sequence").forEach(p -> ((com.fasterxml.jackson.databind.node.ObjectNode) p).remove("sequence"));
            return tree;
        } catch (java.io.IOException e) {
            throw new AssertionError(json, e);
        }
    }
}
