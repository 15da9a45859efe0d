package roster.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import roster.crypto.Keys;

/**
 * The demo directory (resources/demo/demo.json, written for this project) and the lines `roster demo` prints once
 * its server is ready: for each way in, one shell command that works as it is, its credentials already obtained
 * from the running server over its own wire. A front end that joins the demo adds its app to demo.json and one
 * entry to {@link #EXAMPLES}.
 */
public final class TryIt {

    public static final String TENANT = "northwind";

    /** One copy-paste command and what it shows. */
    public record Example(String title, String command) {}

    /** Makes one example against the running server (obtaining a token first where the wire needs one). */
    @FunctionalInterface
    interface Entry {
        Example make(Server server) throws IOException;
    }

    /** In the order they are printed. */
    static final List<Entry> EXAMPLES = List.of(TryIt::admin, TryIt::feishu, TryIt::authing, TryIt::enos, TryIt::bizapi);

    private TryIt() {}

    /** The demo directory as a fixture stream. */
    public static InputStream fixture() {
        InputStream in = TryIt.class.getResourceAsStream("/demo/demo.json");
        if (in == null) throw new IllegalStateException("the demo directory is missing from the jar");
        return in;
    }

    /** Every example for the server at baseUrl. */
    public static List<Example> examples(String baseUrl, String adminToken) throws IOException {
        Server server = new Server(baseUrl, adminToken);
        List<Example> examples = new ArrayList<>();
        for (Entry entry : EXAMPLES) examples.add(entry.make(server));
        return examples;
    }

    private static Example admin(Server s) {
        return new Example("admin API: every user of the tenant, every status",
                "curl -s " + s.url("/admin/v1/tenants/" + TENANT + "/users") + " -H 'Authorization: Bearer " + s.adminToken + "'");
    }

    private static Example feishu(Server s) throws IOException {
        JsonNode token = s.postJson("/open-apis/auth/v3/tenant_access_token/internal",
                "{\"app_id\":\"cli_northwind_doors\",\"app_secret\":\"northwind-feishu-demo-secret\"}");
        return new Example("feishu (Smart Access Control): active users with door access",
                "curl -s '" + s.url("/open-apis/acs/v1/users?page_size=10") + "' -H 'Authorization: Bearer "
                        + token.path("tenant_access_token").asText() + "'");
    }

    private static Example authing(Server s) throws IOException {
        JsonNode token = s.postJson("/api/v3/get-management-token",
                "{\"accessKeyId\":\"ak_northwind_authing\",\"accessKeySecret\":\"northwind-authing-demo-secret\"}");
        return new Example("authing (management v3): users of every status",
                "curl -s '" + s.url("/api/v3/list-users?page=1&limit=10") + "' -H 'Authorization: Bearer "
                        + token.path("data").path("access_token").asText() + "'");
    }

    /** EnOS signs every call with a fresh timestamp, so the line computes its signature in the shell (sha256sum). */
    private static Example enos(Server s) throws IOException {
        String app = "enos_northwind_portal", secret = "northwind-enos-demo-secret";
        long now = System.currentTimeMillis();
        JsonNode gateway = s.postJson("/apim-token-service/v2.0/token/get", "{\"appKey\":\"" + app + "\",\"encryption\":\""
                + Keys.sha256Hex(app + now + secret) + "\",\"timestamp\":" + now + "}");
        String gatewayToken = gateway.path("data").path("accessToken").asText();
        String login = "{\"account\":\"grace\",\"password\":\"northwind-demo-grace\"}";
        long at = System.currentTimeMillis();
        JsonNode user = s.send(HttpRequest.newBuilder(URI.create(s.url("/app-portal-service/v2.2/login")))
                .header("Content-Type", "application/json").header("apim-accesstoken", gatewayToken)
                .header("apim-timestamp", String.valueOf(at))
                .header("apim-signature", Keys.sha256Hex(gatewayToken + login + at + secret))
                .POST(HttpRequest.BodyPublishers.ofString(login)).build());
        return new Example("enos (App Portal v2.2): the users administrator grace administers, gateway-signed",
                "ts=$(date +%s%3N); body='{\"pagination\":{\"pageNo\":0,\"pageSize\":10}}'; curl -s "
                        + s.url("/app-portal-service/v2.2/user/list") + " -H 'Content-Type: application/json'"
                        + " -H 'apim-accesstoken: " + gatewayToken + "' -H \"apim-timestamp: $ts\""
                        + " -H \"apim-signature: $(printf '%s' \"" + gatewayToken + "$body${ts}" + secret + "\" | sha256sum | cut -c1-64)\""
                        + " -H 'Authorization: Bearer " + user.path("data").path("accessToken").asText() + "' -d \"$body\"");
    }

    private static Example bizapi(Server s) throws IOException {
        JsonNode token = s.send(HttpRequest.newBuilder(URI.create(s.url("/oauth2/token")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=biz_northwind_sync"
                        + "&client_secret=northwind-bizapi-demo-secret")).build());
        return new Example("bizapi: the org user list from sequence 0 (orgId 1 is the root department)",
                "curl -s '" + s.url("/user/list?accessToken=" + URLEncoder.encode(token.path("access_token").asText(), StandardCharsets.UTF_8)
                        + "&orgId=1&lastSequence=0&limit=10") + "' -H 'X-App-Id: biz_northwind_sync'");
    }

    /** The running demo server, called over its own wire. */
    record Server(String baseUrl, String adminToken) {
        private static final HttpClient HTTP = HttpClient.newHttpClient();
        private static final ObjectMapper JSON = new ObjectMapper();

        String url(String pathAndQuery) {
            return baseUrl + pathAndQuery;
        }

        JsonNode postJson(String path, String body) throws IOException {
            return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        }

        JsonNode send(HttpRequest request) throws IOException {
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IOException("the demo server refused " + request.uri().getPath() + ": " + response.body());
                }
                return JSON.readTree(response.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }
}
