package roster.webhook;

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
 * Subscriptions in the admin API, on a server with the default settings: loopback and private targets are
 * refused, secrets are write-only, and bad input gets the admin API's error with the JSON path.
 */
class WebhookAdminTest {

    static final String PATH = "/admin/v1/tenants/acme/webhooks";
    /** A public address (no DNS needed); nothing is ever sent to it: no change follows its creation. */
    static final String PUBLIC_URL = "https://93.184.215.14/hooks/roster";
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

    static JsonNode refused(HttpResponse<String> r, int status, String path) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = DemoApps.json(r);
        if (path != null) assertThat(body.path("path").asText()).as(r.body()).isEqualTo(path);
        assertThat(body.has("request_id")).isTrue();
        return body;
    }

    static String standard(String id, String url) {
        return "{\"id\":\"" + id + "\",\"url\":\"" + url + "\",\"format\":\"standard\",\"secret\":\"" + WebhookStandardTest.SECRET + "\"}";
    }

    @Test
    void aSubscriptionIsCreatedReadChangedAndDeletedWithoutEverShowingItsSecret() {
        HttpResponse<String> created = server.admin("POST", PATH, standard("crud", PUBLIC_URL));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode w = DemoApps.json(created);
        assertThat(w.path("position").asLong()).isEqualTo(server.services.changes().lastSequence("acme"));
        assertThat(w.path("events").toString()).isEqualTo("[\"user.created\",\"user.updated\",\"user.deleted\"]");
        assertThat(w.path("paused").asBoolean()).isFalse();
        for (HttpResponse<String> r : java.util.List.of(created, server.admin("GET", PATH, null), server.admin("GET", PATH + "/crud", null))) {
            assertThat(r.body()).doesNotContain("whsec_").doesNotContain("secret");
        }
        refused(server.admin("POST", PATH, standard("crud", PUBLIC_URL)), 409, "$.id");
        HttpResponse<String> patched = server.admin("PATCH", PATH + "/crud", "{\"events\":[\"user.deleted\"],\"paused\":true}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(DemoApps.json(patched).path("events").toString()).isEqualTo("[\"user.deleted\"]");
        assertThat(DemoApps.json(patched).path("paused").asBoolean()).isTrue();
        HttpResponse<String> put = server.admin("PUT", PATH + "/crud", "{\"url\":\"" + PUBLIC_URL + "/2\",\"format\":\"standard\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200); // the secret left out is kept
        assertThat(DemoApps.json(server.admin("GET", PATH + "/crud/deliveries", null)).path("items").size()).isZero();
        assertThat(server.admin("DELETE", PATH + "/crud", null).statusCode()).isEqualTo(204);
        refused(server.admin("GET", PATH + "/crud", null), 404, null);
        refused(server.admin("DELETE", PATH + "/crud", null), 404, null);
        refused(server.admin("GET", PATH + "/crud/deliveries", null), 404, null);
    }

    @Test
    void loopbackAndPrivateTargetsAreRefused() {
        for (String url : new String[] {"http://127.0.0.1:8080/x", "http://localhost/x", "http://10.1.2.3/x", "http://192.168.0.1/",
                "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "http://[fd00::1]/x", "http://100.64.0.1/", "http://0.0.0.0/"}) {
            JsonNode body = refused(server.admin("POST", PATH, standard("private", url)), 400, "$.url");
            assertThat(body.path("message").asText()).as(url).contains("ROSTER_WEBHOOK_ALLOW_PRIVATE");
        }
    }

    @Test
    void badInputGetsTheAdminErrorWithItsPath() {
        refused(server.admin("POST", PATH, "{\"id\":\"b\",\"url\":\"ftp://example.com/\",\"format\":\"standard\",\"secret\":\"" + WebhookStandardTest.SECRET + "\"}"), 400, "$.url");
        refused(server.admin("POST", PATH, "{\"id\":\"b\",\"url\":\"not a url\",\"format\":\"standard\"}"), 400, "$.url");
        refused(server.admin("POST", PATH, "{\"id\":\"b\",\"url\":\"" + PUBLIC_URL + "\",\"format\":\"xml\"}"), 400, "$.format");
        refused(server.admin("POST", PATH, "{\"id\":\"b\",\"url\":\"" + PUBLIC_URL + "\",\"format\":\"standard\"}"), 400, "$.secret");
        refused(server.admin("POST", PATH, "{\"id\":\"b\",\"url\":\"" + PUBLIC_URL + "\",\"format\":\"standard\",\"secret\":\"whsec_short\"}"), 400, "$.secret");
        refused(server.admin("POST", PATH, "{\"id\":\"b\",\"url\":\"" + PUBLIC_URL + "\",\"format\":\"standard\",\"secret\":\"" + WebhookStandardTest.SECRET
                + "\",\"events\":[\"user.renamed\"]}"), 400, "$.events[0]");
        refused(server.admin("POST", PATH, "{\"id\":\"b\",\"url\":\"" + PUBLIC_URL + "\",\"format\":\"feishu\"}"), 400, "$.app");
        refused(server.admin("POST", PATH, "{\"id\":\"b\",\"url\":\"" + PUBLIC_URL + "\",\"format\":\"feishu\",\"app\":\"nope\"}"), 400, "$.app");
        refused(server.admin("POST", PATH, "{\"id\":\"b c\",\"url\":\"" + PUBLIC_URL + "\",\"format\":\"feishu\",\"app\":\"nope\"}"), 400, "$.id");
        refused(server.admin("POST", PATH, "{\"id\":\"b\",\"url\":\"" + PUBLIC_URL + "\",\"format\":\"standard\",\"colour\":1}"), 400, "$.colour");
        refused(server.admin("POST", PATH, "{\"id\":"), 400, "$");
        refused(server.admin("POST", PATH, "[]"), 400, "$");
        refused(server.admin("POST", "/admin/v1/tenants/nowhere/webhooks", standard("b", PUBLIC_URL)), 404, null);
        refused(server.admin("GET", "/admin/v1/tenants/nowhere/webhooks", null), 404, null);
        refused(server.admin("PUT", PATH + "/one", standard("other", PUBLIC_URL)), 400, "$.id");
        refused(server.admin("GET", PATH + "/none/deliveries?limit=0", null), 400, "limit");
        HttpResponse<String> anonymous = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl + PATH)).GET().build());
        refused(anonymous, 401, null);
        assertThat(DemoApps.json(server.admin("GET", PATH, null)).path("items").size()).isZero();
    }
}
