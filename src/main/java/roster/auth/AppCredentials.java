package roster.auth;

import java.util.Optional;
import roster.directory.Directory;
import roster.directory.TenantApp;

/** Checks an app's id and secret, as every token endpoint does. */
public final class AppCredentials {

    private final Directory directory;

    public AppCredentials(Directory directory) {
        this.directory = directory;
    }

    /** The app, when the secret is its own; compared in constant time. */
    public Optional<TenantApp> authenticate(String appId, String secret) {
        if (appId == null || secret == null) return Optional.empty();
        Optional<TenantApp> app = directory.app(appId);
        if (app.isEmpty()) return Optional.empty();
        return Keys.constantTimeEquals(directory.secretOf(appId), secret) ? app : Optional.empty();
    }

    /** The app's secret, for verifying a signature it made. */
    public String secretOf(TenantApp app) {
        return directory.secretOf(app.app().id());
    }
}
