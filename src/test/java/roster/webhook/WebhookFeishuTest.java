package roster.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.lark.oapi.core.request.EventReq;
import com.lark.oapi.core.response.EventResp;
import com.lark.oapi.event.EventDispatcher;
import com.lark.oapi.service.acs.AcsService;
import com.lark.oapi.service.acs.v1.model.P2UserUpdatedV1;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;

/**
 * The feishu format, judged by the Lark Java SDK's own EventDispatcher (oapi-sdk 2.5.3): it answers the
 * url_verification challenge, checks X-Lark-Signature, decrypts with the app's encrypt key and hands
 * acs.user.updated_v1 to onP2UserUpdatedV1, for the card and face changes of users the app can see, and only those.
 */
class WebhookFeishuTest {

    static final String ENCRYPT_KEY = "roster-test-encrypt-key";
    static final String TOKEN = "roster-test-verification-token";
    static final String ENG_APP = "cli_demo_feishu_eng";
    static final String ENG_SECRET = "feishu-demo-secret-0002";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(s -> s.withWebhooks(WebhookStandardTest.FAST));
        server.loadDemo();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A consumer whose every request goes through the SDK's dispatcher, as a Feishu app's server would do. */
    static final class LarkConsumer {
        final List<P2UserUpdatedV1> events = new CopyOnWriteArrayList<>();
        final List<Integer> statuses = new CopyOnWriteArrayList<>();
        final EventDispatcher dispatcher;

        LarkConsumer(String token, String encryptKey) {
            dispatcher = EventDispatcher.newBuilder(token, encryptKey).onP2UserUpdatedV1(new AcsService.P2UserUpdatedV1Handler() {
                @Override
                public void handle(P2UserUpdatedV1 event) {
                    events.add(event);
                }
            }).build();
        }

        Receiver.Answer answer(Receiver.Request r) {
            EventResp resp = handle(r.headers(), r.body());
            statuses.add(resp.getStatusCode());
            return new Receiver.Answer(resp.getStatusCode(), new String(resp.getBody(), StandardCharsets.UTF_8), 0);
        }

        EventResp handle(java.util.Map<String, List<String>> headers, byte[] body) {
            EventReq req = new EventReq();
            req.setHeaders(headers);
            req.setBody(body);
            try {
                return dispatcher.handle(req);
            } catch (Throwable e) {
                throw new AssertionError(e);
            }
        }
    }

    static void subscribe(String id, String url, String app) {
        HttpResponse<String> created = server.admin("POST", "/admin/v1/tenants/acme/webhooks",
                "{\"id\":\"" + id + "\",\"url\":\"" + url + "\",\"format\":\"feishu\",\"app\":\"" + app + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    static byte[] tinyPng() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    @Test
    void theSdkVerifiesDecryptsAndReadsCardAndFaceChangesOfVisibleUsers() throws Exception {
        HttpResponse<String> keys = server.admin("PATCH", "/admin/v1/tenants/acme/apps/" + ENG_APP,
                "{\"encrypt_key\":\"" + ENCRYPT_KEY + "\",\"verification_token\":\"" + TOKEN + "\"}");
        assertThat(keys.statusCode()).as(keys.body()).isEqualTo(200);
        assertThat(keys.body()).doesNotContain(ENCRYPT_KEY).doesNotContain(TOKEN);
        assertThat(server.admin("GET", "/admin/v1/tenants/acme/apps/" + ENG_APP, null).body()).doesNotContain(ENCRYPT_KEY).doesNotContain(TOKEN);

        LarkConsumer consumer = new LarkConsumer(TOKEN, ENCRYPT_KEY);
        try (Receiver receiver = new Receiver()) {
            receiver.answer = consumer::answer;
            subscribe("lab-doors", receiver.url(), ENG_APP);
            // the URL is verified first: the challenge, encrypted, answered by the SDK
            Receiver.await("the url_verification", Duration.ofSeconds(10), () -> !receiver.accepted().isEmpty());
            Receiver.Request challenge = receiver.accepted().get(0);
            String plain = consumer.dispatcher.decryptEvent(DemoApps.JSON.readTree(challenge.text()).get("encrypt").asText());
            assertThat(DemoApps.JSON.readTree(plain).get("type").asText()).isEqualTo("url_verification");

            // a card through the feishu dialect, on a user the engineering app sees
            String feishu = DemoApps.feishuToken(server, DemoApps.FEISHU_APP, DemoApps.FEISHU_SECRET);
            HttpResponse<String> card = server.send(DemoApps.request(server, "/open-apis/acs/v1/users/u1002?user_id_type=user_id")
                    .header("Authorization", "Bearer " + feishu).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"feature\":{\"card\":777}}")).build());
            assertThat(card.statusCode()).as(card.body()).isEqualTo(200);
            // not events: a change that touches neither card nor face, and a card of a user the app cannot see (sales)
            assertThat(server.admin("PATCH", "/admin/v1/tenants/acme/users/u1002", "{\"nickname\":\"no event\"}").statusCode()).isEqualTo(200);
            assertThat(server.admin("PATCH", "/admin/v1/tenants/acme/users/u1003", "{\"acs\":{\"card\":31337}}").statusCode()).isEqualTo(200);
            // a face (a real PNG) through the admin API
            String face = Base64.getEncoder().encodeToString(tinyPng());
            HttpResponse<String> put = server.admin("PATCH", "/admin/v1/tenants/acme/users/u1005", "{\"acs\":{\"face\":{\"type\":\"png\",\"data\":\"" + face + "\"}}}");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

            Receiver.await("two events", Duration.ofSeconds(15), () -> consumer.events.size() >= 2);
            Thread.sleep(500); // nothing else comes
            assertThat(consumer.events).hasSize(2);
            assertThat(consumer.statuses).containsOnly(200);
            P2UserUpdatedV1 first = consumer.events.get(0);
            assertThat(first.getHeader().getEventType()).isEqualTo("acs.user.updated_v1");
            assertThat(first.getHeader().getAppId()).isEqualTo(ENG_APP);
            assertThat(first.getHeader().getTenantKey()).isEqualTo("acme");
            assertThat(first.getHeader().getToken()).isEqualTo(TOKEN);
            assertThat(first.getEvent().getUserId().getUserId()).isEqualTo("u1002");
            assertThat(first.getEvent().getCard()).isEqualTo(777);
            assertThat(first.getEvent().getFaceUploaded()).isFalse();
            P2UserUpdatedV1 second = consumer.events.get(1);
            assertThat(second.getEvent().getUserId().getUserId()).isEqualTo("u1005");
            assertThat(second.getEvent().getFaceUploaded()).isTrue();
            assertThat(second.getEvent().getCard()).isEqualTo(2147483647);

            // the open id is the app's own: the feishu API finds the user by it
            String openId = first.getEvent().getUserId().getOpenId();
            assertThat(openId).startsWith("ou_");
            assertThat(first.getEvent().getUserId().getUnionId()).startsWith("on_");
            String eng = DemoApps.feishuToken(server, ENG_APP, ENG_SECRET);
            JsonNode byOpenId = DemoApps.json(DemoApps.feishuGet(server, eng, "/open-apis/acs/v1/users/" + openId + "?user_id_type=open_id"));
            assertThat(byOpenId.at("/data/user/feature/card").asInt()).as(byOpenId.toString()).isEqualTo(777);

            // the SDK refuses a body altered by one byte (the signature no longer matches)
            Receiver.Request event = receiver.accepted().get(1);
            byte[] altered = event.body().clone();
            int at = event.text().indexOf("\"encrypt\":\"") + 15;
            altered[at] = (byte) (altered[at] == 'A' ? 'B' : 'A');
            LarkConsumer judge = new LarkConsumer(TOKEN, ENCRYPT_KEY);
            assertThat(judge.handle(event.headers(), altered).getStatusCode()).isEqualTo(500);
            assertThat(judge.events).isEmpty();
            assertThat(judge.handle(event.headers(), event.body()).getStatusCode()).isEqualTo(200);
        } finally {
            server.admin("DELETE", "/admin/v1/tenants/acme/webhooks/lab-doors", null);
        }
    }

    @Test
    void withoutAnEncryptKeyTheEventIsPlainJson() throws Exception {
        LarkConsumer consumer = new LarkConsumer("", "");
        try (Receiver receiver = new Receiver()) {
            receiver.answer = consumer::answer;
            subscribe("all-doors", receiver.url(), DemoApps.FEISHU_APP);
            Receiver.await("the url_verification", Duration.ofSeconds(10), () -> !receiver.accepted().isEmpty());
            assertThat(server.admin("PATCH", "/admin/v1/tenants/acme/users/u1001", "{\"acs\":{\"card\":99}}").statusCode()).isEqualTo(200);
            Receiver.await("the event", Duration.ofSeconds(10), () -> consumer.events.size() >= 1);
            Receiver.Request r = receiver.accepted().get(1);
            JsonNode body = DemoApps.JSON.readTree(r.text());
            assertThat(body.at("/schema").asText()).isEqualTo("2.0");
            assertThat(body.at("/event/card").asInt()).isEqualTo(99);
            assertThat(body.at("/event/face_uploaded").asBoolean()).isTrue();
            assertThat(consumer.events.get(0).getEvent().getUserId().getUserId()).isEqualTo("u1001");
        } finally {
            server.admin("DELETE", "/admin/v1/tenants/acme/webhooks/all-doors", null);
        }
    }

    @Test
    void aUrlThatDoesNotAnswerTheChallengeGetsNoEvents() throws Exception {
        try (Receiver receiver = new Receiver()) {
            receiver.answer = r -> new Receiver.Answer(200, "{}", 0);
            subscribe("no-echo", receiver.url(), DemoApps.FEISHU_APP);
            assertThat(server.admin("PATCH", "/admin/v1/tenants/acme/users/u1001", "{\"acs\":{\"card\":100}}").statusCode()).isEqualTo(200);
            Receiver.await("a failed verification in the log", Duration.ofSeconds(10), () ->
                    server.admin("GET", "/admin/v1/tenants/acme/webhooks/no-echo/deliveries", null).body().contains("does not echo the challenge"));
            assertThat(receiver.accepted()).allMatch(r -> r.text().contains("url_verification"));
        } finally {
            server.admin("DELETE", "/admin/v1/tenants/acme/webhooks/no-echo", null);
        }
    }
}
