package roster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import roster.crypto.Keys;

/**
 * First starts that race on an empty data folder: each would make a master key, and the one whose key lost
 * (overwritten on disk, or not the one the database recorded) refused to start or sealed with a key nobody has.
 * The key file is created whole and only if absent, so the loser reads the winner's key.
 */
class MasterKeyRaceTest {

    @Test
    void twoServeProcessesStartedAtOnceOnAnEmptyFolderShareOneKey() throws Exception {
        TestServer.Database db = TestServer.freshDatabase();
        assertThat(db.dataDir().resolve("master.key")).doesNotExist();
        Process first = CliTest.start(db, List.of("serve"), db.dataDir().resolve("serve-a.log"));
        Process second = CliTest.start(db, List.of("serve"), db.dataDir().resolve("serve-b.log"));
        try (ServeProcess a = ServeProcess.of(first); ServeProcess b = ServeProcess.of(second)) {
            // both started; a secret sealed by one opens on the other
            assertThat(a.client.admin("POST", "/admin/v1/load", Files.readString(TestServer.DEMO)).statusCode()).isEqualTo(200);
            HttpResponse<String> token = b.client.send(HttpRequest.newBuilder(URI.create(b.url + "/open-apis/auth/v3/tenant_access_token/internal"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"app_id\":\"cli_demo_feishu\",\"app_secret\":\"feishu-demo-secret-0001\"}")).build());
            assertThat(new ObjectMapper().readTree(token.body()).path("tenant_access_token").asText()).isNotEmpty();
        } finally {
            TestServer.dropDatabase(db);
        }
    }

    @Test
    void keysMadeAtOnceInOneFolderAreOneKey() throws Exception {
        for (int round = 0; round < 20; round++) {
            Path dir = Files.createTempDirectory("roster-key-race");
            int n = 8;
            CyclicBarrier start = new CyclicBarrier(n);
            ExecutorService pool = Executors.newFixedThreadPool(n);
            try {
                List<Future<String>> made = new ArrayList<>();
                for (int i = 0; i < n; i++) made.add(pool.submit(() -> {
                    start.await();
                    return Keys.load(dir, null).fingerprint();
                }));
                String onDisk = Keys.load(dir, null).fingerprint();
                for (Future<String> f : made) assertThat(f.get()).isEqualTo(onDisk);
                try (var files = Files.list(dir)) {
                    assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("master.key"); // no temporary file left
                }
            } finally {
                pool.shutdownNow();
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
