package roster.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/** A webhook consumer on a free port (the JDK's HTTP server): keeps every request and answers as told. */
final class Receiver implements AutoCloseable {

    /** A request as received; headers by case-insensitive name. */
    record Request(Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    record Answer(int status, String body, long delayMillis) {
        static final Answer OK = new Answer(200, "{\"ok\":true}", 0);
    }

    private final HttpServer http;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile Function<Request, Answer> answer = r -> Answer.OK;

    Receiver() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        http.setExecutor(Executors.newCachedThreadPool());
        http.createContext("/", exchange -> {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
            Request request = new Request(headers, exchange.getRequestBody().readAllBytes());
            Answer a = answer.apply(request);
            if (a.delayMillis() > 0) {
                try {
                    Thread.sleep(a.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (a.status() >= 200 && a.status() < 300) requests.add(request);
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            if (a.status() >= 300 && a.status() < 400) exchange.getResponseHeaders().add("Location", "http://127.0.0.1:9/elsewhere");
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            try {
                exchange.sendResponseHeaders(a.status(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (IOException ignored) {
                // the caller gave up (a timeout): nothing to answer
            }
        });
        http.start();
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/hook";
    }

    /** The requests answered 2xx, as they came. */
    List<Request> accepted() {
        return new ArrayList<>(requests);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
        ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
    }
}
