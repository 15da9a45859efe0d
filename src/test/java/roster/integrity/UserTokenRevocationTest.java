package roster.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;

/**
 * A signed-in user's EnOS token dies with the password it was signed in with: changed through any door, or the
 * user deleted, the old token is refused in EnOS's own envelope; other changes leave it alone.
 */
class UserTokenRevocationTest {

    static final String PASSWORD = "correct horse battery staple";
    static final String LIST = "/app-portal-service/v2.2/user/list";
    static final String BODY = "{\"pagination\":{\"pageNo\":1,\"pageSize\":10}}";
    static TestServer server;
    static String gateway;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.loadDemo();
        gateway = DemoApps.enosGatewayToken(server, DemoApps.ENOS_APP, DemoApps.ENOS_SECRET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode list(String userToken) {
        return DemoApps.json(DemoApps.enosPost(server, gateway, DemoApps.ENOS_SECRET, LIST, BODY, userToken));
    }

    @Test
    void aPasswordChangeRevokesTheUsersTokens() {
        String token = DemoApps.enosLogin(server, gateway, DemoApps.ENOS_SECRET, "zhangsan", PASSWORD);
        assertThat(list(token).path("code").asInt()).isZero();
        // another change keeps it
        assertThat(server.admin("PATCH", "/admin/v1/tenants/acme/users/u1001", "{\"nickname\":\"Z\"}").statusCode()).isEqualTo(200);
        assertThat(list(token).path("code").asInt()).isZero();
        // the same password given again is no change
        assertThat(server.admin("PATCH", "/admin/v1/tenants/acme/users/u1001", "{\"password\":\"" + PASSWORD + "\"}").statusCode()).isEqualTo(200);
        assertThat(list(token).path("code").asInt()).isZero();

        assertThat(server.admin("PATCH", "/admin/v1/tenants/acme/users/u1001", "{\"password\":\"a new one entirely\"}").statusCode()).isEqualTo(200);
        JsonNode refused = list(token);
        assertThat(refused.path("code").asInt()).as(refused.toString()).isEqualTo(31401);
        assertThat(DemoApps.enosLogin(server, gateway, DemoApps.ENOS_SECRET, "zhangsan", "a new one entirely")).isNotBlank();
        // put the password back for the other tests
        server.admin("PATCH", "/admin/v1/tenants/acme/users/u1001", "{\"password\":\"" + PASSWORD + "\"}");
    }

    @Test
    void aDeletedUsersTokenIsRevoked() {
        assertThat(server.admin("POST", "/admin/v1/tenants/acme/users",
                "{\"id\":\"leaver\",\"username\":\"leaver\",\"password\":\"leaver-password\",\"admin_of\":[\"*\"]}").statusCode()).isEqualTo(201);
        String token = DemoApps.enosLogin(server, gateway, DemoApps.ENOS_SECRET, "leaver", "leaver-password");
        assertThat(list(token).path("code").asInt()).isZero();
        assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/users/leaver", null).statusCode()).isEqualTo(204);
        assertThat(list(token).path("code").asInt()).isEqualTo(31401);
    }
}
