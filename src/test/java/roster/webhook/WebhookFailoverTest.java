package roster.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import roster.TestServer;

/**
 * kill -9 of the delivering process mid-delivery: another process on the same database (PostgreSQL, or the
 * same SQLite file) takes the subscription over once the dead one's lease expires, and delivers the rest from the
 * position saved in the database. Nothing is lost, nothing comes out of order; a repeat
 * (the event in flight at the kill) comes under the same webhook-id.
 */
class WebhookFailoverTest {

    /** roster serve as its own process, with webhook settings for a quick takeover (a 4 s lease). */
    record Node(Process process, TestServer.Client client, Path log) {
        static Node start(TestServer.Database db) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "roster.Roster", "serve", "--data=" + db.dataDir()));
            if (db.jdbcUrl() != null) command.add("--db=" + db.jdbcUrl());
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("ROSTER_PORT", "0");
            pb.environment().put("ROSTER_LDAP_PORT", "0"); // two nodes: never both on the default port
            pb.environment().put("ROSTER_ADMIN_TOKEN", TestServer.ADMIN_TOKEN);
            pb.environment().put("ROSTER_WEBHOOK_ALLOW_PRIVATE", "1");
            pb.environment().put("ROSTER_WEBHOOK_POLL_MS", "50");
            pb.environment().put("ROSTER_WEBHOOK_LEASE_MS", "4000");
            pb.environment().put("ROSTER_WEBHOOK_TIMEOUT_MS", "2000");
            pb.environment().put("ROSTER_WEBHOOK_RETRY_MAX_MS", "500");
            Path log = db.dataDir().resolve("serve-" + System.nanoTime() + ".log");
            pb.redirectError(log.toFile());
            Process p = pb.start();
            String ready = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (ready == null || !ready.startsWith("Roster listening on ")) {
                p.destroyForcibly();
                throw new IllegalStateException("serve did not start: " + ready);
            }
            return new Node(p, new TestServer.Client(ready.substring("Roster listening on ".length()).trim()), log);
        }

        /** Whether this process is the node named (its log names its node id at start). */
        boolean is(String nodeId) throws IOException {
            return java.nio.file.Files.readString(log).contains(nodeId);
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The node holding the subscription's lease now, read from the database. */
    static String leaseOwner(TestServer.Database db) throws Exception {
        String url = db.jdbcUrl() != null ? db.jdbcUrl() : "jdbc:sqlite:" + db.dataDir().resolve("roster.db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
             var rs = c.createStatement().executeQuery("SELECT lease_owner FROM webhooks WHERE lease_until > "
                     + System.currentTimeMillis())) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void anotherNodeDeliversTheRestAfterTheDeliveringOneIsKilled() throws Exception {
        TestServer.Database db = TestServer.freshDatabase();
        Node first = null, second = null;
        try (Receiver receiver = new Receiver()) {
            receiver.answer = r -> new Receiver.Answer(200, "{}", 100);
            // one after the other: two first starts on one fresh folder would each make a master key
            first = Node.start(db);
            second = Node.start(db);
            assertThat(first.client().admin("POST", "/admin/v1/tenants", "{\"id\":\"t\"}").statusCode()).isEqualTo(201);
            HttpResponse<String> created = first.client().admin("POST", "/admin/v1/tenants/t/webhooks", "{\"id\":\"h\",\"url\":\""
                    + receiver.url() + "\",\"format\":\"standard\",\"secret\":\"" + WebhookStandardTest.SECRET + "\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            int n = 40;
            for (int i = 0; i < n; i++) {
                assertThat(first.client().admin("POST", "/admin/v1/tenants/t/users", "{\"id\":\"k" + i + "\"}").statusCode()).isEqualTo(201);
            }
            Receiver.await("delivery under way", Duration.ofSeconds(30), () -> WebhookStandardTest.distinct(receiver).size() >= 5);
            String owner = null;
            for (int i = 0; i < 100 && owner == null; i++) {
                owner = leaseOwner(db);
                if (owner == null) Thread.sleep(20);
            }
            assertThat(owner).as("a node holds the lease while delivering").isNotNull();
            Node delivering = first.is(owner) ? first : second;
            Node other = delivering == first ? second : first;
            assertThat(delivering.is(owner)).isTrue();
            delivering.kill();
            int atKill = WebhookStandardTest.distinct(receiver).size();
            assertThat(atKill).as("killed mid-delivery").isLessThan(n);
            receiver.answer = r -> new Receiver.Answer(200, "{}", 0);
            Receiver.await("every event", Duration.ofSeconds(60), () -> WebhookStandardTest.distinct(receiver).size() >= n);
            assertThat(other.process().isAlive()).isTrue();
            List<String> ids = WebhookStandardTest.distinct(receiver).stream()
                    .map(r -> WebhookStandardTest.verified(r, WebhookStandardTest.SECRET).at("/data/id").asText()).toList();
            assertThat(ids).containsExactlyElementsOf(IntStream.range(0, n).mapToObj(i -> "k" + i).toList());
            // repeats (the events after the last saved position of the killed node) carry the same webhook-id
        } finally {
            if (first != null) first.kill();
            if (second != null) second.kill();
            TestServer.dropDatabase(db);
        }
    }
}
