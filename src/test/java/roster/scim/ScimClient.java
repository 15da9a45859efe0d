package roster.scim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import roster.DemoApps;
import roster.TestServer;

/** Raw HTTP to /scim/v2 for the tests: the demo directory, an app with scope scim, and its credentials. */
final class ScimClient {

    static final String APP = "scim_demo_app";
    static final String SECRET = "scim-demo-secret-0001";

    final TestServer server;
    final String authorization;

    private ScimClient(TestServer server, String authorization) {
        this.server = server;
        this.authorization = authorization;
    }

    /** The demo directory plus an app with scope scim (seeing everyone), called with HTTP Basic. */
    static ScimClient demo(TestServer server) {
        server.loadDemo();
        createApp(server, APP, SECRET, "\"scim\"", "\"all\"");
        return basic(server, APP, SECRET);
    }

    static void createApp(TestServer server, String id, String secret, String scopes, String visibleTo) {
        HttpResponse<String> created = server.admin("POST", "/admin/v1/tenants/acme/apps",
                "{\"id\":\"" + id + "\",\"secret\":\"" + secret + "\",\"name\":\"SCIM\",\"scopes\":[" + scopes + "],\"visible_to\":" + visibleTo + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    static ScimClient basic(TestServer server, String app, String secret) {
        return new ScimClient(server, "Basic " + Base64.getEncoder().encodeToString((app + ":" + secret).getBytes(StandardCharsets.UTF_8)));
    }

    static ScimClient bearer(TestServer server, String token) {
        return new ScimClient(server, "Bearer " + token);
    }

    /** A token of POST /oauth2/token, the client credentials grant. */
    static String oauthToken(TestServer server, String app, String secret) {
        HttpResponse<String> r = server.send(DemoApps.request(server, "/oauth2/token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + app + "&client_secret=" + secret)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return DemoApps.json(r).path("access_token").asText();
    }

    /** A long-lived token minted by the admin. */
    static JsonNode mint(TestServer server, String app) {
        HttpResponse<String> r = server.admin("POST", "/admin/v1/tenants/acme/apps/" + app + "/tokens", "{}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return DemoApps.json(r);
    }

    HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl + "/scim/v2" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) b.header("Authorization", authorization);
        if (body != null) b.header("Content-Type", "application/scim+json");
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return server.send(b.build());
    }

    JsonNode json(String method, String path, String body, int expectedStatus) {
        HttpResponse<String> r = send(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expectedStatus);
        return DemoApps.json(r);
    }

    /** Asserts the SCIM error envelope, its status and scimType (null: none expected). */
    static JsonNode assertError(HttpResponse<String> r, int status, String scimType) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/scim+json");
        JsonNode body = DemoApps.json(r);
        assertThat(body.path("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(body.path("status").asText()).isEqualTo(String.valueOf(status));
        if (scimType != null) assertThat(body.path("scimType").asText()).as(r.body()).isEqualTo(scimType);
        assertThat(body.path("detail").asText()).isNotEmpty();
        return body;
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
