package roster.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;

/**
 * One person, one identity: usernames, emails and ids are stored in NFC, refused when they hold invisible,
 * control or unpaired surrogate characters or (usernames) mix scripts, and unique by a key that folds case,
 * full-width forms and confusable letters. Each attack of the report, through the admin API and authing.
 */
class LookAlikeIdentityTest {

    static TestServer server;
    static String authing;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.loadDemo();
        authing = DemoApps.authingToken(server, DemoApps.AUTHING_APP, DemoApps.AUTHING_SECRET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> create(String json) {
        return server.admin("POST", "/admin/v1/tenants/acme/users", json);
    }

    private static void refused(HttpResponse<String> r, int status, String messagePart) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = DemoApps.json(r);
        // an unpaired surrogate may already be refused by the HTTP layer's body check (http_400), before validation
        assertThat(body.get("error").asText()).isIn(status == 409 ? "conflict" : "invalid_input", "http_" + status);
        if (body.get("error").asText().startsWith("http_")) return;
        assertThat(body.get("message").asText()).contains(messagePart);
    }

    @Test
    void composedAndDecomposedAreOneUsername() {
        assertThat(create("{\"id\":\"cafe1\",\"username\":\"caf\u00e9\"}").statusCode()).isEqualTo(201);
        refused(create("{\"id\":\"cafe2\",\"username\":\"cafe\u0301\"}"), 409, "belongs to user cafe1");
        // looked up in either form, the one user answers
        JsonNode found = DemoApps.json(DemoApps.authingGet(server, authing,
                "/api/v3/get-user?userIdType=username&userId=" + DemoApps.encode("cafe\u0301")));
        assertThat(found.path("data").path("userId").asText()).as(found.toString()).isEqualTo("cafe1");
    }

    @Test
    void composedAndDecomposedAreOneId() {
        assertThat(create("{\"id\":\"jos\u00e9\"}").statusCode()).isEqualTo(201);
        refused(create("{\"id\":\"jose\u0301\"}"), 409, "exists");
        HttpResponse<String> put = server.admin("PUT", "/admin/v1/tenants/acme/users/" + DemoApps.encode("jose\u0301"), "{\"name\":\"Jos\u00e9\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(DemoApps.json(put).get("id").asText()).isEqualTo("jos\u00e9");
        assertThat(server.sql("SELECT COUNT(*) FROM users WHERE tenant_id = 'acme' AND id LIKE 'jos%'")).isEqualTo("1");
    }

    @Test
    void invisibleCharactersAreRefused() {
        refused(create("{\"id\":\"zw\",\"username\":\"zhangsan\u200b\"}"), 400, "invisible");
        refused(create("{\"id\":\"bom\",\"username\":\"\ufeffzhangsan\"}"), 400, "invisible");
        refused(create("{\"id\":\"u1001\u200b\"}"), 400, "invisible");
        refused(create("{\"id\":\"mail\",\"email\":\"zhangsan\u2060@acme.example\"}"), 400, "invisible");
    }

    @Test
    void mixedScriptsAreRefusedAndWholeScriptLookAlikesAreDuplicates() {
        // Cyrillic а (U+0430) inside a Latin name
        refused(create("{\"id\":\"cyr\",\"username\":\"zh\u0430ngsan\"}"), 400, "mix scripts");
        // wholly Cyrillic "асе" looks like Latin "ace"
        assertThat(create("{\"id\":\"ace\",\"username\":\"ace\"}").statusCode()).isEqualTo(201);
        refused(create("{\"id\":\"ace2\",\"username\":\"\u0430\u0441\u0435\"}"), 409, "looks like");
        // Chinese names and Latin with Han stay allowed
        assertThat(create("{\"id\":\"han\",\"username\":\"\u5f20\u4e09li\"}").statusCode()).isEqualTo(201);
    }

    @Test
    void caseAndFullWidthFormsAreDuplicates() {
        refused(create("{\"id\":\"fw\",\"username\":\"\uff5a\uff48\uff41\uff4e\uff47\uff53\uff41\uff4e\"}"), 409, "u1001");
        refused(create("{\"id\":\"upper\",\"username\":\"ZhangSan\"}"), 409, "u1001");
        refused(create("{\"id\":\"mail2\",\"email\":\"ZHANGSAN@acme.example\"}"), 409, "u1001");
    }

    @Test
    void authingRefusesTheImpostorInItsOwnEnvelope() {
        JsonNode r = DemoApps.json(DemoApps.authingPost(server, authing, "/api/v3/create-user", "{\"username\":\"zhangsan\u200b\"}"));
        assertThat(r.get("statusCode").asInt()).as(r.toString()).isEqualTo(400);
        r = DemoApps.json(DemoApps.authingPost(server, authing, "/api/v3/create-user", "{\"username\":\"Zhangsan\"}"));
        assertThat(r.get("statusCode").asInt()).as(r.toString()).isEqualTo(409);
        JsonNode found = DemoApps.json(DemoApps.authingGet(server, authing, "/api/v3/get-user?userIdType=username&userId=zhangsan"));
        assertThat(found.path("data").path("userId").asText()).isEqualTo("u1001");
    }

    @Test
    void unpairedSurrogatesAreRefusedNotStoredAsQuestionMarks() {
        refused(create("{\"id\":\"sur1\",\"username\":\"a\\ud800b\"}"), 400, "surrogate");
        refused(create("{\"id\":\"sur2\",\"name\":\"\\udc00\"}"), 400, "surrogate");
        refused(create("{\"id\":\"\\ud800\"}"), 400, "surrogate");
        JsonNode r = DemoApps.json(DemoApps.authingPost(server, authing, "/api/v3/create-user", "{\"username\":\"x\\ud800\"}"));
        assertThat(r.get("statusCode").asInt()).as(r.toString()).isEqualTo(400);
    }

    @Test
    void aLoneSurrogateLooksUpNobody() {
        for (String path : new String[] {"/api/v3/update-user", "/api/v3/delete-users-batch"}) {
            String body = path.endsWith("update-user") ? "{\"userId\":\"\\ud800\",\"nickname\":\"x\"}" : "{\"userIds\":[\"\\ud800\"]}";
            HttpResponse<String> r = DemoApps.authingPost(server, authing, path, body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(DemoApps.json(r).get("statusCode").asInt()).as(path + " " + r.body()).isBetween(200, 499);
        }
        HttpResponse<String> r = DemoApps.authingGet(server, authing, "/api/v3/get-user?userIdType=username&userId=%ED%A0%80");
        assertThat(DemoApps.json(r).get("statusCode").asInt()).as(r.body()).isBetween(400, 499);
        // invalid UTF-8 in the path is refused at the door (400), or finds nobody (404)
        assertThat(server.admin("GET", "/admin/v1/tenants/acme/users/%ED%A0%80", null).statusCode()).isIn(400, 404);
    }

    @Test
    void keysOfUsersStoredBeforeV8AreFilledAtStart() {
        // as a database migrated to V8 with users stored before it
        server.execute("UPDATE users SET username_key = NULL, email_key = NULL WHERE tenant_id = 'acme'");
        server.execute("DELETE FROM settings WHERE name = 'identity_keys'");
        try (TestServer second = server.alongside(s -> s)) {
            assertThat(second.sql("SELECT COUNT(*) FROM users WHERE username IS NOT NULL AND username_key IS NULL")).isEqualTo("0");
            refused(second.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"again\",\"username\":\"ZHANGSAN\"}"), 409, "u1001");
        }
    }
}
