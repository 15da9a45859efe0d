package roster.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.TestServer;
import roster.model.CanonicalJson;

/** The admin API: CRUD on every kind of record, the change feed, and clear errors for bad input. */
class AdminApiTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.loadDemo();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return CanonicalJson.MAPPER.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(r.body(), e);
        }
    }

    @Test
    void tenantsCanBeCreatedReadRenamedAndDeleted() {
        assertThat(server.admin("POST", "/admin/v1/tenants", "{\"id\":\"t1\",\"name\":\"One\"}").statusCode()).isEqualTo(201);
        assertThat(server.admin("POST", "/admin/v1/tenants", "{\"id\":\"t1\"}").statusCode()).isEqualTo(409);
        assertThat(json(server.admin("GET", "/admin/v1/tenants/t1", null)).get("name").asText()).isEqualTo("One");
        assertThat(server.admin("PATCH", "/admin/v1/tenants/t1", "{\"name\":\"Uno\"}").statusCode()).isEqualTo(200);
        assertThat(json(server.admin("GET", "/admin/v1/tenants", null)).get("items").toString()).contains("Uno").contains("acme");
        assertThat(server.admin("DELETE", "/admin/v1/tenants/t1", null).statusCode()).isEqualTo(204);
        assertThat(server.admin("GET", "/admin/v1/tenants/t1", null).statusCode()).isEqualTo(404);
    }

    @Test
    void departmentsKeepTheirNumAndRefuseCyclesAndNonEmptyDeletes() {
        var created = server.admin("POST", "/admin/v1/tenants/acme/departments", "{\"id\":\"ops\",\"name\":\"Ops\",\"parent\":\"acme\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long num = json(created).get("num").asLong();
        assertThat(num).isGreaterThan(20);
        var renamed = server.admin("PUT", "/admin/v1/tenants/acme/departments/ops", "{\"name\":\"Operations\",\"parent\":\"acme\"}");
        assertThat(json(renamed).get("num").asLong()).isEqualTo(num);
        var cycle = server.admin("PATCH", "/admin/v1/tenants/acme/departments/acme", "{\"parent\":\"ops\"}");
        assertThat(cycle.statusCode()).isEqualTo(400);
        assertThat(json(cycle).get("message").asText()).contains("cycle");
        assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/departments/eng", null).statusCode()).isEqualTo(409);
        assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/departments/ops", null).statusCode()).isEqualTo(204);
    }

    @Test
    void movingADepartmentIsAChangeOfEveryUserBelowIt() {
        assertThat(server.admin("POST", "/admin/v1/tenants/acme/departments", "{\"id\":\"lab\",\"name\":\"Lab\",\"parent\":\"sales\"}").statusCode()).isEqualTo(201);
        assertThat(server.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"mover\",\"departments\":[\"lab\"]}").statusCode()).isEqualTo(201);
        long before = server.services.changes().lastSequence("acme");
        assertThat(server.admin("PATCH", "/admin/v1/tenants/acme/departments/lab", "{\"parent\":\"eng\"}").statusCode()).isEqualTo(200);
        JsonNode feed = json(server.admin("GET", "/admin/v1/tenants/acme/changes?after=" + before, null));
        assertThat(feed.get("changes").findValuesAsText("user_id")).containsExactly("mover");
        // a rename is no move: nobody changes
        long after = server.services.changes().lastSequence("acme");
        assertThat(server.admin("PATCH", "/admin/v1/tenants/acme/departments/lab", "{\"name\":\"Lab 2\"}").statusCode()).isEqualTo(200);
        assertThat(server.services.changes().lastSequence("acme")).isEqualTo(after);
    }

    @Test
    void usersAreCreatedReplacedPatchedAndDeletedEachAsAChange() {
        long before = server.services.changes().lastSequence("acme");
        var created = server.admin("POST", "/admin/v1/tenants/acme/users",
                "{\"id\":\"n1\",\"username\":\"newbie\",\"email\":\"n1@acme.example\",\"password\":\"s3cret-pass\",\"departments\":[\"sales\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("password").doesNotContain("s3cret");
        assertThat(json(created).get("sequence").asLong()).isEqualTo(before + 1);
        assertThat(server.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"n1\"}").statusCode()).isEqualTo(409);
        var taken = server.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"n2\",\"username\":\"newbie\"}");
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(json(taken).get("path").asText()).isEqualTo("$.username");

        var patched = server.admin("PATCH", "/admin/v1/tenants/acme/users/n1", "{\"status\":\"suspended\",\"custom_data\":{\"k\":1}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).get("status").asText()).isEqualTo("suspended");
        assertThat(json(patched).get("username").asText()).isEqualTo("newbie");
        // the password survives a patch that does not name it
        String hash = server.sql("SELECT password_hash FROM users WHERE id = 'n1'");
        assertThat(roster.crypto.Passwords.verify("s3cret-pass", hash)).isTrue();

        var replaced = server.admin("PUT", "/admin/v1/tenants/acme/users/n1", "{\"name\":\"Only a name\"}");
        assertThat(json(replaced).has("username")).isFalse();
        assertThat(json(replaced).get("num").asLong()).isEqualTo(json(created).get("num").asLong());

        assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/users/n1", null).statusCode()).isEqualTo(204);
        assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/users/n1", null).statusCode()).isEqualTo(404);
        JsonNode feed = json(server.admin("GET", "/admin/v1/tenants/acme/changes?after=" + before, null));
        assertThat(feed.get("changes")).hasSize(4);
        assertThat(feed.get("changes").get(3).get("deleted").asBoolean()).isTrue();
        assertThat(feed.get("changes").get(0).get("superseded").asBoolean()).isTrue();
    }

    @Test
    void appsNeverShowTheirSecretAndANewSecretIsAccepted() {
        var created = server.admin("POST", "/admin/v1/tenants/acme/apps",
                "{\"id\":\"app_x\",\"secret\":\"0123456789abcdef-x\",\"scopes\":[\"acs:users\"],\"visible_to\":{\"departments\":[\"eng\"],\"users\":[]}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("0123456789abcdef");
        assertThat(server.admin("GET", "/admin/v1/tenants/acme/apps/app_x", null).body()).doesNotContain("secret");
        assertThat(server.admin("GET", "/admin/v1/tenants/acme/apps", null).body()).doesNotContain("secret");
        assertThat(server.admin("PATCH", "/admin/v1/tenants/acme/apps/app_x", "{\"secret\":\"fedcba9876543210-y\"}").statusCode()).isEqualTo(200);
        assertThat(server.services.apps().authenticate("app_x", "0123456789abcdef-x")).isEmpty();
        assertThat(server.services.apps().authenticate("app_x", "fedcba9876543210-y")).isPresent();
        var noSecret = server.admin("POST", "/admin/v1/tenants/acme/apps", "{\"id\":\"app_y\"}");
        assertThat(noSecret.statusCode()).isEqualTo(400);
        assertThat(json(noSecret).get("path").asText()).isEqualTo("$.secret");
    }

    @Test
    void accessGroupsCanBeDeletedAndTheirMembersLeaveThem() {
        assertThat(server.admin("POST", "/admin/v1/tenants/acme/access-groups", "{\"id\":\"tmp\",\"name\":\"Tmp\"}").statusCode()).isEqualTo(201);
        server.admin("PATCH", "/admin/v1/tenants/acme/users/u1004", "{\"acs\":{\"groups\":[\"tmp\"]}}");
        assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/access-groups/tmp", null).statusCode()).isEqualTo(204);
        assertThat(json(server.admin("GET", "/admin/v1/tenants/acme/users/u1004", null)).at("/acs/groups")).isEmpty();
    }

    @Test
    void userListsPageWithOpaqueCursorsAndFilter() {
        JsonNode page = json(server.admin("GET", "/admin/v1/tenants/acme/users?limit=4&status=active", null));
        assertThat(page.get("items")).hasSizeLessThanOrEqualTo(4);
        page.get("items").forEach(u -> assertThat(u.get("status").asText()).isEqualTo("active"));
        JsonNode eng = json(server.admin("GET", "/admin/v1/tenants/acme/users?department=eng", null));
        assertThat(eng.get("items").findValuesAsText("id")).containsExactly("u1001", "u1002", "u1005");
        var forged = server.admin("GET", "/admin/v1/tenants/acme/users?cursor=AQAAAAAAAAPqrT6OGpLTS74Yfbn2Lc3OjQ", null);
        assertThat(forged.statusCode()).isEqualTo(400);
    }

    @Test
    void badInputIsA400WithThePathNeverA500() {
        String[][] cases = {
                {"POST", "/admin/v1/tenants/acme/users", "{not json"},
                {"POST", "/admin/v1/tenants/acme/users", "[]"},
                {"POST", "/admin/v1/tenants/acme/users", "{\"id\":\"\"}"},
                {"POST", "/admin/v1/tenants/acme/users", "{\"id\":\"x y\"}"},
                {"POST", "/admin/v1/tenants/acme/users", "{\"id\":\"z\",\"gender\":\"robot\"}"},
                {"PUT", "/admin/v1/tenants/acme/users/u1001", "{\"id\":\"other\"}"},
                {"GET", "/admin/v1/tenants/acme/users?limit=-1", null},
                {"GET", "/admin/v1/tenants/acme/users?limit=abc", null},
                {"GET", "/admin/v1/tenants/acme/users?status=gone", null},
                {"GET", "/admin/v1/tenants/acme/changes?after=x", null},
                {"POST", "/admin/v1/tenants", "{\"id\":\"../etc\"}"},
        };
        for (String[] c : cases) {
            var r = server.admin(c[0], c[1], c[2]);
            assertThat(r.statusCode()).as(String.join(" ", c) + " -> " + r.body()).isEqualTo(400);
            assertThat(json(r).get("message").asText()).isNotBlank();
        }
        assertThat(server.admin("GET", "/admin/v1/tenants/nope/users", null).statusCode()).isEqualTo(404);
    }
}
