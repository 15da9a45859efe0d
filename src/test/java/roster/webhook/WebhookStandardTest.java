package roster.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;
import roster.config.Settings;

/**
 * The standard format, judged by the Standard Webhooks Java library: every change path yields its event, signed
 * so that the library accepts it and refuses any altered byte; a secret rotation signs with both secrets.
 */
class WebhookStandardTest {

    /** Fast delivery for tests: poll 50 ms, lease 3 s, timeout 1.5 s, retries 100-800 ms. */
    static final Settings.WebhookSettings FAST = new Settings.WebhookSettings(true, 50, 3_000, 1_500, 100, 800, 60_000, 60_000);
    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    static final String OTHER_SECRET = "whsec_" + Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8));
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(s -> s.withWebhooks(FAST));
        server.loadDemo();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode subscribe(String id, String url, String extra) {
        return subscribeOn(server, id, url, extra);
    }

    static JsonNode subscribeOn(TestServer server, String id, String url, String extra) {
        HttpResponse<String> created = server.admin("POST", "/admin/v1/tenants/acme/webhooks",
                "{\"id\":\"" + id + "\",\"url\":\"" + url + "\",\"format\":\"standard\",\"secret\":\"" + SECRET + "\"" + extra + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return DemoApps.json(created);
    }

    /** Verifies with the Standard Webhooks library and returns the event. */
    static JsonNode verified(Receiver.Request r, String secret) {
        try {
            new com.standardwebhooks.Webhook(secret).verify(r.text(), r.headers());
        } catch (WebhookVerificationException e) {
            throw new AssertionError("signature refused: " + e.getMessage() + " " + r.headers(), e);
        }
        try {
            return DemoApps.JSON.readTree(r.text());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static List<JsonNode> events(Receiver receiver, int n) {
        Receiver.await(n + " events", Duration.ofSeconds(20), () -> distinct(receiver).size() >= n);
        return distinct(receiver).stream().map(r -> verified(r, SECRET)).toList();
    }

    /** The requests a consumer keeps: one per webhook-id (a repeat is dropped, as Standard Webhooks asks of consumers). */
    static List<Receiver.Request> distinct(Receiver receiver) {
        Set<String> seen = new LinkedHashSet<>();
        List<Receiver.Request> out = new ArrayList<>();
        for (Receiver.Request r : receiver.accepted()) if (seen.add(r.header("webhook-id"))) out.add(r);
        return out;
    }

    @Test
    void everyChangePathYieldsItsEventInOrder() throws Exception {
        try (Receiver receiver = new Receiver()) {
            subscribe("paths", receiver.url(), "");
            // the admin API
            assertThat(server.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"w1\",\"name\":\"Webhook One\",\"departments\":[\"sales\"]}").statusCode()).isEqualTo(201);
            assertThat(server.admin("PATCH", "/admin/v1/tenants/acme/users/w1", "{\"nickname\":\"one\"}").statusCode()).isEqualTo(200);
            // load
            server.load("{\"tenants\":[{\"id\":\"acme\",\"users\":[{\"id\":\"w2\",\"name\":\"Loaded\"}]}]}");
            // feishu card
            String feishu = DemoApps.feishuToken(server, DemoApps.FEISHU_APP, DemoApps.FEISHU_SECRET);
            HttpResponse<String> card = server.send(DemoApps.request(server, "/open-apis/acs/v1/users/u1002?user_id_type=user_id")
                    .header("Authorization", "Bearer " + feishu).header("Content-Type", "application/json")
                    .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"feature\":{\"card\":4242}}")).build());
            assertThat(card.statusCode()).as(card.body()).isEqualTo(200);
            // authing create, update, delete
            String authing = DemoApps.authingToken(server, DemoApps.AUTHING_APP, DemoApps.AUTHING_SECRET);
            JsonNode made = DemoApps.json(DemoApps.authingPost(server, authing, "/api/v3/create-user", "{\"username\":\"hooked\",\"name\":\"Hooked\"}"));
            assertThat(made.path("statusCode").asInt()).as(made.toString()).isEqualTo(200);
            String authingId = made.at("/data/userId").asText();
            assertThat(DemoApps.json(DemoApps.authingPost(server, authing, "/api/v3/update-user",
                    "{\"userId\":\"" + authingId + "\",\"nickname\":\"h\"}")).path("statusCode").asInt()).isEqualTo(200);
            assertThat(DemoApps.json(DemoApps.authingPost(server, authing, "/api/v3/delete-users-batch",
                    "{\"userIds\":[\"" + authingId + "\"]}")).path("statusCode").asInt()).isEqualTo(200);
            // a department move: sales under eng renumbers w1 and the demo's sales users
            assertThat(server.admin("PATCH", "/admin/v1/tenants/acme/departments/sales", "{\"parent\":\"eng\"}").statusCode()).isEqualTo(200);
            // the admin API's delete
            assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/users/w1", null).statusCode()).isEqualTo(204);

            List<JsonNode> events = events(receiver, 11);
            List<String> seen = events.stream().map(e -> e.at("/type").asText() + " " + e.at("/data/id").asText()).toList();
            assertThat(seen.subList(0, 8)).containsExactly("user.created w1", "user.updated w1", "user.created w2", "user.updated u1002",
                    "user.created " + authingId, "user.updated " + authingId, "user.deleted " + authingId, seen.get(7));
            assertThat(seen.subList(7, 10)).containsExactlyInAnyOrder("user.updated w1", "user.updated u1003", "user.updated u1004");
            assertThat(seen.get(10)).isEqualTo("user.deleted w1");
            // in sequence order, no gap
            List<Long> sequences = events.stream().map(e -> e.at("/data/sequence").asLong()).toList();
            for (int i = 1; i < sequences.size(); i++) assertThat(sequences.get(i)).isEqualTo(sequences.get(0) + i);
            // the state each change left when it is the latest; never a secret
            JsonNode cardEvent = events.get(3);
            assertThat(cardEvent.at("/data/user/acs/card").asInt()).isEqualTo(4242);
            assertThat(cardEvent.at("/data/tenant").asText()).isEqualTo("acme");
            // w1's creation was changed again soon after: sent before that, it carries the user, after it, superseded
            JsonNode creation = events.get(0).at("/data");
            assertThat(creation.has("user") ? creation.at("/user/id").asText().equals("w1") : creation.at("/superseded").asBoolean()).isTrue();
            assertThat(events.toString()).doesNotContain("password");
            assertThat(events.get(6).at("/data").has("user")).isFalse();
        }
    }

    @Test
    void signaturesFailOnAnyAlteredByte() throws Exception {
        try (Receiver receiver = new Receiver()) {
            subscribe("bytes", receiver.url(), ",\"events\":[\"user.created\"]");
            server.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"sig1\",\"name\":\"Signed\"}");
            Receiver.Request r = eventsRaw(receiver, 1).get(0);
            verified(r, SECRET);
            assertThatThrownBy(() -> new com.standardwebhooks.Webhook(OTHER_SECRET).verify(r.text(), r.headers()))
                    .isInstanceOf(WebhookVerificationException.class);
            byte[] body = r.body();
            for (int i = 0; i < body.length; i++) {
                byte[] altered = body.clone();
                altered[i] ^= 0x01;
                String text = new String(altered, StandardCharsets.ISO_8859_1);
                int at = i;
                assertThatThrownBy(() -> new com.standardwebhooks.Webhook(SECRET).verify(text, r.headers()))
                        .as("byte %d altered", at).isInstanceOf(WebhookVerificationException.class);
            }
            for (String header : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
                Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                headers.putAll(r.headers());
                String value = r.header(header);
                char last = value.charAt(value.length() - 1);
                headers.put(header, List.of(value.substring(0, value.length() - 1) + (char) (last == '1' ? '2' : '1')));
                assertThatThrownBy(() -> new com.standardwebhooks.Webhook(SECRET).verify(r.text(), headers))
                        .as(header + " altered").isInstanceOf(WebhookVerificationException.class);
            }
        }
    }

    static List<Receiver.Request> eventsRaw(Receiver receiver, int n) {
        Receiver.await(n + " events", Duration.ofSeconds(20), () -> distinct(receiver).size() >= n);
        return distinct(receiver);
    }

    @Test
    void aNewSecretSignsBesideTheOldOneDuringTheRotation() throws Exception {
        try (Receiver receiver = new Receiver()) {
            subscribe("rotate", receiver.url(), ",\"events\":[\"user.created\"]");
            HttpResponse<String> put = server.admin("PATCH", "/admin/v1/tenants/acme/webhooks/rotate", "{\"secret\":\"" + OTHER_SECRET + "\"}");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(put.body()).doesNotContain("whsec_");
            server.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"rot1\",\"name\":\"Rotated\"}");
            Receiver.Request r = eventsRaw(receiver, 1).get(0);
            assertThat(r.header("webhook-signature").split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
            verified(r, OTHER_SECRET);
            verified(r, SECRET);
        }
    }
}
