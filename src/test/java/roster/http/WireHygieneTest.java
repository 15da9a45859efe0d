package roster.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;

/**
 * The smaller breaks of issue 20 on the wire: a face checked by its first bytes only (a script behind a JPEG
 * signature was stored and served as image/jpeg), no nosniff, HEAD answered 200 without credentials, an encoded
 * '/' decoded into an id, and "%u0041" answered 500.
 */
class WireHygieneTest {

    static TestServer server;
    static String feishu;
    /** The demo's 1×1 JPEG: an image that decodes. */
    static final byte[] JPEG = Base64.getDecoder().decode("/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=");
    static final byte[] FAKE_JPEG = concat(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, "<?php system($_GET['c']); ?>".getBytes(StandardCharsets.US_ASCII));

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.loadDemo();
        feishu = DemoApps.feishuToken(server, DemoApps.FEISHU_APP, DemoApps.FEISHU_SECRET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aFaceMustDecodeAsTheImageItClaimsToBe() throws Exception {
        HttpResponse<String> fake = putFace("u1002", FAKE_JPEG);
        assertThat(fake.statusCode()).isEqualTo(400);
        assertThat(DemoApps.json(fake).path("code").asInt()).isEqualTo(99992402);
        assertThat(fake.body()).contains("files");
        String b64 = Base64.getEncoder().encodeToString(FAKE_JPEG);
        HttpResponse<String> admin = server.admin("PATCH", "/admin/v1/tenants/acme/users/u1002", "{\"acs\":{\"face\":{\"type\":\"jpg\",\"data\":\"" + b64 + "\"}}}");
        assertThat(admin.statusCode()).isEqualTo(400);
        assertThat(DemoApps.json(admin).path("path").asText()).isEqualTo("$.acs.face.data");
        // a truncated real JPEG does not decode either
        assertThat(putFace("u1002", java.util.Arrays.copyOf(JPEG, 40)).statusCode()).isEqualTo(400);

        HttpResponse<String> real = putFace("u1002", JPEG);
        assertThat(real.statusCode()).as(real.body()).isEqualTo(200);
        HttpResponse<byte[]> down = server.http.send(DemoApps.request(server, "/open-apis/acs/v1/users/u1002/face?user_id_type=user_id")
                .header("Authorization", "Bearer " + feishu).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(down.statusCode()).isEqualTo(200);
        assertThat(down.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(down.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(down.body()).isEqualTo(JPEG);
    }

    @Test
    void everyAnswerSaysNosniffEvenJettysOwn() throws Exception {
        assertThat(server.admin("GET", "/admin/v1/tenants", null).headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        String huge = "x".repeat(HttpServer.MAX_HEADER_BYTES + 10);
        String answer = raw("GET /healthz HTTP/1.1\r\nHost: roster\r\nX-Big: " + huge + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 431").contains("X-Content-Type-Options: nosniff");
    }

    @Test
    void headIsAGetWithoutTheBody() {
        // without credentials: the GET's refusal, not 200
        HttpResponse<String> feishuGet = server.send(DemoApps.request(server, "/open-apis/acs/v1/users").GET().build());
        HttpResponse<String> feishuHead = head("/open-apis/acs/v1/users", null);
        assertThat(feishuGet.statusCode()).isEqualTo(400);
        assertThat(feishuHead.statusCode()).isEqualTo(feishuGet.statusCode());
        assertThat(feishuHead.body()).isEmpty();
        assertThat(head("/admin/v1/tenants/acme/users", null).statusCode()).isEqualTo(401);
        assertThat(head("/user/list?orgId=x&lastSequence=0&limit=10", null).statusCode())
                .isEqualTo(server.send(DemoApps.request(server, "/user/list?orgId=x&lastSequence=0&limit=10").GET().build()).statusCode());
        // with them: 200, the GET's headers, no body
        HttpResponse<String> ok = head("/admin/v1/tenants/acme/users", "Bearer " + TestServer.ADMIN_TOKEN);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
        assertThat(ok.body()).isEmpty();
        assertThat(head("/open-apis/acs/v1/users", "Bearer " + feishu).statusCode()).isEqualTo(200);
    }

    @Test
    void anEncodedSlashOrAMalformedEscapeIsRefusedInTheDialectsEnvelope() throws Exception {
        for (String path : new String[] {"/open-apis/acs/v1/users/u1001%2Fx", "/open-apis/acs/v1/users/%u0041", "/open-apis/acs/v1/users/u1001%5c.."}) {
            String answer = raw("GET " + path + "?user_id_type=user_id HTTP/1.1\r\nHost: roster\r\nAuthorization: Bearer " + feishu + "\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(path).startsWith("HTTP/1.1 400").contains("\"code\":99992402").doesNotContain("Exception");
        }
        // escapes that are not hex at all Jetty's parser refuses itself, in the JSON every client reads
        for (String path : new String[] {"/open-apis/acs/v1/users/u%zz", "/open-apis/acs/v1/users/u1%"}) {
            String answer = raw("GET " + path + " HTTP/1.1\r\nHost: roster\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(path).startsWith("HTTP/1.1 400").contains("\"code\":400").doesNotContain("Exception");
        }
        String admin = raw("GET /admin/v1/tenants/acme%2Fusers HTTP/1.1\r\nHost: roster\r\nAuthorization: Bearer " + TestServer.ADMIN_TOKEN + "\r\nConnection: close\r\n\r\n");
        assertThat(admin).startsWith("HTTP/1.1 400").contains("\"error\":\"http_400\"").contains("encoded '/'");
        String authing = raw("GET /api/v3/get-user?userId=%u0041 HTTP/1.1\r\nHost: roster\r\nConnection: close\r\n\r\n");
        assertThat(authing).startsWith("HTTP/1.1 200").contains("\"statusCode\":").doesNotContain("\"statusCode\":500");
        String bizapi = raw("GET /user/list?accessToken=%u0041&orgId=%zz HTTP/1.1\r\nHost: roster\r\nConnection: close\r\n\r\n");
        assertThat(bizapi).startsWith("HTTP/1.1 4");
    }

    private HttpResponse<String> head(String path, String authorization) {
        HttpRequest.Builder request = DemoApps.request(server, path).method("HEAD", HttpRequest.BodyPublishers.noBody());
        if (authorization != null) request.header("Authorization", authorization);
        return server.send(request.build());
    }

    private HttpResponse<String> putFace(String userId, byte[] image) {
        String boundary = "roster-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"me.jpg\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(image);
        body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file_type\"\r\n\r\njpg\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file_name\"\r\n\r\nme.jpg\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl + "/open-apis/acs/v1/users/" + userId + "/face?user_id_type=user_id"))
                .header("Authorization", "Bearer " + feishu).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    /** A request sent as bytes: java.net.http refuses to send the malformed URIs an attacker sends. */
    private static String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", URI.create(server.baseUrl).getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
