import com.sun.management.OperatingSystemMXBean;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The LDAP load generator of the benchmark, the LDAP side's wrk: C connections, each bound and driven by its own
 * thread, synchronous requests back to back for a fixed time, counting operations. It reads the server's CPU time
 * (utime + stime, /proc/PID/stat fields 14 and 15) and its own (the JVM's process CPU time) at the edges of each
 * timed run, so each run reports server and client CPU per operation beside throughput and latency.
 *
 * <pre>
 * java -cp CLASSPATH LdapLoad --port P --bind-dn DN --password PW --base ou=people,o=bench --users N
 *      [--host 127.0.0.1] [--depth D] [--connections 8] [--seconds 10] [--runs 3] [--warmup 3]
 *      [--server-pid PID] [--clk-tck 100] --scenarios page_1,depth,page_1000,lookup,walk
 * </pre>
 *
 * Scenarios (every search is (objectClass=inetOrgPerson) or (uid=…) under --base, subtree, all user attributes):
 * <ul>
 *   <li>page_1: the first page of 50 of a simple paged results search (RFC 2696), asked again and again;
 *   <li>depth: pages of 50 at depth D. OpenLDAP's cookie names the last entry sent and is valid once, on the
 *       connection that received it ("paged results cookie is invalid or old" otherwise), so a page cannot be asked
 *       twice with one cookie. Each connection walks to depth D once (pages of 1000, untimed), then every operation
 *       asks the next page of 50 with the cookie the previous answer gave: pages at depth D, D + 50, … A walk that
 *       reaches the end starts again at the first page (counted as a wrap in the output);
 *   <li>page_1000: the first page of 1000, again and again;
 *   <li>lookup: a user by uid equality, uid drawn at random among user1 … userN;
 *   <li>walk: one connection, the whole list in pages of 1000, once, timed (after a warm-up walk of --warmup s).
 * </ul>
 * Output: one JSON line per scenario on stdout.
 */
public class LdapLoad {
    String host = "127.0.0.1", bindDn, password, base = "ou=people,o=bench";
    int port, users, connections = 8, seconds = 10, runs = 3, warmup = 3, clkTck = 100;
    long depth, serverPid = -1;
    List<String> scenarios = List.of("page_1", "depth", "page_1000", "lookup", "walk");

    static final Filter ALL = Filter.createEqualityFilter("objectClass", "inetOrgPerson");
    static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        LdapLoad load = new LdapLoad();
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--host" -> load.host = v;
                case "--port" -> load.port = Integer.parseInt(v);
                case "--bind-dn" -> load.bindDn = v;
                case "--password" -> load.password = v;
                case "--base" -> load.base = v;
                case "--users" -> load.users = Integer.parseInt(v);
                case "--depth" -> load.depth = Long.parseLong(v);
                case "--connections" -> load.connections = Integer.parseInt(v);
                case "--seconds" -> load.seconds = Integer.parseInt(v);
                case "--runs" -> load.runs = Integer.parseInt(v);
                case "--warmup" -> load.warmup = Integer.parseInt(v);
                case "--server-pid" -> load.serverPid = Long.parseLong(v);
                case "--clk-tck" -> load.clkTck = Integer.parseInt(v);
                case "--scenarios" -> load.scenarios = List.of(v.split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (load.port == 0 || load.bindDn == null || load.users == 0) throw new IllegalArgumentException("--port, --bind-dn and --users are required");
        if (load.depth == 0) load.depth = load.users / 2;
        for (String scenario : load.scenarios) {
            String line = scenario.equals("walk") ? load.walk() : load.timed(scenario);
            System.out.println(line);
            System.out.flush();
        }
    }

    LDAPConnection connect() throws LDAPException {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setUseSynchronousMode(true); // no reader thread: the cheapest client the SDK offers
        options.setResponseTimeoutMillis(60_000);
        LDAPConnection c = new LDAPConnection(options, host, port);
        c.bind(bindDn, password);
        return c;
    }

    // ---- one worker per connection, C of them, for warm-up then R timed runs back to back

    /** What one connection does: one operation per call; it returns the entries the operation read. */
    interface Op {
        int run() throws LDAPException;
    }

    final class Worker extends Thread {
        final LDAPConnection connection;
        final Op op;
        final long[][] latencies; // per phase: 0 = warm-up, 1..runs = timed runs
        final int[] counts;
        final long[] entries;
        long errors;
        String firstError;

        Worker(LDAPConnection connection, Op op) {
            this.connection = connection;
            this.op = op;
            latencies = new long[runs + 1][1024];
            counts = new int[runs + 1];
            entries = new long[runs + 1];
            setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                int p = phase;
                if (p < 0) return;
                long t0 = System.nanoTime();
                int n;
                try {
                    n = op.run();
                } catch (LDAPException | RuntimeException e) {
                    errors++;
                    if (firstError == null) firstError = e.getMessage();
                    continue;
                }
                long t = System.nanoTime() - t0;
                p = phase; // an operation counts in the phase in which it completed
                if (p < 0) return;
                if (counts[p] == latencies[p].length) latencies[p] = Arrays.copyOf(latencies[p], counts[p] * 2);
                latencies[p][counts[p]++] = t;
                entries[p] += n;
            }
        }
    }

    volatile int phase;

    String timed(String scenario) throws Exception {
        List<Worker> workers = new ArrayList<>();
        AtomicLong wraps = new AtomicLong();
        for (int i = 0; i < connections; i++) {
            LDAPConnection c = connect();
            workers.add(new Worker(c, op(scenario, c, wraps)));
        }
        // one operation on its own first: a scenario that answers errors fails here instead of being measured
        workers.get(0).op.run();
        phase = 0;
        workers.forEach(Thread::start);
        Thread.sleep(warmup * 1000L);
        // the runs follow each other without a pause; CPU and clock are read at each edge
        double[] taken = new double[runs + 1];
        long[] serverNanos = new long[runs + 1], clientNanos = new long[runs + 1];
        long server = serverCpuNanos(), client = OS.getProcessCpuTime(), t = System.nanoTime();
        phase = 1;
        for (int run = 1; run <= runs; run++) {
            Thread.sleep(seconds * 1000L);
            long server1 = serverCpuNanos(), client1 = OS.getProcessCpuTime(), t1 = System.nanoTime();
            phase = run < runs ? run + 1 : -1;
            taken[run] = (t1 - t) / 1e9;
            serverNanos[run] = server < 0 ? -1 : server1 - server;
            clientNanos[run] = client1 - client;
            server = server1;
            client = client1;
            t = t1;
        }
        for (Worker w : workers) w.join(120_000);
        List<String> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) results.add(summary(workers, run, taken[run], serverNanos[run], clientNanos[run]));
        long errors = workers.stream().mapToLong(w -> w.errors).sum();
        String firstError = workers.stream().map(w -> w.firstError).filter(e -> e != null).findFirst().orElse(null);
        for (Worker w : workers) w.connection.close();
        return String.format(Locale.ROOT, "{\"scenario\":\"%s\",\"connections\":%d,\"depth\":%d,\"wraps\":%d,\"errors\":%d,\"first_error\":%s,\"runs\":[%s]}",
                scenario, connections, scenario.equals("depth") ? depth : 0, wraps.get(), errors, quote(firstError), String.join(",", results));
    }

    String summary(List<Worker> workers, int run, double secondsTaken, long serverNanos, long clientNanos) {
        long ops = 0, entries = 0;
        for (Worker w : workers) {
            ops += w.counts[run];
            entries += w.entries[run];
        }
        long[] all = new long[(int) ops];
        int k = 0;
        for (Worker w : workers) {
            System.arraycopy(w.latencies[run], 0, all, k, w.counts[run]);
            k += w.counts[run];
        }
        Arrays.sort(all);
        return String.format(Locale.ROOT, "{\"ops\":%d,\"entries\":%d,\"seconds\":%.3f,\"ops_per_s\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
                        + "\"server_cpu_us_per_op\":%s,\"client_cpu_us_per_op\":%.1f}",
                ops, entries, secondsTaken, ops / secondsTaken, percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6,
                serverNanos < 0 ? "null" : String.format(Locale.ROOT, "%.1f", serverNanos / 1e3 / Math.max(1, ops)),
                clientNanos / 1e3 / Math.max(1, ops));
    }

    Op op(String scenario, LDAPConnection c, AtomicLong wraps) throws LDAPException {
        return switch (scenario) {
            case "page_1" -> () -> page(c, 50, null).getEntryCount();
            case "page_1000" -> () -> page(c, 1000, null).getEntryCount();
            case "lookup" -> () -> {
                String uid = "user" + (1 + ThreadLocalRandom.current().nextInt(users));
                SearchResult r = c.search(new SearchRequest(base, SearchScope.SUB, Filter.createEqualityFilter("uid", uid)));
                if (r.getEntryCount() != 1) throw new LDAPException(com.unboundid.ldap.sdk.ResultCode.NO_SUCH_OBJECT, uid + ": " + r.getEntryCount() + " entries");
                return 1;
            };
            case "depth" -> {
                ASN1OctetString[] cookie = new ASN1OctetString[1];
                try { // a server may tie its cookie to the attributes asked: then walk again asking the page's own
                    cookie[0] = next(page(c, 50, walkTo(c, depth, "1.1")));
                } catch (LDAPException e) {
                    cookie[0] = walkTo(c, depth);
                }
                yield () -> {
                    SearchResult r;
                    try {
                        r = page(c, 50, cookie[0]);
                    } catch (LDAPException e) {
                        cookie[0] = null; // the cookie is spent either way: go on from the first page
                        throw e;
                    }
                    cookie[0] = next(r);
                    if (cookie[0] == null) wraps.incrementAndGet(); // the end: the next page is the first again
                    return r.getEntryCount();
                };
            }
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };
    }

    /**
     * Walks a fresh paged search to just after `to` entries (pages of 1000, then the remainder) and returns its
     * cookie. Asked with "1.1" (no attributes), it is cheap for every connection; slapd's cookie does not depend on them.
     */
    ASN1OctetString walkTo(LDAPConnection c, long to, String... attributes) throws LDAPException {
        ASN1OctetString cookie = null;
        long seen = 0;
        while (seen < to) {
            SearchResult r = page(c, (int) Math.min(1000, to - seen), cookie, attributes);
            seen += r.getEntryCount();
            cookie = next(r);
            if (cookie == null) throw new IllegalStateException("the list ended at " + seen + " entries, before depth " + to);
        }
        return cookie;
    }

    SearchResult page(LDAPConnection c, int size, ASN1OctetString cookie, String... attributes) throws LDAPException {
        SearchRequest request = new SearchRequest(base, SearchScope.SUB, ALL, attributes);
        request.addControl(new SimplePagedResultsControl(size, cookie, true));
        return c.search(request);
    }

    /** The cookie of the next page, or null at the end of the list. */
    static ASN1OctetString next(SearchResult r) throws LDAPException {
        SimplePagedResultsControl control = SimplePagedResultsControl.get(r);
        if (control == null) throw new IllegalStateException("no paged results control in the answer: " + r);
        return control.moreResultsToReturn() ? control.getCookie() : null;
    }

    // ---- the full walk: one connection, timed

    String walk() throws Exception {
        try (LDAPConnection c = connect()) {
            long end = System.nanoTime() + warmup * 1_000_000_000L;
            ASN1OctetString cookie = null;
            while (System.nanoTime() < end) cookie = next(page(c, 1000, cookie)); // warm-up: walk, restart at the end
            long server0 = serverCpuNanos(), client0 = OS.getProcessCpuTime(), t0 = System.nanoTime();
            long pages = 0, entries = 0;
            cookie = null;
            do {
                SearchResult r = page(c, 1000, cookie);
                pages++;
                entries += r.getEntryCount();
                cookie = next(r);
            } while (cookie != null);
            long server1 = serverCpuNanos(), client1 = OS.getProcessCpuTime();
            double s = (System.nanoTime() - t0) / 1e9;
            return String.format(Locale.ROOT, "{\"scenario\":\"walk\",\"page_size\":1000,\"pages\":%d,\"entries\":%d,\"seconds\":%.3f,\"entries_per_s\":%.1f,"
                            + "\"server_cpu_us_per_page\":%s,\"server_cpu_us_per_entry\":%s,\"client_cpu_us_per_entry\":%.2f}",
                    pages, entries, s, entries / s,
                    server0 < 0 ? "null" : String.format(Locale.ROOT, "%.1f", (server1 - server0) / 1e3 / pages),
                    server0 < 0 ? "null" : String.format(Locale.ROOT, "%.2f", (server1 - server0) / 1e3 / entries),
                    (client1 - client0) / 1e3 / entries);
        }
    }

    // ---- small things

    /** The server's utime + stime in nanoseconds (fields 14 and 15 of /proc/PID/stat, in clock ticks), or -1. */
    long serverCpuNanos() throws Exception {
        if (serverPid < 0) return -1;
        String stat = Files.readString(Path.of("/proc/" + serverPid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // f[0] is field 3 (state)
        long ticks = Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
        return ticks * 1_000_000_000L / clkTck;
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int rank = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    static String quote(String s) {
        if (s == null) return "null";
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\x00-\\x1f]", " ") + "\"";
    }
}
