package roster.auth;

import java.time.Clock;
import roster.store.Database;

/**
 * The per-app request rate limit (ROSTER_RATE_LIMIT requests per second, 0 = off). The counter lives in the
 * database, one row per (app, one-second window) bumped by an atomic upsert, so that every process on one
 * database counts against the same limit. A fixed window is cheap (one single-row write per call) at the price
 * of letting up to twice the limit through across a window boundary. Each dialect calls {@link #check} where it
 * knows the calling app and answers {@link Exceeded} in its own envelope.
 */
public final class RateLimits {

    static final long WINDOW_MILLIS = 1000;
    /** Windows older than this are deleted when an app opens a new one; they can no longer count. */
    private static final long KEEP_MILLIS = 10_000;

    private final Database db;
    private final Clock clock;
    private final int perSecond;

    public RateLimits(Database db, Clock clock, int perSecond) {
        this.db = db;
        this.clock = clock;
        this.perSecond = perSecond;
    }

    /** Requests per second per app; 0 when there is no limit. */
    public int perSecond() {
        return perSecond;
    }

    /** Counts one call of the app; throws {@link Exceeded} when it is over the limit of the current window. */
    public void check(String appId) {
        if (perSecond <= 0 || appId == null) return;
        long window = Math.floorDiv(clock.millis(), WINDOW_MILLIS) * WINDOW_MILLIS;
        long count = db.write(h -> {
            long n = h.createQuery("INSERT INTO rate_windows (app_id, window_start, n) VALUES (?, ?, 1) "
                            + "ON CONFLICT (app_id, window_start) DO UPDATE SET n = rate_windows.n + 1 RETURNING n")
                    .bind(0, appId).bind(1, window).mapTo(Long.class).one();
            if (n == 1) {
                h.createUpdate("DELETE FROM rate_windows WHERE app_id = ? AND window_start < ?")
                        .bind(0, appId).bind(1, window - KEEP_MILLIS).execute();
            }
            return n;
        });
        if (count > perSecond) {
            long resetMillis = window + WINDOW_MILLIS - clock.millis();
            throw new Exceeded(perSecond, Math.max(1, (resetMillis + 999) / 1000));
        }
    }

    /** A call over the limit: the limit, and the whole seconds until the window that admits calls again. */
    public static final class Exceeded extends RuntimeException {
        public final int limit;
        public final long resetSeconds;

        Exceeded(int limit, long resetSeconds) {
            super("rate limit exceeded: at most " + limit + " requests per second per app");
            this.limit = limit;
            this.resetSeconds = resetSeconds;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // a refusal, not a failure: no stack to record
        }
    }
}
