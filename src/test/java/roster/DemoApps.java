package roster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Plain-HTTP calls of every dialect with the demo apps, for tests that cut across dialects (rate limits,
 * isolation, credentials). Each dialect's own tests hold its full client; these are the few calls those need.
 */
public final class DemoApps {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String FEISHU_APP = "cli_demo_feishu";
    public static final String FEISHU_SECRET = "feishu-demo-secret-0001";
    public static final String AUTHING_APP = "ak_demo_authing";
    public static final String AUTHING_SECRET = "authing-demo-secret-0001";
    public static final String ENOS_APP = "enos_demo_app";
    public static final String ENOS_SECRET = "enos-demo-secret-00001";
    public static final String BIZ_APP = "biz_demo_app";
    public static final String BIZ_SECRET = "bizapi-demo-secret-001";

    private DemoApps() {}

    public static HttpRequest.Builder request(TestServer server, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl + pathAndQuery));
    }

    public static HttpResponse<String> postJson(TestServer server, String path, String body) {
        return server.send(request(server, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body());
        }
    }

    public static String feishuToken(TestServer server, String appId, String secret) {
        JsonNode answer = json(postJson(server, "/open-apis/auth/v3/tenant_access_token/internal",
                "{\"app_id\":\"" + appId + "\",\"app_secret\":\"" + secret + "\"}"));
        if (answer.path("code").asInt() != 0) throw new AssertionError("feishu token refused: " + answer);
        return answer.path("tenant_access_token").asText();
    }

    public static HttpResponse<String> feishuGet(TestServer server, String token, String pathAndQuery) {
        return server.send(request(server, pathAndQuery).header("Authorization", "Bearer " + token).GET().build());
    }

    public static String authingToken(TestServer server, String appId, String secret) {
        JsonNode answer = json(postJson(server, "/api/v3/get-management-token",
                "{\"accessKeyId\":\"" + appId + "\",\"accessKeySecret\":\"" + secret + "\"}"));
        if (answer.path("statusCode").asInt() != 200) throw new AssertionError("authing token refused: " + answer);
        return answer.path("data").path("access_token").asText();
    }

    public static HttpResponse<String> authingGet(TestServer server, String token, String pathAndQuery) {
        return server.send(request(server, pathAndQuery).header("Authorization", token).GET().build());
    }

    public static HttpResponse<String> authingPost(TestServer server, String token, String path, String body) {
        return server.send(request(server, path).header("Authorization", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public static String enosGatewayToken(TestServer server, String appKey, String secret) {
        long timestamp = System.currentTimeMillis();
        JsonNode answer = json(postJson(server, "/apim-token-service/v2.0/token/get", "{\"appKey\":\"" + appKey
                + "\",\"encryption\":\"" + sha256Hex(appKey + timestamp + secret) + "\",\"timestamp\":" + timestamp + "}"));
        if (answer.path("status").asInt(-1) != 0) throw new AssertionError("enos token refused: " + answer);
        return answer.path("data").path("accessToken").asText();
    }

    /** A gateway-signed POST (no query parameters), with the user's token when given. */
    public static HttpResponse<String> enosPost(TestServer server, String gatewayToken, String secret, String path, String body, String userToken) {
        long timestamp = System.currentTimeMillis();
        HttpRequest.Builder request = request(server, path).header("Content-Type", "application/json")
                .header("apim-accesstoken", gatewayToken)
                .header("apim-timestamp", String.valueOf(timestamp))
                .header("apim-signature", sha256Hex(gatewayToken + body + timestamp + secret))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (userToken != null) request.header("Authorization", "Bearer " + userToken);
        return server.send(request.build());
    }

    public static String enosLogin(TestServer server, String gatewayToken, String secret, String account, String password) {
        JsonNode answer = json(enosPost(server, gatewayToken, secret, "/app-portal-service/v2.2/login",
                "{\"account\":\"" + account + "\",\"password\":\"" + password + "\"}", null));
        if (answer.path("code").asInt(-1) != 0) throw new AssertionError("enos login refused: " + answer);
        return answer.path("data").path("accessToken").asText();
    }

    public static String bizToken(TestServer server, String appId, String secret) {
        HttpResponse<String> response = server.send(request(server, "/oauth2/token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + encode(appId)
                        + "&client_secret=" + encode(secret))).build());
        if (response.statusCode() != 200) throw new AssertionError("bizapi token refused: " + response.body());
        return json(response).path("access_token").asText();
    }

    public static HttpResponse<String> bizList(TestServer server, String token, String appId, String orgId) {
        return server.send(request(server, "/user/list?accessToken=" + encode(token) + "&orgId=" + encode(orgId))
                .header("X-App-Id", appId).GET().build());
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
