package roster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Two `roster serve` processes on one database (PostgreSQL, or one SQLite file in WAL mode) sharing the data folder
 * and so the master key: they behave as one service. Tokens and page tokens of one work on the other, a write on
 * one is read on the other at once, and the change sequence stays gapless in commit order with writers on both.
 */
class MultiProcessTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void twoProcessesOnOneDatabaseAreOneService() throws Exception {
        TestServer.Database db = TestServer.freshDatabase();
        try (ServeProcess a = ServeProcess.start(db); ServeProcess b = ServeProcess.start(db)) {
            assertThat(a.client.admin("POST", "/admin/v1/load", Files.readString(TestServer.DEMO)).statusCode()).isEqualTo(200);

            // a feishu token and page token from one process work on the other
            String token = json(post(a, "/open-apis/auth/v3/tenant_access_token/internal",
                    "{\"app_id\":\"cli_demo_feishu\",\"app_secret\":\"feishu-demo-secret-0001\"}")).get("tenant_access_token").asText();
            JsonNode firstOnA = feishuPage(a, token, null);
            JsonNode secondOnA = feishuPage(a, token, firstOnA.get("page_token").asText());
            JsonNode secondOnB = feishuPage(b, token, firstOnA.get("page_token").asText());
            assertThat(secondOnB.get("items")).isEqualTo(secondOnA.get("items"));

            // a write on one is read on the other at once
            for (int i = 0; i < 10; i++) {
                ServeProcess writer = i % 2 == 0 ? a : b;
                ServeProcess reader = i % 2 == 0 ? b : a;
                assertThat(writer.client.admin("PATCH", "/admin/v1/tenants/acme/users/u1002", "{\"nickname\":\"n" + i + "\"}").statusCode()).isEqualTo(200);
                assertThat(json(reader.client.admin("GET", "/admin/v1/tenants/acme/users/u1002", null)).get("nickname").asText()).isEqualTo("n" + i);
            }

            changeSequenceStaysGaplessWithWritersOnBoth(a, b);
        } finally {
            TestServer.dropDatabase(db);
        }
    }

    private static void changeSequenceStaysGaplessWithWritersOnBoth(ServeProcess a, ServeProcess b) throws Exception {
        int writers = 4;
        int opsPerWriter = Stress.scale(40);
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        AtomicBoolean writing = new AtomicBoolean(true);
        long start = json(a.client.admin("GET", "/admin/v1/tenants/acme/changes?after=0&limit=1000", null)).get("changes").size();
        FeedReplica replica = new FeedReplica();
        Future<?> reader = pool.submit(() -> {
            for (int poll = 0; ; poll++) {
                boolean wasWriting = writing.get();
                ServeProcess from = poll % 2 == 0 ? a : b;
                if (!replica.poll(from.client, "acme", 50) && !wasWriting) return null;
            }
        });
        List<Future<?>> tasks = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            tasks.add(pool.submit(() -> {
                Random random = new Random(writer);
                for (int i = 0; i < opsPerWriter; i++) {
                    TestServer.Client to = (i + writer) % 2 == 0 ? a.client : b.client;
                    String id = "p" + writer + "-" + random.nextInt(12);
                    int op = random.nextInt(10);
                    HttpResponse<String> r = op < 7
                            ? to.admin("PUT", "/admin/v1/tenants/acme/users/" + id, "{\"name\":\"n" + i + "\",\"departments\":[\"eng\"]}")
                            : op < 9 ? to.admin("PATCH", "/admin/v1/tenants/acme/users/" + id, "{\"nickname\":\"p" + i + "\"}")
                            : to.admin("DELETE", "/admin/v1/tenants/acme/users/" + id, null);
                    assertThat(r.statusCode()).as(r.body()).isIn(200, 204, 404);
                }
                return null;
            }));
        }
        for (Future<?> task : tasks) task.get(5, TimeUnit.MINUTES);
        writing.set(false);
        reader.get(5, TimeUnit.MINUTES);
        pool.shutdown();

        List<Long> expected = new ArrayList<>();
        for (long s = 1; s <= replica.seen.get(replica.seen.size() - 1); s++) expected.add(s);
        assertThat(replica.seen).as("every change once, in order, no gap, across both processes").isEqualTo(expected);
        assertThat(replica.seen.size()).isGreaterThan((int) start + writers * opsPerWriter / 2);

        Map<String, JsonNode> actual = new HashMap<>();
        for (JsonNode user : json(b.client.admin("GET", "/admin/v1/tenants/acme/users?limit=1000", null)).get("items")) {
            actual.put(user.get("id").asText(), user);
        }
        assertThat(replica.users).as("the feed's replica is the directory").isEqualTo(actual);
    }

    private static JsonNode feishuPage(ServeProcess to, String token, String pageToken) {
        String query = "?page_size=2&user_id_type=user_id" + (pageToken == null ? "" : "&page_token=" + URLEncoder.encode(pageToken, StandardCharsets.UTF_8));
        JsonNode answer = json(to.client.send(HttpRequest.newBuilder(URI.create(to.url + "/open-apis/acs/v1/users" + query))
                .header("Authorization", "Bearer " + token).GET().build()));
        assertThat(answer.get("code").asInt()).as(answer.toString()).isZero();
        return answer.get("data");
    }

    private static HttpResponse<String> post(ServeProcess to, String path, String body) {
        return to.client.send(HttpRequest.newBuilder(URI.create(to.url + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }
}
