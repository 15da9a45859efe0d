package roster.auth;

import java.time.Clock;
import roster.model.Failure;
import roster.store.Database;
import roster.store.RateWindows;

/**
 * The per-app request rate limit (ROSTER_RATE_LIMIT requests per second, 0 = off). The counter lives in the
 * database, one row per (app, one-second window), so that every process on one database counts against the same
 * limit. A fixed window is cheap (one single-row write per call) at the price of letting up to twice the limit
 * through across a window boundary. {@link Callers} counts each call where it knows the calling app.
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

    /** Counts one call of the app; refuses it with {@link Failure.RateLimited} when it is over the current window's limit. */
    public void check(String appId) {
        if (perSecond <= 0 || appId == null) return;
        long window = Math.floorDiv(clock.millis(), WINDOW_MILLIS) * WINDOW_MILLIS;
        long count = db.write(tx -> RateWindows.bump(tx, appId, window, window - KEEP_MILLIS));
        if (count > perSecond) {
            long resetMillis = window + WINDOW_MILLIS - clock.millis();
            throw new Failure.RateLimited(perSecond, Math.max(1, (resetMillis + 999) / 1000));
        }
    }
}
