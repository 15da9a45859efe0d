import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Webhook delivery speed: starts `roster serve` on a fresh SQLite file (or --db JDBC_URL) with a local consumer
 * subscribed (standard format), writes changes through the admin API at --rate per second for --seconds, and
 * reports the events delivered per second and the lag from commit (the event's timestamp, the change's commit
 * time) to arrival at the consumer, p50 and p99. Run from the project root after `mvn -B -q package -DskipTests`:
 *
 *   java -cp "target/roster.jar:target/lib/*" bench/WebhookBench.java --rate 1000 --seconds 10
 */
public class WebhookBench {

    static final String TOKEN = "bench-admin-token";
    static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        int rate = 1000, seconds = 10, writers = 8;
        String db = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--writers" -> writers = Integer.parseInt(args[++i]);
                case "--db" -> db = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        // the consumer: records the lag of each distinct event
        List<Long> lags = Collections.synchronizedList(new ArrayList<>());
        ConcurrentHashMap<String, Boolean> seen = new ConcurrentHashMap<>();
        AtomicLong lastArrival = new AtomicLong();
        HttpServer consumer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        consumer.setExecutor(Executors.newFixedThreadPool(4));
        consumer.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            long now = System.currentTimeMillis();
            if (seen.putIfAbsent(ex.getRequestHeaders().getFirst("webhook-id"), true) == null) {
                Matcher m = TIMESTAMP.matcher(body);
                if (m.find()) lags.add(now - Instant.parse(m.group(1)).toEpochMilli());
                lastArrival.set(now);
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        consumer.start();

        Path data = Files.createTempDirectory("roster-webhook-bench");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "roster.Roster", "serve", "--data=" + data));
        if (db != null) command.add("--db=" + db);
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(data.resolve("serve.log").toFile());
        pb.environment().put("ROSTER_PORT", "0");
        pb.environment().put("ROSTER_ADMIN_TOKEN", TOKEN);
        pb.environment().put("ROSTER_WEBHOOK_ALLOW_PRIVATE", "1");
        pb.environment().put("ROSTER_ACCESS_LOG", "OFF");
        Process server = pb.start();
        try {
            String ready = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
            String base = ready.substring("Roster listening on ".length()).trim();
            HttpClient http = HttpClient.newHttpClient();
            admin(http, base, "POST", "/admin/v1/tenants", "{\"id\":\"bench\"}");
            admin(http, base, "POST", "/admin/v1/tenants/bench/webhooks", "{\"id\":\"bench\",\"url\":\"http://127.0.0.1:"
                    + consumer.getAddress().getPort() + "/\",\"format\":\"standard\",\"secret\":\"whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\"}");

            // writers: users created at the target rate, spread over a few threads
            int total = rate * seconds;
            AtomicLong next = new AtomicLong();
            AtomicLong written = new AtomicLong();
            long start = System.nanoTime();
            long startMillis = System.currentTimeMillis();
            var pool = Executors.newFixedThreadPool(writers);
            for (int w = 0; w < writers; w++) {
                final int perSecond = rate;
                pool.execute(() -> {
                    long i;
                    while ((i = next.getAndIncrement()) < total) {
                        long due = start + i * 1_000_000_000L / perSecond;
                        long wait = due - System.nanoTime();
                        if (wait > 0) sleep(wait / 1_000_000);
                        admin(http, base, "POST", "/admin/v1/tenants/bench/users", "{\"id\":\"u" + i + "\",\"name\":\"User " + i + "\"}");
                        written.incrementAndGet();
                    }
                });
            }
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.HOURS);
            double writeSeconds = (System.nanoTime() - start) / 1e9;
            long deadline = System.currentTimeMillis() + 120_000;
            while (seen.size() < total && System.currentTimeMillis() < deadline) sleep(50);
            double deliverSeconds = (lastArrival.get() - startMillis) / 1e3;
            List<Long> sorted = new ArrayList<>(lags);
            Collections.sort(sorted);
            System.out.printf("changes written: %,d in %.1f s (%,.0f/s, target %,d/s)%n", written.get(), writeSeconds, written.get() / writeSeconds, rate);
            System.out.printf("events delivered: %,d in %.1f s (%,.0f/s)%n", seen.size(), deliverSeconds, seen.size() / deliverSeconds);
            System.out.printf("lag commit -> delivery: p50 %d ms, p99 %d ms, max %d ms%n", pct(sorted, 0.50), pct(sorted, 0.99),
                    sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
            // a deliverer that keeps up has the same lag at the end of the run as at its start; one that falls behind does not
            List<Long> arrived = new ArrayList<>(lags);
            int tenth = Math.max(1, arrived.size() / 10);
            System.out.printf("lag p50 of the first tenth of events %d ms, of the last tenth %d ms%n",
                    pct(sortedCopy(arrived.subList(0, Math.min(tenth, arrived.size()))), 0.50),
                    pct(sortedCopy(arrived.subList(Math.max(0, arrived.size() - tenth), arrived.size())), 0.50));
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
            consumer.stop(0);
            ((java.util.concurrent.ExecutorService) consumer.getExecutor()).shutdownNow();
        }
    }

    static List<Long> sortedCopy(List<Long> values) {
        List<Long> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }

    static long pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
    }

    static void admin(HttpClient http, String base, String method, String path, String body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
