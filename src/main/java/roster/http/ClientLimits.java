package roster.http;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;

/**
 * What keeps slow or numerous clients from holding the server. Jetty reads headers without a thread, so a
 * client that sends its headers slowly costs a connection, and connections are bounded (when the bound is
 * reached, idle ones are closed after a second). A thread is taken once a request is dispatched, and a body is
 * read on that thread: so requests run in a bounded number of slots (a bounded number more wait a little,
 * the rest are answered 503 at once), and a body must arrive at a minimum rate and within a deadline, measured over the
 * time the handler is actually blocked waiting for it (time spent working on what arrived does not count).
 * Health, readiness and metrics bypass the slots, so they answer while slots are full.
 */
final class ClientLimits {

    /** Open connections at most; beyond it Jetty stops accepting until some close. */
    static final int MAX_CONNECTIONS = 1000;
    /** When MAX_CONNECTIONS is reached, connections idle this long are closed to make room. */
    static final long IDLE_AT_LIMIT_MS = 1_000;
    /** A connection with nothing to read or write for this long is closed. */
    static final long IDLE_TIMEOUT_MS = 20_000;
    /** Requests handled at once (the database serves a few at a time anyway: 5 connections on SQLite, 10 on PostgreSQL). */
    static final int REQUEST_SLOTS = 32;
    /** Requests waiting for a slot at most; any more are answered 503 at once. */
    static final int WAITING = 64;
    /** Jetty's threads at most (Javalin's default is 250): the slots, the waiting, and room for health checks. */
    static final int MAX_THREADS = REQUEST_SLOTS + WAITING + 32;
    /** How long a request waits for a slot before it is answered 503. */
    static final long SLOT_WAIT_MS = 5_000;
    /** The slowest body accepted, in bytes per second of time blocked reading it... */
    static final long MIN_BODY_BYTES_PER_SECOND = 1024;
    /** ...once the reader has been blocked this long (small bodies arrive in one go and are never judged). */
    static final long BODY_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Time blocked reading one body, at most; a multipart upload (read by Jetty itself) gets this in all. */
    static final long BODY_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** The paths that must answer while every slot is taken. */
    private static final Set<String> UNLIMITED = Set.of("/healthz", "/readyz", "/metrics");

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "roster-body-deadline");
        t.setDaemon(true);
        return t;
    });

    private ClientLimits() {}

    /** The server's thread pool, bounded. */
    static org.eclipse.jetty.util.thread.QueuedThreadPool threadPool() {
        var pool = new org.eclipse.jetty.util.thread.QueuedThreadPool(MAX_THREADS, 8, 60_000);
        pool.setName("JettyServerThreadPool");
        return pool;
    }

    /** Bounds the server's connections. */
    static void limitConnections(Server server) {
        ConnectionLimit limit = new ConnectionLimit(MAX_CONNECTIONS, server);
        limit.setIdleTimeout(IDLE_AT_LIMIT_MS);
        server.addBean(limit);
    }

    /** Adds the request slots and the body rate floor in front of every route. */
    static void limitRequests(ServletContextHandler context) {
        context.addFilter(new FilterHolder(new Slots()), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(new FilterHolder(new BodyRate()), "/*", EnumSet.of(DispatcherType.REQUEST));
    }

    /**
     * At most REQUEST_SLOTS requests in the handlers, and at most WAITING more waiting for a slot (each for up
     * to SLOT_WAIT_MS); any beyond is answered 503 with Retry-After at once. Threads are thus bounded by REQUEST_SLOTS +
     * WAITING, whatever the clients do. (Jetty's QoSFilter suspends waiting requests instead, but Javalin does not
     * run a request resumed by an async dispatch.) Health, readiness and metrics take no slot.
     */
    static final class Slots implements Filter {
        private final java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(REQUEST_SLOTS, true);
        private final java.util.concurrent.Semaphore waiters = new java.util.concurrent.Semaphore(WAITING);

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
            if (UNLIMITED.contains(((HttpServletRequest) request).getRequestURI())) {
                chain.doFilter(request, response);
                return;
            }
            if (!acquire()) {
                var http = (jakarta.servlet.http.HttpServletResponse) response;
                http.setHeader("Retry-After", "2");
                http.sendError(503, "the server is busy with other requests; retry shortly");
                return;
            }
            try {
                chain.doFilter(request, response);
            } finally {
                slots.release();
            }
        }

        private boolean acquire() {
            if (slots.tryAcquire()) return true;
            if (!waiters.tryAcquire()) return false;
            try {
                return slots.tryAcquire(SLOT_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                waiters.release();
            }
        }
    }

    /** A body that arrives slower than the floor, or past the deadline: answered 408, the connection closed. */
    static final class SlowBody extends IOException {
        SlowBody(String message) {
            super(message);
        }
    }

    /**
     * Wraps every request's body in a meter of the time blocked reading it. A multipart body is parsed by Jetty
     * from its own stream, which no wrapper sees: it gets the deadline alone, enforced by closing the connection.
     */
    static final class BodyRate implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
            HttpServletRequest http = (HttpServletRequest) request;
            String type = http.getContentType();
            if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")) {
                var base = org.eclipse.jetty.server.Request.getBaseRequest(request);
                var endPoint = base == null ? null : base.getHttpChannel().getEndPoint();
                var deadline = endPoint == null ? null
                        : WATCHDOG.schedule((Runnable) endPoint::close, BODY_DEADLINE_NANOS, TimeUnit.NANOSECONDS);
                try {
                    chain.doFilter(request, response);
                } finally {
                    if (deadline != null) deadline.cancel(false);
                }
                return;
            }
            chain.doFilter(new HttpServletRequestWrapper(http) {
                private ServletInputStream metered;

                @Override
                public ServletInputStream getInputStream() throws IOException {
                    if (metered == null) metered = new MeteredInput(super.getInputStream());
                    return metered;
                }
            }, response);
        }
    }

    /** Counts the bytes read and the nanoseconds spent blocked in read; refuses a body below the floor. */
    static final class MeteredInput extends ServletInputStream {
        private final ServletInputStream in;
        private long bytes;
        private long blockedNanos;

        MeteredInput(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            long start = System.nanoTime();
            int b = in.read();
            account(start, b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            long start = System.nanoTime();
            int n = in.read(buffer, offset, length);
            account(start, Math.max(n, 0));
            return n;
        }

        private void account(long start, int n) throws SlowBody {
            blockedNanos += System.nanoTime() - start;
            bytes += n;
            if (blockedNanos > BODY_DEADLINE_NANOS) throw new SlowBody("the request body did not arrive in time");
            if (blockedNanos > BODY_GRACE_NANOS && bytes * 1_000_000_000L < MIN_BODY_BYTES_PER_SECOND * blockedNanos) {
                throw new SlowBody("the request body arrives too slowly (under " + MIN_BODY_BYTES_PER_SECOND + " bytes per second)");
            }
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
