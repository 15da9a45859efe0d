package roster.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
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

    /**
     * Sends the call BURST times at once (sent one after another, on a loaded machine a burst can span more
     * windows than the limit allows for); every answer is a success or a refusal, and all but the calls that the
     * windows the burst spanned let through are refusals.
     */
    private static List<HttpResponse<String>> refusals(Supplier<HttpResponse<String>> call, int okStatus) {
        long start = System.currentTimeMillis();
        List<HttpResponse<String>> answers = burst(call);
        long windows = System.currentTimeMillis() / 1000 - start / 1000 + 1;
        List<HttpResponse<String>> refused = answers.stream().filter(r -> r.statusCode() != okStatus).toList();
        assertThat(refused).hasSizeGreaterThanOrEqualTo((int) Math.min(BURST - 2 * LIMIT, BURST - windows * LIMIT));
        assertThat(refused).isNotEmpty();
        return refused;
    }

    private static List<HttpResponse<String>> burst(Supplier<HttpResponse<String>> call) {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(BURST);
        try {
            for (int i = 0; i < BURST; i++) calls.add(CompletableFuture.supplyAsync(call, pool));
            return calls.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void feishuAnswers99991400With429AndItsHeaders() {
        String token = DemoApps.feishuToken(server, DemoApps.FEISHU_APP, DemoApps.FEISHU_SECRET);
        for (HttpResponse<String> r : refusals(() -> DemoApps.feishuGet(server, token, "/open-apis/acs/v1/users"), 200)) {
            assertThat(r.statusCode()).isEqualTo(429);
            JsonNode body = DemoApps.json(r);
            assertThat(body.path("code").asInt()).isEqualTo(99991400);
            assertThat(body.path("msg").asText()).isEqualTo("request trigger frequency limit");
            assertThat(r.headers().firstValue("x-ogw-ratelimit-limit")).hasValue(String.valueOf(LIMIT));
            assertThat(r.headers().firstValue("x-ogw-ratelimit-reset").map(Long::parseLong).orElseThrow()).isBetween(1L, 1L);
            assertThat(r.headers().firstValue("X-Tt-Logid")).isPresent();
        }
    }

    @Test
    void authingAnswersStatusCode429InItsHttp200Envelope() {
        String token = DemoApps.authingToken(server, DemoApps.AUTHING_APP, DemoApps.AUTHING_SECRET);
        List<HttpResponse<String>> answers = burst(() -> DemoApps.authingGet(server, token, "/api/v3/list-users"));
        assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        List<HttpResponse<String>> refused = answers.stream().filter(r -> DemoApps.json(r).path("statusCode").asInt() != 200).toList();
        assertThat(refused).isNotEmpty();
        for (HttpResponse<String> r : refused) {
            JsonNode body = DemoApps.json(r);
            assertThat(body.path("statusCode").asInt()).isEqualTo(429);
            assertThat(body.path("requestId").asText()).isNotEmpty();
        }
    }

    @Test
    void enosGatewayAnswersInItsEnvelopeWithHttp429() {
        String token = DemoApps.enosGatewayToken(server, DemoApps.ENOS_APP, DemoApps.ENOS_SECRET);
        // the list without a signed-in user is refused (31401) once through the gateway: the limit comes first
        for (HttpResponse<String> r : refusals(() -> DemoApps.enosPost(server, token, DemoApps.ENOS_SECRET,
                "/app-portal-service/v2.2/user/list", "{}", null), 401)) {
            assertThat(r.statusCode()).isEqualTo(429);
            JsonNode body = DemoApps.json(r);
            assertThat(body.path("status").asInt()).isEqualTo(429);
            assertThat(body.path("business").asText()).isEqualTo("apim-token-service");
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
        }
    }

    @Test
    void bizapiAnswersItsFailEnvelopeWith429AndTheTokenEndpointSlowDown() {
        String token = DemoApps.bizToken(server, DemoApps.BIZ_APP, DemoApps.BIZ_SECRET);
        for (HttpResponse<String> r : refusals(() -> DemoApps.bizList(server, token, DemoApps.BIZ_APP, "1"), 200)) {
            assertThat(r.statusCode()).isEqualTo(429);
            JsonNode body = DemoApps.json(r);
            assertThat(body.path("code").asInt()).isEqualTo(429);
            assertThat(body.path("status").asText()).isEqualTo("fail");
            assertThat(body.path("data").isObject()).isTrue();
        }
        HttpResponse<String> last = null;
        for (int i = 0; i < BURST; i++) {
            last = server.send(DemoApps.request(server, "/oauth2/token").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                            + DemoApps.BIZ_APP + "&client_secret=" + DemoApps.BIZ_SECRET)).build());
            if (last.statusCode() == 429) break;
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(DemoApps.json(last).path("error").asText()).isEqualTo("slow_down");
    }

    @Test
    void anotherAppKeepsItsOwnAllowance() {
        String token = DemoApps.feishuToken(server, "cli_demo_feishu_eng", "feishu-demo-secret-0002");
        // one call right after another app's burst: its own window is fresh
        String other = DemoApps.bizToken(server, DemoApps.BIZ_APP, DemoApps.BIZ_SECRET);
        refusals(() -> DemoApps.bizList(server, other, DemoApps.BIZ_APP, "1"), 200);
        assertThat(DemoApps.feishuGet(server, token, "/open-apis/acs/v1/users").statusCode()).isEqualTo(200);
    }

    @Test
    void twoServersOnOneDatabaseShareTheCounter() {
        try (TestServer second = server.alongside(TestServer.rateLimit(LIMIT))) {
            String token = DemoApps.feishuToken(server, "cli_demo_feishu_eng", "feishu-demo-secret-0002");
            int passed = 0;
            long start = System.currentTimeMillis();
            for (int i = 0; i < BURST; i++) {
                TestServer target = i % 2 == 0 ? server : second;
                if (DemoApps.feishuGet(target, token, "/open-apis/acs/v1/users").statusCode() == 200) passed++;
            }
            long windows = System.currentTimeMillis() / 1000 - start / 1000 + 1;
            // one counter for both: at most LIMIT per window; two counters would let twice as many through
            assertThat(passed).isLessThanOrEqualTo((int) (LIMIT * windows));
        }
    }
}
