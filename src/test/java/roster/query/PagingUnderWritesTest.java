package roster.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import roster.Stress;
import roster.TestServer;

/**
 * Every dialect's paging, walked while other clients create, update and delete users (README, "Guarantees").
 *
 * <p>Keyset paging (feishu page_token, admin cursor: by num; bizapi lastSequence: by change sequence) shows every
 * user that existed for the whole walk exactly once, whatever the writers do. Offset paging (authing page/limit,
 * enos pageNo) is by num: creations land after every existing user and updates never move one, so they cause no
 * duplicate and no skip; a deletion before the walker's position shifts the users after it one place back, which
 * the last test pins down.
 */
class PagingUnderWritesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int BASE_USERS = Stress.scale(150);
    static final int BASE_NUM = 100_000;
    static final int PAGE = 7;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.loadDemo();
        StringBuilder users = new StringBuilder();
        for (int i = 0; i < BASE_USERS; i++) {
            if (i > 0) users.append(',');
            users.append("{\"id\":\"base-").append(i).append("\",\"num\":").append(BASE_NUM + i).append(",\"username\":\"base-").append(i)
                    .append("\",\"departments\":[\"eng\"],\"acs\":{\"groups\":[\"hq-doors\"],\"card\":null,\"face\":null}}");
        }
        server.load("{\"tenants\":[{\"id\":\"acme\",\"users\":[" + users + "]}]}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    enum Dialect { FEISHU, ADMIN, BIZAPI, AUTHING, ENOS }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aWalkDuringConcurrentWritesSeesEveryUserThatStayedExactlyOnce(Dialect dialect) throws Exception {
        boolean keyset = dialect == Dialect.FEISHU || dialect == Dialect.ADMIN || dialect == Dialect.BIZAPI;
        Set<String> before = alive();
        Writers writers = new Writers(dialect.name().toLowerCase(), keyset);
        writers.start();
        List<String> seen;
        try {
            while (writers.done.get() < 10) Thread.sleep(5); // writing is under way before the walk starts
            seen = walk(dialect, writers::awaitOneMore);
        } finally {
            writers.stop();
        }
        Set<String> stayed = new HashSet<>(before);
        stayed.removeIf(id -> !id.startsWith("base-")); // the demo's own users are not all in every dialect's list
        stayed.removeAll(writers.deleted);
        stayed.retainAll(alive());
        assertThat(writers.done.get()).as("writes during the walk").isGreaterThan(20);
        assertThat(writers.deleted).as("users deleted during the walk").isNotEmpty();

        Map<String, Integer> times = new HashMap<>();
        seen.forEach(id -> times.merge(id, 1, Integer::sum));
        if (dialect == Dialect.BIZAPI) {
            // sync lists a user again after each change to it (the walk checks its lastSequence grew each time)
            for (String id : stayed) assertThat(times.getOrDefault(id, 0)).as(dialect + ": times " + id + " was listed").isPositive();
        } else {
            for (String id : stayed) assertThat(times.getOrDefault(id, 0)).as(dialect + ": times " + id + " was listed").isEqualTo(1);
            assertThat(times.values()).as(dialect + ": no user listed twice").allMatch(n -> n == 1);
        }
    }

    /**
     * What offset paging cannot do without a token on the wire: a user removed before the walker's position moves
     * every later user one place back, so the walk misses the one that crossed the page boundary.
     */
    @Test
    void anOffsetWalkMissesOneUserPerRemovalBeforeItsPosition() throws Exception {
        Authing authing = new Authing();
        List<String> page1 = authing.page(1, PAGE);
        assertThat(page1).hasSize(PAGE);
        List<String> oldPage2 = authing.page(2, PAGE);
        String crossing = oldPage2.get(0);
        String removed = page1.get(3);
        assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/users/" + removed, null).statusCode()).isEqualTo(204);
        List<String> page2 = authing.page(2, PAGE);
        assertThat(page2.subList(0, PAGE - 1)).isEqualTo(oldPage2.subList(1, PAGE));
        assertThat(page2).doesNotContain(crossing); // it moved onto page 1, which the walker has already read

        // a creation, by contrast, lands after every user and shifts nothing
        List<String> page2Again = authing.page(2, PAGE);
        var created = server.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"late-comer\",\"departments\":[\"eng\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(authing.page(2, PAGE)).isEqualTo(page2Again);
    }

    // ---- the writers

    /** Creates, renames and deletes users until stopped. Keyset walks face deletions of any user, offset walks of new ones. */
    final class Writers {
        final String name;
        final boolean deleteAnyone;
        final AtomicBoolean writing = new AtomicBoolean(true);
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger created = new AtomicInteger();
        final Set<String> deleted = ConcurrentHashMap.newKeySet();
        final List<String> fresh = Collections.synchronizedList(new ArrayList<>());
        final ExecutorService pool = Executors.newFixedThreadPool(3);
        final List<Future<?>> tasks = new ArrayList<>();

        Writers(String name, boolean deleteAnyone) {
            this.name = name;
            this.deleteAnyone = deleteAnyone;
        }

        void start() {
            for (int w = 0; w < 3; w++) {
                int writer = w;
                tasks.add(pool.submit(() -> {
                    Random random = new Random(writer * 31L + name.hashCode());
                    while (writing.get()) {
                        int op = random.nextInt(6);
                        HttpResponse<String> r;
                        if (op < 2 && created.get() < Stress.scale(40)) {
                            String id = name + "-new-" + created.incrementAndGet();
                            r = server.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"" + id + "\",\"username\":\"" + id
                                    + "\",\"departments\":[\"eng\"],\"acs\":{\"groups\":[\"hq-doors\"],\"card\":null,\"face\":null}}");
                            if (r.statusCode() == 201) fresh.add(id);
                        } else if (op == 5) {
                            String id = deleteAnyone ? "base-" + random.nextInt(BASE_USERS)
                                    : fresh.isEmpty() ? null : fresh.remove(random.nextInt(fresh.size()));
                            if (id == null) continue;
                            deleted.add(id);
                            r = server.admin("DELETE", "/admin/v1/tenants/acme/users/" + id, null);
                        } else {
                            r = server.admin("PATCH", "/admin/v1/tenants/acme/users/base-" + random.nextInt(BASE_USERS),
                                    "{\"nickname\":\"" + name + "-" + done.get() + "\"}");
                        }
                        if (r.statusCode() / 100 != 2 && r.statusCode() != 404) throw new AssertionError("write refused: " + r.body());
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
        }

        private int seen;

        /** Waits (a second at most) until a write finished since the last call: however loaded the machine, the walk
         *  and the writes interleave page by page. */
        void awaitOneMore() {
            try {
                for (int waited = 0; done.get() <= seen && waited < 1000; waited++) Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen = done.get();
        }

        void stop() throws Exception {
            writing.set(false);
            for (Future<?> task : tasks) task.get(1, TimeUnit.MINUTES);
            pool.shutdown();
        }
    }

    /** The ids of every user of acme now. */
    static Set<String> alive() {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = json(server.admin("GET", "/admin/v1/tenants/acme/users?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor), null));
            page.get("items").forEach(u -> ids.add(u.get("id").asText()));
            cursor = page.has("next_cursor") ? page.get("next_cursor").asText() : null;
        } while (cursor != null);
        return ids;
    }

    // ---- the walks, one per dialect, as each vendor's client pages

    /** Walks the dialect's pages; betweenPages runs after each (it waits for a write, so writes land mid-walk). */
    static List<String> walk(Dialect dialect, Runnable betweenPages) throws Exception {
        List<String> seen = new ArrayList<>();
        switch (dialect) {
            case ADMIN -> {
                String cursor = null;
                do {
                    JsonNode page = json(server.admin("GET", "/admin/v1/tenants/acme/users?limit=" + PAGE + (cursor == null ? "" : "&cursor=" + cursor), null));
                    page.get("items").forEach(u -> seen.add(u.get("id").asText()));
                    cursor = page.has("next_cursor") ? page.get("next_cursor").asText() : null;
                    betweenPages.run();
                } while (cursor != null);
            }
            case FEISHU -> {
                JsonNode token = json(post("/open-apis/auth/v3/tenant_access_token/internal", Map.of(),
                        "{\"app_id\":\"cli_demo_feishu\",\"app_secret\":\"feishu-demo-secret-0001\"}"));
                String bearer = "Bearer " + token.get("tenant_access_token").asText();
                String pageToken = null;
                do {
                    JsonNode data = json(get("/open-apis/acs/v1/users?user_id_type=user_id&page_size=" + PAGE
                            + (pageToken == null ? "" : "&page_token=" + encode(pageToken)), bearer)).get("data");
                    data.get("items").forEach(u -> seen.add(u.get("user_id").asText()));
                    pageToken = data.path("has_more").asBoolean() ? data.get("page_token").asText() : null;
                    betweenPages.run();
                } while (pageToken != null);
            }
            case BIZAPI -> {
                var form = HttpRequest.newBuilder(URI.create(server.baseUrl + "/oauth2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=biz_demo_app&client_secret=bizapi-demo-secret-001"));
                String token = json(server.send(form.build())).get("access_token").asText();
                long lastSequence = 0;
                Map<Long, String> idOfNum = numsToIds();
                Map<Long, Long> sequenceOf = new HashMap<>();
                while (true) {
                    var request = HttpRequest.newBuilder(URI.create(server.baseUrl + "/user/list?accessToken=" + encode(token)
                            + "&orgId=1&limit=" + PAGE + "&lastSequence=" + lastSequence)).header("X-App-Id", "biz_demo_app").GET();
                    JsonNode data = json(server.send(request.build())).get("data");
                    for (JsonNode u : data) {
                        long num = u.get("userId").asLong();
                        if (!idOfNum.containsKey(num)) idOfNum = numsToIds(); // created during the walk
                        seen.add(idOfNum.getOrDefault(num, "num-" + num));
                        long sequence = u.get("lastSequence").asLong();
                        Long earlier = sequenceOf.put(num, sequence);
                        assertThat(sequence).as("listed again only after a change").isGreaterThan(earlier == null ? 0 : earlier);
                        lastSequence = Math.max(lastSequence, sequence);
                    }
                    if (data.size() < PAGE) break;
                    betweenPages.run();
                }
            }
            case AUTHING -> {
                Authing authing = new Authing();
                for (int page = 1; ; page++) {
                    List<String> ids = authing.page(page, PAGE);
                    seen.addAll(ids);
                    if (ids.size() < PAGE) break;
                    betweenPages.run();
                }
            }
            case ENOS -> {
                Enos enos = new Enos();
                for (int pageNo = 0; ; pageNo++) {
                    JsonNode data = enos.call("/app-portal-service/v2.2/user/list",
                            "{\"pagination\":{\"pageNo\":" + pageNo + ",\"pageSize\":" + PAGE + "}}").get("data");
                    data.get("users").forEach(u -> seen.add(u.get("userId").asText()));
                    if (data.get("users").size() < PAGE) break;
                    betweenPages.run();
                }
            }
        }
        return seen;
    }

    static Map<Long, String> numsToIds() {
        Map<Long, String> ids = new HashMap<>();
        JsonNode page = json(server.admin("GET", "/admin/v1/tenants/acme/users?limit=1000", null));
        page.get("items").forEach(u -> ids.put(u.get("num").asLong(), u.get("id").asText()));
        return ids;
    }

    /** An Authing management client: one token, then GET list-users by page and limit (the SDK's listUsersLegacy). */
    static final class Authing {
        final String bearer;

        Authing() {
            JsonNode token = json(post("/api/v3/get-management-token", Map.of(),
                    "{\"accessKeyId\":\"ak_demo_authing\",\"accessKeySecret\":\"authing-demo-secret-0001\"}"));
            bearer = "Bearer " + token.get("data").get("access_token").asText();
        }

        List<String> page(int page, int limit) {
            JsonNode answer = json(get("/api/v3/list-users?page=" + page + "&limit=" + limit, bearer));
            assertThat(answer.get("statusCode").asInt()).as(answer.toString()).isEqualTo(200);
            List<String> ids = new ArrayList<>();
            answer.get("data").get("list").forEach(u -> ids.add(u.get("userId").asText()));
            return ids;
        }
    }

    /** An EnOS client from the documented gateway signing, signed in as the tenant administrator zhangsan. */
    static final class Enos {
        static final String KEY = "enos_demo_app";
        static final String SECRET = "enos-demo-secret-00001";
        final String gatewayToken;
        final String userToken;

        Enos() {
            long now = System.currentTimeMillis();
            gatewayToken = json(post("/apim-token-service/v2.0/token/get", Map.of(), "{\"appKey\":\"" + KEY + "\",\"encryption\":\""
                    + sha256(KEY + now + SECRET) + "\",\"timestamp\":" + now + "}")).get("data").get("accessToken").asText();
            userToken = call("/app-portal-service/v2.2/login", "{\"account\":\"zhangsan\",\"password\":\"correct horse battery staple\"}")
                    .get("data").get("accessToken").asText();
        }

        JsonNode call(String path, String body) {
            long now = System.currentTimeMillis();
            Map<String, String> headers = new HashMap<>(Map.of("apim-accesstoken", gatewayToken, "apim-timestamp", String.valueOf(now),
                    "apim-signature", sha256(gatewayToken + body + now + SECRET)));
            if (userToken != null) headers.put("Authorization", "Bearer " + userToken);
            JsonNode answer = json(post(path, headers, body));
            assertThat(answer.path("code").asInt(-1)).as(answer.toString()).isZero();
            return answer;
        }
    }

    // ---- plain HTTP

    static HttpResponse<String> post(String path, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return server.send(b.build());
    }

    static HttpResponse<String> get(String pathAndQuery, String authorization) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl + pathAndQuery)).header("Authorization", authorization).GET().build());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
