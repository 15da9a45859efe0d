package roster.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;
import roster.config.Settings;

/**
 * DNS rebinding: a name that passed the check when its subscription was written and resolves to a loopback address
 * when a delivery connects. The HTTP client's own resolver judges the addresses it connects to, so nothing is
 * sent. Played with two servers on one database: one that allows private targets writes the subscription (as a
 * name that resolved publicly then would pass), one with the rule on delivers it; the name is `localhost`.
 */
class WebhookRebindingTest {

    static final Settings.WebhookSettings ALLOW = new Settings.WebhookSettings(true, 50, 3_000, 1_000, 100, 400, 60_000, 60_000);
    static final Settings.WebhookSettings GUARD = new Settings.WebhookSettings(false, 50, 3_000, 1_000, 100, 400, 60_000, 60_000);

    @Test
    void aNameThatResolvesToLoopbackAtConnectTimeGetsNothing() throws Exception {
        assertThat(InetAddress.getByName("localhost").isLoopbackAddress()).isTrue();
        try (Receiver receiver = new Receiver(); TestServer guarded = TestServer.start(s -> s.withWebhooks(GUARD))) {
            guarded.loadDemo();
            String url = receiver.url().replace("127.0.0.1", "localhost");
            try (TestServer open = guarded.alongside(s -> s.withWebhooks(ALLOW))) {
                var created = open.admin("POST", "/admin/v1/tenants/acme/webhooks", WebhookAdminTest.standard("rebind", url));
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            }
            assertThat(guarded.admin("PATCH", "/admin/v1/tenants/acme/users/u1002", "{\"nickname\":\"rebound\"}").statusCode()).isEqualTo(200);
            Receiver.await("the refusal logged", Duration.ofSeconds(20), () -> hook(guarded).has("last_error"));
            assertThat(hook(guarded).path("last_error").asText()).contains("loopback").contains("ROSTER_WEBHOOK_ALLOW_PRIVATE");
            JsonNode attempt = DemoApps.json(guarded.admin("GET", "/admin/v1/tenants/acme/webhooks/rebind/deliveries", null)).path("items").get(0);
            assertThat(attempt.path("status").asInt()).isZero();
            assertThat(attempt.path("error").asText()).startsWith("target refused");
            assertThat(hook(guarded).path("position").asLong()).isLessThan(guarded.services.changes().lastSequence("acme"));
            Thread.sleep(500); // retries come every few hundred milliseconds: none gets through either
            assertThat(receiver.requests).isEmpty();
        }
    }

    static JsonNode hook(TestServer server) {
        return DemoApps.json(server.admin("GET", "/admin/v1/tenants/acme/webhooks/rebind", null));
    }
}
