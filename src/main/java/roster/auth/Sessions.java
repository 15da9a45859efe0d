package roster.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import roster.crypto.Keys;
import roster.store.ConsoleSessions;
import roster.model.Failure;
import roster.store.Database;
import roster.store.RateWindows;

/**
 * Sign-in sessions of people (the admin console). A session lives in the database, so any process of one service
 * answers a cookie another issued; the cookie's token is random and only its hash is stored. A session ends when
 * signed out or after being idle for {@link #IDLE}; each carries its CSRF token and the name its writes are
 * recorded under.
 */
public final class Sessions {

    public static final Duration IDLE = Duration.ofMinutes(30);
    /** last_seen is written at most this often: a page view is a read, not a write per request. */
    private static final long TOUCH_EVERY_MILLIS = 60_000;

    /** Wrong admin tokens allowed per client address and minute: the token cannot be guessed at line speed. */
    public static final int FAILED_SIGN_INS_PER_MINUTE = 10;
    private static final long SIGN_IN_WINDOW_MILLIS = 60_000;

    private final Database db;
    private final Clock clock;

    public Sessions(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A session: token is what the cookie holds (null when read back: it is never stored). */
    public record Session(String token, String csrf, String actor) {}

    public Session open(String actor) {
        String token = Keys.randomToken(32);
        String csrf = Keys.randomToken(24);
        long now = clock.millis();
        db.useWrite(tx -> {
            ConsoleSessions.deleteIdleSince(tx, now - IDLE.toMillis());
            ConsoleSessions.insert(tx, new ConsoleSessions.Row(Keys.sha256Hex(token), csrf, actor, now, now));
        });
        return new Session(token, csrf, actor);
    }

    /** The live session of a cookie's token; an idle one is gone. */
    public Optional<Session> find(String token) {
        if (token == null || token.isEmpty() || token.length() > 256) return Optional.empty();
        String hash = Keys.sha256Hex(token);
        Optional<ConsoleSessions.Row> row = db.read(tx -> ConsoleSessions.byHash(tx, hash));
        if (row.isEmpty()) return Optional.empty();
        long now = clock.millis();
        if (now - row.get().lastSeen() > IDLE.toMillis()) {
            db.useWrite(tx -> ConsoleSessions.delete(tx, hash));
            return Optional.empty();
        }
        if (now - row.get().lastSeen() > TOUCH_EVERY_MILLIS) db.useWrite(tx -> ConsoleSessions.touch(tx, hash, now));
        return Optional.of(new Session(token, row.get().csrf(), row.get().actor()));
    }

    public void close(String token) {
        if (token == null || token.isEmpty()) return;
        db.useWrite(tx -> ConsoleSessions.delete(tx, Keys.sha256Hex(token)));
    }

    /**
     * Refuses a sign-in from an address that gave a wrong token too often this minute, before the token is looked
     * at. The count lives in the rate limit's table (every process of one service counts together); only failures
     * count, so people signing in behind one address are not locked out by each other's successes.
     */
    public void checkSignIn(String address) {
        long now = clock.millis();
        long window = Math.floorDiv(now, SIGN_IN_WINDOW_MILLIS) * SIGN_IN_WINDOW_MILLIS;
        long failed = db.read(tx -> RateWindows.count(tx, signInKey(address), window));
        if (failed >= FAILED_SIGN_INS_PER_MINUTE) {
            throw new Failure.RateLimited(FAILED_SIGN_INS_PER_MINUTE, Math.max(1, (window + SIGN_IN_WINDOW_MILLIS - now + 999) / 1000));
        }
    }

    public void failedSignIn(String address) {
        long window = Math.floorDiv(clock.millis(), SIGN_IN_WINDOW_MILLIS) * SIGN_IN_WINDOW_MILLIS;
        db.useWrite(tx -> RateWindows.bump(tx, signInKey(address), window, window - SIGN_IN_WINDOW_MILLIS));
    }

    /** A key no app id can be: app ids hold no spaces. */
    private static String signInKey(String address) {
        return "console sign-in " + address;
    }
}
