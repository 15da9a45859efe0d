package roster.auth;

import java.util.Optional;
import roster.crypto.Keys;
import roster.crypto.SecretBox;
import roster.model.Failure;
import roster.model.TenantApp;
import roster.store.Apps;
import roster.store.Database;

/**
 * Apps as callers: looked up by id, checked by their secret (token endpoints) or by a signature made with it.
 *
 * <p>App ids cannot be probed: an unknown id is checked against a decoy secret with the same work as a known one
 * (the same two reads, one secret opened, one comparison), and every front end answers it as it answers a wrong
 * secret or signature.
 */
public final class AppCredentials {

    private static final String DECOY_ID = "roster-decoy-app";

    private final Database db;
    private final SecretBox secrets;
    private final String decoySealed;

    public AppCredentials(Database db, SecretBox secrets) {
        this.db = db;
        this.secrets = secrets;
        this.decoySealed = secrets.seal(DECOY_ID, Keys.randomToken(32));
    }

    /** An app (if the id is known) with the secret to check a caller against: the app's, or a decoy's. */
    public record Keyed(Optional<TenantApp> app, String secret) {}

    public Optional<TenantApp> find(String appId) {
        return db.read(tx -> Apps.byId(tx, appId));
    }

    /** The app and its secret in clear; for an unknown id, a decoy secret after the same work. */
    public Keyed keyed(String appId) {
        record Found(Optional<TenantApp> app, Optional<Apps.Secret> secret) {}
        Found found = db.read(tx -> new Found(Apps.byId(tx, appId), Apps.secret(tx, appId)));
        if (found.app().isPresent() && found.secret().isPresent()) {
            return new Keyed(found.app(), secrets.open(appId, found.secret().get().sealed()));
        }
        return new Keyed(Optional.empty(), secrets.open(DECOY_ID, decoySealed));
    }

    /** The app, when the secret is its own; compared in constant time, and as slowly for an unknown app. */
    public Optional<TenantApp> authenticate(String appId, String secret) {
        if (appId == null || secret == null) return Optional.empty();
        Keyed keyed = keyed(appId);
        boolean matches = Keys.constantTimeEquals(keyed.secret(), secret);
        return matches ? keyed.app() : Optional.empty();
    }

    /** The app's secret in clear, for verifying a signature it made. Never returned to a client. */
    public String secretOf(TenantApp app) {
        String appId = app.app().id();
        Apps.Secret secret = db.read(tx -> Apps.secret(tx, appId)).orElseThrow(() -> new Failure.NotFound(Failure.Subject.APP, appId));
        return secrets.open(appId, secret.sealed());
    }
}
