package roster.query;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import roster.model.Failure;

/**
 * A fair share of the read connections between apps. Every user list, count and lookup takes one of a fixed number
 * of reader slots (as many as the pool has readers), and no app may hold more than half of them: an app that sends
 * many heavy queries at once queues behind its own, while another app's calls still find a free reader. The app is
 * the caller the request was admitted as (set by the caller check, on the request's thread); calls without one
 * (the admin API) take slots from the common pool only.
 */
public final class ReadShares {

    /** How long a read waits for a slot before it is answered busy (503, retry). */
    static final long WAIT_SECONDS = 20;
    private static final ThreadLocal<String> CALLER = new ThreadLocal<>();

    private final Semaphore slots;
    private final int perApp;
    private final Map<String, Semaphore> apps = new ConcurrentHashMap<>();

    public ReadShares(int readers) {
        this.slots = new Semaphore(readers, true);
        this.perApp = Math.max(1, readers / 2);
    }

    /** The app the current request's reads are counted against, until the next request on this thread. */
    public static void actFor(String appId) {
        CALLER.set(appId);
    }

    /** Forgets the caller of the previous request on this thread (the server's threads are pooled). */
    public static void forget() {
        CALLER.remove();
    }

    /** Runs one read in a slot of the common pool, and in one of its app's share when a caller is known. */
    public <T> T run(Supplier<T> read) {
        String app = CALLER.get();
        Semaphore share = app == null ? null : apps.computeIfAbsent(app, a -> new Semaphore(perApp, true));
        acquire(share);
        try {
            acquire(slots);
            try {
                return read.get();
            } finally {
                slots.release();
            }
        } finally {
            if (share != null) share.release();
        }
    }

    private static void acquire(Semaphore semaphore) {
        if (semaphore == null) return;
        try {
            if (!semaphore.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new Failure.Busy("too many reads at once; retry shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure.Busy("interrupted while waiting for a reader");
        }
    }
}
