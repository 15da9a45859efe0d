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
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import roster.crypto.Keys;
import roster.query.Cursors;

/**
 * Roster's benchmark: generate a tenant of N users, load it (SQLite, and PostgreSQL when reachable), start the
 * server, drive each dialect's list call with wrk, and report requests/s, p50/p99 latency and server RSS as JSON,
 * Markdown and a PNG chart of throughput by page depth. Every figure is a median over repeated runs and is also
 * given as a fraction of the "ceiling": the same response bytes served from memory through the same HTTP stack.
 *
 * <p>Beside Roster, in the same run and on the same users, the peer a user would pick instead: OpenLDAP's slapd
 * (back-mdb), loaded with slapadd and driven by LdapLoad.java (UnboundID LDAP SDK) with the same connections. Each
 * paired scenario runs on slapd right after Roster's, and both servers' CPU per operation (utime + stime from
 * /proc/PID/stat around each timed run) is reported beside throughput, as ../shared/spec/bench.md asks.
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
    int warmup = 3;
    String peer = "slapd";
    String pg = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    Path out = Path.of("bench/out");
    Path root = Path.of(".").toAbsolutePath().normalize();

    final ObjectNode results = JSON.createObjectNode();
    final Map<String, ObjectNode> scenarios = new LinkedHashMap<>();
    /** The LDAP servers driven by LdapLoad: slapd, and Roster's own LDAP front end once it answers. */
    final List<LdapTarget> ldapTargets = new ArrayList<>();
    /** Rows of the side-by-side table: what, Roster's scenario, the LDAP scenario. */
    final List<String[]> pairs = new ArrayList<>();
    final long clkTck = clockTicks();
    long serverPid = -1;
    long peerDepth;

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--users" -> bench.users = Integer.parseInt(args[++i]);
                case "--runs" -> bench.runs = Integer.parseInt(args[++i]);
                case "--seconds" -> bench.seconds = Integer.parseInt(args[++i]);
                case "--connections" -> bench.connections = Integer.parseInt(args[++i]);
                case "--warmup" -> bench.warmup = Integer.parseInt(args[++i]);
                case "--peer" -> bench.peer = args[++i];
                case "--pg" -> bench.pg = args[++i];
                case "--out" -> bench.out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--users N --runs R --seconds S --warmup W --connections C --pg JDBC_URL|off --peer slapd|off --out DIR)");
            }
        }
        if (!bench.peer.equals("slapd") && !bench.peer.equals("off")) throw new IllegalArgumentException("--peer slapd|off");
        // an interrupted run (Ctrl-C, SIGTERM) skips the finally blocks: stop the servers and clients it started
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));
        bench.run();
    }

    void run() throws Exception {
        Files.createDirectories(out);
        results.put("users", users).put("runs", runs).put("seconds_per_run", seconds).put("warmup_s", warmup).put("connections", connections);
        results.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
        results.put("load_average_before", loadAverage());
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
        Slapd slapd = null;
        try {
            if (peer.equals("slapd")) {
                slapd = Slapd.prepare(this);
                slapd.start();
                ldapTargets.add(slapd.target);
            }
            Server server = Server.start(root, data, out.resolve("roster.pid"));
            results.put("ready_s", server.readySeconds);
            serverPid = server.process.pid();
            try {
                drive(server, data);
            } finally {
                results.put("server_rss_mb_peak", server.peakRssMb());
                results.set("server_memory_mb", memory(server.process.pid()));
                server.stop();
            }
        } finally {
            if (slapd != null) slapd.stop();
        }
        results.put("load_average_after", loadAverage());
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
        if (server.ldapUrl != null) ldapTargets.add(rosterLdap(server, base));
        long[] depthList = depths(listedCount);
        peerDepth = nearest(depthList, users / 2);
        results.put("peer_depth", peerDepth);
        scenario("ceiling", "GET", base + "/bench/ceiling", Map.of(), null);
        scenario("feishu_page_1", "GET", first, feishu, null);
        peer("page_1", "first page of 50", "feishu_page_1");
        ArrayNode depthPoints = JSON.createArrayNode();
        for (long depth : depthList) {
            String url = depth == 0 ? first : first + "&page_token=" + cursors.encode("bench_feishu|acs-users", numAt(data, depth - 1));
            ObjectNode r = scenario("feishu_depth_" + depth, "GET", url, feishu, null);
            depthPoints.add(JSON.createObjectNode().put("depth", depth).put("rps", r.get("rps").asDouble()));
            if (depth == peerDepth) peer("depth", String.format("page of 50 at depth %,d", depth), "feishu_depth_" + depth);
        }
        results.set("feishu_by_depth", depthPoints);
        scenario("feishu_get_user", "GET", base + "/open-apis/acs/v1/users/u" + (users / 2) + "?user_id_type=user_id", feishu, null);
        scenario("feishu_get_user_random", "GET", base + "/open-apis/acs/v1/users/u" + numAt(data, 0) + "?user_id_type=user_id", feishu, null,
                randomUserLua(data));
        peer("lookup", "one user by id, random", "feishu_get_user_random");
        scenario("authing_page_1", "GET", base + "/api/v3/list-users?page=1&limit=50", authing, null);
        long deepPage = Math.max(1, (users - 500) / 50); // page 19,990 at 1M users
        scenario("authing_page_" + deepPage, "GET", base + "/api/v3/list-users?page=" + deepPage + "&limit=50", authing, null);
        results.put("authing_deep_page", deepPage);
        String enosFirst = "{\"pagination\":{\"pageNo\":0,\"pageSize\":50}}";
        String enosDeep = "{\"pagination\":{\"pageNo\":" + (deepPage - 1) + ",\"pageSize\":50}}";
        scenario("enos_page_0", "POST", base + "/app-portal-service/v2.2/user/list", enos.headers(enosUser, enosFirst), enosFirst);
        scenario("enos_page_" + (deepPage - 1), "POST", base + "/app-portal-service/v2.2/user/list", enos.headers(enosUser, enosDeep), enosDeep);

        // bizapi: a page of 1000 (which warms the sync's path too), a full sync of the root org in pages of 1000
        // (one client, timed, after a warm-up walk), then an incremental one after 1000 changes
        Map<String, String> biz = Map.of("X-App-Id", "bench_bizapi");
        scenario("bizapi_page_of_1000", "GET", base + "/user/list?accessToken=" + bizapiToken + "&orgId=1&lastSequence=0&limit=1000", biz, null);
        peer("page_1000", "first page of 1000", "bizapi_page_of_1000");
        sync(base, bizapiToken, 0, biz, System.nanoTime() + warmup * 1_000_000_000L);
        long cpu0 = cpuNanos(serverPid);
        long start = System.nanoTime();
        long[] last = sync(base, bizapiToken, 0, biz, Long.MAX_VALUE);
        double full = (System.nanoTime() - start) / 1e9;
        long cpu = cpuNanos(serverPid) - cpu0;
        results.put("bizapi_full_sync_s", full).put("bizapi_full_sync_users", last[1]).put("bizapi_full_sync_pages", last[2])
                .put("bizapi_full_sync_users_per_s", last[1] / full)
                .put("bizapi_full_sync_server_cpu_us_per_user", cpu / 1e3 / last[1])
                .put("bizapi_full_sync_server_cpu_us_per_page", cpu / 1e3 / last[2]);
        log(String.format("bizapi full sync: %d users in %.1f s, server CPU %.1f us/user", last[1], full, cpu / 1e3 / last[1]));
        peer("walk", "full walk in pages of 1000", "bizapi_full_sync");
        for (int i = 0; i < 1000; i++) {
            admin(base, "PATCH", "/admin/v1/tenants/" + TENANT + "/users/u" + (1 + (long) i * (users / 1000)), "{\"nickname\":\"changed " + i + "\"}");
        }
        start = System.nanoTime();
        long[] incremental = sync(base, bizapiToken, last[0], biz, Long.MAX_VALUE);
        results.put("bizapi_incremental_sync_s", (System.nanoTime() - start) / 1e9).put("bizapi_incremental_sync_users", incremental[1]);
        scenario("bizapi_poll_nothing_new", "GET", base + "/user/list?accessToken=" + bizapiToken + "&orgId=1&lastSequence=" + incremental[0] + "&limit=1000", biz, null);

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

    /** Depths of the feishu walk: fixed points, half the list (where the peer's depth is measured) and its end. */
    static long[] depths(long listed) {
        java.util.TreeSet<Long> depths = new java.util.TreeSet<>();
        for (long d : new long[] {0, 1_000, 10_000, 100_000, 500_000}) if (d < listed - 1000) depths.add(d);
        depths.add(Math.round(listed / 2 / 1000.0) * 1000);
        depths.add(Math.max(0, listed - 1000));
        return depths.stream().mapToLong(Long::longValue).toArray();
    }

    static long nearest(long[] values, long target) {
        long best = values[0];
        for (long v : values) if (Math.abs(v - target) < Math.abs(best - target)) best = v;
        return best;
    }

    /**
     * Follows bizapi's lastSequence from after until a short page, or until the deadline (System.nanoTime()) passes;
     * returns the last sequence, the users seen and the pages asked.
     */
    long[] sync(String base, String token, long after, Map<String, String> headers, long deadline) throws Exception {
        long seen = 0, pages = 0;
        while (true) {
            JsonNode page = get(base + "/user/list?accessToken=" + token + "&orgId=1&lastSequence=" + after + "&limit=1000", headers);
            JsonNode data = page.get("data");
            if (data == null || !data.isArray()) throw new IllegalStateException("bizapi: " + page);
            seen += data.size();
            pages++;
            if (data.size() > 0) after = data.get(data.size() - 1).get("lastSequence").asLong();
            if (data.size() < 1000 || System.nanoTime() > deadline) return new long[] {after, seen, pages};
        }
    }

    /** A wrk request function asking a random listed user (u1 … uN less the few that feishu does not list). */
    String randomUserLua(Path data) throws Exception {
        StringBuilder unlisted = new StringBuilder();
        try (Connection c = DriverManager.getConnection(sqlite(data));
             ResultSet rs = c.createStatement().executeQuery("SELECT num FROM users WHERE tenant_id = '" + TENANT
                     + "' AND NOT (status = 'active' AND acs_member = 1)")) {
            while (rs.next()) unlisted.append('[').append(rs.getLong(1)).append("]=true,");
        }
        return "local unlisted = {" + unlisted + "}\n"
                + "local n = 0\nsetup = function(thread) n = n + 1; thread:set(\"seed\", n) end\n"
                + "init = function(args) math.randomseed(os.time() * 1000 + seed) end\n"
                + "request = function()\n  local i\n  repeat i = math.random(1, " + users + ") until not unlisted[i]\n"
                + "  return wrk.format(nil, \"/open-apis/acs/v1/users/u\" .. i .. \"?user_id_type=user_id\")\nend\n";
    }

    // ---- wrk

    ObjectNode scenario(String name, String method, String url, Map<String, String> headers, String body) throws Exception {
        return scenario(name, method, url, headers, body, "");
    }

    /**
     * Drives one call with wrk: a warm-up of --warmup seconds of the same load, then --runs timed runs of --seconds.
     * Around each timed run the server's CPU time is read from /proc/PID/stat, and wrk's own from its shell's
     * cutime + cstime once wrk has exited, so each run gives server and client CPU per request. extraLua may
     * define wrk's request function (a request that varies).
     */
    ObjectNode scenario(String name, String method, String url, Map<String, String> headers, String body, String extraLua) throws Exception {
        Path script = out.resolve("wrk-" + name + ".lua");
        StringBuilder lua = new StringBuilder("wrk.method = \"" + method + "\"\n");
        for (var h : headers.entrySet()) lua.append("wrk.headers[\"").append(h.getKey()).append("\"] = ").append(JSON.writeValueAsString(h.getValue())).append('\n');
        if (body != null) {
            lua.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
            lua.append("wrk.body = ").append(JSON.writeValueAsString(body)).append('\n');
        }
        lua.append(extraLua);
        lua.append("done = function(summary, latency, requests)\n")
                .append("  io.write(string.format('{\"requests\":%d,\"duration_us\":%d,\"non2xx\":%d,\"errors\":%d,\"p50_us\":%d,\"p99_us\":%d}\\n',\n")
                .append("    summary.requests, summary.duration, summary.errors.status,\n")
                .append("    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,\n")
                .append("    latency:percentile(50), latency:percentile(99)))\nend\n");
        Files.writeString(script, lua);
        check(url, method, headers, body);
        if (warmup > 0) wrk(script, url, warmup);
        List<Double> rps = new ArrayList<>(), p50 = new ArrayList<>(), p99 = new ArrayList<>(), serverCpu = new ArrayList<>(), clientCpu = new ArrayList<>();
        long failures = 0;
        for (int run = 0; run < runs; run++) {
            long cpu0 = cpuNanos(serverPid);
            String[] output = wrk(script, url, seconds);
            long cpu = cpuNanos(serverPid) - cpu0;
            String line = output[0].lines().filter(l -> l.startsWith("{\"requests\"")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("wrk said: " + output[0]));
            JsonNode r = JSON.readTree(line);
            double requests = Math.max(1, r.get("requests").asDouble());
            rps.add(r.get("requests").asDouble() / (r.get("duration_us").asDouble() / 1e6));
            p50.add(r.get("p50_us").asDouble() / 1000);
            p99.add(r.get("p99_us").asDouble() / 1000);
            serverCpu.add(cpu / 1e3 / requests);
            if (output[1] != null) clientCpu.add(Long.parseLong(output[1]) / 1e3 / requests);
            failures += r.get("non2xx").asLong() + r.get("errors").asLong();
        }
        ObjectNode result = JSON.createObjectNode().put("rps", median(rps)).put("p50_ms", median(p50)).put("p99_ms", median(p99))
                .put("server_cpu_us_per_op", median(serverCpu)).put("failures", failures);
        if (!clientCpu.isEmpty()) result.put("client_cpu_us_per_op", median(clientCpu));
        scenarios.put(name, result);
        log(String.format("%-28s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  server CPU %6.1f us/req%s", name, median(rps), median(p50), median(p99),
                median(serverCpu), failures > 0 ? "  FAILURES " + failures : ""));
        return result;
    }

    /** One wrk run: its output, and its CPU time in nanoseconds (null when unreadable). */
    String[] wrk(Path script, String url, int duration) throws Exception {
        // the shell reports its waited-for children's CPU (fields 16 and 17 of its own stat) once wrk has exited
        Process p = new ProcessBuilder("sh", "-c", "wrk \"$@\"; rc=$?; echo \"CHILDSTAT $(cat /proc/$$/stat)\"; exit $rc", "sh",
                "-t2", "-c" + connections, "-d" + duration + "s", "-s", script.toString(), url).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        String cpu = output.lines().filter(l -> l.startsWith("CHILDSTAT ")).findFirst().map(l -> {
            String[] f = l.substring(l.lastIndexOf(')') + 2).split(" ");
            return String.valueOf((Long.parseLong(f[16 - 3]) + Long.parseLong(f[17 - 3])) * 1_000_000_000L / clkTck);
        }).orElse(null);
        return new String[] {output, cpu};
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
        if (r.statusCode() / 100 != 2) throw new IllegalStateException(path + ": " + r.body());
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
        volatile String ldapUrl; // once Roster's LDAP front end prints its ready line
        double readySeconds;

        /** Starts bin/roster serve; its pid goes to pidFile at once, for bench/run's trap should this JVM be killed. */
        static Server start(Path root, Path data, Path pidFile) throws Exception {
            Server s = new Server();
            ProcessBuilder pb = new ProcessBuilder(root.resolve("bin/roster").toString(), "serve", "--data=" + data);
            pb.environment().put("ROSTER_PORT", "0");
            pb.environment().put("ROSTER_LDAP_PORT", "0");
            pb.environment().put("ROSTER_ADMIN_TOKEN", ADMIN);
            pb.environment().put("ROSTER_BENCH_CEILING", "1");
            pb.environment().put("ROSTER_ACCESS_LOG", "OFF");
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            long start = System.nanoTime();
            s.process = pb.start();
            Files.writeString(pidFile, s.process.pid() + "\n");
            BufferedReader out = new BufferedReader(new InputStreamReader(s.process.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null; ) {
                s.ldapLine(line);
                if (line.startsWith("Roster listening on ")) {
                    s.readySeconds = (System.nanoTime() - start) / 1e9;
                    s.url = line.substring("Roster listening on ".length()).trim();
                    break;
                }
            }
            if (s.url == null) throw new IllegalStateException("the server did not start");
            Thread drain = new Thread(() -> { // the rest of stdout, where the LDAP ready line may come after the HTTP one
                try {
                    for (String line; (line = out.readLine()) != null; ) s.ldapLine(line);
                } catch (IOException ignored) {
                    // the server stopped
                }
            });
            drain.setDaemon(true);
            drain.start();
            log(String.format("server ready in %.2f s at %s", s.readySeconds, s.url));
            return s;
        }

        void ldapLine(String line) {
            if (line.startsWith("Roster LDAP listening on ")) ldapUrl = line.substring("Roster LDAP listening on ".length()).trim();
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

    // ---- the peer: OpenLDAP's slapd, and any LDAP server that LdapLoad drives

    /** An LDAP server under LdapLoad: where it listens, how the bench binds, its pid, and what was measured. */
    static final class LdapTarget {
        final String name, label, host, bindDn, password, base;
        final int port;
        final long pid;
        final ObjectNode results = JSON.createObjectNode();
        final ObjectNode scenarios = results.putObject("scenarios");

        LdapTarget(String name, String label, String host, int port, String bindDn, String password, String base, long pid) {
            this.name = name;
            this.label = label;
            this.host = host;
            this.port = port;
            this.bindDn = bindDn;
            this.password = password;
            this.base = base;
            this.pid = pid;
            results.put("label", label);
        }
    }

    static final String LDAP_APP = "bench_ldap", LDAP_SECRET = "bench-ldap-secret-0001"; // as GenerateFixture --ldif writes them

    /**
     * Runs one LdapLoad scenario on every LDAP server, right after Roster's scenario of the same shape, and records
     * the pair for the side-by-side table. LdapLoad is a JVM of its own, as wrk is a process of its own.
     */
    void peer(String scenario, String what, String rosterScenario) throws Exception {
        if (ldapTargets.isEmpty()) return;
        pairs.add(new String[] {what, rosterScenario, scenario});
        for (LdapTarget t : ldapTargets) {
            List<String> command = new ArrayList<>(List.of("java", "-XX:+UseSerialGC", "-Xms64m", "-Xmx512m", "-cp", ldapLoadClasspath(), "LdapLoad",
                    "--host", t.host, "--port", String.valueOf(t.port), "--bind-dn", t.bindDn, "--password", t.password, "--base", t.base,
                    "--users", String.valueOf(users), "--depth", String.valueOf(peerDepth), "--connections", String.valueOf(connections),
                    "--seconds", String.valueOf(seconds), "--runs", String.valueOf(runs), "--warmup", String.valueOf(warmup),
                    "--server-pid", String.valueOf(t.pid), "--clk-tck", String.valueOf(clkTck), "--scenarios", scenario));
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IllegalStateException("LdapLoad " + scenario + " on " + t.label + " failed: " + output);
            JsonNode r = JSON.readTree(output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow(() -> new IllegalStateException("LdapLoad said: " + output)));
            ObjectNode summary;
            if (scenario.equals("walk")) {
                summary = (ObjectNode) r;
                log(String.format("%-28s %,d entries in %.1f s (%,.0f entries/s), server CPU %.2f us/entry", t.name + " walk", r.get("entries").asLong(),
                        r.get("seconds").asDouble(), r.get("entries_per_s").asDouble(), r.get("server_cpu_us_per_entry").asDouble()));
            } else {
                summary = JSON.createObjectNode();
                for (String key : List.of("ops_per_s", "p50_ms", "p99_ms", "server_cpu_us_per_op", "client_cpu_us_per_op")) {
                    List<Double> values = new ArrayList<>();
                    r.get("runs").forEach(run -> values.add(run.get(key).asDouble()));
                    summary.put(key, median(values));
                }
                summary.put("errors", r.get("errors").asLong()).set("first_error", r.get("first_error"));
                if (scenario.equals("depth")) summary.put("depth", r.get("depth").asLong()).put("wraps", r.get("wraps").asLong());
                summary.set("runs", r.get("runs"));
                log(String.format("%-28s %8.0f ops/s  p50 %6.2f ms  p99 %6.2f ms  server CPU %6.1f us/op%s", t.name + " " + scenario,
                        summary.get("ops_per_s").asDouble(), summary.get("p50_ms").asDouble(), summary.get("p99_ms").asDouble(),
                        summary.get("server_cpu_us_per_op").asDouble(), r.get("errors").asLong() > 0 ? "  ERRORS " + r.get("errors").asLong() + ": " + r.get("first_error").asText() : ""));
            }
            t.scenarios.set(scenario, summary);
        }
    }

    String ldapLoadClasses;

    /** Compiles LdapLoad.java once against this JVM's classpath (which bench/run gives the UnboundID LDAP SDK). */
    String ldapLoadClasspath() throws Exception {
        if (ldapLoadClasses == null) {
            String classpath = System.getProperty("java.class.path");
            if (!classpath.contains("unboundid-ldapsdk")) {
                throw new IllegalStateException("the UnboundID LDAP SDK is not on the classpath: run the benchmark with bench/run (or --peer off)");
            }
            Path classes = out.resolve("ldapload-classes").toAbsolutePath();
            deleteTree(classes);
            Files.createDirectories(classes);
            Process p = new ProcessBuilder("javac", "-d", classes.toString(), "-cp", classpath, root.resolve("bench/LdapLoad.java").toString()).inheritIO().start();
            if (p.waitFor() != 0) throw new IllegalStateException("javac LdapLoad.java failed");
            ldapLoadClasses = classes + java.io.File.pathSeparator + classpath;
        }
        return ldapLoadClasses;
    }

    /** Roster's own LDAP front end (when it prints its ready line): an app with scope ldap to bind as, then the same load. */
    LdapTarget rosterLdap(Server server, String base) throws Exception {
        URI ldap = URI.create(server.ldapUrl);
        admin(base, "POST", "/admin/v1/tenants/" + TENANT + "/apps",
                "{\"id\":\"" + LDAP_APP + "\",\"secret\":\"" + LDAP_SECRET + "\",\"scopes\":[\"ldap\"]}");
        log("Roster LDAP at " + server.ldapUrl + ": measured beside slapd");
        LdapTarget t = new LdapTarget("roster_ldap", "Roster LDAP", ldap.getHost(), ldap.getPort(), "cn=" + LDAP_APP + ",ou=apps,o=" + TENANT,
                LDAP_SECRET, "ou=people,o=" + TENANT, server.process.pid());
        return t;
    }

    /**
     * OpenLDAP's slapd with back-mdb in its own folder (out/slapd: slapd.conf, the database, the pid file), on a free
     * loopback port: the same users as LDIF (GenerateFixture --ldif), loaded with slapadd -q, stopped at the end.
     */
    static final class Slapd {
        Bench bench;
        Path dir, conf;
        int port;
        Process process;
        LdapTarget target;
        String version;
        double loadSeconds;

        static Slapd prepare(Bench b) throws Exception {
            Slapd s = new Slapd();
            s.bench = b;
            Path ldif = b.out.resolve("users-" + b.users + ".ldif");
            if (!Files.exists(ldif)) {
                log("generating " + ldif);
                exec(List.of("java", b.root.resolve("bench/GenerateFixture.java").toString(), String.valueOf(b.users), TENANT, "--ldif"), ldif);
            }
            s.dir = b.out.resolve("slapd").toAbsolutePath();
            deleteTree(s.dir);
            Files.createDirectories(s.dir.resolve("db"));
            s.port = freePort();
            s.conf = s.dir.resolve("slapd.conf");
            long maxSize = (1L << 30) + (long) b.users * 8192; // the map's size limit (virtual); the file grows as written
            String suffix = "o=" + TENANT, bindDn = "cn=" + LDAP_APP + ",ou=apps," + suffix;
            Files.writeString(s.conf, String.join("\n",
                    "# Written by bench/Bench.java for one benchmark run.",
                    "include /etc/ldap/schema/core.schema",
                    "include /etc/ldap/schema/cosine.schema",
                    "include /etc/ldap/schema/inetorgperson.schema",
                    "pidfile " + s.dir.resolve("slapd.pid"),
                    "argsfile " + s.dir.resolve("slapd.args"),
                    "modulepath /usr/lib/ldap",
                    "moduleload back_mdb",
                    "# no logging, as Roster runs with its access log off",
                    "loglevel 0",
                    "",
                    "database mdb",
                    "suffix \"" + suffix + "\"",
                    "directory " + s.dir.resolve("db"),
                    "maxsize " + maxSize,
                    "index objectClass eq",
                    "index uid eq",
                    "access to attrs=userPassword by anonymous auth by * none",
                    "access to * by users read by * none",
                    "limits dn.exact=\"" + bindDn + "\" size=unlimited time=unlimited",
                    ""));
            s.version = version();
            log("loading " + b.users + " users into " + s.version + " with slapadd -q");
            long start = System.nanoTime();
            Process p = new ProcessBuilder("/usr/sbin/slapadd", "-q", "-f", s.conf.toString(), "-l", ldif.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(s.dir.resolve("slapadd.log").toFile()).start();
            if (p.waitFor() != 0) throw new IllegalStateException("slapadd failed: " + Files.readString(s.dir.resolve("slapadd.log")));
            s.loadSeconds = (System.nanoTime() - start) / 1e9;
            log(String.format("  %.0f users/s", (b.users + 1) / s.loadSeconds));
            return s;
        }

        void start() throws Exception {
            String bindDn = "cn=" + LDAP_APP + ",ou=apps,o=" + TENANT;
            ProcessBuilder pb = new ProcessBuilder("/usr/sbin/slapd", "-f", conf.toString(), "-h", "ldap://127.0.0.1:" + port + "/", "-d", "0")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("slapd.log").toFile());
            long start = System.nanoTime();
            process = pb.start(); // -d keeps it in the foreground: this pid is slapd's
            while (!ldapAnswers(port, bindDn, LDAP_SECRET, "o=" + TENANT)) {
                if (!process.isAlive()) throw new IllegalStateException("slapd exited: " + Files.readString(dir.resolve("slapd.log")));
                if (System.nanoTime() - start > 60_000_000_000L) throw new IllegalStateException("slapd did not answer within 60 s");
                Thread.sleep(5);
            }
            double ready = (System.nanoTime() - start) / 1e9;
            log(String.format("slapd ready in %.2f s at ldap://127.0.0.1:%d", ready, port));
            target = new LdapTarget("slapd", "slapd", "127.0.0.1", port, bindDn, LDAP_SECRET, "ou=people,o=" + TENANT, process.pid());
            target.results.put("version", version).put("backend", "mdb").put("load_s", loadSeconds)
                    .put("load_users_per_s", (bench.users + 1) / loadSeconds).put("ready_s", ready);
        }

        void stop() throws Exception {
            if (process == null) return;
            if (process.isAlive() && target != null) target.results.set("memory_mb", memory(process.pid()));
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }

        static String version() throws Exception {
            Process p = new ProcessBuilder("/usr/sbin/slapd", "-VV").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            var m = java.util.regex.Pattern.compile("slapd ([0-9][^ ]*)").matcher(text);
            return m.find() ? "OpenLDAP slapd " + m.group(1) : "OpenLDAP slapd";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Whether an LDAP server answers: a simple bind, then a base search of the suffix that must return its entry.
     * Written out in BER by hand so that this file needs no LDAP library (the peer's ready time is measured with it).
     */
    static boolean ldapAnswers(int port, String dn, String password, String baseDn) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(5000);
            OutputStream o = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            o.write(tlv(0x30, tlv(0x02, new byte[] {1}), tlv(0x60, tlv(0x02, new byte[] {3}), tlv(0x04, utf8(dn)), tlv(0x80, utf8(password)))));
            o.flush();
            byte[][] m = readLdapMessage(in);
            if ((m[0][0] & 0xff) != 0x61 || resultCode(m[1]) != 0) return false;
            o.write(tlv(0x30, tlv(0x02, new byte[] {2}), tlv(0x63, tlv(0x04, utf8(baseDn)), tlv(0x0a, new byte[] {0}), tlv(0x0a, new byte[] {0}),
                    tlv(0x02, new byte[] {0}), tlv(0x02, new byte[] {0}), tlv(0x01, new byte[] {0}), tlv(0x87, utf8("objectClass")), tlv(0x30))));
            o.flush();
            for (int entries = 0; ; ) {
                m = readLdapMessage(in);
                int op = m[0][0] & 0xff;
                if (op == 0x64) entries++;
                else if (op == 0x65) return resultCode(m[1]) == 0 && entries == 1;
            }
        } catch (IOException e) {
            return false;
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] tlv(int tag, byte[]... parts) {
        java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) content.writeBytes(part);
        int n = content.size();
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(tag);
        if (n < 0x80) b.write(n);
        else if (n < 0x100) { b.write(0x81); b.write(n); }
        else { b.write(0x82); b.write(n >> 8); b.write(n & 0xff); }
        b.writeBytes(content.toByteArray());
        return b.toByteArray();
    }

    /** One LDAPMessage: {protocolOp tag, protocolOp content}. */
    static byte[][] readLdapMessage(InputStream in) throws IOException {
        int tag = in.read();
        if (tag != 0x30) throw new IOException("not an LDAP message: " + tag);
        byte[] message = in.readNBytes(readLength(in));
        java.io.ByteArrayInputStream b = new java.io.ByteArrayInputStream(message);
        b.read(); // messageID
        b.skipNBytes(readLength(b));
        int op = b.read();
        return new byte[][] {{(byte) op}, b.readNBytes(readLength(b))};
    }

    static int readLength(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) throw new IOException("end of stream");
        if (first < 0x80) return first;
        int n = 0;
        for (int i = 0; i < (first & 0x7f); i++) n = (n << 8) | in.read();
        return n;
    }

    /** The resultCode that opens an LDAPResult (ENUMERATED). */
    static int resultCode(byte[] op) {
        return op.length >= 3 && op[0] == 0x0a ? op[2] & 0xff : -1;
    }

    // ---- /proc: CPU time, memory, load

    static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return Long.parseLong(s);
        } catch (Exception e) {
            return 100;
        }
    }

    /** A process's CPU time so far, utime + stime (fields 14 and 15 of /proc/PID/stat, clock ticks), in nanoseconds. */
    long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // f[0] is field 3
        return (Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3])) * 1_000_000_000L / clkTck;
    }

    /** Peak and current resident memory: VmHWM, and RssAnon / RssFile (mapped files, such as an mdb database) now. */
    static ObjectNode memory(long pid) throws IOException {
        ObjectNode m = JSON.createObjectNode();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            for (String key : List.of("VmHWM", "VmRSS", "RssAnon", "RssFile")) {
                if (line.startsWith(key + ":")) m.put(key, Long.parseLong(line.replaceAll("\\D", "")) / 1024.0);
            }
        }
        return m;
    }

    static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    // ---- output

    void write() throws Exception {
        ArrayNode side = sideBySide();
        ObjectNode all = results.deepCopy();
        ObjectNode s = all.putObject("scenarios");
        scenarios.forEach(s::set);
        if (!ldapTargets.isEmpty()) {
            ObjectNode ldap = all.putObject("ldap");
            for (LdapTarget t : ldapTargets) ldap.set(t.name, t.results);
            all.set("side_by_side", side);
        }
        Files.writeString(out.resolve("results.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all) + "\n");
        StringBuilder md = new StringBuilder();
        md.append(String.format("Roster benchmark: %,d users, %d runs of %d s after a %d s warm-up, %d connections (medians)%n%n", users, runs, seconds, warmup, connections));
        md.append(String.format("Load average (1, 5, 15 min) before: %s; after: %s.%n%n", results.get("load_average_before").asText(), results.get("load_average_after").asText()));
        md.append("| scenario | req/s | p50 ms | p99 ms | of ceiling | server CPU µs/req | wrk CPU µs/req |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (var e : scenarios.entrySet()) {
            JsonNode r = e.getValue();
            md.append(String.format("| %s | %,.0f | %.2f | %.2f | %s | %.1f | %s |%n", e.getKey(), r.get("rps").asDouble(), r.get("p50_ms").asDouble(),
                    r.get("p99_ms").asDouble(), r.has("of_ceiling") ? String.format("%.2f", r.get("of_ceiling").asDouble()) : "1.00",
                    r.get("server_cpu_us_per_op").asDouble(), r.has("client_cpu_us_per_op") ? String.format("%.1f", r.get("client_cpu_us_per_op").asDouble()) : ""));
        }
        md.append("\n| measure | value |\n| --- | ---: |\n");
        for (String key : List.of("load_users_per_s_sqlite", "load_users_per_s_postgresql", "ready_s", "server_rss_mb_peak",
                "bizapi_full_sync_s", "bizapi_full_sync_users", "bizapi_full_sync_server_cpu_us_per_user", "bizapi_incremental_sync_s", "bizapi_incremental_sync_users")) {
            if (results.has(key)) md.append(String.format("| %s | %,.2f |%n", key, results.get(key).asDouble()));
        }
        results.get("ratios").fields().forEachRemaining(e -> md.append(String.format("| %s | %.2f |%n", e.getKey(), e.getValue().asDouble())));
        if (!ldapTargets.isEmpty()) md.append(sideBySideMarkdown(side));
        Files.writeString(out.resolve("results.md"), md);
        chart(out.resolve("feishu-depth.png"));
        if (!ldapTargets.isEmpty()) peerChart(out.resolve("peer.png"), side);
        System.out.println(md);
    }

    /** The LDAP server the ratios are taken against: slapd when it ran. */
    LdapTarget reference() {
        return ldapTargets.stream().filter(t -> t.name.equals("slapd")).findFirst().orElse(ldapTargets.isEmpty() ? null : ldapTargets.get(0));
    }

    /**
     * One row per paired measure: Roster's figure and each LDAP server's, throughput and server CPU per operation,
     * and Roster ÷ the reference (slapd). Rows without CPU (load, ready, memory) carry only the figure.
     */
    ArrayNode sideBySide() {
        ArrayNode rows = JSON.createArrayNode();
        for (String[] pair : pairs) {
            ObjectNode row = rows.addObject().put("what", pair[0]).put("roster_scenario", pair[1]).put("ldap_scenario", pair[2]);
            boolean walk = pair[2].equals("walk");
            row.put("unit", walk ? "users/s" : "ops/s").put("cpu_unit", walk ? "µs/user" : "µs/op");
            ObjectNode roster = row.putObject("roster");
            if (walk) {
                roster.put("rate", results.get("bizapi_full_sync_users_per_s").asDouble()).put("server_cpu_us", results.get("bizapi_full_sync_server_cpu_us_per_user").asDouble())
                        .put("seconds", results.get("bizapi_full_sync_s").asDouble());
            } else {
                JsonNode r = scenarios.get(pair[1]);
                roster.put("rate", r.get("rps").asDouble()).put("server_cpu_us", r.get("server_cpu_us_per_op").asDouble());
                if (r.has("client_cpu_us_per_op")) roster.put("client_cpu_us", r.get("client_cpu_us_per_op").asDouble());
            }
            for (LdapTarget t : ldapTargets) {
                JsonNode r = t.scenarios.get(pair[2]);
                if (r == null) continue;
                ObjectNode o = row.putObject(t.name);
                if (walk) {
                    o.put("rate", r.get("entries_per_s").asDouble()).put("server_cpu_us", r.get("server_cpu_us_per_entry").asDouble())
                            .put("client_cpu_us", r.get("client_cpu_us_per_entry").asDouble()).put("seconds", r.get("seconds").asDouble());
                } else {
                    o.put("rate", r.get("ops_per_s").asDouble()).put("server_cpu_us", r.get("server_cpu_us_per_op").asDouble())
                            .put("client_cpu_us", r.get("client_cpu_us_per_op").asDouble());
                }
            }
            ratios(row);
        }
        LdapTarget ref = reference();
        if (ref != null && ref.results.has("load_users_per_s")) {
            ObjectNode row = rows.addObject().put("what", "load").put("roster_scenario", "roster load (SQLite)").put("ldap_scenario", "slapadd -q").put("unit", "users/s");
            row.putObject("roster").put("rate", results.get("load_users_per_s_sqlite").asDouble());
            row.putObject(ref.name).put("rate", ref.results.get("load_users_per_s").asDouble());
            ratios(row);
        }
        if (ref != null && ref.results.has("ready_s")) {
            ObjectNode row = rows.addObject().put("what", "ready after start").put("roster_scenario", "serve: ready line").put("ldap_scenario", "slapd: first search answered").put("unit", "s");
            row.putObject("roster").put("rate", results.get("ready_s").asDouble());
            row.putObject(ref.name).put("rate", ref.results.get("ready_s").asDouble());
            ratios(row);
        }
        if (ref != null && ref.results.has("memory_mb")) {
            ObjectNode row = rows.addObject().put("what", "peak RSS (VmHWM)").put("roster_scenario", "JVM").put("ldap_scenario", "slapd (mapped database included)").put("unit", "MB");
            row.putObject("roster").put("rate", results.get("server_rss_mb_peak").asDouble());
            row.putObject(ref.name).put("rate", ref.results.get("memory_mb").get("VmHWM").asDouble());
            ratios(row);
        }
        return rows;
    }

    /** Roster (HTTP, and Roster LDAP when measured) ÷ the reference server, for the rate and for CPU per operation. */
    void ratios(ObjectNode row) {
        LdapTarget ref = reference();
        JsonNode peer = row.get(ref.name);
        if (peer == null) return;
        for (String who : List.of("roster", "roster_ldap")) {
            JsonNode mine = row.get(who);
            if (mine == null || who.equals(ref.name)) continue;
            ObjectNode ratio = row.putObject(who + "_over_" + ref.name);
            ratio.put("rate", mine.get("rate").asDouble() / peer.get("rate").asDouble());
            if (mine.has("server_cpu_us") && peer.has("server_cpu_us")) ratio.put("server_cpu", mine.get("server_cpu_us").asDouble() / peer.get("server_cpu_us").asDouble());
        }
    }

    String sideBySideMarkdown(ArrayNode side) {
        LdapTarget ref = reference();
        StringBuilder md = new StringBuilder();
        md.append(String.format("%n## Beside %s (back-mdb): the same %,d users, %d connections, one after the other%n%n", ref.results.path("version").asText(ref.label), users, connections));
        md.append("Server CPU per operation is utime + stime of the server process (/proc/PID/stat) over a timed run, divided by the\n")
                .append("operations it completed. Ratios are Roster ÷ " + ref.label + ": a rate ratio above 1 means Roster is faster, a CPU ratio\n")
                .append("below 1 means Roster spends less server CPU per operation (for ready time and memory, below 1 is better too).\n\n");
        List<LdapTarget> others = ldapTargets.stream().filter(t -> t != ref).toList();
        StringBuilder head = new StringBuilder("| what | Roster call | Roster | Roster CPU µs |");
        StringBuilder rule = new StringBuilder("| --- | --- | ---: | ---: |");
        for (LdapTarget t : others) { head.append(" ").append(t.label).append(" | ").append(t.label).append(" CPU µs |"); rule.append(" ---: | ---: |"); }
        head.append(" ").append(ref.label).append(" call | ").append(ref.label).append(" | ").append(ref.label).append(" CPU µs | rate ratio | CPU ratio |");
        rule.append(" --- | ---: | ---: | ---: | ---: |");
        for (LdapTarget t : others) { head.append(" ").append(t.label).append(" rate ratio | ").append(t.label).append(" CPU ratio |"); rule.append(" ---: | ---: |"); }
        md.append(head).append('\n').append(rule).append('\n');
        for (JsonNode row : side) {
            String unit = row.get("unit").asText();
            String cpuUnit = row.path("cpu_unit").asText("");
            md.append("| ").append(row.get("what").asText()).append(" (").append(unit).append(cpuUnit.isEmpty() ? "" : ", CPU " + cpuUnit).append(") | ")
                    .append(row.get("roster_scenario").asText()).append(" | ");
            md.append(figure(row.get("roster"), "rate", unit)).append(" | ").append(figure(row.get("roster"), "server_cpu_us", "µs")).append(" |");
            for (LdapTarget t : others) md.append(" ").append(figure(row.get(t.name), "rate", unit)).append(" | ").append(figure(row.get(t.name), "server_cpu_us", "µs")).append(" |");
            md.append(" ").append(LDAP_CALLS.getOrDefault(row.get("ldap_scenario").asText(), row.get("ldap_scenario").asText())).append(" | ").append(figure(row.get(ref.name), "rate", unit)).append(" | ")
                    .append(figure(row.get(ref.name), "server_cpu_us", "µs")).append(" | ");
            JsonNode ratio = row.get("roster_over_" + ref.name);
            md.append(ratio == null ? "" : String.format("%.2f", ratio.get("rate").asDouble())).append(" | ")
                    .append(ratio == null || !ratio.has("server_cpu") ? "" : String.format("%.2f", ratio.get("server_cpu").asDouble())).append(" |");
            for (LdapTarget t : others) {
                JsonNode r = row.get(t.name + "_over_" + ref.name);
                md.append(" ").append(r == null ? "" : String.format("%.2f", r.get("rate").asDouble())).append(" | ")
                        .append(r == null || !r.has("server_cpu") ? "" : String.format("%.2f", r.get("server_cpu").asDouble())).append(" |");
            }
            md.append('\n');
        }
        md.append("\nThe load generators' own CPU per operation (they share the machine's cores with the server): ");
        List<String> clients = new ArrayList<>();
        for (JsonNode row : side) {
            if (!row.has("cpu_unit")) continue;
            JsonNode mine = row.get("roster"), peer = row.get(ref.name);
            clients.add(String.format("%s: wrk %s, LdapLoad %s", row.get("what").asText(),
                    mine != null && mine.has("client_cpu_us") ? String.format("%.1f µs", mine.get("client_cpu_us").asDouble()) : "n/a",
                    peer != null && peer.has("client_cpu_us") ? String.format("%.1f µs", peer.get("client_cpu_us").asDouble()) : "n/a"));
        }
        md.append(String.join("; ", clients)).append(" (the full walk: Roster's client is this JVM, not measured).\n");
        JsonNode depth = ref.scenarios.get("depth");
        if (depth != null) {
            md.append(String.format("%n%s's page at depth: its paged-results cookie names the last entry sent and is valid once, on the connection that "
                    + "received it, so each connection walked to depth %,d once (untimed), then asked the next page of 50 with each answer's cookie; "
                    + "walks that reached the end and went on from the first page: %d.%n", ref.label, depth.get("depth").asLong(), depth.get("wraps").asLong()));
        }
        JsonNode mem = ref.results.get("memory_mb");
        if (mem != null) {
            md.append(String.format("%s's resident memory at the end: %.0f MB, of which %.0f MB mapped database file (RssFile) and %.0f MB its own (RssAnon); Roster's: %.0f MB RssAnon, %.0f MB RssFile.%n",
                    ref.label, mem.path("VmRSS").asDouble(), mem.path("RssFile").asDouble(), mem.path("RssAnon").asDouble(),
                    results.path("server_memory_mb").path("RssAnon").asDouble(), results.path("server_memory_mb").path("RssFile").asDouble()));
        }
        return md.toString();
    }

    static final Map<String, String> LDAP_CALLS = Map.of(
            "page_1", "paged search, 50, first page",
            "depth", "paged search, 50, next page by cookie",
            "page_1000", "paged search, 1000, first page",
            "lookup", "search (uid=user<random>)",
            "walk", "paged search, 1000, cookie walk to the end");

    static String figure(JsonNode o, String key, String unit) {
        if (o == null || !o.has(key)) return "";
        double v = o.get(key).asDouble();
        if (unit.equals("s")) return String.format("%.2f", v);
        return v >= 100 ? String.format("%,.0f", v) : String.format("%.1f", v);
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
        // the LDAP servers' pages of 50 at the same depths (first page, and the peer's depth), beside Roster's bars
        Map<Long, double[]> ldap = new LinkedHashMap<>();
        List<LdapTarget> targets = ldapTargets;
        for (int t = 0; t < targets.size(); t++) {
            JsonNode first = targets.get(t).scenarios.get("page_1"), deep = targets.get(t).scenarios.get("depth");
            if (first != null) ldap.computeIfAbsent(0L, k -> new double[targets.size()])[t] = first.get("ops_per_s").asDouble();
            if (deep != null) ldap.computeIfAbsent(deep.get("depth").asLong(), k -> new double[targets.size()])[t] = deep.get("ops_per_s").asDouble();
        }
        double max = ceiling;
        for (double[] v : ldap.values()) for (double x : v) max = Math.max(max, x);
        max *= 1.1;
        g.setColor(Color.BLACK);
        g.setFont(new Font("SansSerif", Font.BOLD, 16));
        g.drawString(ldap.isEmpty() ? String.format("feishu GET /open-apis/acs/v1/users (page of 50) by depth, %,d users", users)
                : String.format("A page of 50 by depth, %,d users: feishu list and LDAP paged search", users), left, 30);
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
            long depth = points.get(i).get("depth").asLong();
            double[] others = ldap.get(depth);
            int bars = 1 + (others == null ? 0 : others.length);
            int barW = slot * 3 / 5 / bars;
            int x = left + i * slot + slot / 5;
            for (int b = 0; b < bars; b++) {
                double rps = b == 0 ? points.get(i).get("rps").asDouble() : others[b - 1];
                int barH = (int) ((h - top - bottom) * rps / max);
                g.setColor(SERIES[b % SERIES.length]);
                g.fillRect(x + b * barW, h - bottom - barH, barW - (bars > 1 ? 2 : 0), barH);
                g.setColor(Color.BLACK);
                g.drawString(String.format("%,.0f", rps), x + b * barW, h - bottom - barH - 5);
            }
            g.drawString(String.format("%,d", depth), x, h - bottom + 18);
        }
        g.drawString("depth (users before the page)", left + (w - left - right) / 2 - 80, h - 25);
        if (!ldap.isEmpty()) {
            List<String> names = new ArrayList<>(List.of("Roster (feishu, HTTP, wrk)"));
            for (LdapTarget t : targets) names.add(t.label + " (paged search, LDAP, LdapLoad)");
            legend(g, names, left + 10, yCeil + 12);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    static final Color[] SERIES = {new Color(60, 110, 190), new Color(230, 140, 40), new Color(90, 160, 90)};

    static void legend(Graphics2D g, List<String> names, int x, int y) {
        for (int i = 0; i < names.size(); i++) {
            g.setColor(SERIES[i % SERIES.length]);
            g.fillRect(x, y + i * 18, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(names.get(i), x + 18, y + i * 18 + 11);
        }
    }

    /**
     * Roster beside the LDAP servers, one row per measure: the rate on the left, server CPU per operation on the
     * right. Each row is drawn to its own scale (the longest bar of the row fills its panel); the figures are printed.
     */
    void peerChart(Path file, ArrayNode side) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> series = new ArrayList<>(List.of("roster"));
        List<String> names = new ArrayList<>(List.of("Roster (HTTP)"));
        for (LdapTarget t : ldapTargets) {
            series.add(t.name);
            names.add(t.label + (t.name.equals("slapd") ? " " + t.results.path("version").asText("").replace("OpenLDAP slapd ", "") + " (back-mdb)" : ""));
        }
        int rowH = Math.max(40, 16 * series.size() + 22), top = 70 + 18 * series.size(), labelW = 260, panelW = 340, gap = 50, w = labelW + 2 * panelW + gap + 30;
        int h = top + side.size() * rowH + 30;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font("SansSerif", Font.BOLD, 16));
        g.drawString(String.format("Roster beside %s: %,d users, %d connections, one run", reference().label, users, connections), 10, 24);
        g.setFont(new Font("SansSerif", Font.PLAIN, 12));
        legend(g, names, 10, 36);
        int x1 = labelW, x2 = labelW + panelW + gap;
        g.setFont(new Font("SansSerif", Font.BOLD, 12));
        g.drawString("rate (ready time and memory: shorter is better)", x1, top - 8);
        g.drawString("server CPU per operation (shorter is better)", x2, top - 8);
        g.setFont(new Font("SansSerif", Font.PLAIN, 12));
        for (int r = 0; r < side.size(); r++) {
            JsonNode row = side.get(r);
            int y = top + r * rowH;
            g.setColor(new Color(235, 235, 235));
            g.drawLine(10, y - 2, w - 10, y - 2);
            g.setColor(Color.BLACK);
            g.drawString(row.get("what").asText(), 10, y + 14);
            g.setColor(Color.GRAY);
            g.drawString(row.get("unit").asText() + (row.has("cpu_unit") ? ", CPU " + row.get("cpu_unit").asText() : ""), 10, y + 30);
            for (int panel = 0; panel < 2; panel++) {
                String key = panel == 0 ? "rate" : "server_cpu_us";
                double max = 0;
                for (String k : series) if (row.has(k) && row.get(k).has(key)) max = Math.max(max, row.get(k).get(key).asDouble());
                if (max <= 0) continue;
                for (int i = 0; i < series.size(); i++) {
                    JsonNode o = row.get(series.get(i));
                    if (o == null || !o.has(key)) continue;
                    double v = o.get(key).asDouble();
                    int len = (int) ((panelW - 80) * v / max);
                    int x = panel == 0 ? x1 : x2, yy = y + 4 + i * 16;
                    g.setColor(SERIES[i % SERIES.length]);
                    g.fillRect(x, yy, Math.max(1, len), 13);
                    g.setColor(Color.BLACK);
                    g.drawString(figure(o, key, panel == 0 ? row.get("unit").asText() : "µs"), x + len + 5, yy + 11);
                }
            }
        }
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
