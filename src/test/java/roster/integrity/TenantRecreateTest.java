package roster.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;

/**
 * A tenant deleted and created again under the same id continues its predecessor's sequence and nums: a client
 * that synced the old tenant up to N never meets a number at or below N again, finds a tombstone for every user
 * the deletion removed (admin change feed), and a bizapi client syncing by lastSequence finds the new users.
 */
class TenantRecreateTest {

    static TestServer server;

    static final String TENANT = """
            {"tenants":[{"id":"re","departments":[{"id":"org","num":1,"name":"Org"}],
             "users":[%s],
             "apps":[{"id":"re_biz","secret":"recreate-secret-0001","scopes":["bizapi:org-users"],"visible_to":"all"}]}]}""";

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aRecreatedTenantContinuesItsSequenceAndNumsAndLeavesTombstones() {
        server.load(TENANT.formatted("{\"id\":\"a\",\"departments\":[\"org\"]},{\"id\":\"b\",\"departments\":[\"org\"]},"
                + "{\"id\":\"c\",\"departments\":[\"org\"]}"));
        // a bizapi client syncs the org: three users, lastSequence 3
        String token = DemoApps.bizToken(server, "re_biz", "recreate-secret-0001");
        JsonNode first = DemoApps.json(server.send(DemoApps.request(server, "/user/list?accessToken=" + DemoApps.encode(token)
                + "&orgId=1&lastSequence=0").header("X-App-Id", "re_biz").GET().build()));
        assertThat(first.path("data").size()).as(first.toString()).isEqualTo(3);
        long seen = 0, largestNum = 0;
        for (JsonNode u : first.path("data")) {
            seen = Math.max(seen, u.path("lastSequence").asLong());
            largestNum = Math.max(largestNum, u.path("userId").asLong());
        }
        assertThat(seen).isEqualTo(3);

        assertThat(server.admin("DELETE", "/admin/v1/tenants/re", null).statusCode()).isEqualTo(204);
        server.load(TENANT.formatted("{\"id\":\"x\",\"departments\":[\"org\"]}"));

        // the admin feed after what the client saw: a tombstone for each old user, then the new user, all above 3
        JsonNode feed = DemoApps.json(server.admin("GET", "/admin/v1/tenants/re/changes?after=" + seen, null));
        List<String> tombstones = new ArrayList<>();
        for (JsonNode change : feed.path("changes")) {
            assertThat(change.path("sequence").asLong()).isGreaterThan(seen);
            if (change.path("deleted").asBoolean()) tombstones.add(change.path("user_id").asText());
        }
        assertThat(tombstones).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(feed.path("changes").findValuesAsText("user_id")).contains("x");

        // the bizapi client, asking after what it saw, finds the new user under a num it never saw
        token = DemoApps.bizToken(server, "re_biz", "recreate-secret-0001");
        JsonNode after = DemoApps.json(server.send(DemoApps.request(server, "/user/list?accessToken=" + DemoApps.encode(token)
                + "&orgId=1&lastSequence=" + seen).header("X-App-Id", "re_biz").GET().build()));
        assertThat(after.path("data").size()).as(after.toString()).isEqualTo(1);
        assertThat(after.path("data").get(0).path("lastSequence").asLong()).isGreaterThan(seen);
        assertThat(after.path("data").get(0).path("userId").asLong()).isGreaterThan(largestNum);
        // a department num is not handed out twice either
        JsonNode dept = DemoApps.json(server.admin("POST", "/admin/v1/tenants/re/departments", "{\"id\":\"new\",\"name\":\"New\"}"));
        assertThat(dept.path("num").asLong()).isGreaterThan(1);
    }

    @Test
    void aDeletedTenantIsGoneFromEveryList() {
        server.admin("POST", "/admin/v1/tenants", "{\"id\":\"gone\"}");
        server.admin("POST", "/admin/v1/tenants/gone/users", "{\"id\":\"u\"}");
        assertThat(server.admin("DELETE", "/admin/v1/tenants/gone", null).statusCode()).isEqualTo(204);
        assertThat(server.admin("GET", "/admin/v1/tenants/gone", null).statusCode()).isEqualTo(404);
        assertThat(server.admin("GET", "/admin/v1/tenants/gone/users", null).statusCode()).isEqualTo(404);
        assertThat(server.sql("SELECT COUNT(*) FROM users WHERE tenant_id = 'gone'")).isEqualTo("0");
        assertThat(server.admin("DELETE", "/admin/v1/tenants/gone", null).statusCode()).isEqualTo(404);
    }
}
