package roster.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;
import roster.model.Identifiers;

/**
 * Nums are bounded to 2^53 − 1 wherever they are accepted, and a num at the bound does not block the tenant: the
 * next users (admin API and authing create-user alike) get free nums below it, never an overflow or a 500. V7
 * repairs counters an earlier num near 2^63 pushed out of range; its statements run here directly.
 */
class NumBoundsTest {

    static final long MAX = 9007199254740991L;
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

    @Test
    void theBoundIsJavaScriptsLargestExactInteger() {
        assertThat(Identifiers.MAX_NUM).isEqualTo(MAX).isEqualTo((long) Math.pow(2, 53) - 1);
    }

    @Test
    void numsBeyondTheBoundAreRefusedWithTheAdminError() {
        for (String num : new String[] {"9223372036854775806", "9007199254740992", "0", "-1"}) {
            HttpResponse<String> r = server.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"big" + num + "\",\"num\":" + num + "}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(DemoApps.json(r).get("path").asText()).isEqualTo("$.num");
            r = server.admin("POST", "/admin/v1/tenants/acme/departments", "{\"id\":\"big" + num + "\",\"name\":\"x\",\"num\":" + num + "}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        }
        // too large for a long at all: still the admin envelope
        HttpResponse<String> r = server.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"huge\",\"num\":92233720368547758070}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    }

    @Test
    void aNumAtTheBoundDoesNotBlockTheNextUsersOfAnyDoor() {
        assertThat(server.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"top\",\"num\":" + MAX + "}").statusCode()).isEqualTo(201);
        Set<Long> nums = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = server.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"after" + i + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            nums.add(DemoApps.json(r).get("num").asLong());
        }
        assertThat(nums).hasSize(3).allSatisfy(n -> assertThat(n).isBetween(1L, MAX - 1));
        String token = DemoApps.authingToken(server, DemoApps.AUTHING_APP, DemoApps.AUTHING_SECRET);
        JsonNode created = DemoApps.json(DemoApps.authingPost(server, token, "/api/v3/create-user", "{\"username\":\"after-authing\"}"));
        assertThat(created.get("statusCode").asInt()).as(created.toString()).isEqualTo(200);
        long num = Long.parseLong(server.sql("SELECT num FROM users WHERE tenant_id = 'acme' AND username = 'after-authing'"));
        assertThat(num).isBetween(1L, MAX).isNotIn(nums);
    }

    @Test
    void aDepartmentNumAtTheBoundDoesNotHandOutATakenNum() {
        assertThat(server.admin("POST", "/admin/v1/tenants/acme/departments", "{\"id\":\"top\",\"name\":\"Top\",\"num\":" + MAX + "}").statusCode()).isEqualTo(201);
        HttpResponse<String> next = server.admin("POST", "/admin/v1/tenants/acme/departments", "{\"id\":\"next\",\"name\":\"Next\"}");
        assertThat(next.statusCode()).as(next.body()).isEqualTo(201);
        assertThat(DemoApps.json(next).get("num").asLong()).isEqualTo(MAX - 1);
    }

    @Test
    void v7RepairsCountersThatWentOutOfRange() throws IOException {
        server.admin("POST", "/admin/v1/tenants", "{\"id\":\"counters\"}");
        server.admin("POST", "/admin/v1/tenants/counters/users", "{\"id\":\"a\",\"num\":41}");
        server.admin("POST", "/admin/v1/tenants/counters/departments", "{\"id\":\"d\",\"name\":\"D\",\"num\":7}");
        // what a num near 2^63 left behind before the bound: one counter at the top of a long, one overflowed
        server.execute("UPDATE tenants SET next_user_num = 9223372036854775807, next_dept_num = -9223372036854775808 WHERE id = 'counters'");
        for (String statement : v7Statements()) {
            if (statement.startsWith("UPDATE")) server.execute(statement);
        }
        assertThat(server.sql("SELECT next_user_num FROM tenants WHERE id = 'counters'")).isEqualTo("42");
        assertThat(server.sql("SELECT next_dept_num FROM tenants WHERE id = 'counters'")).isEqualTo("8");
        HttpResponse<String> r = server.admin("POST", "/admin/v1/tenants/counters/users", "{\"id\":\"b\"}");
        assertThat(DemoApps.json(r).get("num").asLong()).isEqualTo(42);
        r = server.admin("POST", "/admin/v1/tenants/counters/departments", "{\"id\":\"e\",\"name\":\"E\"}");
        assertThat(DemoApps.json(r).get("num").asLong()).isEqualTo(8);
    }

    private static String[] v7Statements() throws IOException {
        try (InputStream in = NumBoundsTest.class.getResourceAsStream("/db/migration/V7__num_bounds_and_deleted_tenants.sql")) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
            return java.util.Arrays.stream(sql.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toArray(String[]::new);
        }
    }
}
