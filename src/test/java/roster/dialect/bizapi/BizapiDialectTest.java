package roster.dialect.bizapi;

import static org.assertj.core.api.Assertions.assertThat;
import static roster.dialect.bizapi.BizapiClient.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.TestServer;

/** The bizapi wire: the client credentials token and the organisation user list with incremental sync. */
class BizapiDialectTest {

    static final String APP = "biz_demo_app";
    static final String SECRET = "bizapi-demo-secret-001";
    static TestServer server;
    static BizapiClient client;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.loadDemo();
        client = new BizapiClient(server, APP, SECRET);
        client.fetchToken();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ---- token

    @Test
    void clientCredentialsInTheFormGiveABearerToken() {
        HttpResponse<String> response = client.tokenRequest("grant_type=client_credentials&client_id=" + APP + "&client_secret=" + SECRET, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode token = json(response);
        assertThat(token.path("access_token").asText()).startsWith("AT-");
        assertThat(token.path("token_type").asText()).isEqualTo("bearer");
        assertThat(token.path("expires_in").asLong()).isEqualTo(7200);
    }

    @Test
    void clientCredentialsByHttpBasicToo() {
        String basic = "Basic " + Base64.getEncoder().encodeToString((APP + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = client.tokenRequest("grant_type=client_credentials", basic);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String wrong = "Basic " + Base64.getEncoder().encodeToString((APP + ":nope").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> refused = client.tokenRequest("grant_type=client_credentials", wrong);
        assertOAuth(refused, 401, "invalid_client");
        assertThat(refused.headers().firstValue("WWW-Authenticate")).isPresent();
        assertOAuth(client.tokenRequest("grant_type=client_credentials", "Basic %%%"), 401, "invalid_client");
    }

    @Test
    void tokenErrorsFollowRfc6749() {
        assertOAuth(client.tokenRequest("grant_type=client_credentials&client_id=" + APP + "&client_secret=wrong-secret-123", null), 401, "invalid_client");
        assertOAuth(client.tokenRequest("grant_type=client_credentials&client_id=nobody&client_secret=" + SECRET, null), 401, "invalid_client");
        assertOAuth(client.tokenRequest("client_id=" + APP + "&client_secret=" + SECRET, null), 400, "invalid_request");
        assertOAuth(client.tokenRequest("grant_type=password&client_id=" + APP + "&client_secret=" + SECRET, null), 400, "unsupported_grant_type");
        assertOAuth(client.tokenRequest("grant_type=client_credentials&grant_type=client_credentials&client_id=" + APP
                + "&client_secret=" + SECRET, null), 400, "invalid_request");
        assertOAuth(client.tokenRequest("grant_type=client_credentials&client_id=cli_demo_feishu&client_secret=feishu-demo-secret-0001", null),
                400, "unauthorized_client");
        HttpResponse<String> asJson = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl + "/oauth2/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"client_credentials\"}")).build());
        assertOAuth(asJson, 400, "invalid_request");
    }

    // ---- user list

    @Test
    void fullSyncOfTheAcmeOrgInPagesOfTwoThenOnlyWhatChanged() {
        BizapiClient sync = new BizapiClient(server, APP, SECRET);
        sync.fetchToken();
        assertThat(sync.sync(1, 2)).isEqualTo(3);
        // every user in a department under acme, every status; u1006 belongs to no department
        assertThat(sync.users.keySet()).containsExactlyInAnyOrder(1001L, 1002L, 1003L, 1004L, 1005L);
        JsonNode zhang = sync.users.get(1001L);
        assertThat(zhang.path("nickname").asText()).isEqualTo("三哥");
        assertThat(zhang.path("account").asText()).isEqualTo("zhangsan");
        assertThat(zhang.path("avatar").asText()).isEqualTo("https://img.acme.example/u1001.png");
        assertThat(zhang.path("gender").asInt()).isEqualTo(1);
        assertThat(sync.users.get(1002L).path("gender").asInt()).isEqualTo(2);
        assertThat(sync.users.get(1004L).path("gender").asInt()).isZero();
        assertThat(sync.users.get(1004L).path("nickname").asText()).isEmpty();

        assertThat(sync.pull(1, 2)).isEmpty();
        long before = sync.lastSequence;
        assertThat(server.admin("PATCH", "/admin/v1/tenants/acme/users/u1003", "{\"nickname\":\"老王\"}").statusCode()).isEqualTo(200);
        assertThat(server.admin("PATCH", "/admin/v1/tenants/acme/users/u1003", "{\"gender\":\"unknown\"}").statusCode()).isEqualTo(200);
        JsonNode changed = sync.pull(1, 2);
        assertThat(changed).hasSize(1); // changed twice, listed once with its latest sequence
        assertThat(changed.get(0).path("userId").asLong()).isEqualTo(1003);
        assertThat(changed.get(0).path("nickname").asText()).isEqualTo("老王");
        assertThat(changed.get(0).path("gender").asInt()).isZero();
        assertThat(changed.get(0).path("lastSequence").asLong()).isGreaterThan(before);
        assertThat(sync.pull(1, 2)).isEmpty();
    }

    @Test
    void aPageIsInSequenceOrderAndTheAnswerHasTheDocumentedEnvelope() {
        HttpResponse<String> response = client.listRequest(client.accessToken, APP, "1", "0", null);
        JsonNode answer = json(response);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(answer.path("code").asInt()).isZero();
        assertThat(answer.path("status").asText()).isEqualTo("success");
        assertThat(answer.path("message").asText()).isNotEmpty();
        List<Long> sequences = new ArrayList<>();
        answer.path("data").forEach(u -> sequences.add(u.path("lastSequence").asLong()));
        assertThat(sequences).isSorted().doesNotHaveDuplicates();
        assertThat(answer.path("data").get(0).size()).isEqualTo(6);
    }

    @Test
    void anOrgIsItsWholeSubtree() {
        List<Long> ids = new ArrayList<>();
        json(client.listRequest(client.accessToken, APP, "10", null, "1000")).path("data").forEach(u -> ids.add(u.path("userId").asLong()));
        assertThat(ids).containsExactlyInAnyOrder(1001L, 1002L, 1005L);
    }

    @Test
    void badParametersAre400() {
        String t = client.accessToken;
        assertFail(client.listRequest(t, APP, null, null, null), 400);
        assertFail(client.listRequest(t, APP, "abc", null, null), 400);
        assertFail(client.listRequest(t, APP, "1", "-1", null), 400);
        assertFail(client.listRequest(t, APP, "1", "x", null), 400);
        assertFail(client.listRequest(t, APP, "1", null, "0"), 400);
        assertFail(client.listRequest(t, APP, "1", null, "1001"), 400);
        assertFail(client.listRequest(t, APP, "99999999999999999999", null, null), 400);
    }

    @Test
    void badTokensOrAppsAre401() {
        assertFail(client.listRequest(null, APP, "1", null, null), 401);
        assertFail(client.listRequest("AT-" + "A".repeat(54), APP, "1", null, null), 401);
        assertFail(client.listRequest(client.accessToken, null, "1", null, null), 401);
        // a token is valid only with its own app's X-App-Id
        assertFail(client.listRequest(client.accessToken, "cli_demo_feishu", "1", null, null), 401);
    }

    @Test
    void unknownOrgIs404AndAnOrgTheAppSeesNoPartOfIs403() {
        assertFail(client.listRequest(client.accessToken, APP, "999", null, null), 404);
        HttpResponse<String> created = server.admin("POST", "/admin/v1/tenants/acme/apps",
                "{\"id\":\"biz_sales_app\",\"secret\":\"biz-sales-secret-0001\",\"scopes\":[\"bizapi:org-users\"],"
                        + "\"visible_to\":{\"departments\":[\"sales\"],\"users\":[\"u1005\"]}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        BizapiClient sales = new BizapiClient(server, "biz_sales_app", "biz-sales-secret-0001");
        sales.fetchToken();
        assertFail(sales.listRequest(sales.accessToken, "biz_sales_app", "11", null, null), 403); // eng-platform
        // the whole org, of which the app sees sales and the user u1005
        sales.sync(1, 1000);
        assertThat(sales.users.keySet()).containsExactlyInAnyOrder(1003L, 1004L, 1005L);
        // eng: the app sees none of its departments, but it sees u1005 by name
        BizapiClient eng = new BizapiClient(server, "biz_sales_app", "biz-sales-secret-0001");
        eng.accessToken = sales.accessToken;
        eng.sync(10, 1000);
        assertThat(eng.users.keySet()).containsExactly(1005L);
    }

    // ---- helpers

    static void assertOAuth(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response).path("error").asText()).isEqualTo(error);
        assertThat(json(response).path("error_description").asText()).isNotEmpty();
    }

    static void assertFail(HttpResponse<String> response, int code) {
        JsonNode answer = json(response);
        assertThat(answer.path("code").asInt()).as(response.body()).isEqualTo(code);
        assertThat(answer.path("status").asText()).isEqualTo("fail");
        assertThat(answer.path("data").isObject() && answer.path("data").isEmpty()).isTrue();
        assertThat(answer.path("message").asText()).isNotEmpty();
        assertThat(response.statusCode()).isEqualTo(code);
    }
}
