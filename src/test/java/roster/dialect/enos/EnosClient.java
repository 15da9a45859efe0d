package roster.dialect.enos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import roster.TestServer;

/**
 * An EnOS client written from EnOS's published docs, as a customer would write one without the Poseidon SDK:
 * "Get Access Token" (encryption = sha256(appKey + timestamp + appSecret)) and "Invoking API with Access Token"
 * (apim-signature = sha256(accessToken + paramsData + timestamp + appSecret), paramsData = the URL parameters
 * sorted by ASCII order, each name followed by its value, then the request body as sent).
 */
final class EnosClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final TestServer server;
    final String appKey;
    private final String appSecret;
    String gatewayToken;

    EnosClient(TestServer server, String appKey, String appSecret) {
        this.server = server;
        this.appKey = appKey;
        this.appSecret = appSecret;
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** POST /apim-token-service/v2.0/token/get with a body as given (for tests of bad input). */
    HttpResponse<String> tokenRequest(String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl + "/apim-token-service/v2.0/token/get"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> tokenRequest(long timestamp, String secret) {
        String encryption = sha256Hex(appKey + timestamp + secret);
        return tokenRequest("{\"appKey\":\"" + appKey + "\",\"encryption\":\"" + encryption + "\",\"timestamp\":" + timestamp + "}");
    }

    /** Gets (and keeps) the gateway token. */
    String fetchGatewayToken() {
        JsonNode answer = json(tokenRequest(System.currentTimeMillis(), appSecret));
        if (answer.path("status").asInt(-1) != 0) throw new AssertionError("token/get refused: " + answer);
        gatewayToken = answer.path("data").path("accessToken").asText();
        return gatewayToken;
    }

    /** The documented signature of a call. */
    String signature(String accessToken, Map<String, String> query, String body, long timestamp, String secret) {
        StringBuilder paramsData = new StringBuilder();
        new TreeMap<>(query).forEach((name, value) -> paramsData.append(name).append(value));
        paramsData.append(body);
        return sha256Hex(accessToken + paramsData + timestamp + secret);
    }

    /** A signed POST, with the user's token in Authorization: Bearer when given. */
    HttpResponse<String> post(String path, Map<String, String> query, String body, String userToken) {
        long timestamp = System.currentTimeMillis();
        return post(path, query, body, userToken, timestamp, signature(gatewayToken, query, body, timestamp, appSecret));
    }

    HttpResponse<String> post(String path, Map<String, String> query, String body, String userToken, long timestamp, String signature) {
        String queryText = query.isEmpty() ? "" : "?" + query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl + path + queryText))
                .header("Content-Type", "application/json;charset=UTF-8")
                .header("apim-accesstoken", gatewayToken)
                .header("apim-timestamp", String.valueOf(timestamp))
                .header("apim-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (userToken != null) request.header("Authorization", "Bearer " + userToken);
        return server.send(request.build());
    }

    HttpResponse<String> loginRequest(String account, String password) {
        return post("/app-portal-service/v2.2/login", Map.of(),
                "{\"account\":" + quote(account) + ",\"password\":" + quote(password) + "}", null);
    }

    /** Signs a user in and returns the user's accessToken. */
    String login(String account, String password) {
        JsonNode answer = json(loginRequest(account, password));
        if (answer.path("code").asInt(-1) != 0) throw new AssertionError("login refused: " + answer);
        return answer.path("data").path("accessToken").asText();
    }

    HttpResponse<String> listUsers(String userToken, String body) {
        return post("/app-portal-service/v2.2/user/list", Map.of(), body, userToken);
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body());
        }
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
