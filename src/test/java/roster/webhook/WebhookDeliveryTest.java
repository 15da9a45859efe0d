package roster.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;
import roster.config.Settings;

/**
 * Delivery under trouble: a consumer that is down for a while gets everything once it recovers, in order; a slow
 * or silent consumer delays neither writes nor other subscriptions; redirects are not followed; a subscription
 * failing long enough is paused, shown so, and resumes on request.
 */
class WebhookDeliveryTest {

    /** As FAST, but a subscription failing for 3 s is paused. */
    static final Settings.WebhookSettings PAUSING = new Settings.WebhookSettings(true, 50, 3_000, 1_000, 100, 400, 3_000, 60_000);
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(s -> s.withWebhooks(PAUSING));
        server.loadDemo();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode webhook(String id) {
        return DemoApps.json(server.admin("GET", "/admin/v1/tenants/acme/webhooks/" + id, null));
    }

    static void createUsers(String prefix, int n) {
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = server.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"" + prefix + i + "\",\"name\":\"N" + i + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
    }

    static List<String> ids(Receiver receiver) {
        return WebhookStandardTest.distinct(receiver).stream().map(r -> WebhookStandardTest.verified(r, WebhookStandardTest.SECRET))
                .map(e -> e.at("/data/id").asText()).toList();
    }

    @Test
    void aConsumerDownForAWhileGetsEverythingInOrderOnceItRecovers() throws Exception {
        try (Receiver receiver = new Receiver()) {
            receiver.answer = r -> new Receiver.Answer(503, "{\"down\":true}", 0);
            WebhookStandardTest.subscribeOn(server, "outage", receiver.url(), "");
            createUsers("down", 20);
            Receiver.await("failures shown", Duration.ofSeconds(10), () -> webhook("outage").has("failing_since"));
            assertThat(webhook("outage").path("last_error").asText()).isEqualTo("HTTP 503");
            // recovers before the pause (3 s of failing): the retries are capped at 400 ms
            receiver.answer = r -> Receiver.Answer.OK;
            Receiver.await("20 events", Duration.ofSeconds(20), () -> WebhookStandardTest.distinct(receiver).size() >= 20);
            List<String> expected = java.util.stream.IntStream.range(0, 20).mapToObj(i -> "down" + i).toList();
            assertThat(ids(receiver)).containsExactlyElementsOf(expected);
            JsonNode state = webhook("outage");
            assertThat(state.has("failing_since")).as(state.toString()).isFalse();
            JsonNode log = DemoApps.json(server.admin("GET", "/admin/v1/tenants/acme/webhooks/outage/deliveries?limit=100", null));
            assertThat(log.at("/items/0/status").asInt()).isEqualTo(200);
            assertThat(log.get("items").findValuesAsText("status")).contains("503");
        } finally {
            server.admin("DELETE", "/admin/v1/tenants/acme/webhooks/outage", null);
        }
    }

    @Test
    void aSlowOrSilentConsumerDelaysNeitherWritesNorOtherSubscriptions() throws Exception {
        try (Receiver slow = new Receiver(); Receiver fast = new Receiver()) {
            slow.answer = r -> new Receiver.Answer(200, "{}", 5_000); // past the 1 s timeout: never answers in time
            WebhookStandardTest.subscribeOn(server, "slow", slow.url(), "");
            WebhookStandardTest.subscribeOn(server, "fast", fast.url(), "");
            long start = System.nanoTime();
            createUsers("busy", 10);
            long writeMillis = (System.nanoTime() - start) / 1_000_000;
            Receiver.await("10 events at the fast consumer", Duration.ofSeconds(10), () -> WebhookStandardTest.distinct(fast).size() >= 10);
            long deliveredMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(writeMillis).as("10 writes while a consumer hangs").isLessThan(5_000);
            assertThat(deliveredMillis).as("the fast consumer is served while the slow one hangs").isLessThan(5_000);
            assertThat(ids(fast)).startsWith("busy0", "busy1");
            Receiver.await("a timeout in the log", Duration.ofSeconds(10), () -> webhook("slow").path("last_error").asText().startsWith("timeout"));
        } finally {
            server.admin("DELETE", "/admin/v1/tenants/acme/webhooks/slow", null);
            server.admin("DELETE", "/admin/v1/tenants/acme/webhooks/fast", null);
        }
    }

    @Test
    void aFailingSubscriptionIsPausedShownAndResumable() throws Exception {
        try (Receiver receiver = new Receiver()) {
            receiver.answer = r -> new Receiver.Answer(302, "{}", 0); // a redirect: not followed, a failure
            WebhookStandardTest.subscribeOn(server, "pausing", receiver.url(), "");
            createUsers("paused", 3);
            Receiver.await("paused", Duration.ofSeconds(15), () -> webhook("pausing").path("paused").asBoolean());
            assertThat(webhook("pausing").path("last_error").asText()).contains("redirects are not followed");
            receiver.answer = r -> Receiver.Answer.OK;
            Thread.sleep(500);
            assertThat(receiver.accepted()).as("a paused subscription is not delivered").isEmpty();
            HttpResponse<String> resumed = server.admin("PATCH", "/admin/v1/tenants/acme/webhooks/pausing", "{\"paused\":false}");
            assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
            Receiver.await("3 events", Duration.ofSeconds(10), () -> WebhookStandardTest.distinct(receiver).size() >= 3);
            assertThat(ids(receiver)).containsExactly("paused0", "paused1", "paused2");
            assertThat(webhook("pausing").path("paused").asBoolean()).isFalse();
        } finally {
            server.admin("DELETE", "/admin/v1/tenants/acme/webhooks/pausing", null);
        }
    }
}
