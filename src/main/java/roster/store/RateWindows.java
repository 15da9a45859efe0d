package roster.store;

/**
 * Per-app request counters of the rate limit: one row per (app, window), bumped by an atomic upsert, so that
 * every process on one database counts against the same limit.
 */
public final class RateWindows {

    private RateWindows() {}

    /** Counts one call in the window and returns the window's count; windows older than keepAfter are deleted. */
    public static long bump(Tx tx, String appId, long window, long keepAfter) {
        long n = tx.h.createQuery("INSERT INTO rate_windows (app_id, window_start, n) VALUES (?, ?, 1) "
                        + "ON CONFLICT (app_id, window_start) DO UPDATE SET n = rate_windows.n + 1 RETURNING n")
                .bind(0, appId).bind(1, window).mapTo(Long.class).one();
        if (n == 1) {
            tx.h.createUpdate("DELETE FROM rate_windows WHERE app_id = ? AND window_start < ?").bind(0, appId).bind(1, keepAfter).execute();
        }
        return n;
    }

    /** The count of a key's window, without counting (0 when it has none). */
    public static long count(Tx tx, String key, long window) {
        return tx.h.createQuery("SELECT n FROM rate_windows WHERE app_id = ? AND window_start = ?")
                .bind(0, key).bind(1, window).mapTo(Long.class).findOne().orElse(0L);
    }
}
