package roster.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;

/**
 * custom_data holds JSON that every client can read back: a number that overflows to Infinity (1e999999), or any
 * non-finite value, is refused with the door's own error instead of being stored as "Infinity".
 */
class CustomDataNumbersTest {

    static TestServer server;
    static String authing;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.loadDemo();
        authing = DemoApps.authingToken(server, DemoApps.AUTHING_APP, DemoApps.AUTHING_SECRET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theAdminApiRefusesOverflowingNumbers() {
        for (String value : new String[] {"1e999999", "-1e999999", "[1, {\"deep\": 1e400}]"}) {
            HttpResponse<String> r = server.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"inf\",\"custom_data\":{\"x\":" + value + "}}");
            assertThat(r.statusCode()).as(value + " -> " + r.body()).isEqualTo(400);
            assertThat(DemoApps.json(r).get("path").asText()).startsWith("$.custom_data.x");
        }
        assertThat(server.admin("GET", "/admin/v1/tenants/acme/users/inf", null).statusCode()).isEqualTo(404);
        // large but finite numbers are kept as given
        HttpResponse<String> ok = server.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"fin\",\"custom_data\":{\"x\":1e300,\"y\":12345678901234567890}}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    }

    @Test
    void authingRefusesThemInItsEnvelope() {
        JsonNode r = DemoApps.json(DemoApps.authingPost(server, authing, "/api/v3/create-user",
                "{\"username\":\"infinite\",\"customData\":{\"x\":1e999999}}"));
        assertThat(r.path("statusCode").asInt()).as(r.toString()).isEqualTo(400);
        assertThat(server.sql("SELECT COUNT(*) FROM users WHERE username = 'infinite'")).isEqualTo("0");
    }

    @Test
    void aFixtureWithOneIsRefusedWholly() {
        HttpResponse<String> r = server.admin("POST", "/admin/v1/load",
                "{\"tenants\":[{\"id\":\"acme\",\"users\":[{\"id\":\"nan\",\"custom_data\":{\"n\":1e999999}}]}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("custom_data");
    }
}
