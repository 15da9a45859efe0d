package roster.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import roster.store.Database;
import roster.store.Nonces;

/**
 * Refuses a signed request seen before: its nonce is kept in the database until the request's date can no longer
 * pass the clock-skew check, so a replay fails on every process of the service.
 */
public final class Replays {

    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    private final Database db;
    private final Clock clock;
    private final AtomicLong lastPrune = new AtomicLong();

    public Replays(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** True the first time an app presents the nonce; false for a replay. */
    public boolean firstUse(String appId, String nonce, Instant keepUntil) {
        long now = clock.millis();
        boolean prune = now - lastPrune.get() > PRUNE_EVERY.toMillis() && lastPrune.getAndSet(now) != now;
        return db.write(tx -> Nonces.remember(tx, appId, nonce, keepUntil.toEpochMilli(), prune, now));
    }
}
