package roster.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;

/**
 * Text that is not text, sent as an attacker would (raw bytes on a socket: no client library would send most of
 * these): malformed percent-escapes, the old %u form, escaped bytes that are not UTF-8, a body that is not UTF-8,
 * and JSON escapes of lone surrogates. Each is refused with the owning front end's 400 before anything is decoded
 * or stored; before, some were 500s and lone surrogates were stored as '?'.
 */
class MalformedInputTest {

    static TestServer server;
    static String feishu;
    static String authing;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.loadDemo();
        feishu = DemoApps.feishuToken(server, DemoApps.FEISHU_APP, DemoApps.FEISHU_SECRET);
        authing = DemoApps.authingToken(server, DemoApps.AUTHING_APP, DemoApps.AUTHING_SECRET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void malformedEscapesInThePathAreTheDialectsBadRequest() throws IOException {
        for (String bad : new String[] {"%u0041", "%zz", "%4", "%", "%ED%A0%80", "%C0%AF", "%FF"}) {
            Raw feishuAnswer = get("/open-apis/acs/v1/users/" + bad, "Authorization: Bearer " + feishu);
            assertThat(feishuAnswer.status).as(bad + ": " + feishuAnswer.body).isEqualTo(400);
            assertThat(feishuAnswer.body).as(bad).contains("\"code\":").doesNotContain("Exception");

            Raw admin = get("/admin/v1/tenants/acme/users/" + bad, "Authorization: Bearer " + TestServer.ADMIN_TOKEN);
            assertThat(admin.status).as(bad + ": " + admin.body).isEqualTo(400);
            // the admin API's envelope, or Jetty's own JSON refusal for what its URI parser cannot read at all (%zz)
            assertThat(admin.body).as(bad).contains("\"error\"").doesNotContain("Exception");
        }
    }

    @Test
    void malformedEscapesInTheQueryAreTheDialectsBadRequest() throws IOException {
        for (String bad : new String[] {"%u0041", "%zz", "%E4%B8", "%ED%B0%80"}) {
            Raw answer = get("/api/v3/get-user?userId=" + bad, "Authorization: " + authing);
            assertThat(answer.status).as(bad).isEqualTo(200); // Authing answers in the body
            assertThat(answer.body).as(bad).contains("\"statusCode\":400").doesNotContain("Exception");

            Raw biz = get("/user/list?accessToken=x&orgId=" + bad, "X-App-Id: " + DemoApps.BIZ_APP);
            assertThat(biz.status).as(bad + ": " + biz.body).isEqualTo(400);
            assertThat(biz.body).as(bad).contains("\"status\":\"fail\"");
        }
    }

    @Test
    void aLoneSurrogateInAJsonBodyIsRefusedAndNothingIsStored() throws IOException {
        for (String name : new String[] {"\\ud800", "x\\udc00", "\\ud800\\u0041", "\\udbff\"", "\\ud83d\\ud83d"}) {
            String body = "{\"username\":\"lone" + name.hashCode() + "\",\"name\":\"" + name + "\",\"password\":\"pw-123456\"}";
            Raw answer = post("/api/v3/create-user", "application/json", body.getBytes(StandardCharsets.UTF_8), "Authorization: " + authing);
            assertThat(answer.body).as(name).contains("\"statusCode\":400").contains("surrogate");
            Raw admin = post("/admin/v1/tenants/acme/users", "application/json",
                    ("{\"id\":\"lone" + name.hashCode() + "\",\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8),
                    "Authorization: Bearer " + TestServer.ADMIN_TOKEN);
            assertThat(admin.status).as(name + ": " + admin.body).isEqualTo(400);
        }
        assertThat(server.sql("SELECT COUNT(*) FROM users WHERE id LIKE 'lone%' OR username LIKE 'lone%'")).isEqualTo("0");
        // a proper pair, escaped or not, is a character like any other
        Raw pair = post("/admin/v1/tenants/acme/users", "application/json",
                "{\"id\":\"pair1\",\"name\":\"\\ud83d\\ude00 \u00e9\"}".getBytes(StandardCharsets.UTF_8), "Authorization: Bearer " + TestServer.ADMIN_TOKEN);
        assertThat(pair.status).as(pair.body).isEqualTo(201);
    }

    @Test
    void aBodyThatIsNotUtf8IsRefusedInEveryDialect() throws IOException {
        byte[] latin1 = "{\"app_id\":\"cli_demo_feishu\",\"app_secret\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        Raw feishuToken = post("/open-apis/auth/v3/tenant_access_token/internal", "application/json", latin1);
        assertThat(feishuToken.body).contains("\"code\":").doesNotContain("\"code\":0");
        assertThat(feishuToken.status).isEqualTo(400);

        byte[] overlong = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        Raw admin = post("/admin/v1/tenants/acme/users", "application/json", overlong, "Authorization: Bearer " + TestServer.ADMIN_TOKEN);
        assertThat(admin.status).isEqualTo(400);

        Raw authingAnswer = post("/api/v3/create-user", "application/json", overlong, "Authorization: " + authing);
        assertThat(authingAnswer.body).contains("\"statusCode\":400");

        Raw enos = post("/apim-token-service/v2.0/token/get", "application/json", overlong);
        assertThat(enos.status).as(enos.body).isEqualTo(400);

        Raw biz = post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=%zz&client_secret=x".getBytes(StandardCharsets.UTF_8));
        assertThat(biz.status).as(biz.body).isEqualTo(400);
        assertThat(biz.body).contains("\"error\":\"invalid_request\"");
    }

    // ---- a client that sends exactly the bytes it is given

    record Raw(int status, String body) {}

    static Raw get(String target, String... headers) throws IOException {
        return exchange("GET", target, null, null, headers);
    }

    static Raw post(String target, String type, byte[] body, String... headers) throws IOException {
        return exchange("POST", target, type, body, headers);
    }

    static Raw exchange(String method, String target, String type, byte[] body, String... headers) throws IOException {
        URI base = URI.create(server.baseUrl);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
            for (String h : headers) head.append(h).append("\r\n");
            if (body != null) head.append("Content-Type: ").append(type).append("\r\nContent-Length: ").append(body.length).append("\r\n");
            request.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) request.write(body);
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int split = response.indexOf("\r\n\r\n");
            return new Raw(status, split < 0 ? "" : response.substring(split + 4));
        }
    }
}
