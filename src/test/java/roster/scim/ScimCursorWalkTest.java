package roster.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static roster.scim.ScimClient.assertError;
import static roster.scim.ScimClient.enc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.Stress;
import roster.TestServer;

/**
 * RFC 9865 cursor paging under concurrent writes (README, "Guarantees"): a walk by cursor while other clients
 * create, update and delete users through SCIM lists every user that stays for the whole walk exactly once (an index
 * walk by startIndex cannot promise that: a deletion before its position shifts every later user one place back).
 */
class ScimCursorWalkTest {

    static final int BASE_USERS = Stress.scale(150);
    static final int PAGE = 7;
    static TestServer server;
    static ScimClient scim;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        scim = ScimClient.demo(server);
        StringBuilder users = new StringBuilder();
        for (int i = 0; i < BASE_USERS; i++) {
            if (i > 0) users.append(',');
            users.append("{\"id\":\"base-").append(i).append("\",\"username\":\"base-").append(i).append("\",\"departments\":[\"eng\"]}");
        }
        server.load("{\"tenants\":[{\"id\":\"acme\",\"users\":[" + users + "]}]}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aCursorWalkDuringConcurrentWritesSeesEveryUserThatStayedExactlyOnce() throws Exception {
        walkDuringWrites(seen -> {
            String cursor = "";
            int pages = 0;
            do {
                JsonNode page = scim.json("GET", "/Users?count=" + PAGE + "&cursor=" + enc(cursor), null, 200);
                page.path("Resources").forEach(u -> seen.add(u.path("id").asText()));
                cursor = page.path("nextCursor").asText(null);
                pages++;
                Thread.sleep(2); // let the writers interleave with the walk
            } while (cursor != null && pages < 10_000);
        });
    }

    /** The same guarantee walking backwards: from the last page by previousCursor (RFC 9865) to the first. */
    @Test
    void aWalkBackwardsByPreviousCursorSeesEveryUserThatStayedExactlyOnce() throws Exception {
        walkDuringWrites(seen -> {
            JsonNode page = scim.json("GET", "/Users?count=" + PAGE + "&cursor=", null, 200);
            assertThat(page.has("previousCursor")).as("the first page has none").isFalse();
            while (page.has("nextCursor")) page = scim.json("GET", "/Users?count=" + PAGE + "&cursor=" + enc(page.path("nextCursor").asText()), null, 200);
            int pages = 0;
            while (true) {
                List<String> ids = new ArrayList<>();
                page.path("Resources").forEach(u -> ids.add(u.path("id").asText()));
                seen.addAll(0, ids);
                String cursor = page.path("previousCursor").asText(null);
                if (cursor == null || ++pages > 10_000) break;
                page = scim.json("GET", "/Users?count=" + PAGE + "&cursor=" + enc(cursor), null, 200);
                assertThat(page.path("nextCursor").asText(null)).as("a page reached backwards has a next page").isNotNull();
                Thread.sleep(2);
            }
        });
    }

    @Test
    void previousCursorsGoBackPageByPageInForwardOrder() {
        String filter = "&filter=" + enc("userName sw \"base-\"");
        List<JsonNode> forward = new ArrayList<>();
        JsonNode page = scim.json("GET", "/Users?count=4&cursor=" + filter, null, 200);
        forward.add(page);
        while (page.has("nextCursor")) {
            page = scim.json("GET", "/Users?count=4&cursor=" + enc(page.path("nextCursor").asText()) + filter, null, 200);
            forward.add(page);
        }
        assertThat(forward.size()).isGreaterThan(3);
        for (int i = forward.size() - 1; i > 0; i--) {
            JsonNode back = scim.json("GET", "/Users?count=4&cursor=" + enc(forward.get(i).path("previousCursor").asText()) + filter, null, 200);
            assertThat(back.path("Resources")).isEqualTo(forward.get(i - 1).path("Resources"));
            assertThat(back.has("previousCursor")).isEqualTo(i - 1 > 0);
            // from a page reached backwards, nextCursor leads forwards again
            JsonNode again = scim.json("GET", "/Users?count=4&cursor=" + enc(back.path("nextCursor").asText()) + filter, null, 200);
            assertThat(again.path("Resources")).isEqualTo(forward.get(i).path("Resources"));
        }
        // a previousCursor is bound to its filter and app like a nextCursor
        assertError(scim.get("/Users?count=4&cursor=" + enc(forward.get(1).path("previousCursor").asText())), 400, "invalidCursor");
    }

    interface Walk {
        void walk(List<String> seen) throws Exception;
    }

    private static final AtomicInteger WALKS = new AtomicInteger();

    private void walkDuringWrites(Walk walk) throws Exception {
        int walkNo = WALKS.incrementAndGet(); // each walk creates users of its own names
        Set<String> before = alive();
        Set<String> touched = ConcurrentHashMap.newKeySet(); // deleted or created during the walk
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger writes = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int seed = w;
            writers.add(pool.submit(() -> {
                Random random = new Random(seed);
                // the loaded users: a demo user without a userName cannot be written through SCIM (userName is required)
                List<String> candidates = before.stream().filter(id -> id.startsWith("base-")).sorted().toList();
                while (!stop.get()) {
                    String victim = candidates.get(random.nextInt(candidates.size()));
                    switch (random.nextInt(3)) {
                        case 0 -> {
                            touched.add(victim);
                            int status = scim.send("DELETE", "/Users/" + victim, null).statusCode();
                            assertThat(status).isIn(204, 404);
                        }
                        case 1 -> {
                            JsonNode created = scim.json("POST", "/Users", "{\"userName\":\"new-" + walkNo + "-" + seed + "-" + writes.get() + "-" + random.nextInt(1 << 30) + "\"}", 201);
                            touched.add(created.path("id").asText());
                        }
                        default -> {
                            int status = scim.send("PATCH", "/Users/" + victim,
                                    "{\"Operations\":[{\"op\":\"replace\",\"path\":\"nickName\",\"value\":\"n" + random.nextInt() + "\"}]}").statusCode();
                            assertThat(status).isIn(200, 404);
                        }
                    }
                    writes.incrementAndGet();
                }
                return null;
            }));
        }
        List<String> seen = new ArrayList<>();
        try {
            walk.walk(seen);
        } finally {
            stop.set(true);
            for (Future<?> f : writers) f.get(30, TimeUnit.SECONDS);
            pool.shutdownNow();
        }
        assertThat(writes.get()).as("writes during the walk").isGreaterThan(10);
        Set<String> stayed = new HashSet<>(before);
        stayed.removeAll(touched);
        stayed.retainAll(alive());
        Set<String> unique = new HashSet<>(seen);
        assertThat(seen).as("no user twice").hasSameSizeAs(unique);
        assertThat(unique).as("every user that stayed").containsAll(stayed);
    }

    @Test
    void aCursorAnswersOnlyItsOwnAppAndFilter() {
        JsonNode first = scim.json("GET", "/Users?count=2&cursor=&filter=" + enc("userName sw \"base-\""), null, 200);
        String next = first.path("nextCursor").asText();
        assertThat(next).isNotEmpty();
        assertThat(first.has("startIndex")).isFalse();
        assertThat(first.path("totalResults").asInt()).isPositive();
        assertError(scim.get("/Users?count=2&cursor=" + enc(next) + "&filter=" + enc("userName sw \"base-1\"")), 400, "invalidCursor");
        ScimClient.createApp(server, "scim_other", "scim-other-secret-001", "\"scim\"", "\"all\"");
        assertError(ScimClient.basic(server, "scim_other", "scim-other-secret-001").get("/Users?count=2&cursor=" + enc(next)
                + "&filter=" + enc("userName sw \"base-\"")), 400, "invalidCursor");
        String altered = next.substring(0, next.length() - 2) + (next.endsWith("A") ? "BB" : "AA");
        assertError(scim.get("/Users?count=2&cursor=" + enc(altered) + "&filter=" + enc("userName sw \"base-\"")), 400, "invalidCursor");
        // a page of 1000 is allowed; more is cut to 1000
        JsonNode big = scim.json("GET", "/Users?count=5000&cursor=", null, 200);
        assertThat(big.path("itemsPerPage").asInt()).isLessThanOrEqualTo(1000);
    }

    /** Every user id there is now, by one cursor walk. */
    private static Set<String> alive() {
        Set<String> ids = new HashSet<>();
        String cursor = "";
        do {
            JsonNode page = scim.json("GET", "/Users?count=1000&cursor=" + enc(cursor) + "&attributes=id", null, 200);
            page.path("Resources").forEach(u -> ids.add(u.path("id").asText()));
            cursor = page.path("nextCursor").asText(null);
        } while (cursor != null);
        return ids;
    }
}
