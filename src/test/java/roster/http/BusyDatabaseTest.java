package roster.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import roster.ServeProcess;
import roster.TestServer;

/**
 * SQLite has one writer at a time. When something else holds the write lock past the busy timeout (a long `load`
 * in another process), a write through any dialect is answered "busy, retry" (503 and Retry-After) in that
 * dialect's envelope: not a 500, not a stack trace.
 */
class BusyDatabaseTest {

    @Test
    void aWriteBehindALongWriteLockIsAnsweredBusyInEveryDialect() throws Exception {
        assumeFalse(TestServer.onPostgres(), "SQLite's single writer");
        TestServer.Database db = TestServer.freshDatabase();
        String file = db.dataDir().resolve("roster.db").toString();
        // a short busy timeout, so that the test does not wait the default 30 seconds
        try (ServeProcess serve = ServeProcess.start(db, "--db=jdbc:sqlite:" + file + "?busy_timeout=300")) {
            var load = serve.client.admin("POST", "/admin/v1/load", java.nio.file.Files.readString(TestServer.DEMO));
            assertThat(load.statusCode()).as(load.body()).isEqualTo(200);
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                other.createStatement().execute("BEGIN IMMEDIATE"); // what a running load holds
                try {
                    var admin = serve.client.admin("PATCH", "/admin/v1/tenants/acme/users/u1002", "{\"nickname\":\"x\"}");
                    assertThat(admin.statusCode()).isEqualTo(503);
                    assertThat(admin.headers().firstValue("Retry-After")).isPresent();
                    assertThat(admin.body()).contains("\"error\":\"http_503\"").contains("busy").doesNotContain("Exception");

                    var feishu = post(serve, "/open-apis/auth/v3/tenant_access_token/internal",
                            "{\"app_id\":\"cli_demo_feishu\",\"app_secret\":\"feishu-demo-secret-0001\"}");
                    assertThat(feishu.statusCode()).isEqualTo(503);
                    assertThat(feishu.body()).contains("\"code\":1490002").contains("busy");

                    var authing = post(serve, "/api/v3/get-management-token",
                            "{\"accessKeyId\":\"ak_demo_authing\",\"accessKeySecret\":\"authing-demo-secret-0001\"}");
                    assertThat(authing.statusCode()).isEqualTo(200); // Authing answers in the body
                    assertThat(authing.body()).contains("\"statusCode\":503").contains("busy");

                    var bizapi = serve.client.send(HttpRequest.newBuilder(URI.create(serve.url + "/oauth2/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=biz_demo_app&client_secret=bizapi-demo-secret-001"))
                            .build());
                    assertThat(bizapi.statusCode()).isEqualTo(503);
                    assertThat(bizapi.body()).contains("\"error\":\"temporarily_unavailable\"");

                    long now = System.currentTimeMillis();
                    String encryption = sha256("enos_demo_app" + now + "enos-demo-secret-00001");
                    var enos = post(serve, "/apim-token-service/v2.0/token/get",
                            "{\"appKey\":\"enos_demo_app\",\"encryption\":\"" + encryption + "\",\"timestamp\":" + now + "}");
                    assertThat(enos.statusCode()).isEqualTo(503);
                    assertThat(enos.body()).contains("\"status\":503").contains("busy");

                    // reads go on: WAL readers never wait for the writer
                    assertThat(serve.client.admin("GET", "/admin/v1/tenants/acme/users/u1002", null).statusCode()).isEqualTo(200);
                } finally {
                    other.createStatement().execute("ROLLBACK");
                }
            }
            // and once the lock is released, writes go through again
            var after = serve.client.admin("PATCH", "/admin/v1/tenants/acme/users/u1002", "{\"nickname\":\"x\"}");
            assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        } finally {
            TestServer.dropDatabase(db);
        }
    }

    private static HttpResponse<String> post(ServeProcess serve, String path, String json) {
        return serve.client.send(HttpRequest.newBuilder(URI.create(serve.url + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
