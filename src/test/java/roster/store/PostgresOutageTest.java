package roster.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import roster.DemoApps;
import roster.OwnPostgres;
import roster.TestServer;

/**
 * PostgreSQL stopped, started again and killed while two Roster nodes serve reads and writes, on a cluster of the
 * test's own. While it is away every endpoint answers 503 with Retry-After and a message that says the database is
 * unreachable, within about two seconds, in its dialect's envelope (never a 500, never the 30 s pool wait); when it
 * is back both nodes serve again by themselves; every write acknowledged before, during or after is there.
 */
class PostgresOutageTest {

    private static final Duration ANSWER_WITHIN = Duration.ofMillis(2500); // 1.5 s connection wait, plus a loaded machine
    private static final Duration RECOVER_WITHIN = Duration.ofSeconds(20);

    @Test
    @Timeout(300)
    void anOutageIsAnswered503QuicklyAndHealsByItself() throws Exception {
        assumeTrue(TestServer.onPostgres(), "runs in the PostgreSQL pass of the suite");
        assumeTrue(OwnPostgres.binaries().isPresent(), "no PostgreSQL server binaries under /usr/lib/postgresql");
        try (OwnPostgres pg = OwnPostgres.start();
             TestServer one = TestServer.start(s -> s.withOverrides(null, null, null, pg.jdbcUrl(), null));
             TestServer two = one.alongside(s -> s.withOverrides(null, null, null, pg.jdbcUrl(), null))) {
            one.loadDemo();
            List<TestServer> nodes = List.of(one, two);
            Map<TestServer, Tokens> tokens = new ConcurrentHashMap<>();
            for (TestServer node : nodes) tokens.put(node, Tokens.of(node));

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            List<String> wrongAnswers = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> workers = new ArrayList<>();
            for (int n = 0; n < nodes.size(); n++) {
                TestServer node = nodes.get(n);
                String prefix = "w" + n + "-";
                workers.add(started(() -> {
                    for (int i = 0; running.get(); i++) {
                        String id = prefix + i;
                        HttpResponse<String> r = node.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"" + id + "\",\"name\":\"W " + id + "\"}");
                        if (r.statusCode() == 201) acknowledged.add(id);
                        else if (r.statusCode() != 503) wrongAnswers.add("write " + r.statusCode() + " " + r.body());
                    }
                }));
                workers.add(started(() -> {
                    while (running.get()) {
                        HttpResponse<String> r = DemoApps.feishuGet(node, tokens.get(node).feishu, "/open-apis/acs/v1/users?page_size=20");
                        if (r.statusCode() != 200 && r.statusCode() != 503) wrongAnswers.add("read " + r.statusCode() + " " + r.body());
                    }
                }));
            }
            Thread.sleep(1000);

            pg.stop();
            for (TestServer node : nodes) everyEndpointIsUnavailable(node, tokens.get(node));
            pg.startServer();
            for (TestServer node : nodes) recovers(node);
            Thread.sleep(1000);

            pg.kill();
            for (TestServer node : nodes) everyEndpointIsUnavailable(node, tokens.get(node));
            pg.startServer();
            for (TestServer node : nodes) recovers(node);
            Thread.sleep(1000);

            running.set(false);
            for (Thread t : workers) t.join();
            assertThat(wrongAnswers).as("answers other than success or 503").isEmpty();
            assertThat(acknowledged).isNotEmpty();
            for (String id : acknowledged) {
                assertThat(two.admin("GET", "/admin/v1/tenants/acme/users/" + id, null).statusCode()).as(id).isEqualTo(200);
            }
        }
    }

    private static Thread started(Runnable work) {
        Thread t = new Thread(work);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Credentials taken while the database is up; during the outage they are presented again. */
    record Tokens(String feishu, String authing, String biz) {
        static Tokens of(TestServer node) {
            return new Tokens(DemoApps.feishuToken(node, DemoApps.FEISHU_APP, DemoApps.FEISHU_SECRET),
                    DemoApps.authingToken(node, DemoApps.AUTHING_APP, DemoApps.AUTHING_SECRET),
                    DemoApps.bizToken(node, DemoApps.BIZ_APP, DemoApps.BIZ_SECRET));
        }
    }

    private static void everyEndpointIsUnavailable(TestServer node, Tokens t) {
        var admin = timed(() -> node.admin("GET", "/admin/v1/tenants/acme/users", null));
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(503);
        assertThat(admin.body()).contains("\"error\":\"http_503\"").contains("unreachable");
        assertThat(admin.headers().firstValue("Retry-After")).isPresent();

        var feishu = timed(() -> DemoApps.feishuGet(node, t.feishu, "/open-apis/acs/v1/users"));
        assertThat(feishu.statusCode()).as(feishu.body()).isEqualTo(503);
        assertThat(feishu.body()).contains("\"code\":1490002").contains("unreachable");
        assertThat(feishu.headers().firstValue("Retry-After")).isPresent();

        var feishuToken = timed(() -> DemoApps.postJson(node, "/open-apis/auth/v3/tenant_access_token/internal",
                "{\"app_id\":\"" + DemoApps.FEISHU_APP + "\",\"app_secret\":\"" + DemoApps.FEISHU_SECRET + "\"}"));
        assertThat(feishuToken.statusCode()).as(feishuToken.body()).isEqualTo(503);

        var authing = timed(() -> DemoApps.authingPost(node, t.authing, "/api/v3/list-users", "{}"));
        assertThat(authing.body()).contains("\"statusCode\":503").contains("unreachable");

        var biz = timed(() -> DemoApps.bizList(node, t.biz, DemoApps.BIZ_APP, "acme"));
        assertThat(biz.statusCode()).as(biz.body()).isEqualTo(503);
        assertThat(biz.body()).contains("unreachable");

        var enos = timed(() -> DemoApps.postJson(node, "/apim-token-service/v2.0/token/get", "{\"appKey\":\"" + DemoApps.ENOS_APP
                + "\",\"encryption\":\"x\",\"timestamp\":" + System.currentTimeMillis() + "}"));
        assertThat(enos.statusCode()).as(enos.body()).isEqualTo(503);
        assertThat(enos.body()).contains("\"status\":503").contains("unreachable");

        var ready = timed(() -> node.send(DemoApps.request(node, "/readyz").GET().build()));
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.headers().firstValue("Retry-After")).isPresent();

        var health = timed(() -> node.send(DemoApps.request(node, "/healthz").GET().build()));
        assertThat(health.statusCode()).as("alive, though not ready").isEqualTo(200);
    }

    private static HttpResponse<String> timed(Supplier<HttpResponse<String>> call) {
        long start = System.nanoTime();
        HttpResponse<String> answer = call.get();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered within about two seconds: " + answer.body()).isLessThan(ANSWER_WITHIN);
        return answer;
    }

    private static void recovers(TestServer node) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVER_WITHIN.toNanos();
        int status = 0;
        while (System.nanoTime() < deadline) {
            status = node.admin("GET", "/admin/v1/tenants/acme/users?limit=5", null).statusCode();
            if (status == 200) break;
            Thread.sleep(200);
        }
        assertThat(status).as("serving again without a restart").isEqualTo(200);
        assertThat(node.send(DemoApps.request(node, "/readyz").GET().build()).statusCode()).isEqualTo(200);
    }
}
