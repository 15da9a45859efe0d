package roster.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;

/**
 * App ids cannot be probed: on every door that takes an app's id and proves its secret (token endpoints, authing's
 * per-request signature, the EnOS gateway), an unknown id and a known id with a wrong secret get the same answer,
 * and take the same work. Timing is compared generously (medians of interleaved calls), so that a loaded machine
 * does not make the test flaky: it catches a path that skips the secret entirely, not microseconds.
 */
class AppIdProbeTest {

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

    /** The status and body of an answer without what differs per request (its id). */
    private static String answer(HttpResponse<String> r) {
        JsonNode body = DemoApps.json(r);
        for (String field : List.of("request_id", "requestId", "log_id")) {
            body.findParents(field).forEach(p -> ((ObjectNode) p).remove(field));
        }
        return r.statusCode() + " " + body;
    }

    private static void sameAnswer(Function<String, HttpResponse<String>> call, String knownId) {
        String unknown = answer(call.apply("no_such_app_" + UUID.randomUUID().toString().substring(0, 8)));
        String wrongSecret = answer(call.apply(knownId));
        assertThat(unknown).isEqualTo(wrongSecret);
        assertThat(unknown).doesNotContainIgnoringCase("unknown").doesNotContainIgnoringCase("not exist");
    }

    static HttpResponse<String> feishuToken(String appId) {
        return DemoApps.postJson(server, "/open-apis/auth/v3/tenant_access_token/internal",
                "{\"app_id\":\"" + appId + "\",\"app_secret\":\"wrong-secret-of-enough-length\"}");
    }

    @Test
    void feishuTokenEndpoint() {
        sameAnswer(AppIdProbeTest::feishuToken, DemoApps.FEISHU_APP);
    }

    @Test
    void authingManagementToken() {
        sameAnswer(id -> DemoApps.postJson(server, "/api/v3/get-management-token",
                "{\"accessKeyId\":\"" + id + "\",\"accessKeySecret\":\"wrong-secret-of-enough-length\"}"), DemoApps.AUTHING_APP);
    }

    @Test
    void authingSignedRequest() {
        sameAnswer(id -> server.send(DemoApps.request(server, "/api/v3/list-users?page=1&limit=1")
                .header("Authorization", "authing " + id + ":bm90IGEgc2lnbmF0dXJl")
                .header("x-authing-signature-method", "HMAC-SHA1")
                .header("x-authing-signature-version", "1.0")
                .header("x-authing-signature-nonce", UUID.randomUUID().toString())
                .header("date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .GET().build()), DemoApps.AUTHING_APP);
    }

    @Test
    void bizapiClientCredentials() {
        sameAnswer(id -> server.send(DemoApps.request(server, "/oauth2/token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + id
                        + "&client_secret=wrong-secret-of-enough-length")).build()), DemoApps.BIZ_APP);
    }

    @Test
    void enosGatewayToken() {
        long now = System.currentTimeMillis();
        sameAnswer(id -> DemoApps.postJson(server, "/apim-token-service/v2.0/token/get",
                "{\"appKey\":\"" + id + "\",\"encryption\":\"" + DemoApps.sha256Hex(id + now + "wrong") + "\",\"timestamp\":" + now + "}"),
                DemoApps.ENOS_APP);
    }

    @Test
    void anUnknownAppTakesAsLongAsAWrongSecret() {
        for (int i = 0; i < 10; i++) { // warm up both paths
            feishuToken("warm_up_unknown");
            feishuToken(DemoApps.FEISHU_APP);
        }
        List<Long> unknown = new ArrayList<>(), wrong = new ArrayList<>();
        for (int i = 0; i < 41; i++) { // interleaved, so load on the machine falls on both alike
            unknown.add(timed(() -> feishuToken("probe_" + UUID.randomUUID().toString().substring(0, 8))));
            wrong.add(timed(() -> feishuToken(DemoApps.FEISHU_APP)));
        }
        double ratio = (double) median(unknown) / median(wrong);
        assertThat(ratio).as("median unknown %d ns, wrong secret %d ns", median(unknown), median(wrong)).isBetween(0.33, 3.0);
    }

    private static long timed(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return System.nanoTime() - start;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
