package roster.dialect.authing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.TestServer;

/**
 * Authing's wire as a client without the Java SDK sees it: the token endpoint, the Bearer form, the Node SDK's
 * per-request signature (written here from the documented algorithm), and the envelope of every refusal.
 */
class AuthingWireTest {

    static final String AK = "ak_demo_authing";
    static final String SECRET = "authing-demo-secret-0001";
    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.loadDemo();
        server.admin("POST", "/admin/v1/tenants/acme/apps", """
                {"id":"ak_eng_only","secret":"authing-eng-secret-0001","scopes":["authing:management"],
                 "visible_to":{"departments":["eng"],"users":[]}}""");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ---- token

    @Test
    void theTokenIsAJwtCarryingTheUserPoolId() throws Exception {
        JsonNode answer = post("/api/v3/get-management-token", Map.of("accessKeyId", AK, "accessKeySecret", SECRET), null);
        assertThat(answer.get("statusCode").asInt()).isEqualTo(200);
        assertThat(answer.at("/data/expires_in").asLong()).isEqualTo(7200);
        String[] parts = answer.at("/data/access_token").asText().split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header.get("alg").asText()).isEqualTo("HS256");
        assertThat(claims.get("scoped_userpool_id").asText()).isEqualTo("acme");
        assertThat(claims.get("jti").asText()).isNotBlank();
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(7200);
    }

    @Test
    void badCredentialsAre401AndAMissingScopeIs403AllWithHttp200() {
        HttpResponse<String> wrong = send("POST", "/api/v3/get-management-token",
                "{\"accessKeyId\":\"" + AK + "\",\"accessKeySecret\":\"nope-nope-nope-nope\"}", Map.of());
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(tree(wrong).get("statusCode").asInt()).isEqualTo(401);
        assertThat(tree(wrong).get("requestId").asText()).isEqualTo(wrong.headers().firstValue("X-Request-Id").orElseThrow());
        JsonNode forbidden = post("/api/v3/get-management-token",
                Map.of("accessKeyId", "biz_demo_app", "accessKeySecret", "bizapi-demo-secret-001"), null);
        assertThat(forbidden.get("statusCode").asInt()).isEqualTo(403);
        JsonNode missing = post("/api/v3/get-management-token", Map.of("accessKeyId", AK), null);
        assertThat(missing.get("statusCode").asInt()).isEqualTo(400);
        HttpResponse<String> junk = send("POST", "/api/v3/get-management-token", "{not json", Map.of());
        assertThat(tree(junk).get("statusCode").asInt()).isEqualTo(400);
    }

    @Test
    void rawAndBearerTokensBothWorkAndAForgedOneDoesNot() {
        String token = token(AK, SECRET);
        assertThat(tree(get("/api/v3/list-users?limit=2", token)).at("/data/totalCount").asInt()).isEqualTo(6);
        assertThat(tree(get("/api/v3/list-users?limit=2", "Bearer " + token)).at("/data/list").size()).isEqualTo(2);
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";
        assertThat(tree(get("/api/v3/list-users", forged)).get("statusCode").asInt()).isEqualTo(401);
        assertThat(tree(get("/api/v3/list-users", null)).get("statusCode").asInt()).isEqualTo(401);
    }

    @Test
    void rotatingTheSecretRevokesTheToken() {
        server.admin("POST", "/admin/v1/tenants/acme/apps", """
                {"id":"ak_rotating","secret":"authing-rotate-secret-01","scopes":["authing:management"]}""");
        String token = token("ak_rotating", "authing-rotate-secret-01");
        assertThat(tree(get("/api/v3/list-users", token)).get("statusCode").asInt()).isEqualTo(200);
        server.admin("PATCH", "/admin/v1/tenants/acme/apps/ak_rotating", "{\"secret\":\"authing-rotate-secret-02\"}");
        assertThat(tree(get("/api/v3/list-users", token)).get("statusCode").asInt()).isEqualTo(401);
    }

    // ---- the Node SDK's signature

    @Test
    void signedGetAndPostAreAcceptedOnce() {
        HttpResponse<String> list = signed("GET", "/api/v3/list-users", Map.of("page", "1", "limit", "3", "status", "Activated"),
                null, SECRET, System.currentTimeMillis(), UUID.randomUUID().toString());
        assertThat(tree(list).get("statusCode").asInt()).as(list.body()).isEqualTo(200);
        assertThat(tree(list).at("/data/totalCount").asInt()).isEqualTo(4);

        String nonce = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        String body = "{\"keywords\":\"ada\",\"options\":{\"pagination\":{\"page\":1,\"limit\":10}}}";
        HttpResponse<String> post = signed("POST", "/api/v3/list-users", Map.of(), body, SECRET, now, nonce);
        assertThat(tree(post).get("statusCode").asInt()).as(post.body()).isEqualTo(200);
        assertThat(tree(post).at("/data/list/0/userId").asText()).isEqualTo("u1005");

        HttpResponse<String> replay = signed("POST", "/api/v3/list-users", Map.of(), body, SECRET, now, nonce);
        assertThat(tree(replay).get("statusCode").asInt()).isEqualTo(401);
        assertThat(tree(replay).get("message").asText()).contains("nonce");
    }

    @Test
    void aStaleDateOrAWrongSecretIsRefused() {
        HttpResponse<String> stale = signed("GET", "/api/v3/list-users", Map.of(), null, SECRET,
                System.currentTimeMillis() - 20 * 60_000, UUID.randomUUID().toString());
        assertThat(tree(stale).get("statusCode").asInt()).isEqualTo(401);
        HttpResponse<String> wrong = signed("GET", "/api/v3/list-users", Map.of(), null, "some-other-secret-000",
                System.currentTimeMillis(), UUID.randomUUID().toString());
        assertThat(tree(wrong).get("statusCode").asInt()).isEqualTo(401);
        assertThat(tree(wrong).get("message").asText()).contains("signature");
    }

    // ---- refusals in the envelope

    @Test
    void badParametersAre400NeverA500() {
        String token = token(AK, SECRET);
        for (String query : new String[] {"limit=51", "limit=0", "page=0", "page=x", "status=Gone", "withCustomData=maybe"}) {
            HttpResponse<String> r = get("/api/v3/list-users?" + query, token);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(tree(r).get("statusCode").asInt()).as(query).isEqualTo(400);
        }
        for (String body : new String[] {
                "{\"advancedFilter\":[{\"field\":\"shoeSize\",\"operator\":\"EQUAL\",\"value\":42}]}",
                "{\"advancedFilter\":[{\"field\":\"email\",\"operator\":\"FUZZY\",\"value\":\"a\"}]}",
                "{\"advancedFilter\":[{\"field\":\"status\",\"operator\":\"BETWEEN\",\"value\":[1,2]}]}",
                "{\"options\":{\"sort\":[{\"field\":\"gender\",\"order\":\"asc\"}]}}",
                "{\"options\":{\"pagination\":{\"page\":1,\"limit\":500}}}",
                "[1,2,3]"}) {
            JsonNode r = tree(send("POST", "/api/v3/list-users", body, Map.of("Authorization", token)));
            assertThat(r.get("statusCode").asInt()).as(body).isEqualTo(400);
            assertThat(r.get("message").asText()).isNotBlank();
        }
        JsonNode unknownApi = tree(get("/api/v3/no-such-thing", token));
        assertThat(unknownApi.get("statusCode").asInt()).isEqualTo(404);
        JsonNode badType = tree(get("/api/v3/get-user?userId=u1001&userIdType=identity", token));
        assertThat(badType.get("statusCode").asInt()).isEqualTo(400);
    }

    @Test
    void advancedFiltersOnTimesAndIds() {
        String token = token(AK, SECRET);
        long now = System.currentTimeMillis();
        String body = "{\"advancedFilter\":[{\"field\":\"updatedAt\",\"operator\":\"BETWEEN\",\"value\":[" + (now - 3_600_000) + "," + (now + 60_000) + "]},"
                + "{\"field\":\"userId\",\"operator\":\"IN\",\"value\":[\"u1002\",\"u1004\",\"nobody\"]}]}";
        JsonNode r = tree(send("POST", "/api/v3/list-users", body, Map.of("Authorization", token)));
        assertThat(r.at("/data/totalCount").asInt()).as(r.toString()).isEqualTo(2);
        assertThat(r.at("/data/list/0/userId").asText()).isEqualTo("u1002");
        assertThat(r.at("/data/list/1/userId").asText()).isEqualTo("u1004");
    }

    @Test
    void anAppSeesOnlyItsUsersAndMayNotWriteOutsideTheWholePool() {
        String token = token("ak_eng_only", "authing-eng-secret-0001");
        JsonNode list = tree(get("/api/v3/list-users", token));
        java.util.List<String> ids = new java.util.ArrayList<>();
        list.at("/data/list").forEach(u -> ids.add(u.get("userId").asText()));
        assertThat(ids).contains("u1001", "u1002", "u1005").doesNotContain("u1003", "u1004", "u1006"); // eng and below
        assertThat(list.at("/data/totalCount").asInt()).isEqualTo(ids.size());
        JsonNode hidden = tree(get("/api/v3/get-user?userId=u1003", token));
        assertThat(hidden.get("statusCode").asInt()).isEqualTo(404);
        assertThat(hidden.get("apiCode").asInt()).isEqualTo(2004);
        assertThat(tree(get("/api/v3/get-user?userId=u1002", token)).at("/data/userId").asText()).isEqualTo("u1002");
        JsonNode write = tree(send("POST", "/api/v3/create-user", "{\"username\":\"x\"}", Map.of("Authorization", token)));
        assertThat(write.get("statusCode").asInt()).isEqualTo(403);
    }

    @Test
    void aCreatedUserThatQualifiesIsInTheChangeFeedForTheOtherDialects() throws Exception {
        String token = token(AK, SECRET);
        long before = server.services.changes().lastSequence("acme");
        JsonNode created = tree(send("POST", "/api/v3/create-user",
                "{\"username\":\"hedy\",\"name\":\"Hedy Lamarr\",\"gender\":\"W\",\"departmentIds\":[\"eng-platform\"],"
                        + "\"identities\":[{\"provider\":\"github\",\"type\":\"primary\",\"userIdInIdp\":\"hedy\",\"extIdpId\":\"gh\"}]}",
                Map.of("Authorization", token)));
        assertThat(created.get("statusCode").asInt()).as(created.toString()).isEqualTo(200);
        String id = created.at("/data/userId").asText();
        assertThat(created.at("/data/identities/0/provider").asText()).isEqualTo("github");
        JsonNode feed = JSON.readTree(server.admin("GET", "/admin/v1/tenants/acme/changes?after=" + before, null).body());
        assertThat(feed.toString()).contains(id);
        JsonNode user = JSON.readTree(server.admin("GET", "/admin/v1/tenants/acme/users/" + id, null).body());
        assertThat(user.get("departments").get(0).asText()).isEqualTo("eng-platform");
        assertThat(user.get("num").asLong()).isPositive(); // bizapi names users by num
        JsonNode noKey = tree(send("POST", "/api/v3/create-user", "{\"name\":\"Nameless\"}", Map.of("Authorization", token)));
        assertThat(noKey.get("statusCode").asInt()).isEqualTo(400);
        JsonNode badDept = tree(send("POST", "/api/v3/create-user", "{\"username\":\"z\",\"departmentIds\":[\"nowhere\"]}", Map.of("Authorization", token)));
        assertThat(badDept.get("statusCode").asInt()).isEqualTo(400);
    }

    // ---- a client

    static String token(String ak, String secret) {
        JsonNode answer = post("/api/v3/get-management-token", Map.of("accessKeyId", ak, "accessKeySecret", secret), null);
        assertThat(answer.get("statusCode").asInt()).as(answer.toString()).isEqualTo(200);
        return answer.at("/data/access_token").asText();
    }

    /** A request signed as authing-node-sdk signs it, from the algorithm in dialects.md. */
    static HttpResponse<String> signed(String method, String path, Map<String, String> query, String body, String secret,
                                       long date, String nonce) {
        Map<String, String> headers = new TreeMap<>(Map.of(
                "x-authing-signature-method", "HMAC-SHA1",
                "x-authing-signature-version", "1.0",
                "x-authing-signature-nonce", nonce,
                "x-authing-sdk-version", "authing-node-sdk:5",
                "date", String.valueOf(date)));
        StringBuilder text = new StringBuilder(method).append('\n');
        headers.forEach((k, v) -> text.append(k).append(':').append(v).append('\n'));
        Map<String, String> params = new TreeMap<>(query);
        if (body != null) {
            try {
                JSON.readTree(body).fields().forEachRemaining(e ->
                        params.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        text.append(path);
        if (!params.isEmpty()) {
            text.append('?');
            text.append(String.join("&", params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        String signature;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            signature = Base64.getEncoder().encodeToString(mac.doFinal(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        String url = path + (query.isEmpty() ? "" : "?" + String.join("&", new TreeMap<>(query).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl + url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "authing " + AK + ":" + signature);
        headers.forEach((k, v) -> {
            if (!k.equals("date")) request.header(k, v);
        });
        return server.send(withDate(request, String.valueOf(date)).build());
    }

    /** java.net.http refuses to set "Date" itself; a lower-case name it takes. */
    private static HttpRequest.Builder withDate(HttpRequest.Builder request, String date) {
        return request.setHeader("date", date);
    }

    static HttpResponse<String> get(String path, String authorization) {
        return send("GET", path, null, authorization == null ? Map.of() : Map.of("Authorization", authorization));
    }

    static JsonNode post(String path, Map<String, String> body, String authorization) {
        try {
            return tree(send("POST", path, JSON.writeValueAsString(body), authorization == null ? Map.of() : Map.of("Authorization", authorization)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        HttpResponse<String> response = server.send(request.build());
        assertThat(response.statusCode()).as("Authing answers HTTP 200 always: " + response.body()).isEqualTo(200);
        return response;
    }

    static JsonNode tree(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
