package roster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL (Process.destroyForcibly) in the middle of a load or of writes: every change is all or nothing, the next
 * start comes up clean, counters and the change sequence agree with the rows, and a rerun of the load completes it.
 */
class CrashSafetyTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aLoadKilledMidwayChangesNothingAndARerunCompletesIt() throws Exception {
        TestServer.Database db = TestServer.freshDatabase();
        try {
            assertThat(CliTest.run(db, null, "load", TestServer.DEMO.toString()).exit()).isZero();
            int users = Stress.scale(3000);
            StringBuilder fixture = new StringBuilder("{\"tenants\":[{\"id\":\"acme\",\"users\":[");
            int half = 0;
            for (int i = 0; i < users; i++) {
                if (i > 0) fixture.append(',');
                if (i == users / 2) half = fixture.length();
                fixture.append("{\"id\":\"bulk-").append(i).append("\",\"username\":\"bulk-").append(i).append("\",\"departments\":[\"eng\"]}");
            }
            fixture.append("]}]}");

            Process load = CliTest.start(db, List.of("load", "-"), db.dataDir().resolve("load.log"));
            OutputStream stdin = load.getOutputStream();
            stdin.write(fixture.substring(0, half).getBytes(StandardCharsets.UTF_8)); // the rest never comes
            stdin.flush();
            awaitWriteLockHeld(db);
            Thread.sleep(300); // let it write its first batches inside the transaction
            load.destroyForcibly();
            assertThat(load.waitFor(30, TimeUnit.SECONDS)).isTrue();

            CliTest.Run export = CliTest.run(db, null, "export", "--tenant", "acme");
            assertThat(export.exit()).as(export.err()).isZero();
            assertThat(export.out()).contains("u1006").doesNotContain("bulk-");
            assertConsistent(db, 6);

            Path file = db.dataDir().resolve("bulk.json");
            Files.writeString(file, fixture);
            CliTest.Run rerun = CliTest.run(db, null, "load", file.toString());
            assertThat(rerun.exit()).as(rerun.err()).isZero();
            assertThat(rerun.err()).contains(users + " created");
            assertConsistent(db, 6 + users);
        } finally {
            TestServer.dropDatabase(db);
        }
    }

    @Test
    void aServerKilledDuringWritesRestartsCleanWithEveryChangeWholeOrAbsent() throws Exception {
        TestServer.Database db = TestServer.freshDatabase();
        try {
            Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
            try (ServeProcess serve = ServeProcess.start(db)) {
                assertThat(serve.client.admin("POST", "/admin/v1/load", Files.readString(TestServer.DEMO)).statusCode()).isEqualTo(200);
                ExecutorService pool = Executors.newFixedThreadPool(4);
                AtomicInteger writes = new AtomicInteger();
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    int writer = w;
                    writers.add(pool.submit(() -> {
                        // each write sets several fields and rows at once (name, nickname, departments, groups): a torn
                        // write would show as fields of different versions
                        for (int version = 1; ; version++) {
                            String id = "k" + writer + "-" + (version % 5);
                            String v = "v" + version;
                            HttpResponse<String> r;
                            try {
                                r = serve.client.admin("PUT", "/admin/v1/tenants/acme/users/" + id, "{\"name\":\"" + v + "\",\"nickname\":\"" + v
                                        + "\",\"departments\":[\"" + (version % 2 == 0 ? "eng" : "sales") + "\"],\"acs\":{\"groups\":[\""
                                        + (version % 2 == 0 ? "lab-doors" : "hq-doors") + "\"],\"card\":" + version + ",\"face\":null}}");
                            } catch (RuntimeException killed) {
                                return null;
                            }
                            if (r.statusCode() != 200) throw new AssertionError(r.body());
                            acknowledged.put(id, version);
                            writes.incrementAndGet();
                        }
                    }));
                }
                while (writes.get() < Stress.scale(100)) Thread.sleep(5);
                serve.kill();
                for (Future<?> f : writers) f.get(1, TimeUnit.MINUTES);
                pool.shutdown();
            }
            try (ServeProcess again = ServeProcess.start(db)) {
                for (var e : acknowledged.entrySet()) {
                    JsonNode user = JSON.readTree(again.client.admin("GET", "/admin/v1/tenants/acme/users/" + e.getKey(), null).body());
                    int version = Integer.parseInt(user.get("name").asText().substring(1));
                    assertThat(version).as("an acknowledged write survives").isGreaterThanOrEqualTo(e.getValue());
                    boolean even = version % 2 == 0;
                    assertThat(user.get("nickname").asText()).isEqualTo("v" + version);
                    assertThat(user.get("departments").get(0).asText()).isEqualTo(even ? "eng" : "sales");
                    assertThat(user.get("acs").get("groups").get(0).asText()).isEqualTo(even ? "lab-doors" : "hq-doors");
                    assertThat(user.get("acs").get("card").asInt()).isEqualTo(version);
                }
                // and the server takes writes again
                assertThat(again.client.admin("PATCH", "/admin/v1/tenants/acme/users/u1002", "{\"nickname\":\"after\"}").statusCode()).isEqualTo(200);
            }
            assertConsistent(db, 6 + acknowledged.size());
        } finally {
            TestServer.dropDatabase(db);
        }
    }

    /** Waits until a load in another process holds the write lock of tenant acme (the tenant row, or SQLite's lock). */
    private static void awaitWriteLockHeld(TestServer.Database db) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        try (Connection c = connect(db)) {
            while (System.currentTimeMillis() < deadline) {
                try {
                    if (TestServer.onPostgres()) {
                        c.setAutoCommit(false);
                        c.createStatement().executeQuery("SELECT 1 FROM tenants WHERE id = 'acme' FOR UPDATE NOWAIT").close();
                        c.rollback();
                    } else {
                        c.createStatement().execute("PRAGMA busy_timeout = 0");
                        c.createStatement().execute("BEGIN IMMEDIATE");
                        c.createStatement().execute("ROLLBACK");
                    }
                } catch (java.sql.SQLException held) {
                    if (TestServer.onPostgres()) c.rollback();
                    return;
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the load never took the write lock");
    }

    /** The rows agree with their bookkeeping: user counters, the change sequence and its feed. */
    private static void assertConsistent(TestServer.Database db, long users) throws Exception {
        try (Connection c = connect(db)) {
            assertThat(one(c, "SELECT COUNT(*) FROM users WHERE tenant_id = 'acme'")).isEqualTo(users);
            assertThat(one(c, "SELECT COALESCE(SUM(n), 0) FROM user_counts WHERE tenant_id = 'acme'")).as("user_counts").isEqualTo(users);
            long lastSeq = one(c, "SELECT last_seq FROM tenants WHERE id = 'acme'");
            assertThat(one(c, "SELECT COUNT(*) FROM user_changes WHERE tenant_id = 'acme'")).as("one change per number").isEqualTo(lastSeq);
            assertThat(one(c, "SELECT COALESCE(MAX(seq), 0) FROM user_changes WHERE tenant_id = 'acme'")).isEqualTo(lastSeq);
            assertThat(one(c, "SELECT COUNT(*) FROM users u WHERE tenant_id = 'acme' AND NOT EXISTS (SELECT 1 FROM user_changes ch "
                    + "WHERE ch.tenant_id = u.tenant_id AND ch.seq = u.seq AND ch.user_id = u.id AND ch.deleted = 0)")).as("users without their change").isZero();
        }
    }

    private static long one(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect(TestServer.Database db) throws Exception {
        return DriverManager.getConnection(db.jdbcUrl() != null ? db.jdbcUrl() : "jdbc:sqlite:" + db.dataDir().resolve("roster.db"));
    }
}
