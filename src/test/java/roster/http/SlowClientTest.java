package roster.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;

/**
 * Slow clients cannot hold the server (issue 20, break 6): 300 sockets sending a request body at one byte a second
 * and 100 sending their headers that slowly. Without limits each slow body held a thread until its 10 kB arrived
 * (hours) and /healthz stopped answering. Now: bodies slower than the floor are cut off with 408 within seconds,
 * threads stay bounded, /healthz answers at once throughout, and a real client is served.
 */
class SlowClientTest {

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
    void slowBodiesAndSlowHeadersDoNotHoldTheServer() throws Exception {
        String token = DemoApps.feishuToken(server, DemoApps.FEISHU_APP, DemoApps.FEISHU_SECRET);
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        int port = URI.create(server.baseUrl).getPort();
        List<Socket> bodies = new ArrayList<>();
        List<Socket> headers = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.getOutputStream().write(("POST /open-apis/auth/v3/tenant_access_token/internal HTTP/1.1\r\nHost: roster\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 10000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                bodies.add(s);
            }
            for (int i = 0; i < 100; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: roster\r\n".getBytes(StandardCharsets.US_ASCII));
                headers.add(s);
            }
            HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<Long> healthMillis = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger served = new AtomicInteger();
            int maxThreads = 0;
            java.util.Map<Socket, String> answers = new java.util.HashMap<>();
            long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() < end) {
                // one more byte from every slow client the server has not answered yet
                for (Socket s : bodies) {
                    if (answers.containsKey(s)) continue;
                    if (s.getInputStream().available() > 0) answers.put(s, answerSoFar(s));
                    else trickle(s, "\"");
                }
                for (Socket s : headers) trickle(s, "X");
                long t0 = System.nanoTime();
                HttpResponse<String> health = fresh.send(HttpRequest.newBuilder(URI.create(server.baseUrl + "/healthz"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                healthMillis.add((System.nanoTime() - t0) / 1_000_000);
                assertThat(health.statusCode()).isEqualTo(200);
                maxThreads = Math.max(maxThreads, ManagementFactory.getThreadMXBean().getThreadCount());
                Thread.sleep(1000);
            }
            // a real client is served while the slow ones are still connected
            HttpResponse<String> list = fresh.send(DemoApps.request(server, "/open-apis/acs/v1/users?page_size=5")
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(list.statusCode()).isEqualTo(200);
            served.incrementAndGet();

            Collections.sort(healthMillis);
            System.out.printf("SlowClientTest: /healthz ms sorted %s; threads %d before, %d at most%n", healthMillis, threadsBefore, maxThreads);
            // within a second, with slack for a loaded test machine on the slowest sample
            assertThat(healthMillis.get(healthMillis.size() / 2)).isLessThan(1000);
            assertThat(healthMillis.get(healthMillis.size() - 1)).isLessThan(3000);
            // request slots bound the threads: not one per slow client
            assertThat(maxThreads - threadsBefore).isLessThanOrEqualTo(ClientLimits.MAX_THREADS);
            // slow bodies are cut off with 408 in the dialect's envelope, not left hanging
            for (Socket s : bodies) if (!answers.containsKey(s) && s.getInputStream().available() > 0) answers.put(s, answerSoFar(s));
            // feishu answers a body cut off as a field violation, HTTP 400 (its envelope has no 408); slow clients
            // beyond the slots and the waiting room are answered 503 at once
            long tooSlow = answers.values().stream().filter(a -> a.startsWith("HTTP/1.1 400") && a.contains("too slowly")).count();
            long busy = answers.values().stream().filter(a -> a.startsWith("HTTP/1.1 503") && a.contains("Retry-After")).count();
            System.out.printf("SlowClientTest: of %d slow bodies, %d cut off as too slow, %d answered busy within the run%n", bodies.size(), tooSlow, busy);
            assertThat(tooSlow).as("slow bodies cut off within seconds").isGreaterThan(40);
            assertThat(tooSlow + busy).as("slow bodies answered").isGreaterThan(200);
            assertThat(answers.values()).allSatisfy(a -> assertThat(a).matches("(?s)HTTP/1.1 (400|503) .*"));
        } finally {
            for (Socket s : bodies) s.close();
            for (Socket s : headers) s.close();
        }
    }

    private static void trickle(Socket s, String oneByte) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(oneByte.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException closedByTheServer) {
            // expected once the server has given up on this client
        }
    }

    /** What the server has sent on this socket so far (without waiting for more). */
    private static String answerSoFar(Socket s) throws IOException {
        s.setSoTimeout(200);
        InputStream in = s.getInputStream();
        byte[] buffer = new byte[2048];
        try {
            int n = in.read(buffer);
            return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
        } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
            return "";
        }
    }
}
