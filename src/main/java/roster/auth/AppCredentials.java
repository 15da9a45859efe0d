package roster.auth;

import java.util.Optional;
import roster.crypto.Keys;
import roster.crypto.SecretBox;
import roster.model.Failure;
import roster.model.TenantApp;
import roster.store.Apps;
import roster.store.Database;

/** Apps as callers: looked up by id, checked by their secret (token endpoints) or by a signature made with it. */
public final class AppCredentials {

    private final Database db;
    private final SecretBox secrets;

    public AppCredentials(Database db, SecretBox secrets) {
        this.db = db;
        this.secrets = secrets;
    }

    public Optional<TenantApp> find(String appId) {
        return db.read(tx -> Apps.byId(tx, appId));
    }

    /** The app, when the secret is its own; compared in constant time. */
    public Optional<TenantApp> authenticate(String appId, String secret) {
        if (appId == null || secret == null) return Optional.empty();
        Optional<TenantApp> app = find(appId);
        if (app.isEmpty()) return Optional.empty();
        return Keys.constantTimeEquals(secretOf(app.get()), secret) ? app : Optional.empty();
    }

    /** The app's secret in clear, for verifying a signature it made. Never returned to a client. */
    public String secretOf(TenantApp app) {
        String appId = app.app().id();
        Apps.Secret secret = db.read(tx -> Apps.secret(tx, appId)).orElseThrow(() -> new Failure.NotFound(Failure.Subject.APP, appId));
        return secrets.open(appId, secret.sealed());
    }
}
