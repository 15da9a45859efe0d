package roster.dialect.bizapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import roster.TestServer;

/**
 * A sync client as the seed describes one: it keeps the users it has seen by userId and the largest lastSequence,
 * and asks again with that sequence until a page comes back shorter than its limit.
 */
final class BizapiClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final TestServer server;
    final String appId;
    private final String secret;
    String accessToken;
    /** What the client knows: userId → the user as last received. */
    final Map<Long, JsonNode> users = new LinkedHashMap<>();
    long lastSequence;

    BizapiClient(TestServer server, String appId, String secret) {
        this.server = server;
        this.appId = appId;
        this.secret = secret;
    }

    HttpResponse<String> tokenRequest(String form, String basicAuthorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (basicAuthorization != null) request.header("Authorization", basicAuthorization);
        return server.send(request.build());
    }

    String fetchToken() {
        HttpResponse<String> response = tokenRequest("grant_type=client_credentials&client_id=" + encode(appId)
                + "&client_secret=" + encode(secret), null);
        if (response.statusCode() != 200) throw new AssertionError("token refused: " + response.body());
        accessToken = json(response).path("access_token").asText();
        return accessToken;
    }

    /** GET /user/list with query parameters exactly as given (null leaves one out). */
    HttpResponse<String> listRequest(String token, String appIdHeader, String orgId, String lastSequence, String limit) {
        StringBuilder query = new StringBuilder();
        append(query, "accessToken", token);
        append(query, "orgId", orgId);
        append(query, "lastSequence", lastSequence);
        append(query, "limit", limit);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl + "/user/list?" + query)).GET();
        if (appIdHeader != null) request.header("X-App-Id", appIdHeader);
        return server.send(request.build());
    }

    /** One page after lastSequence, applied to what the client knows; returns the page. */
    JsonNode pull(long orgId, int limit) {
        HttpResponse<String> response = listRequest(accessToken, appId, String.valueOf(orgId), String.valueOf(lastSequence), String.valueOf(limit));
        JsonNode answer = json(response);
        if (response.statusCode() != 200 || answer.path("code").asInt(-1) != 0) throw new AssertionError("list refused: " + response.body());
        JsonNode page = answer.path("data");
        for (JsonNode user : page) {
            users.put(user.path("userId").asLong(), user);
            lastSequence = Math.max(lastSequence, user.path("lastSequence").asLong());
        }
        return page;
    }

    /** Pulls until a short page: the client is then up to date as of that page. Returns how many pages it took. */
    int sync(long orgId, int limit) {
        int pages = 0;
        while (true) {
            pages++;
            if (pull(orgId, limit).size() < limit) return pages;
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body());
        }
    }

    private static void append(StringBuilder query, String name, String value) {
        if (value == null) return;
        if (query.length() > 0) query.append('&');
        query.append(name).append('=').append(encode(value));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
