package roster.dialect.bizapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.TestServer;

/**
 * The sync promise under load: a client that keeps asking with the largest lastSequence it has seen, while
 * several writers change users through the admin API, ends with exactly the directory's current state.
 */
class BizapiConcurrentSyncTest {

    static final int WRITERS = 4;
    static final int CHANGES_PER_WRITER = roster.Stress.scale(30);
    static final List<String> DEPARTMENTS = List.of("acme", "eng", "eng-platform", "sales");
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.loadDemo();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void incrementalSyncDuringConcurrentWritesEndsWithTheCurrentState() throws Exception {
        BizapiClient sync = new BizapiClient(server, "biz_demo_app", "bizapi-demo-secret-001");
        sync.fetchToken();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(pool.submit(() -> write(writer)));
        }
        int pullsDuringWrites = 0;
        Thread watcher = new Thread(() -> {
            for (Future<?> f : writers) {
                try {
                    f.get();
                } catch (Exception ignored) {
                    // reported below
                }
            }
            writing.set(false);
        });
        watcher.start();
        while (writing.get()) {
            if (sync.pull(1, 3).size() < 3) Thread.sleep(2);
            pullsDuringWrites++;
        }
        for (Future<?> f : writers) f.get(); // a writer's failure fails the test
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        sync.sync(1, 3);

        Map<Long, String> truth = currentState();
        assertThat(truth).hasSize(5 + WRITERS * CHANGES_PER_WRITER / 3);
        assertThat(pullsDuringWrites).isGreaterThan(3);
        assertThat(view(sync.users.values())).isEqualTo(truth);

        // a client starting from zero now gets the same, each user once
        BizapiClient fresh = new BizapiClient(server, "biz_demo_app", "bizapi-demo-secret-001");
        fresh.accessToken = sync.accessToken;
        List<JsonNode> all = new ArrayList<>();
        while (true) {
            JsonNode page = fresh.pull(1, 7);
            page.forEach(all::add);
            if (page.size() < 7) break;
        }
        assertThat(all).hasSize(truth.size());
        assertThat(view(all)).isEqualTo(truth);
    }

    /** One writer: creates a user in some department under acme, renames users, moves them within acme. */
    static void write(int writer) {
        Random random = new Random(writer);
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < CHANGES_PER_WRITER; i++) {
            HttpResponse<String> response;
            String department = DEPARTMENTS.get(random.nextInt(DEPARTMENTS.size()));
            switch (i % 3) {
                case 0 -> {
                    String id = "w" + writer + "-" + i;
                    mine.add(id);
                    response = server.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"" + id + "\",\"username\":\"" + id
                            + "\",\"nickname\":\"n0\",\"gender\":\"female\",\"departments\":[\"" + department + "\"]}");
                }
                case 1 -> {
                    String id = random.nextBoolean() ? mine.get(random.nextInt(mine.size())) : "u100" + (1 + random.nextInt(5));
                    response = server.admin("PATCH", "/admin/v1/tenants/acme/users/" + id,
                            "{\"nickname\":\"w" + writer + "-" + i + "\",\"gender\":\"male\"}");
                }
                default -> response = server.admin("PATCH", "/admin/v1/tenants/acme/users/" + mine.get(random.nextInt(mine.size())),
                        "{\"departments\":[\"" + department + "\"],\"avatar\":\"https://img.example/" + writer + "/" + i + "\"}");
            }
            if (response.statusCode() / 100 != 2) throw new AssertionError("write refused: " + response.body());
        }
    }

    /** The directory's users under acme as the admin API has them: num → what the sync wire shows of each. */
    static Map<Long, String> currentState() {
        HttpResponse<String> response = server.admin("GET", "/admin/v1/tenants/acme/users?department=acme&limit=1000", null);
        assertThat(response.statusCode()).isEqualTo(200);
        Map<Long, String> state = new TreeMap<>();
        for (JsonNode u : BizapiClient.json(response).path("items")) {
            int gender = switch (u.path("gender").asText("unknown")) {
                case "male" -> 1;
                case "female" -> 2;
                default -> 0;
            };
            state.put(u.path("num").asLong(), u.path("nickname").asText("") + "|" + u.path("username").asText("") + "|"
                    + u.path("avatar").asText("") + "|" + gender + "|" + u.path("sequence").asLong());
        }
        return state;
    }

    static Map<Long, String> view(Iterable<JsonNode> users) {
        Map<Long, String> state = new TreeMap<>();
        Set<Long> seen = new HashSet<>();
        for (JsonNode u : users) {
            assertThat(seen.add(u.path("userId").asLong())).as("listed twice: " + u).isTrue();
            state.put(u.path("userId").asLong(), u.path("nickname").asText() + "|" + u.path("account").asText() + "|"
                    + u.path("avatar").asText() + "|" + u.path("gender").asInt() + "|" + u.path("lastSequence").asLong());
        }
        return state;
    }
}
