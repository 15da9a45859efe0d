package roster.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roster.config.Settings.WebhookSettings;
import roster.crypto.Keys;
import roster.directory.Subscriptions;
import roster.directory.Subscriptions.Active;
import roster.directory.Subscriptions.Change;
import roster.model.App;
import roster.model.TenantApp;
import roster.model.User;
import roster.model.Webhook;

/**
 * Delivers every subscription from the change feed. A poller looks for subscriptions with work (changes past
 * their position, a URL to verify) that no other node holds, takes each one's lease in the database and hands it
 * to a thread of its own, so that a slow consumer only slows its own subscription. That thread reads the changes a
 * block at a time and sends them one at a time in sequence order over a kept-alive connection; after 2xx answers it
 * saves the position, the log rows and the lease in one transaction per block (at least once: a node killed after
 * sending and before saving sends those events again, under the same ids). A failure (timeout, connection error,
 * non-2xx, a redirect: none is followed) lets the lease go and sets the next attempt after an exponential backoff
 * with jitter; failing for pauseAfter pauses the subscription. No transaction is open while a consumer is called.
 * A commit that wrote to the change feed wakes the poller and the running threads, so delivery does not wait for
 * the next poll; the poll remains for changes committed by other nodes and for retries that come due.
 */
final class Deliverer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Deliverer.class);
    private static final int BATCH = 100;
    private static final int EXCERPT = 512;

    private final Subscriptions subscriptions;
    private final WebhookSettings settings;
    private final FeishuFormat feishu;
    private final Clock clock;
    /** This process, as lease holder; a restarted process is a new node and waits for its old leases to expire. */
    private final String node = UUID.randomUUID().toString();
    private final CloseableHttpClient http;
    private final Thread poller;
    private final ExecutorService workers;
    /** Counts the commits that changed the change feed; threads wait on it for the next one. */
    private final Object signal = new Object();
    private long wakes;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    Deliverer(Subscriptions subscriptions, WebhookSettings settings, FeishuFormat feishu, Clock clock) {
        this.subscriptions = subscriptions;
        this.settings = settings;
        this.feishu = feishu;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> daemon(r, "roster-webhook-" + n.incrementAndGet()));
        this.http = client(settings);
        this.poller = daemon(this::pollLoop, "roster-webhook-poller");
        subscriptions.onChange(this::wake);
    }

    /**
     * Apache HttpClient, blocking on the subscription's own thread, with kept-alive connections. Its resolver
     * ({@link Targets.CheckedDns}) resolves a name once per connection and refuses private addresses, so the
     * address connected to is the address checked (no DNS rebinding between a check and the connect).
     */
    private static CloseableHttpClient client(WebhookSettings settings) {
        Timeout timeout = Timeout.ofMilliseconds(settings.timeoutMillis());
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new Targets.CheckedDns(settings.allowPrivate()))
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                .setMaxConnTotal(1000).setMaxConnPerRoute(100) // a thread uses one connection at a time
                .build();
        return HttpClients.custom().setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom().setRedirectsEnabled(false).setResponseTimeout(timeout)
                        .setConnectionRequestTimeout(timeout).build())
                .disableAutomaticRetries().disableCookieManagement().disableAuthCaching().disableContentCompression()
                .setUserAgent("Roster-Webhooks").build();
    }

    private void wake() {
        synchronized (signal) {
            wakes++;
            signal.notifyAll();
        }
    }

    private long wakes() {
        synchronized (signal) {
            return wakes;
        }
    }

    /** Waits up to millis for a commit after the one counted as seen; true when one came. */
    private boolean awaitWake(long seen, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (signal) {
            while (wakes == seen && !closed) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) return false;
                try {
                    signal.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return wakes != seen;
        }
    }

    /** Polls every pollMillis, and at once (a few milliseconds later, so that a burst of commits costs one poll) after a commit. */
    private void pollLoop() {
        while (!closed) {
            long seen = wakes();
            poll();
            awaitWake(seen, settings.pollMillis());
            try {
                Thread.sleep(POLL_GAP_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static final long POLL_GAP_MILLIS = 10;

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    Deliverer start() {
        log.info("webhook deliverer started as node {}", node); // the lease holder's name in the webhooks table
        poller.start();
        return this;
    }

    private void poll() {
        try {
            for (Subscriptions.Due due : subscriptions.due(node, 100)) {
                String key = due.tenantId() + "/" + due.id();
                if (closed || !running.add(key)) continue;
                workers.execute(() -> {
                    try {
                        run(due);
                    } catch (RuntimeException e) {
                        log.warn("webhook {} of tenant {}: delivery stopped: {}", due.id(), due.tenantId(), e.toString());
                        try {
                            subscriptions.release(due.tenantId(), due.id(), node);
                        } catch (RuntimeException ignored) {
                            // the lease expires by itself
                        }
                    } finally {
                        running.remove(key);
                    }
                });
            }
        } catch (RuntimeException e) {
            if (!closed) log.warn("webhook poll failed: {}", e.toString());
        }
    }

    /** Delivers one subscription until it has nothing left, fails, loses its lease or the server stops. */
    private void run(Subscriptions.Due due) {
        Optional<Active> claimed = subscriptions.claim(due.tenantId(), due.id(), node, settings.leaseMillis());
        if (claimed.isEmpty()) return;
        Active active = claimed.get();
        Webhook w = active.webhook();
        Feishu app = w.format() == Webhook.Format.FEISHU ? feishuApp(active) : null;
        if (w.format() == Webhook.Format.FEISHU && app == null) {
            failed(active, null, new Attempt(0, 0, null, "the app " + w.app() + " no longer exists"));
            return;
        }
        if (active.verifyPending()) {
            String challenge = Keys.randomToken(16);
            var wire = FeishuFormat.wire(FeishuFormat.challenge(challenge, app.keys()), app.keys(), clock.instant().getEpochSecond());
            Message m = new Message("url_verification", "url_verification", w.position(), wire.getKey(), wire.getValue());
            Attempt a = send(w.url(), m);
            if (a.ok() && !a.answer().contains(challenge)) a = new Attempt(a.status(), a.latencyMs(), a.answer(), "the answer does not echo the challenge");
            if (!a.ok()) {
                failed(active, m, a);
                return;
            }
            subscriptions.verified(active.tenantId(), w.id(), node, delivery(m, a));
        }
        // the position and the log are saved once per block (BATCH events, or FLUSH_MILLIS), not after each event:
        // a write per event cost more than the request itself; a node killed in between sends those events again
        Progress progress = new Progress(active, w.position());
        boolean feishuFormat = w.format() == Webhook.Format.FEISHU;
        long idleSince = -1;
        while (!closed) {
            long seen = wakes(); // before the read: a commit after it wakes the wait below
            List<Change> changes = subscriptions.changes(active.tenantId(), progress.passed, BATCH, feishuFormat);
            if (changes.isEmpty()) {
                // caught up: save within FLUSH_MILLIS, so that a trickle of changes costs a write per FLUSH_MILLIS
                // and not one per change (each waits its turn for SQLite's one writer)
                long untilFlush = progress.savedAt + FLUSH_MILLIS - clock.millis();
                if (progress.unsaved() && untilFlush > 0 && awaitWake(seen, untilFlush)) continue;
                if (!progress.flush()) return;
                // keep the lease up to pollMillis: the next commit is delivered at once, without a poll and a new claim
                // (commits of other tenants wake it too, so the time counts from when it ran out of work)
                long now = clock.millis();
                if (idleSince < 0) idleSince = now;
                long left = settings.pollMillis() - (now - idleSince);
                if (left > 0 && awaitWake(seen, left)) continue;
                break;
            }
            idleSince = -1;
            for (Change c : changes) {
                Message m = message(active, app, c);
                if (m == null) {
                    progress.passed = c.sequence();
                    continue;
                }
                if (clock.millis() + settings.timeoutMillis() * 2 > progress.leaseUntil) { // renew before a slow answer could outlive it
                    if (!progress.flush()) return;
                    if (subscriptions.claim(active.tenantId(), w.id(), node, settings.leaseMillis()).isEmpty()) return;
                    progress.leaseUntil = clock.millis() + settings.leaseMillis();
                }
                Attempt a = send(w.url(), m);
                if (!a.ok() && closed) break; // cut off by the server stopping: not the consumer's failure
                if (!a.ok()) {
                    if (progress.flush()) failed(active, m, a);
                    return;
                }
                progress.delivered(c.sequence(), delivery(m, a));
                if (progress.due() && !progress.flush()) return;
                if (closed) break;
            }
            if (changes.size() == BATCH && !progress.flush()) return; // a whole block delivered: its position and log in one transaction
        }
        if (progress.flush()) subscriptions.release(active.tenantId(), w.id(), node);
    }

    private static final long FLUSH_MILLIS = 200;

    /** What a run delivered (or passed over) since the position was last saved. */
    private final class Progress {
        final Active active;
        long saved;
        long passed;
        long leaseUntil;
        long savedAt = clock.millis();
        final List<Webhook.Delivery> log = new java.util.ArrayList<>();

        Progress(Active active, long position) {
            this.active = active;
            this.saved = this.passed = position;
            this.leaseUntil = clock.millis() + settings.leaseMillis();
        }

        void delivered(long sequence, Webhook.Delivery d) {
            passed = sequence;
            log.add(d);
        }

        boolean unsaved() {
            return passed != saved || !log.isEmpty();
        }

        boolean due() {
            return clock.millis() - savedAt >= FLUSH_MILLIS;
        }

        /** Saves the position (and renews the lease); false when the lease was lost or the subscription paused (the lease let go). */
        boolean flush() {
            if (passed == saved && log.isEmpty()) return true;
            if (!subscriptions.advance(active.tenantId(), active.webhook().id(), node, passed, settings.leaseMillis(), log)) {
                subscriptions.release(active.tenantId(), active.webhook().id(), node); // a no-op when another node holds it
                return false;
            }
            saved = passed;
            savedAt = clock.millis();
            leaseUntil = savedAt + settings.leaseMillis();
            log.clear();
            return true;
        }
    }

    /** A feishu subscription's app (its ids, visibility) and event keys. */
    private record Feishu(TenantApp app, App.EventKeys keys) {}

    private Feishu feishuApp(Active active) {
        return subscriptions.app(active.webhook().app()).filter(a -> a.tenantId().equals(active.tenantId()))
                .map(a -> new Feishu(a, subscriptions.eventKeys(a.app().id()))).orElse(null);
    }

    /** The request for a change, or null when this subscription does not want it. */
    private Message message(Active active, Feishu app, Change c) {
        Webhook w = active.webhook();
        String eventId = eventId(active.tenantId(), w.id(), c.sequence());
        long now = clock.instant().getEpochSecond();
        if (w.format() == Webhook.Format.STANDARD) {
            String type = StandardFormat.type(c);
            if (!w.events().contains(type)) return null;
            String msgId = "msg_" + eventId;
            byte[] body = StandardFormat.body(active.tenantId(), c);
            return new Message(msgId, type, c.sequence(), body, StandardFormat.headers(msgId, now, body, active.secrets()));
        }
        // feishu: acs.user.updated_v1 for changes of the card or the face, of users the app can see
        if (c.deleted() || !c.acsTouched() || !w.events().contains(c.created() ? "user.created" : "user.updated")) return null;
        User user = c.user() != null ? c.user() : subscriptions.current(active.tenantId(), c.userId()).orElse(null);
        if (user == null || !subscriptions.visible(active.tenantId(), app.app().app(), c.userId())) return null;
        byte[] plain = feishu.event(app.app(), user, app.keys(), eventId, c.changedAt().toEpochMilli());
        var wire = FeishuFormat.wire(plain, app.keys(), now);
        return new Message(eventId, FeishuFormat.EVENT_TYPE, c.sequence(), wire.getKey(), wire.getValue());
    }

    /** The same id for every attempt of one change to one subscription, so that a consumer can drop repeats. */
    static String eventId(String tenantId, String webhookId, long sequence) {
        byte[] digest = Keys.sha256((tenantId + "\u0000" + webhookId + "\u0000" + sequence).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    private record Attempt(int status, long latencyMs, String answer, String error) {
        boolean ok() {
            return error == null && status >= 200 && status < 300;
        }
    }

    private Attempt send(String url, Message m) {
        HttpPost post = new HttpPost(url);
        m.headers().forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(m.body(), null)); // its Content-Type is among the headers
        long start = System.nanoTime();
        try {
            ClassicHttpResponse response = http.executeOpen(null, post, null);
            int status = response.getCode();
            String answer;
            try {
                answer = excerpt(response.getEntity(), post);
            } finally {
                try {
                    response.close();
                } catch (IOException ignored) {
                    // the answer was read; a connection that fails to close is dropped
                }
            }
            long latency = (System.nanoTime() - start) / 1_000_000;
            return new Attempt(status, latency, answer, status >= 200 && status < 300 ? null : "HTTP " + status
                    + (status >= 300 && status < 400 ? " (redirects are not followed)" : ""));
        } catch (Targets.Refused e) {
            return new Attempt(0, 0, null, "target refused: " + e.getMessage());
        } catch (UnknownHostException e) {
            return new Attempt(0, (System.nanoTime() - start) / 1_000_000, null, "target refused: its host cannot be resolved");
        } catch (SocketTimeoutException e) {
            return new Attempt(0, (System.nanoTime() - start) / 1_000_000, null, "timeout after " + settings.timeoutMillis() + " ms");
        } catch (ConnectException e) {
            return new Attempt(0, (System.nanoTime() - start) / 1_000_000, null, "connection refused");
        } catch (IOException e) {
            return new Attempt(0, (System.nanoTime() - start) / 1_000_000, null,
                    closed ? "interrupted: the server is stopping" : "connection error: " + e.getClass().getSimpleName());
        }
    }

    private static final long DRAIN = 64 * 1024;

    /** The answer's first EXCERPT bytes; the rest is read to keep the connection, unless it is long: then the connection is dropped. */
    private static String excerpt(HttpEntity entity, HttpPost post) throws IOException {
        if (entity == null) return "";
        InputStream in = entity.getContent();
        String answer = new String(in.readNBytes(EXCERPT), StandardCharsets.UTF_8);
        for (long skipped = 0; skipped < DRAIN; ) {
            long n = in.skip(DRAIN - skipped);
            if (n <= 0) {
                if (in.read() < 0) return answer; // at the end: the connection goes back to the pool
                n = 1;
            }
            skipped += n;
        }
        post.cancel();
        return answer;
    }

    private Webhook.Delivery delivery(Message m, Attempt a) {
        return new Webhook.Delivery(0, m.eventId(), m.eventType(), m.sequence(), clock.instant(), a.status(), a.latencyMs(),
                a.answer(), a.error());
    }

    private void failed(Active active, Message m, Attempt a) {
        Webhook w = active.webhook();
        long delay = backoff(active.attempts());
        log.warn("webhook {} of tenant {}: {}; next attempt in {} ms", w.id(), active.tenantId(), a.error(), delay);
        Message logged = m != null ? m : new Message("-", "-", w.position(), new byte[0], Map.of());
        subscriptions.failed(active.tenantId(), w.id(), node, clock.millis() + delay, delivery(logged, a), settings.pauseAfterMillis());
    }

    /** Exponential backoff with jitter: base·2^attempts capped at max, then a random point in its upper half. */
    long backoff(int attempts) {
        long ceiling = settings.retryBaseMillis() << Math.min(attempts, 30);
        if (ceiling <= 0 || ceiling > settings.retryMaxMillis()) ceiling = settings.retryMaxMillis();
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    @Override
    public void close() {
        closed = true;
        wake();
        poller.interrupt();
        workers.shutdownNow();
        http.close(CloseMode.IMMEDIATE); // cuts off requests under way: blocking I/O does not heed an interrupt
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
