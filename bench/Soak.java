import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak (bench/soak runs it; never part of the tests): mixed reads and writes across every dialect at a fixed
 * rate against a running server with the demo directory, sampling the server's RSS, the p99 latency and the error
 * count each minute. Usage: java bench/Soak.java URL SERVER_PID ADMIN_TOKEN MINUTES RATE_PER_SECOND
 */
public class Soak {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static String base;
    static String admin;

    public static void main(String[] args) throws Exception {
        base = args[0];
        long pid = Long.parseLong(args[1]);
        admin = args[2];
        int minutes = Integer.parseInt(args[3]);
        int rate = Integer.parseInt(args[4]);

        String feishu = field(post("/open-apis/auth/v3/tenant_access_token/internal", "application/json",
                "{\"app_id\":\"cli_demo_feishu\",\"app_secret\":\"feishu-demo-secret-0001\"}", null).body(), "tenant_access_token");
        String authing = field(post("/api/v3/get-management-token", "application/json",
                "{\"accessKeyId\":\"ak_demo_authing\",\"accessKeySecret\":\"authing-demo-secret-0001\"}", null).body(), "access_token");
        String biz = field(post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=biz_demo_app&client_secret=bizapi-demo-secret-001", null).body(), "access_token");
        long ts = System.currentTimeMillis();
        String gateway = field(post("/apim-token-service/v2.0/token/get", "application/json", "{\"appKey\":\"enos_demo_app\",\"encryption\":\""
                + sha256("enos_demo_app" + ts + "enos-demo-secret-00001") + "\",\"timestamp\":" + ts + "}", null).body(), "accessToken");
        String enosUser = field(enos(gateway, "/app-portal-service/v2.2/login", "{\"account\":\"zhangsan\",\"password\":\"correct horse battery staple\"}", null).body(), "accessToken");

        AtomicInteger counter = new AtomicInteger();
        List<Runnable> mix = List.of(
                () -> check(get("/open-apis/acs/v1/users?page_size=20", "Bearer " + feishu)),
                () -> check(get("/open-apis/acs/v1/users/u1001?user_id_type=user_id", "Bearer " + feishu)),
                () -> check(get("/api/v3/list-users?page=1&limit=10", authing)),
                () -> check(get("/user/list?accessToken=" + enc(biz) + "&orgId=10&lastSequence=0&limit=100", null, "X-App-Id", "biz_demo_app")),
                () -> check(enos(gateway, "/app-portal-service/v2.2/user/list", "{}", enosUser)),
                () -> check(get("/admin/v1/tenants/acme/changes?after=0&limit=50", "Bearer " + admin)),
                // writes: create, update and delete a user of its own, through the admin API and authing
                () -> {
                    int n = counter.incrementAndGet();
                    check(send("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"soak" + n + "\",\"name\":\"Soak " + n + "\"}"));
                    check(send("PATCH", "/admin/v1/tenants/acme/users/soak" + n, "{\"nickname\":\"n" + n + "\"}"));
                    check(send("DELETE", "/admin/v1/tenants/acme/users/soak" + n, null));
                },
                () -> check(post("/api/v3/update-user", "application/json", "{\"userId\":\"u1002\",\"nickname\":\"soak" + counter.get() + "\"}", authing)));

        ScheduledExecutorService clock = Executors.newScheduledThreadPool(1);
        var workers = Executors.newFixedThreadPool(16);
        AtomicLong sent = new AtomicLong();
        clock.scheduleAtFixedRate(() -> {
            long i = sent.getAndIncrement();
            workers.submit(() -> timed(mix.get((int) (i % mix.size()))));
        }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);

        System.out.printf("%-6s %8s %9s %9s %7s%n", "minute", "requests", "p99 ms", "RSS MB", "errors");
        long firstRss = 0;
        long lastRss = 0;
        int totalErrors = 0;
        for (int minute = 1; minute <= minutes; minute++) {
            Thread.sleep(60_000);
            List<Long> window;
            int errs;
            synchronized (LATENCIES) {
                window = new ArrayList<>(LATENCIES);
                LATENCIES.clear();
                errs = ERRORS.getAndSet(0);
            }
            Collections.sort(window);
            long p99 = window.isEmpty() ? 0 : window.get(Math.min(window.size() - 1, (int) (window.size() * 0.99)));
            long rss = rssMb(pid);
            if (minute == 2) firstRss = rss; // after a minute of warm-up
            lastRss = rss;
            totalErrors += errs;
            System.out.printf("%-6d %8d %9.1f %9d %7d%n", minute, window.size(), p99 / 1e6, rss, errs);
        }
        clock.shutdownNow();
        workers.shutdownNow();
        System.out.printf("errors %d; RSS after warm-up %d MB, at the end %d MB%n", totalErrors, firstRss, lastRss);
        System.exit(totalErrors == 0 ? 0 : 1);
    }

    static final List<Long> LATENCIES = new ArrayList<>();
    static final AtomicInteger ERRORS = new AtomicInteger();

    static void timed(Runnable call) {
        long t0 = System.nanoTime();
        try {
            call.run();
        } catch (RuntimeException e) {
            ERRORS.incrementAndGet();
            System.err.println("error: " + e.getMessage());
        }
        synchronized (LATENCIES) {
            LATENCIES.add(System.nanoTime() - t0);
        }
    }

    /** Every answer must be a success: 2xx, and authing's statusCode 200 in its body. */
    static void check(HttpResponse<String> r) {
        boolean ok = r.statusCode() / 100 == 2 && !r.body().matches("(?s).*\"statusCode\":(?!200)\\d+.*")
                && !r.body().matches("(?s)^\\{\"code\":(?!0[,}])\\d+.*");
        if (!ok) throw new IllegalStateException(r.request().method() + " " + r.request().uri().getPath() + " -> " + r.statusCode() + " " + r.body());
    }

    static HttpResponse<String> get(String path, String authorization, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) b.header("Authorization", authorization);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return call(b.GET().build());
    }

    static HttpResponse<String> post(String path, String type, String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).header("Content-Type", type);
        if (authorization != null) b.header("Authorization", authorization);
        return call(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> send(String method, String path, String body) {
        return call(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> enos(String gateway, String path, String body, String user) {
        long ts = System.currentTimeMillis();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("apim-accesstoken", gateway).header("apim-timestamp", String.valueOf(ts))
                .header("apim-signature", sha256(gateway + body + ts + "enos-demo-secret-00001"));
        if (user != null) b.header("Authorization", "Bearer " + user);
        return call(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> call(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(request.uri().getPath() + ": " + e);
        }
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) throw new IllegalStateException("no " + name + " in " + json);
        return m.group(1);
    }

    static long rssMb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
        return -1;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
