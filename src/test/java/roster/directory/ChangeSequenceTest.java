package roster.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.FeedReplica;
import roster.TestServer;
import roster.model.CanonicalJson;

/**
 * The change sequence under concurrent writers: numbers are handed out in commit order, so a reader that follows
 * the feed with "after = the largest number seen" never skips a change, and ends with the directory's state.
 */
class ChangeSequenceTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.load("{\"tenants\":[{\"id\":\"seq\",\"departments\":[{\"id\":\"d\",\"name\":\"D\"}]}]}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode json(String body) {
        try {
            return CanonicalJson.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    @Test
    void aReaderFollowingTheFeedDuringConcurrentWritesSeesEveryChangeOnceInOrder() throws Exception {
        int writers = 4;
        int opsPerWriter = roster.Stress.scale(60);
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        AtomicBoolean writing = new AtomicBoolean(true);
        FeedReplica replica = new FeedReplica();

        Future<?> reader = pool.submit(() -> {
            while (true) {
                boolean wasWriting = writing.get();
                if (!replica.poll(server.client(), "seq", 37) && !wasWriting) return null;
            }
        });

        List<Future<?>> tasks = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            tasks.add(pool.submit(() -> {
                Random random = new Random(writer);
                for (int i = 0; i < opsPerWriter; i++) {
                    String id = "w" + writer + "-" + random.nextInt(15);
                    int op = random.nextInt(10);
                    var r = op < 7
                            ? server.admin("PUT", "/admin/v1/tenants/seq/users/" + id,
                                    "{\"name\":\"n" + i + "\",\"departments\":[\"d\"],\"status\":\"" + (op % 2 == 0 ? "active" : "suspended") + "\"}")
                            : op < 9
                            ? server.admin("PATCH", "/admin/v1/tenants/seq/users/" + id, "{\"nickname\":\"p" + i + "\"}")
                            : server.admin("DELETE", "/admin/v1/tenants/seq/users/" + id, null);
                    assertThat(r.statusCode()).as(r.body()).isIn(200, 204, 404);
                }
                return null;
            }));
        }
        for (Future<?> task : tasks) task.get(5, TimeUnit.MINUTES);
        writing.set(false);
        reader.get(5, TimeUnit.MINUTES);
        pool.shutdown();

        long last = server.services.changes().lastSequence("seq");
        assertThat(last).isGreaterThan(writers * opsPerWriter / 2);
        List<Long> expected = new ArrayList<>();
        for (long s = 1; s <= last; s++) expected.add(s);
        assertThat(replica.seen).as("every change, once, in order, no gap").isEqualTo(expected);

        Map<String, JsonNode> actual = new HashMap<>();
        String cursor = null;
        do {
            JsonNode page = json(server.admin("GET", "/admin/v1/tenants/seq/users?limit=7" + (cursor == null ? "" : "&cursor=" + cursor), null).body());
            for (JsonNode user : page.get("items")) actual.put(user.get("id").asText(), user);
            cursor = page.has("next_cursor") ? page.get("next_cursor").asText() : null;
        } while (cursor != null);
        assertThat(replica.users).as("the replica built from the feed is the directory").isEqualTo(actual);
    }

    @Test
    void aFailedWriteConsumesNoSequenceNumber() {
        long before = server.services.changes().lastSequence("seq");
        var bad = server.admin("PUT", "/admin/v1/tenants/seq/users/x1", "{\"departments\":[\"nope\"]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        var good = server.admin("PUT", "/admin/v1/tenants/seq/users/x1", "{\"departments\":[\"d\"]}");
        assertThat(good.statusCode()).isEqualTo(200);
        assertThat(json(good.body()).get("sequence").asLong()).isEqualTo(before + 1);
    }
}
