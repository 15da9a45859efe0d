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
    record Node(Process process, TestServer.Client client) {
        static Node start(TestServer.Database db) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "roster.Roster", "serve", "--data=" + db.dataDir()));
            if (db.jdbcUrl() != null) command.add("--db=" + db.jdbcUrl());
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("ROSTER_PORT", "0");
            pb.environment().put("ROSTER_ADMIN_TOKEN", TestServer.ADMIN_TOKEN);
            pb.environment().put("ROSTER_WEBHOOK_ALLOW_PRIVATE", "1");
            pb.environment().put("ROSTER_WEBHOOK_POLL_MS", "50");
            pb.environment().put("ROSTER_WEBHOOK_LEASE_MS", "4000");
            pb.environment().put("ROSTER_WEBHOOK_TIMEOUT_MS", "2000");
            pb.environment().put("ROSTER_WEBHOOK_RETRY_MAX_MS", "500");
            pb.redirectError(db.dataDir().resolve("serve-" + System.nanoTime() + ".log").toFile());
            Process p = pb.start();
            String ready = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (ready == null || !ready.startsWith("Roster listening on ")) {
                p.destroyForcibly();
                throw new IllegalStateException("serve did not start: " + ready);
            }
            return new Node(p, new TestServer.Client(ready.substring("Roster listening on ".length()).trim()));
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anotherNodeDeliversTheRestAfterTheDeliveringOneIsKilled() throws Exception {
        TestServer.Database db = TestServer.freshDatabase();
        Node first = null, second = null;
        try (Receiver receiver = new Receiver()) {
            long[] delay = {60};
            receiver.answer = r -> new Receiver.Answer(200, "{}", delay[0]);
            first = Node.start(db);
            assertThat(first.client().admin("POST", "/admin/v1/tenants", "{\"id\":\"t\"}").statusCode()).isEqualTo(201);
            HttpResponse<String> created = first.client().admin("POST", "/admin/v1/tenants/t/webhooks", "{\"id\":\"h\",\"url\":\""
                    + receiver.url() + "\",\"format\":\"standard\",\"secret\":\"" + WebhookStandardTest.SECRET + "\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            int n = 40;
            for (int i = 0; i < n; i++) {
                assertThat(first.client().admin("POST", "/admin/v1/tenants/t/users", "{\"id\":\"k" + i + "\"}").statusCode()).isEqualTo(201);
            }
            Receiver.await("the first node delivering", Duration.ofSeconds(20), () -> WebhookStandardTest.distinct(receiver).size() >= 5);
            delay[0] = 700; // slow (within the 2 s timeout) while the second process starts, so that the first is killed mid-way
            second = Node.start(db); // the first still holds the lease: the second waits
            first.kill();
            delay[0] = 20;
            int atKill = WebhookStandardTest.distinct(receiver).size();
            assertThat(atKill).as("killed mid-delivery").isLessThan(n);
            Receiver.await("every event", Duration.ofSeconds(60), () -> WebhookStandardTest.distinct(receiver).size() >= n);
            List<String> ids = WebhookStandardTest.distinct(receiver).stream()
                    .map(r -> WebhookStandardTest.verified(r, WebhookStandardTest.SECRET).at("/data/id").asText()).toList();
            assertThat(ids).containsExactlyElementsOf(IntStream.range(0, n).mapToObj(i -> "k" + i).toList());
            // repeats (the event in flight at the kill, an answer that came after a timeout) carry the same webhook-id
        } finally {
            if (first != null) first.kill();
            if (second != null) second.kill();
            TestServer.dropDatabase(db);
        }
    }
}
