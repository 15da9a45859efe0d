package roster.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;

/**
 * Every dialect's token lives as long as it says and not a moment longer: an expired token (its row's expiry
 * moved into the past, as time would) is refused with the dialect's own code. And a body over the size limit is
 * refused in the dialect's envelope, never with a 5xx.
 */
class TokenLifetimeTest {

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

    private static void expireAllTokens() {
        server.execute("UPDATE tokens SET expires_at = 1");
    }

    @Test
    void tokensAdvertiseTwoHoursAndAreRefusedOnceExpired() {
        JsonNode feishuAnswer = DemoApps.json(DemoApps.postJson(server, "/open-apis/auth/v3/tenant_access_token/internal",
                "{\"app_id\":\"" + DemoApps.FEISHU_APP + "\",\"app_secret\":\"" + DemoApps.FEISHU_SECRET + "\"}"));
        // two hours, or what is left of them when the endpoint hands out the app's current token again
        assertThat(feishuAnswer.path("expire").asInt()).isBetween(7200 - 1800, 7200);
        String feishu = feishuAnswer.path("tenant_access_token").asText();
        JsonNode authingAnswer = DemoApps.json(DemoApps.postJson(server, "/api/v3/get-management-token",
                "{\"accessKeyId\":\"" + DemoApps.AUTHING_APP + "\",\"accessKeySecret\":\"" + DemoApps.AUTHING_SECRET + "\"}"));
        assertThat(authingAnswer.at("/data/expires_in").asInt()).isBetween(7200 - 1800, 7200);
        String authing = authingAnswer.at("/data/access_token").asText();
        String biz = DemoApps.bizToken(server, DemoApps.BIZ_APP, DemoApps.BIZ_SECRET);
        String gateway = DemoApps.enosGatewayToken(server, DemoApps.ENOS_APP, DemoApps.ENOS_SECRET);
        String user = DemoApps.enosLogin(server, gateway, DemoApps.ENOS_SECRET, "zhangsan", "correct horse battery staple");
        String list = "/app-portal-service/v2.2/user/list";

        // alive: every call works
        assertThat(DemoApps.json(DemoApps.feishuGet(server, feishu, "/open-apis/acs/v1/users")).path("code").asInt()).isZero();
        assertThat(DemoApps.json(DemoApps.authingGet(server, authing, "/api/v3/list-users")).path("statusCode").asInt()).isEqualTo(200);
        assertThat(DemoApps.json(DemoApps.bizList(server, biz, DemoApps.BIZ_APP, "1")).path("code").asInt()).isZero();
        assertThat(DemoApps.json(DemoApps.enosPost(server, gateway, DemoApps.ENOS_SECRET, list, "{}", user)).path("code").asInt()).isZero();

        expireAllTokens();
        assertThat(DemoApps.json(DemoApps.feishuGet(server, feishu, "/open-apis/acs/v1/users")).path("code").asInt()).isEqualTo(99991663);
        assertThat(DemoApps.json(DemoApps.authingGet(server, authing, "/api/v3/list-users")).path("statusCode").asInt()).isEqualTo(401);
        assertThat(DemoApps.json(DemoApps.bizList(server, biz, DemoApps.BIZ_APP, "1")).path("code").asInt()).isEqualTo(401);
        JsonNode enos = DemoApps.json(DemoApps.enosPost(server, gateway, DemoApps.ENOS_SECRET, list, "{}", user));
        assertThat(enos.path("status").asInt()).isEqualTo(1203); // the gateway token has expired

        // a fresh gateway token, with the user's token still expired
        String fresh = DemoApps.enosGatewayToken(server, DemoApps.ENOS_APP, DemoApps.ENOS_SECRET);
        assertThat(DemoApps.json(DemoApps.enosPost(server, fresh, DemoApps.ENOS_SECRET, list, "{}", user)).path("code").asInt()).isEqualTo(31401);
    }

    @Test
    void bodiesOverTheLimitAreRefusedInEachDialectsEnvelope() {
        String huge = "{\"name\":\"" + "x".repeat(11 * 1024 * 1024) + "\"}";
        for (String path : new String[] {"/api/v3/create-user", "/open-apis/auth/v3/tenant_access_token/internal",
                "/app-portal-service/v2.2/login", "/oauth2/token", "/admin/v1/tenants"}) {
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl + path))
                    .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(huge)).build());
            assertThat(r.statusCode()).as(path).isLessThan(500);
            assertThat(DemoApps.json(r).isObject()).as(path + ": " + r.body()).isTrue();
        }
    }
}
