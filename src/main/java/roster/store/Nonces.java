package roster.store;

/**
 * Nonces of signed requests, kept until the request's date can no longer pass the clock-skew check: a replayed
 * request is refused on every process of the service. Any front end that verifies signed requests uses it.
 */
public final class Nonces {

    private Nonces() {}

    /** Records the app's nonce; false when it was seen before (a replay). Expired nonces go first when prune is set. */
    public static boolean remember(Tx tx, String appId, String nonce, long keepUntil, boolean prune, long now) {
        if (prune) tx.h.createUpdate("DELETE FROM request_nonces WHERE expires_at < ?").bind(0, now).execute();
        return tx.h.createUpdate("INSERT INTO request_nonces (app_id, nonce, expires_at) VALUES (?, ?, ?) "
                        + "ON CONFLICT (app_id, nonce) DO NOTHING")
                .bind(0, appId).bind(1, nonce).bind(2, keepUntil).execute() == 1;
    }
}
