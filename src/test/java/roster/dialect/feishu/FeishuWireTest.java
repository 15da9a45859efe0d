package roster.dialect.feishu;

import static org.assertj.core.api.Assertions.assertThat;
import static roster.dialect.feishu.FeishuFixtures.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import roster.TestServer;
import roster.model.Face;

/** The feishu wire over plain HTTP: every error code of dialects.md, headers and envelopes, token renewal. */
class FeishuWireTest {

    static final String USERS = "/open-apis/acs/v1/users";
    static TestServer server;
    static String demoToken;
    static String engToken;
    static String bulkToken;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.loadDemo();
        server.load(bulkFixture());
        demoToken = token(DEMO_APP, DEMO_SECRET);
        engToken = token(ENG_APP, ENG_SECRET);
        bulkToken = token(BULK_APP, BULK_SECRET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ---- helpers

    static HttpResponse<String> postToken(String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl + "/open-apis/auth/v3/tenant_access_token/internal"))
                .header("Content-Type", "application/json; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static String token(String appId, String secret) {
        JsonNode answer = json(postToken("{\"app_id\":\"" + appId + "\",\"app_secret\":\"" + secret + "\"}"));
        assertThat(answer.get("code").asInt()).isZero();
        return answer.get("tenant_access_token").asText();
    }

    static HttpResponse<String> call(String method, String pathAndQuery, String authorization, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) b.header("Authorization", authorization);
        if (contentType != null) b.header("Content-Type", contentType);
        return server.send(b.build());
    }

    static HttpResponse<String> get(String pathAndQuery, String token) {
        return call("GET", pathAndQuery, "Bearer " + token, "application/json", null);
    }

    static HttpResponse<String> patch(String pathAndQuery, String token, String body) {
        return call("PATCH", pathAndQuery, "Bearer " + token, "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return Wire.MAPPER.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** Checks the envelope and headers every JSON answer carries, and returns the body. */
    static JsonNode answer(HttpResponse<String> response, int status, int code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        // Jetty writes the space-less form of "application/json; charset=utf-8"; both are the same media type
        assertThat(response.headers().firstValue("Content-Type").orElseThrow().replace(" ", "").toLowerCase())
                .isEqualTo("application/json;charset=utf-8");
        String logId = response.headers().firstValue("X-Tt-Logid").orElseThrow();
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue(logId);
        JsonNode body = json(response);
        assertThat(body.get("code").asInt()).as(response.body()).isEqualTo(code);
        assertThat(body.get("msg").isTextual()).isTrue();
        if (code != 0) assertThat(body.at("/error/log_id").asText()).isEqualTo(logId);
        return body;
    }

    static JsonNode fieldViolation(HttpResponse<String> response, String field) {
        JsonNode body = answer(response, 400, 99992402);
        assertThat(body.get("msg").asText()).isEqualTo("field validation failed");
        JsonNode violation = body.at("/error/field_violations/0");
        assertThat(violation.get("field").asText()).isEqualTo(field);
        assertThat(violation.get("description").asText()).isNotBlank();
        return violation;
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String firstOpenId(String token) {
        return json(get(USERS + "?page_size=1", token)).at("/data/items/0/user_id").asText();
    }

    record Part(String name, String filename, byte[] data) {}

    static byte[] multipart(String boundary, Part... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name() + "\""
                    + (p.filename() == null ? "" : "; filename=\"" + p.filename() + "\"\r\nContent-Type: application/octet-stream") + "\r\n\r\n";
            out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
            out.writeBytes(p.data());
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** PUT …/users/{userId}/face?user_id_type=user_id as multipart/form-data. */
    static HttpResponse<String> putFace(String userId, String token, Part... parts) {
        String boundary = "roster-test-boundary";
        return call("PUT", USERS + "/" + userId + "/face?user_id_type=user_id", "Bearer " + token,
                "multipart/form-data; boundary=" + boundary, multipart(boundary, parts));
    }

    static Part text(String name, String value) {
        return new Part(name, null, value.getBytes(StandardCharsets.UTF_8));
    }

    // ---- the token endpoint

    @Test
    void tokenIsFlatAndHandedOutAgainWhileItHasTimeLeft() {
        HttpResponse<String> first = postToken("{\"app_id\":\"" + DEMO_APP + "\",\"app_secret\":\"" + DEMO_SECRET + "\"}");
        JsonNode body = answer(first, 200, 0);
        assertThat(body.get("msg").asText()).isEqualTo("ok");
        assertThat(body.has("data")).isFalse();
        assertThat(body.get("tenant_access_token").asText()).startsWith("t-").isEqualTo(demoToken);
        assertThat(body.get("expire").asInt()).isBetween(7000, 7200);
    }

    @Test
    void underThirtyMinutesLeftANewTokenIsIssuedAndTheOldOneStaysValid() {
        server.admin("PUT", "/admin/v1/tenants/bulk/apps/cli_renew",
                "{\"id\":\"cli_renew\",\"secret\":\"renew-secret-0000001\",\"scopes\":[\"acs:users\"]}");
        var app = server.services.directory().app("cli_renew").orElseThrow();
        var tokens = server.services.tokens();
        String old = "t-" + tokens.secret(tokens.issue(FeishuDialect.TOKEN_KIND, app, null, Duration.ofMinutes(20)));

        JsonNode renewed = answer(postToken("{\"app_id\":\"cli_renew\",\"app_secret\":\"renew-secret-0000001\"}"), 200, 0);
        String fresh = renewed.get("tenant_access_token").asText();
        assertThat(fresh).isNotEqualTo(old);
        assertThat(renewed.get("expire").asInt()).isGreaterThan(7000);
        answer(get(USERS, old), 200, 0);
        answer(get(USERS, fresh), 200, 0);
        assertThat(token("cli_renew", "renew-secret-0000001")).isEqualTo(fresh);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"app_id\":\"cli_demo_feishu\"}", "{\"app_secret\":\"x\"}", "not json", "", "[1,2]",
            "{\"app_id\":7,\"app_secret\":\"feishu-demo-secret-0001\"}"})
    void tokenRequestWithoutCredentialsIsAnInvalidParam(String body) {
        assertThat(answer(postToken(body), 200, 10003).get("msg").asText()).isEqualTo("invalid param");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cli_demo_feishu", "cli_no_such_app"})
    void wrongSecretOrUnknownAppIsAnInvalidSecret(String appId) {
        answer(postToken("{\"app_id\":\"" + appId + "\",\"app_secret\":\"feishu-demo-secret-9999\"}"), 200, 10014);
    }

    // ---- tokens on ACS calls

    @Test
    void missingTokenIs99991661() {
        answer(call("GET", USERS, null, null, null), 400, 99991661);
        answer(call("GET", USERS, "Basic abc", null, null), 400, 99991661);
        answer(call("GET", USERS + "/u1001", "Bearer ", null, null), 400, 99991661);
    }

    @Test
    void invalidTokenIs99991663() {
        answer(get(USERS, "t-bogus"), 400, 99991663);
        answer(get(USERS, demoToken.substring(2)), 400, 99991663);
        char last = demoToken.charAt(demoToken.length() - 1);
        answer(get(USERS, demoToken.substring(0, demoToken.length() - 1) + (last == 'a' ? 'b' : 'a')), 400, 99991663);
    }

    @Test
    void missingScopeIs99991672WithPermissionViolations() {
        JsonNode body = answer(get(USERS, token(BULK_APP_NO_SCOPE, BULK_SECRET)), 400, 99991672);
        assertThat(body.get("msg").asText()).contains("[acs:users]");
        assertThat(body.at("/error/permission_violations/0/subject").asText()).isEqualTo("acs:users");
        JsonNode userId = answer(get(USERS + "?user_id_type=user_id", engToken), 400, 99991672);
        assertThat(userId.at("/error/permission_violations/0/subject").asText()).isEqualTo("contact:user.employee_id:readonly");
    }

    // ---- list

    @Test
    void lastPageHasNoPageToken() {
        JsonNode body = answer(get(USERS + "?page_size=50&user_id_type=user_id", demoToken), 200, 0);
        assertThat(body.get("msg").asText()).isEqualTo("success");
        assertThat(body.at("/data/has_more").asBoolean()).isFalse();
        assertThat(body.get("data").has("page_token")).isFalse();
        assertThat(body.at("/data/items/0").toString()).isEqualTo("{\"feature\":{\"card\":123456,\"face_uploaded\":true},\"user_id\":\"u1001\"}");
        assertThat(body.at("/data/items/1/feature").has("card")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "51", "abc", "-1", "2.5"})
    void badPageSizeIs99992402(String size) {
        assertThat(fieldViolation(get(USERS + "?page_size=" + q(size), demoToken), "page_size").get("value").asText()).isEqualTo(size);
    }

    @Test
    void badUserIdTypeIs99992402() {
        fieldViolation(get(USERS + "?user_id_type=email", demoToken), "user_id_type");
        fieldViolation(get(USERS + "/u1001?user_id_type=employee_id", demoToken), "user_id_type");
    }

    @Test
    void badPageTokenIs1490018() {
        JsonNode first = answer(get(USERS + "?page_size=5", bulkToken), 200, 0);
        String token = first.at("/data/page_token").asText();
        answer(get(USERS + "?page_size=5&page_token=" + q(token), bulkToken), 200, 0);
        // the Java SDK URL-encodes query values; a decoded and an encoded token are the same token
        assertThat(answer(get(USERS + "?page_token=" + q("AQD9/Rn9eij9Pm39ED40+dk53s4=") , bulkToken), 400, 1490018)
                .get("msg").asText()).isEqualTo("page token is invalid error");
        answer(get(USERS + "?page_token=garbage", bulkToken), 400, 1490018);
        char c = token.charAt(3);
        answer(get(USERS + "?page_token=" + q(token.substring(0, 3) + (c == 'A' ? 'B' : 'A') + token.substring(4)), bulkToken), 400, 1490018);
        // a page token answers the app that received it only
        answer(get(USERS + "?page_token=" + q(token), token(ENG_APP, ENG_SECRET)), 400, 1490018);
    }

    // ---- single users

    @Test
    void unknownOrUnlistedUserIs1490101() {
        for (String path : new String[] {
                "/ou_00000000000000000000000000000000", "/ou_xyz", "/on_00000000000000000000000000000000?user_id_type=union_id",
                "/u9999?user_id_type=user_id", "/u1003?user_id_type=user_id" /* suspended */,
                "/u1004?user_id_type=user_id" /* resigned, no group */, "/u1006?user_id_type=user_id" /* no access group */,
                "/ou_00000000000000000000000000000000?user_id_type=union_id"}) {
            JsonNode body = answer(get(USERS + path, demoToken), 400, 1490101);
            assertThat(body.get("msg").asText()).isEqualTo("user not found");
        }
        // an open id is the app's own: another app cannot use it
        String demoOpenId = firstOpenId(demoToken);
        answer(get(USERS + "/" + demoOpenId, demoToken), 200, 0);
        answer(get(USERS + "/" + demoOpenId, engToken), 400, 1490101);
        answer(patch(USERS + "/" + demoOpenId, engToken, "{\"feature\":{\"card\":1}}"), 400, 1490101);
    }

    @Test
    void getAnswersTheUserUnderData() {
        JsonNode body = answer(get(USERS + "/u1005?user_id_type=user_id", demoToken), 200, 0);
        assertThat(body.at("/data/user").toString()).isEqualTo("{\"feature\":{\"card\":2147483647,\"face_uploaded\":false},\"user_id\":\"u1005\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"feature\":{\"card\":-1}}", "{\"feature\":{\"card\":2147483648}}", "{\"feature\":{\"card\":\"12\"}}",
            "{\"feature\":{\"card\":1.5}}", "{\"feature\":{}}"})
    void badCardIs99992402(String body) {
        fieldViolation(patch(USERS + "/b1?user_id_type=user_id", bulkToken, body), "feature.card");
    }

    @Test
    void patchBodyMustBeJson() {
        fieldViolation(patch(USERS + "/b1?user_id_type=user_id", bulkToken, "not json"), "body");
        fieldViolation(patch(USERS + "/b1?user_id_type=user_id", bulkToken, "{}"), "feature");
        JsonNode ok = answer(patch(USERS + "/b2?user_id_type=user_id", bulkToken, "{\"feature\":{\"card\":0,\"face_uploaded\":true}}"), 200, 0);
        assertThat(ok.get("data").toString()).isEqualTo("{}");
        assertThat(json(get(USERS + "/b2?user_id_type=user_id", bulkToken)).at("/data/user/feature").toString())
                .isEqualTo("{\"card\":0,\"face_uploaded\":false}");
    }

    // ---- faces

    @Test
    void faceDownloadIsTheImageWithAFilename() {
        HttpResponse<byte[]> response;
        try {
            response = server.http.send(HttpRequest.newBuilder(URI.create(server.baseUrl + USERS + "/u1001/face?user_id_type=user_id&is_cropped=true"))
                    .header("Authorization", "Bearer " + demoToken).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"face.jpg\"");
        assertThat(response.headers().firstValue("X-Tt-Logid")).isPresent();
        assertThat(Face.sniff(response.body())).isEqualTo(Face.Type.JPG);
    }

    @Test
    void faceErrorsAreNeverTwoHundred() {
        answer(get(USERS + "/u1002/face?user_id_type=user_id", demoToken), 404, 1490101);
        answer(get(USERS + "/u1003/face?user_id_type=user_id", demoToken), 400, 1490101);
        answer(call("GET", USERS + "/u1001/face", null, null, null), 400, 99991661);
        fieldViolation(get(USERS + "/u1001/face?user_id_type=user_id&is_cropped=maybe", demoToken), "is_cropped");
    }

    @Test
    void faceUploadIsCheckedByContent() {
        String user = "b3";
        byte[] png = FeishuSdkTest.pngBytes();
        fieldViolation(putFace(user, bulkToken, text("file_type", "png"), text("file_name", "a.png")), "files");
        fieldViolation(putFace(user, bulkToken, new Part("files", "a.gif", png), text("file_type", "gif"), text("file_name", "a.gif")), "file_type");
        fieldViolation(putFace(user, bulkToken, new Part("files", "a.png", png), text("file_type", "png")), "file_name");
        fieldViolation(putFace(user, bulkToken, new Part("files", "a.png", "GIF89a....".getBytes(StandardCharsets.US_ASCII)),
                text("file_type", "png"), text("file_name", "a.png")), "files");
        fieldViolation(putFace(user, bulkToken, new Part("files", "a.jpg", png), text("file_type", "jpg"), text("file_name", "a.jpg")), "file_type");
        fieldViolation(call("PUT", USERS + "/b3/face?user_id_type=user_id", "Bearer " + bulkToken, "application/json", "{}".getBytes()), "files");
        byte[] huge = new byte[Face.MAX_BYTES + 1];
        System.arraycopy(png, 0, huge, 0, png.length);
        fieldViolation(putFace(user, bulkToken, new Part("files", "big.png", huge), text("file_type", "png"), text("file_name", "big.png")), "files");

        // the part's own filename does not matter: the SDK names it after the local file
        JsonNode ok = answer(putFace(user, bulkToken, new Part("files", "tmp123.bin", png), text("file_type", "png"), text("file_name", "me.png")), 200, 0);
        assertThat(ok.get("data").toString()).isEqualTo("{}");
        assertThat(json(get(USERS + "/b3?user_id_type=user_id", bulkToken)).at("/data/user/feature/face_uploaded").asBoolean()).isTrue();
    }

    @Test
    void faceUploadOfAnUnlistedUserIs1490101() {
        answer(putFace("b10", bulkToken, new Part("files", "a.png", FeishuSdkTest.pngBytes()),
                text("file_type", "png"), text("file_name", "a.png")), 400, 1490101);
    }
}
