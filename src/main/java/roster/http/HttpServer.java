package roster.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import roster.Services;
import roster.directory.CanonicalJson;
import roster.store.Database;

/**
 * The one HTTP server: every dialect and the admin API on one port, plus health, readiness and metrics.
 * Request ids, access logs and the last-resort error answer live here; each dialect maps its own errors.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final Logger access = LoggerFactory.getLogger("roster.access");
    /** Bodies larger than this are refused; a fixture for POST /admin/v1/load is streamed and has no limit. */
    public static final long MAX_BODY_BYTES = 10L * 1024 * 1024;
    /** The request line and headers together (Jetty's default is 8 KiB; long query parameters get past it). */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    /** What a caller is told when the database stays busy past its wait (see Database.isBusy). */
    public static final String BUSY_MESSAGE = "the directory is busy with another write (e.g. a load); retry shortly";
    static final int BUSY_RETRY_AFTER_SECONDS = 2;

    private final Javalin app;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public HttpServer(Services services, List<Function<Services, Dialect>> dialects) {
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.useVirtualThreads = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.jsonMapper(new JavalinJackson(CanonicalJson.MAPPER, false));
            config.jetty.modifyServer(server -> server.setStopTimeout(20_000)); // in-flight requests finish on SIGTERM
            // Jetty counts multipart parts without a filename as form content, 200 kB at most by default; the Lark
            // Node SDK sends a file given as a Buffer (a face image, up to 5 MiB) as such a part
            config.jetty.modifyServletContextHandler(context -> context.setMaxFormContentSize((int) MAX_BODY_BYTES));
            config.jetty.modifyHttpConfiguration(http -> {
                http.setSendServerVersion(false);
                http.setRequestHeaderSize(MAX_HEADER_BYTES);
            });
            // what Jetty refuses before any route sees it (a request line or headers over the limit, a malformed
            // request) is answered in JSON too, not Jetty's HTML page
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
        });
        app.before(ctx -> {
            RequestIds.assign(ctx);
            ctx.attribute("roster.start", System.nanoTime());
            if (ctx.contentLength() > MAX_BODY_BYTES && !ctx.path().equals("/admin/v1/load")) {
                throw new io.javalin.http.HttpResponseException(HttpStatus.CONTENT_TOO_LARGE.getCode(), "request body too large");
            }
        });
        app.after(this::logAccess);
        app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        app.get("/readyz", ctx -> {
            boolean up = services.database().ping();
            ctx.status(up ? 200 : 503).json(Map.of("status", up ? "ready" : "database unavailable"));
        });
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
        List<Dialect> mounted = dialects.stream().map(d -> d.apply(services)).toList();
        mounted.forEach(d -> d.register(app));
        // Javalin maps exceptions by type; Roster maps them by path, so each dialect answers in its own envelope.
        io.javalin.http.ExceptionHandler<Exception> answer = (failure, ctx) -> {
            Exception e = failure;
            if (Database.isBusy(e)) {
                // not a fault: the caller may retry. Every dialect answers an HttpResponseException by its status.
                log.warn("database busy on {} {} (request {}): {}", ctx.method(), ctx.path(), RequestIds.of(ctx), e.toString());
                ctx.header("Retry-After", String.valueOf(BUSY_RETRY_AFTER_SECONDS));
                e = new io.javalin.http.HttpResponseException(HttpStatus.SERVICE_UNAVAILABLE.getCode(), BUSY_MESSAGE);
            } else if (Database.isUnstorableText(e)) {
                e = new io.javalin.http.HttpResponseException(HttpStatus.BAD_REQUEST.getCode(), "a value holds a NUL character");
            }
            if (!(e instanceof io.javalin.http.HttpResponseException) && !isExpected(e)) {
                log.error("unhandled error on {} {} (request {})", ctx.method(), ctx.path(), RequestIds.of(ctx), e);
            }
            Dialect owner = owner(mounted, ctx);
            if (owner != null) {
                owner.answer(e, ctx);
            } else {
                int status = e instanceof io.javalin.http.HttpResponseException h ? h.getStatus() : 500;
                ctx.status(status).json(Map.of("error", status == 500 ? "internal error" : e.getMessage(), "request_id", RequestIds.of(ctx)));
            }
        };
        app.exception(Exception.class, answer);
        // Javalin answers its own HttpResponseException in plain text unless a handler names that very class
        app.exception(io.javalin.http.HttpResponseException.class, answer::handle);
        // an unknown path under a dialect's prefix still gets that dialect's envelope (Javalin's own answer to an
        // unmatched path is plain text; every dialect answers in JSON)
        app.error(404, ctx -> {
            String type = ctx.res().getContentType();
            if (type != null && type.contains("json")) return;
            Dialect owner = owner(mounted, ctx);
            if (owner != null) owner.answer(new io.javalin.http.NotFoundResponse("no such endpoint"), ctx);
            else ctx.json(Map.of("error", "not found", "request_id", RequestIds.of(ctx)));
        });
    }

    private static Dialect owner(List<Dialect> dialects, Context ctx) {
        return dialects.stream().filter(d -> d.paths().stream().anyMatch(ctx.path()::startsWith)).findFirst().orElse(null);
    }

    /** Errors of the caller's making, which a dialect answers without a stack trace in the log. */
    private static boolean isExpected(Exception e) {
        return e instanceof roster.directory.InvalidInputException || e instanceof roster.directory.NotFoundException
                || e instanceof roster.query.Cursors.InvalidCursorException || e instanceof DialectException
                || e instanceof roster.auth.RateLimits.Exceeded;
    }

    public HttpServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    private void logAccess(Context ctx) {
        Long start = ctx.attribute("roster.start");
        long nanos = start == null ? 0 : System.nanoTime() - start;
        String route = ctx.endpointHandlerPath();
        Timer.builder("http.server.requests").tag("method", ctx.method().name()).tag("route", route)
                .tag("status", String.valueOf(ctx.statusCode())).register(metrics).record(java.time.Duration.ofNanos(nanos));
        // the path only: query strings can carry access tokens (bizapi)
        MDC.put("request_id", RequestIds.of(ctx));
        try {
            access.info("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.statusCode(), nanos / 1_000_000);
        } finally {
            MDC.remove("request_id");
        }
    }

    @Override
    public void close() {
        app.stop();
    }

    /**
     * Jetty's own refusals, before any route or dialect sees the request (a malformed or ambiguous URI, headers
     * over the limit): one JSON body that every dialect's client can read, {"code", "msg", "message", "error"}.
     */
    private static final class JsonErrorHandler extends org.eclipse.jetty.server.handler.ErrorHandler {
        /** A request Jetty's parser cannot read at all (a malformed URI or header, headers over the limit). */
        @Override
        public java.nio.ByteBuffer badMessageError(int status, String reason, org.eclipse.jetty.http.HttpFields.Mutable fields) {
            fields.put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
            String text = reason == null ? "bad request" : reason;
            try {
                return java.nio.ByteBuffer.wrap(CanonicalJson.MAPPER.writeValueAsBytes(Map.of("code", status, "msg", text, "error", text, "message", text)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected void generateAcceptableResponse(org.eclipse.jetty.server.Request baseRequest, jakarta.servlet.http.HttpServletRequest request,
                                                  jakarta.servlet.http.HttpServletResponse response, int code, String message) throws java.io.IOException {
            baseRequest.setHandled(true);
            response.setContentType("application/json; charset=utf-8");
            String reason = message == null ? HttpStatus.forStatus(code).getMessage() : message;
            response.getWriter().write(CanonicalJson.MAPPER.writeValueAsString(Map.of("code", code, "msg", reason, "error", reason, "message", reason)));
        }
    }
}
