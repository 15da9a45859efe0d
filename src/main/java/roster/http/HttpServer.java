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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import roster.config.ConfigError;
import roster.core.FrontEnd;
import roster.core.Services;
import roster.model.CanonicalJson;
import roster.model.Failure;

/**
 * The one HTTP server: every front end on HTTP on one port, plus health, readiness and metrics. Request ids,
 * access logs and the last-resort error answer live here; each front end maps errors under its paths.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final Logger access = LoggerFactory.getLogger("roster.access");
    /** Bodies larger than this are refused; a fixture for POST /admin/v1/load is streamed and has no limit. */
    public static final long MAX_BODY_BYTES = 10L * 1024 * 1024;
    /** The request line and headers together (Jetty's default is 8 KiB; long query parameters get past it). */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    private final Javalin app;
    private final List<FrontEnd.Started> started;
    /** Every route registered, "METHOD path", for the test that holds the API description against them. */
    private final List<String> routes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** HTTPS when the settings name a certificate and key; null for plain HTTP. */
    private final Tls tls;
    private String host;
    private int port;

    public HttpServer(Services services, List<FrontEnd> frontEnds) {
        var settings = services.settings();
        this.tls = settings.tls() ? new Tls(settings.tlsCert(), settings.tlsKey()) : null;
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
                http.setUriCompliance(WireRules.uriCompliance());
            });
            // slow or numerous clients: bounded connections and request slots, a floor on body rates (ClientLimits)
            config.jetty.threadPool = ClientLimits.threadPool();
            config.jetty.modifyServer(ClientLimits::limitConnections);
            config.jetty.modifyServletContextHandler(context -> {
                ClientLimits.limitRequests(context);
                WireRules.install(context);
            });
            config.jetty.addConnector((server, http) -> connector(server, http));
            // what Jetty refuses before any route sees it (a request line or headers over the limit, a malformed
            // request) is answered in JSON too, not Jetty's HTML page
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.events(events -> events.handlerAdded(meta -> {
                if (meta.getHttpMethod().isHttpMethod()) routes.add(meta.getHttpMethod() + " " + meta.getPath());
            }));
        });
        app.before(ctx -> {
            services.beginRequest();
            RequestIds.assign(ctx);
            ctx.attribute("roster.start", System.nanoTime());
            WireRules.checkPath(ctx.req().getRequestURI());
            if (ctx.contentLength() > MAX_BODY_BYTES && !ctx.path().equals("/admin/v1/load")) {
                throw new io.javalin.http.HttpResponseException(HttpStatus.CONTENT_TOO_LARGE.getCode(), "request body too large");
            }
            InputEncoding.check(ctx);
        });
        app.after(this::logAccess);
        app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        app.get("/readyz", ctx -> {
            boolean up = services.ready();
            if (!up) ctx.header("Retry-After", String.valueOf(Failure.Busy.RETRY_AFTER_SECONDS));
            ctx.status(up ? 200 : 503).json(Map.of("status", up ? "ready" : "database unavailable"));
        });
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
        started = frontEnds.stream().map(f -> f.start().apply(services)).toList();
        started.forEach(f -> f.register(app));
        // Javalin maps exceptions by type; Roster maps them by path, so each front end answers in its own envelope:
        // its own refusals as they are, everything else as one of the core's failures
        io.javalin.http.ExceptionHandler<Exception> answer = (e, ctx) -> {
            Exception refusal = e instanceof DialectException ? e : failure(e);
            if (refusal instanceof Failure.Internal internal && internal.fault() != null) {
                // described where it was caught (a database fault): no stack, no driver message with data in it
                log.error("internal error on {} {} (request {}): {}", ctx.method(), ctx.path(), RequestIds.of(ctx), internal.fault());
            } else if (refusal instanceof Failure.Internal) {
                log.error("unhandled error on {} {} (request {})", ctx.method(), ctx.path(), RequestIds.of(ctx), e);
            } else if (refusal instanceof Failure.Busy busy) {
                log.warn("database busy on {} {} (request {})", ctx.method(), ctx.path(), RequestIds.of(ctx));
                ctx.header("Retry-After", String.valueOf(busy.retryAfterSeconds()));
            }
            FrontEnd.Started owner = owner(started, ctx);
            if (owner != null) {
                owner.answer(refusal, ctx);
            } else {
                int status = refusal instanceof Failure.Refused r ? r.status() : refusal instanceof Failure.Busy ? 503 : 500;
                ctx.status(status).json(Map.of("error", status == 500 ? "internal error" : refusal.getMessage(), "request_id", RequestIds.of(ctx)));
            }
        };
        app.exception(Exception.class, answer);
        // Javalin answers its own HttpResponseException and ValidationException itself unless a handler names that class
        app.exception(io.javalin.http.HttpResponseException.class, answer::handle);
        app.exception(io.javalin.validation.ValidationException.class, answer::handle);
        // an unknown path under a front end's prefix still gets its envelope (Javalin's own answer to an
        // unmatched path is plain text; every front end answers in JSON)
        app.error(404, ctx -> {
            String type = ctx.res().getContentType();
            if (type != null && type.contains("json")) return;
            FrontEnd.Started owner = owner(started, ctx);
            if (owner != null) owner.answer(new Failure.Refused(404, "no such endpoint"), ctx);
            else ctx.json(Map.of("error", "not found", "request_id", RequestIds.of(ctx)));
        });
    }

    /** What Javalin's own refusals (no route, body too large, a parameter its validator refused) are in the core's terms. */
    private static Failure failure(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // a body that stopped arriving (too slow, past its deadline, the idle timeout, the client gone)
            if (t instanceof ClientLimits.SlowBody || t instanceof org.eclipse.jetty.io.EofException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return new Failure.Refused(408, t instanceof ClientLimits.SlowBody ? t.getMessage() : "the request body did not arrive");
            }
        }
        if (e instanceof io.javalin.http.HttpResponseException h) return new Failure.Refused(h.getStatus(), h.getMessage());
        if (e instanceof io.javalin.validation.ValidationException v && !v.getErrors().isEmpty()) {
            var first = v.getErrors().entrySet().iterator().next();
            String message = first.getValue().isEmpty() ? "is invalid" : first.getValue().get(0).getMessage();
            return new Failure.InvalidInput(first.getKey(), message.equals("TYPE_CONVERSION_FAILED") ? "must be an integer" : message);
        }
        return Failure.of(e);
    }

    private static FrontEnd.Started owner(List<FrontEnd.Started> frontEnds, Context ctx) {
        return frontEnds.stream().filter(f -> f.paths().stream().anyMatch(ctx.path()::startsWith)).findFirst().orElse(null);
    }

    public HttpServer start(String host, int port) {
        // asked first, plainly: once Jetty fails to bind, its graceful stop hides the reason under a stack trace
        checkCanListen(host, port);
        this.host = host;
        this.port = port;
        app.start(host, port);
        return this;
    }

    /** Whether a server could listen on host:port now; a person's mistake (port taken, no such address) if not. */
    public static void checkCanListen(String host, int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName(host), port));
        } catch (java.net.BindException e) {
            if (String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("in use")) {
                throw new ConfigError("ROSTER_PORT", "port " + port + " on " + host + " is already in use (a Roster already running, or "
                        + "another program): stop it, or choose another port with ROSTER_PORT (--port; 0 picks a free one)");
            }
            throw new ConfigError(port < 1024 ? "ROSTER_PORT" : "ROSTER_HOST", "cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "): give an address of this machine and a port this user may open");
        } catch (java.net.UnknownHostException e) {
            throw new ConfigError("ROSTER_HOST", "'" + host + "' is not an address of this machine: use 127.0.0.1, 0.0.0.0 or one of its addresses");
        } catch (java.io.IOException e) {
            throw new ConfigError("ROSTER_HOST", "cannot listen on " + host + ":" + port + ": give an address of this machine");
        }
    }

    /** "http" or "https", for the ready line. */
    public String scheme() {
        return tls == null ? "http" : "https";
    }

    /** The one listening connector: plain HTTP, or HTTPS with the reloading certificate of {@link Tls}. */
    private org.eclipse.jetty.server.ServerConnector connector(org.eclipse.jetty.server.Server server, org.eclipse.jetty.server.HttpConfiguration http) {
        org.eclipse.jetty.server.ServerConnector connector;
        if (tls == null) {
            connector = new org.eclipse.jetty.server.ServerConnector(server, new org.eclipse.jetty.server.HttpConnectionFactory(http));
        } else {
            var https = new org.eclipse.jetty.server.HttpConfiguration(http);
            var secure = new org.eclipse.jetty.server.SecureRequestCustomizer();
            secure.setSniHostCheck(false); // clients reach one server by several names and addresses
            https.addCustomizer(secure);
            connector = new org.eclipse.jetty.server.ServerConnector(server,
                    new org.eclipse.jetty.server.SslConnectionFactory(tls.factory, "http/1.1"),
                    new org.eclipse.jetty.server.HttpConnectionFactory(https));
        }
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(ClientLimits.IDLE_TIMEOUT_MS);
        return connector;
    }

    public int port() {
        return app.port();
    }

    /** The running front ends (for the ready lines of those that listen on ports of their own). */
    public List<FrontEnd.Started> frontEnds() {
        return started;
    }

    public List<String> routes() {
        return List.copyOf(routes);
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
        if (tls != null) tls.close();
        started.forEach(FrontEnd.Started::close);
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
            fields.put("X-Content-Type-Options", "nosniff");
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
