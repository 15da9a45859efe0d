package roster.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;

/**
 * ROSTER_STATEMENT_TIMEOUT on both databases: a query of a request that runs past it is cut off and answered 503
 * with Retry-After in the dialect's envelope, and the connection it ran on serves the next request as usual.
 * On PostgreSQL the query waits behind a lock the test holds (statement_timeout counts that wait); on SQLite,
 * whose readers never wait, it is an expensive filter over sixteen thousand users.
 */
class StatementTimeoutTest {

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aQueryOverTheTimeoutIsAnswered503InTheDialectsEnvelope() throws Exception {
        boolean pg = TestServer.onPostgres();
        Duration timeout = pg ? Duration.ofSeconds(1) : Duration.ofMillis(300);
        try (TestServer server = TestServer.start(s -> s.withStatementTimeout(timeout))) {
            server.loadDemo();
            String authing = DemoApps.authingToken(server, DemoApps.AUTHING_APP, DemoApps.AUTHING_SECRET);
            String feishu = DemoApps.feishuToken(server, DemoApps.FEISHU_APP, DemoApps.FEISHU_SECRET);
            if (pg) {
                try (Connection other = DriverManager.getConnection(server.jdbcUrl)) {
                    other.setAutoCommit(false);
                    other.createStatement().execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE"); // held until rollback
                    long start = System.nanoTime();
                    HttpResponse<String> list = DemoApps.authingPost(server, authing, "/api/v3/list-users", "{}");
                    assertThat(list.body()).contains("\"statusCode\":503").contains("statement timeout");
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

                    HttpResponse<String> acs = DemoApps.feishuGet(server, feishu, "/open-apis/acs/v1/users");
                    assertThat(acs.statusCode()).isEqualTo(503);
                    assertThat(acs.headers().firstValue("Retry-After")).isPresent();
                    assertThat(acs.body()).contains("\"code\":1490002").contains("statement timeout");

                    HttpResponse<String> admin = server.admin("GET", "/admin/v1/tenants/acme/users", null);
                    assertThat(admin.statusCode()).isEqualTo(503);
                    assertThat(admin.body()).contains("\"error\":\"http_503\"");
                    other.rollback();
                }
            } else {
                server.load(HeavyFilters.users(16000)); // enough that the filter outlasts the timeout on a quiet machine too
                HttpResponse<String> heavy = DemoApps.authingPost(server, authing, "/api/v3/list-users", HeavyFilters.notContains(200));
                assertThat(heavy.statusCode()).isEqualTo(200);
                assertThat(heavy.body()).contains("\"statusCode\":503").contains("statement timeout");
                assertThat(heavy.headers().firstValue("Retry-After")).isPresent();
            }
            // the same connections serve light queries as before
            HttpResponse<String> light = DemoApps.authingPost(server, authing, "/api/v3/list-users", "{\"options\":{\"pagination\":{\"limit\":5}}}");
            assertThat(light.body()).contains("\"statusCode\":200");
            assertThat(DemoApps.feishuGet(server, feishu, "/open-apis/acs/v1/users").statusCode()).isEqualTo(200);
            assertThat(server.admin("GET", "/admin/v1/tenants/acme/users?limit=5", null).statusCode()).isEqualTo(200);
        }
    }
}
