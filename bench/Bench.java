import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import roster.auth.Keys;
import roster.query.Cursors;

/**
 * Roster's benchmark: generate a tenant of N users, load it (SQLite, and PostgreSQL when reachable), start the
 * server, drive each dialect's list call with wrk, and report requests/s, p50/p99 latency and server RSS as JSON,
 * Markdown and a PNG chart of throughput by page depth. Every figure is a median over repeated runs and is also
 * given as a fraction of the "ceiling": the same response bytes served from memory through the same HTTP stack.
 *
 * <p>Run it with bench/run (see bench/README.md), which builds Roster and puts its classes on the classpath.
 */
public class Bench {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String ADMIN = "bench-admin-token";
    static final String TENANT = "bench";

    int users = 1_000_000;
    int runs = 3;
    int seconds = 10;
    int connections = 8;
    String pg = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    Path out = Path.of("bench/out");
    Path root = Path.of(".").toAbsolutePath().normalize();

    final ObjectNode results = JSON.createObjectNode();
    final Map<String, ObjectNode> scenarios = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--users" -> bench.users = Integer.parseInt(args[++i]);
                case "--runs" -> bench.runs = Integer.parseInt(args[++i]);
                case "--seconds" -> bench.seconds = Integer.parseInt(args[++i]);
                case "--connections" -> bench.connections = Integer.parseInt(args[++i]);
                case "--pg" -> bench.pg = args[++i];
                case "--out" -> bench.out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--users N --runs R --seconds S --connections C --pg JDBC_URL|off --out DIR)");
            }
        }
        bench.run();
    }

    void run() throws Exception {
        Files.createDirectories(out);
        results.put("users", users).put("runs", runs).put("seconds_per_run", seconds).put("connections", connections);
        results.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
        Path fixture = out.resolve("fixture-" + users + ".json");
        if (!Files.exists(fixture)) {
            log("generating " + fixture);
            exec(List.of("java", root.resolve("bench/GenerateFixture.java").toString(), String.valueOf(users)), fixture);
        }
        Path data = out.resolve("sqlite-data");
        deleteTree(data);
        results.put("load_users_per_s_sqlite", load(fixture, data, null));
        if (!pg.equals("off")) {
            String database = "roster_bench";
            try (Connection c = DriverManager.getConnection(pg)) {
                c.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                c.createStatement().execute("CREATE DATABASE " + database);
                Path pgData = out.resolve("pg-data");
                deleteTree(pgData);
                results.put("load_users_per_s_postgresql", load(fixture, pgData, pg.replace("/postgres?", "/" + database + "?")));
            } catch (java.sql.SQLException e) {
                log("PostgreSQL not reachable, skipped: " + e.getMessage());
            }
        }
        Server server = Server.start(root, data);
        results.put("ready_s", server.readySeconds);
        try {
            drive(server, data);
        } finally {
            results.put("server_rss_mb_peak", server.peakRssMb());
            server.stop();
        }
        write();
    }

    /** Loads the fixture with bin/roster load and returns users per second as it reports them. */
    double load(Path fixture, Path data, String db) throws Exception {
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/roster").toString(), "load", "--data=" + data, fixture.toString()));
        if (db != null) command.add("--db=" + db);
        log("loading " + users + " users into " + (db == null ? "SQLite" : "PostgreSQL"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("load failed: " + output);
        var m = java.util.regex.Pattern.compile("in ([0-9.]+) s").matcher(output);
        if (!m.find()) throw new IllegalStateException("no timing in: " + output);
        double rate = (users + 1) / Double.parseDouble(m.group(1));
        log(String.format("  %.0f users/s", rate));
        return rate;
    }

    void drive(Server server, Path data) throws Exception {
        String base = server.url;
        // credentials of each dialect
        String feishuToken = post(base + "/open-apis/auth/v3/tenant_access_token/internal", "application/json",
                "{\"app_id\":\"bench_feishu\",\"app_secret\":\"bench-feishu-secret-01\"}", Map.of()).get("tenant_access_token").asText();
        String authingToken = post(base + "/api/v3/get-management-token", "application/json",
                "{\"accessKeyId\":\"bench_authing\",\"accessKeySecret\":\"bench-authing-secret-1\"}", Map.of()).at("/data/access_token").asText();
        String bizapiToken = post(base + "/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=bench_bizapi&client_secret=bench-bizapi-secret-01", Map.of()).get("access_token").asText();
        Enos enos = new Enos(base, "bench_enos", "bench-enos-secret-0001");
        String enosUser = enos.login("admin", "bench-admin-password");

        Map<String, String> feishu = Map.of("Authorization", "Bearer " + feishuToken);
        Map<String, String> authing = Map.of("Authorization", authingToken);
        Cursors cursors = new Cursors(Keys.load(data, null));
        long listedCount = listedCount(data);

        String first = base + "/open-apis/acs/v1/users?page_size=50";
        storeCeiling(base, first, feishu);
        scenario("ceiling", "GET", base + "/bench/ceiling", Map.of(), null);
        scenario("feishu_page_1", "GET", first, feishu, null);
        ArrayNode depthPoints = JSON.createArrayNode();
        for (long depth : depths(listedCount)) {
            String url = depth == 0 ? first : first + "&page_token=" + cursors.encode("bench_feishu|acs-users", numAt(data, depth - 1));
            ObjectNode r = scenario("feishu_depth_" + depth, "GET", url, feishu, null);
            depthPoints.add(JSON.createObjectNode().put("depth", depth).put("rps", r.get("rps").asDouble()));
        }
        results.set("feishu_by_depth", depthPoints);
        scenario("feishu_get_user", "GET", base + "/open-apis/acs/v1/users/u" + (users / 2) + "?user_id_type=user_id", feishu, null);
        scenario("authing_page_1", "GET", base + "/api/v3/list-users?page=1&limit=50", authing, null);
        long deepPage = Math.max(1, (users - 500) / 50); // page 19,990 at 1M users
        scenario("authing_page_" + deepPage, "GET", base + "/api/v3/list-users?page=" + deepPage + "&limit=50", authing, null);
        results.put("authing_deep_page", deepPage);
        String enosFirst = "{\"pagination\":{\"pageNo\":0,\"pageSize\":50}}";
        String enosDeep = "{\"pagination\":{\"pageNo\":" + (deepPage - 1) + ",\"pageSize\":50}}";
        scenario("enos_page_0", "POST", base + "/app-portal-service/v2.2/user/list", enos.headers(enosUser, enosFirst), enosFirst);
        scenario("enos_page_" + (deepPage - 1), "POST", base + "/app-portal-service/v2.2/user/list", enos.headers(enosUser, enosDeep), enosDeep);

        // bizapi: a full sync of the root org in pages of 1000, then an incremental one after 1000 changes
        Map<String, String> biz = Map.of("X-App-Id", "bench_bizapi");
        long start = System.nanoTime();
        long[] last = sync(base, bizapiToken, 0, biz);
        double full = (System.nanoTime() - start) / 1e9;
        results.put("bizapi_full_sync_s", full).put("bizapi_full_sync_users", last[1]);
        log(String.format("bizapi full sync: %d users in %.1f s", last[1], full));
        for (int i = 0; i < 1000; i++) {
            admin(base, "PATCH", "/admin/v1/tenants/" + TENANT + "/users/u" + (1 + (long) i * (users / 1000)), "{\"nickname\":\"changed " + i + "\"}");
        }
        start = System.nanoTime();
        long[] incremental = sync(base, bizapiToken, last[0], biz);
        results.put("bizapi_incremental_sync_s", (System.nanoTime() - start) / 1e9).put("bizapi_incremental_sync_users", incremental[1]);
        scenario("bizapi_poll_nothing_new", "GET", base + "/user/list?accessToken=" + bizapiToken + "&orgId=1&lastSequence=" + incremental[0] + "&limit=1000", biz, null);
        scenario("bizapi_page_of_1000", "GET", base + "/user/list?accessToken=" + bizapiToken + "&orgId=1&lastSequence=0&limit=1000", biz, null);

        double ceiling = scenarios.get("ceiling").get("rps").asDouble();
        ObjectNode ratios = JSON.createObjectNode();
        double page1 = scenarios.get("feishu_page_1").get("rps").asDouble();
        long deepest = depthPoints.get(depthPoints.size() - 1).get("depth").asLong();
        ratios.put("feishu_deepest_over_page_1", scenarios.get("feishu_depth_" + deepest).get("rps").asDouble() / page1);
        ratios.put("authing_deep_over_page_1", scenarios.get("authing_page_" + deepPage).get("rps").asDouble() / scenarios.get("authing_page_1").get("rps").asDouble());
        ratios.put("enos_deep_over_page_0", scenarios.get("enos_page_" + (deepPage - 1)).get("rps").asDouble() / scenarios.get("enos_page_0").get("rps").asDouble());
        for (var e : scenarios.entrySet()) if (!e.getKey().equals("ceiling")) e.getValue().put("of_ceiling", e.getValue().get("rps").asDouble() / ceiling);
        results.set("ratios", ratios);
    }

    static long[] depths(long listed) {
        List<Long> depths = new ArrayList<>();
        for (long d : new long[] {0, 1_000, 10_000, 100_000, 500_000}) if (d < listed - 1000) depths.add(d);
        depths.add(Math.max(0, listed - 1000));
        return depths.stream().mapToLong(Long::longValue).toArray();
    }

    /** Follows bizapi's lastSequence from after until a short page; returns the last sequence and the users seen. */
    long[] sync(String base, String token, long after, Map<String, String> headers) throws Exception {
        long seen = 0;
        while (true) {
            JsonNode page = get(base + "/user/list?accessToken=" + token + "&orgId=1&lastSequence=" + after + "&limit=1000", headers);
            JsonNode data = page.get("data");
            if (data == null || !data.isArray()) throw new IllegalStateException("bizapi: " + page);
            seen += data.size();
            if (data.size() > 0) after = data.get(data.size() - 1).get("lastSequence").asLong();
            if (data.size() < 1000) return new long[] {after, seen};
        }
    }

    // ---- wrk

    ObjectNode scenario(String name, String method, String url, Map<String, String> headers, String body) throws Exception {
        Path script = out.resolve("wrk-" + name + ".lua");
        StringBuilder lua = new StringBuilder("wrk.method = \"" + method + "\"\n");
        for (var h : headers.entrySet()) lua.append("wrk.headers[\"").append(h.getKey()).append("\"] = ").append(JSON.writeValueAsString(h.getValue())).append('\n');
        if (body != null) {
            lua.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
            lua.append("wrk.body = ").append(JSON.writeValueAsString(body)).append('\n');
        }
        lua.append("done = function(summary, latency, requests)\n")
                .append("  io.write(string.format('{\"requests\":%d,\"duration_us\":%d,\"non2xx\":%d,\"errors\":%d,\"p50_us\":%d,\"p99_us\":%d}\\n',\n")
                .append("    summary.requests, summary.duration, summary.errors.status,\n")
                .append("    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,\n")
                .append("    latency:percentile(50), latency:percentile(99)))\nend\n");
        Files.writeString(script, lua);
        check(url, method, headers, body);
        List<Double> rps = new ArrayList<>(), p50 = new ArrayList<>(), p99 = new ArrayList<>();
        long failures = 0;
        for (int run = 0; run < runs; run++) {
            Process p = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "-s", script.toString(), url)
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            String line = output.lines().filter(l -> l.startsWith("{\"requests\"")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("wrk said: " + output));
            JsonNode r = JSON.readTree(line);
            rps.add(r.get("requests").asDouble() / (r.get("duration_us").asDouble() / 1e6));
            p50.add(r.get("p50_us").asDouble() / 1000);
            p99.add(r.get("p99_us").asDouble() / 1000);
            failures += r.get("non2xx").asLong() + r.get("errors").asLong();
        }
        ObjectNode result = JSON.createObjectNode().put("rps", median(rps)).put("p50_ms", median(p50)).put("p99_ms", median(p99)).put("failures", failures);
        scenarios.put(name, result);
        log(String.format("%-28s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms%s", name, median(rps), median(p50), median(p99), failures > 0 ? "  FAILURES " + failures : ""));
        return result;
    }

    /** One request first, so a scenario that answers errors is caught instead of measured. */
    void check(String url, String method, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        if (body != null) request.header("Content-Type", "application/json");
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || r.body().contains("\"code\":1") || r.body().matches("(?s).*\"statusCode\":\\s*[1-5][0-9][0-9].*") && !r.body().contains("\"statusCode\":200")) {
            throw new IllegalStateException(url + " answers " + r.statusCode() + ": " + r.body().substring(0, Math.min(300, r.body().length())));
        }
    }

    void storeCeiling(String base, String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(url));
        headers.forEach(get::header);
        HttpResponse<byte[]> page = HTTP.send(get.build(), HttpResponse.BodyHandlers.ofByteArray());
        HTTP.send(HttpRequest.newBuilder(URI.create(base + "/bench/ceiling")).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", page.headers().firstValue("Content-Type").orElse("application/json"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(page.body())).build(), HttpResponse.BodyHandlers.discarding());
        results.put("ceiling_body_bytes", page.body().length);
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    // ---- the database, read directly only to place deep page tokens where the dialect's own paging would

    static String sqlite(Path data) {
        return "jdbc:sqlite:" + data.resolve("roster.db");
    }

    static long listedCount(Path data) throws Exception {
        try (Connection c = DriverManager.getConnection(sqlite(data));
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM users WHERE tenant_id = '" + TENANT + "' AND status = 'active' AND acs_member = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The num of the listed (feishu) user at this 0-based position: the key a page token after it carries. */
    static long numAt(Path data, long position) throws Exception {
        try (Connection c = DriverManager.getConnection(sqlite(data));
             ResultSet rs = c.createStatement().executeQuery("SELECT num FROM users WHERE tenant_id = '" + TENANT
                     + "' AND status = 'active' AND acs_member = 1 ORDER BY num LIMIT 1 OFFSET " + position)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---- HTTP helpers

    static JsonNode post(String url, String type, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return JSON.readTree(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    static JsonNode get(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        headers.forEach(request::header);
        return JSON.readTree(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    static void admin(String base, String method, String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(path + ": " + r.body());
    }

    /** EnOS gateway signing, as documented: the gateway token, then sha256 signatures per request. */
    static final class Enos {
        final String base, appKey, secret, gatewayToken;

        Enos(String base, String appKey, String secret) throws Exception {
            this.base = base;
            this.appKey = appKey;
            this.secret = secret;
            long ts = System.currentTimeMillis();
            this.gatewayToken = post(base + "/apim-token-service/v2.0/token/get", "application/json",
                    "{\"appKey\":\"" + appKey + "\",\"encryption\":\"" + sha256(appKey + ts + secret) + "\",\"timestamp\":" + ts + "}", Map.of())
                    .at("/data/accessToken").asText();
        }

        /** Signed headers for a body; valid for the gateway's timestamp window (minutes), longer than a run. */
        Map<String, String> headers(String userToken, String body) throws Exception {
            long ts = System.currentTimeMillis();
            Map<String, String> h = new LinkedHashMap<>();
            h.put("apim-accesstoken", gatewayToken);
            h.put("apim-timestamp", String.valueOf(ts));
            h.put("apim-signature", sha256(gatewayToken + body + ts + secret));
            if (userToken != null) h.put("Authorization", "Bearer " + userToken);
            return h;
        }

        String login(String account, String password) throws Exception {
            String body = "{\"account\":\"" + account + "\",\"password\":\"" + password + "\"}";
            return post(base + "/app-portal-service/v2.2/login", "application/json", body, headers(null, body)).at("/data/accessToken").asText();
        }
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    // ---- the server under test

    static final class Server {
        Process process;
        String url;
        double readySeconds;

        static Server start(Path root, Path data) throws Exception {
            Server s = new Server();
            ProcessBuilder pb = new ProcessBuilder(root.resolve("bin/roster").toString(), "serve", "--data=" + data);
            pb.environment().put("ROSTER_PORT", "0");
            pb.environment().put("ROSTER_ADMIN_TOKEN", ADMIN);
            pb.environment().put("ROSTER_BENCH_CEILING", "1");
            pb.environment().put("ROSTER_ACCESS_LOG", "OFF");
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            long start = System.nanoTime();
            s.process = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(s.process.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("Roster listening on ")) {
                    s.readySeconds = (System.nanoTime() - start) / 1e9;
                    s.url = line.substring("Roster listening on ".length()).trim();
                    break;
                }
            }
            if (s.url == null) throw new IllegalStateException("the server did not start");
            log(String.format("server ready in %.2f s at %s", s.readySeconds, s.url));
            return s;
        }

        /** Peak resident memory of the server's JVM (the launcher execs java, so the pid is the JVM's). */
        double peakRssMb() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
            return -1;
        }

        void stop() throws Exception {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    // ---- output

    void write() throws Exception {
        ObjectNode all = results.deepCopy();
        ObjectNode s = all.putObject("scenarios");
        scenarios.forEach(s::set);
        Files.writeString(out.resolve("results.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all) + "\n");
        StringBuilder md = new StringBuilder();
        md.append(String.format("Roster benchmark: %,d users, %d runs of %d s, %d connections (medians)%n%n", users, runs, seconds, connections));
        md.append("| scenario | req/s | p50 ms | p99 ms | of ceiling |\n| --- | ---: | ---: | ---: | ---: |\n");
        for (var e : scenarios.entrySet()) {
            JsonNode r = e.getValue();
            md.append(String.format("| %s | %,.0f | %.2f | %.2f | %s |%n", e.getKey(), r.get("rps").asDouble(), r.get("p50_ms").asDouble(),
                    r.get("p99_ms").asDouble(), r.has("of_ceiling") ? String.format("%.2f", r.get("of_ceiling").asDouble()) : "1.00"));
        }
        md.append("\n| measure | value |\n| --- | ---: |\n");
        for (String key : List.of("load_users_per_s_sqlite", "load_users_per_s_postgresql", "ready_s", "server_rss_mb_peak",
                "bizapi_full_sync_s", "bizapi_full_sync_users", "bizapi_incremental_sync_s", "bizapi_incremental_sync_users")) {
            if (results.has(key)) md.append(String.format("| %s | %,.2f |%n", key, results.get(key).asDouble()));
        }
        results.get("ratios").fields().forEachRemaining(e -> md.append(String.format("| %s | %.2f |%n", e.getKey(), e.getValue().asDouble())));
        Files.writeString(out.resolve("results.md"), md);
        chart(out.resolve("feishu-depth.png"));
        System.out.println(md);
    }

    /** Requests/s of the feishu list by page depth, against the ceiling, as a PNG (java.awt, headless). */
    void chart(Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int w = 900, h = 500, left = 90, right = 30, top = 50, bottom = 70;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        JsonNode points = results.get("feishu_by_depth");
        double ceiling = scenarios.get("ceiling").get("rps").asDouble();
        double max = ceiling * 1.1;
        g.setColor(Color.BLACK);
        g.setFont(new Font("SansSerif", Font.BOLD, 16));
        g.drawString(String.format("feishu GET /open-apis/acs/v1/users (page of 50) by depth, %,d users", users), left, 30);
        g.setFont(new Font("SansSerif", Font.PLAIN, 12));
        g.drawLine(left, h - bottom, w - right, h - bottom);
        g.drawLine(left, top, left, h - bottom);
        for (int i = 0; i <= 5; i++) {
            double v = max * i / 5;
            int y = (int) (h - bottom - (h - top - bottom) * i / 5.0);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(left + 1, y, w - right, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%,.0f", v), 10, y + 4);
        }
        g.drawString("requests/s", 10, top - 8);
        int n = points.size();
        int slot = (w - left - right) / n;
        int yCeil = (int) (h - bottom - (h - top - bottom) * ceiling / max);
        g.setColor(new Color(200, 60, 60));
        g.setStroke(new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 6}, 0));
        g.drawLine(left, yCeil, w - right, yCeil);
        g.drawString("ceiling (same bytes from memory)", w - right - 220, yCeil - 6);
        g.setStroke(new BasicStroke(1));
        for (int i = 0; i < n; i++) {
            double rps = points.get(i).get("rps").asDouble();
            int barH = (int) ((h - top - bottom) * rps / max);
            int x = left + i * slot + slot / 5;
            g.setColor(new Color(60, 110, 190));
            g.fillRect(x, h - bottom - barH, slot * 3 / 5, barH);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%,.0f", rps), x, h - bottom - barH - 5);
            g.drawString(String.format("%,d", points.get(i).get("depth").asLong()), x, h - bottom + 18);
        }
        g.drawString("depth (users before the page)", left + (w - left - right) / 2 - 80, h - 25);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    // ---- small things

    static void log(String message) {
        System.err.println("[bench] " + message);
    }

    static void exec(List<String> command, Path stdout) throws Exception {
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (p.waitFor() != 0) throw new IllegalStateException("failed: " + command);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
