package roster.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import roster.TestServer;

/**
 * ROSTER_RATE_LIMIT: calls of one app over the limit of a one-second window are refused in each dialect's own
 * form, and the counter is shared by every server on one database.
 */
class RateLimitTest {

    private static final int LIMIT = 5;
    /** Calls in a burst: even spread over two windows, at most 2 × LIMIT can pass. */
    private static final int BURST = 4 * LIMIT;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.rateLimit(LIMIT));
        server.loadDemo();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Each test starts in a fresh window, so that the previous test's calls do not count against it. */
    @BeforeEach
    void nextWindow() throws InterruptedException {
        Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 5);
    }

    /** Sends the call BURST times; every answer is either a success or a refusal, and some are refusals. */
    private static List<HttpResponse<String>> refusals(Supplier<HttpResponse<String>> call, int okStatus) {
        List<HttpResponse<String>> refused = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            HttpResponse<String> response = call.get();
            if (response.statusCode() != okStatus || response.body().contains("429")) refused.add(response);
        }
        assertThat(refused).hasSizeGreaterThanOrEqualTo(BURST - 2 * LIMIT);
        return refused;
    }

    @Test
    void feishuAnswers99991400With429AndItsHeaders() {
        String token = Wire.feishuToken(server, Wire.FEISHU_APP, Wire.FEISHU_SECRET);
        for (HttpResponse<String> r : refusals(() -> Wire.feishuGet(server, token, "/open-apis/acs/v1/users"), 200)) {
            assertThat(r.statusCode()).isEqualTo(429);
            JsonNode body = Wire.json(r);
            assertThat(body.path("code").asInt()).isEqualTo(99991400);
            assertThat(body.path("msg").asText()).isEqualTo("request trigger frequency limit");
            assertThat(r.headers().firstValue("x-ogw-ratelimit-limit")).hasValue(String.valueOf(LIMIT));
            assertThat(r.headers().firstValue("x-ogw-ratelimit-reset").map(Long::parseLong).orElseThrow()).isBetween(1L, 1L);
            assertThat(r.headers().firstValue("X-Tt-Logid")).isPresent();
        }
    }

    @Test
    void authingAnswersStatusCode429InItsHttp200Envelope() {
        String token = Wire.authingToken(server, Wire.AUTHING_APP, Wire.AUTHING_SECRET);
        List<HttpResponse<String>> refused = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            HttpResponse<String> r = Wire.authingGet(server, token, "/api/v3/list-users");
            assertThat(r.statusCode()).isEqualTo(200);
            if (Wire.json(r).path("statusCode").asInt() != 200) refused.add(r);
        }
        assertThat(refused).hasSizeGreaterThanOrEqualTo(BURST - 2 * LIMIT);
        for (HttpResponse<String> r : refused) {
            JsonNode body = Wire.json(r);
            assertThat(body.path("statusCode").asInt()).isEqualTo(429);
            assertThat(body.path("requestId").asText()).isNotEmpty();
        }
    }

    @Test
    void enosGatewayAnswersInItsEnvelopeWithHttp429() {
        String token = Wire.enosGatewayToken(server, Wire.ENOS_APP, Wire.ENOS_SECRET);
        // the list without a signed-in user is refused (31401) once through the gateway: the limit comes first
        for (HttpResponse<String> r : refusals(() -> Wire.enosPost(server, token, Wire.ENOS_SECRET,
                "/app-portal-service/v2.2/user/list", "{}", null), 401)) {
            assertThat(r.statusCode()).isEqualTo(429);
            JsonNode body = Wire.json(r);
            assertThat(body.path("status").asInt()).isEqualTo(429);
            assertThat(body.path("business").asText()).isEqualTo("apim-token-service");
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
        }
    }

    @Test
    void bizapiAnswersItsFailEnvelopeWith429AndTheTokenEndpointSlowDown() {
        String token = Wire.bizToken(server, Wire.BIZ_APP, Wire.BIZ_SECRET);
        for (HttpResponse<String> r : refusals(() -> Wire.bizList(server, token, Wire.BIZ_APP, "1"), 200)) {
            assertThat(r.statusCode()).isEqualTo(429);
            JsonNode body = Wire.json(r);
            assertThat(body.path("code").asInt()).isEqualTo(429);
            assertThat(body.path("status").asText()).isEqualTo("fail");
            assertThat(body.path("data").isObject()).isTrue();
        }
        HttpResponse<String> last = null;
        for (int i = 0; i < BURST; i++) {
            last = server.send(Wire.request(server, "/oauth2/token").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                            + Wire.BIZ_APP + "&client_secret=" + Wire.BIZ_SECRET)).build());
            if (last.statusCode() == 429) break;
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(Wire.json(last).path("error").asText()).isEqualTo("slow_down");
    }

    @Test
    void anotherAppKeepsItsOwnAllowance() {
        String token = Wire.feishuToken(server, "cli_demo_feishu_eng", "feishu-demo-secret-0002");
        // one call right after another app's burst: its own window is fresh
        String other = Wire.bizToken(server, Wire.BIZ_APP, Wire.BIZ_SECRET);
        refusals(() -> Wire.bizList(server, other, Wire.BIZ_APP, "1"), 200);
        assertThat(Wire.feishuGet(server, token, "/open-apis/acs/v1/users").statusCode()).isEqualTo(200);
    }

    @Test
    void twoServersOnOneDatabaseShareTheCounter() {
        try (TestServer second = server.alongside(TestServer.rateLimit(LIMIT))) {
            String token = Wire.feishuToken(server, "cli_demo_feishu_eng", "feishu-demo-secret-0002");
            int passed = 0;
            long start = System.currentTimeMillis();
            for (int i = 0; i < BURST; i++) {
                TestServer target = i % 2 == 0 ? server : second;
                if (Wire.feishuGet(target, token, "/open-apis/acs/v1/users").statusCode() == 200) passed++;
            }
            long windows = System.currentTimeMillis() / 1000 - start / 1000 + 1;
            // one counter for both: at most LIMIT per window; two counters would let twice as many through
            assertThat(passed).isLessThanOrEqualTo((int) (LIMIT * windows));
        }
    }
}
