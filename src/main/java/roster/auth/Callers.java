package roster.auth;

import java.util.Optional;
import roster.model.Failure;
import roster.model.LiveGrant;
import roster.model.TenantApp;

/**
 * Who is calling, the one way every front end finds out: the credential (a token's grant, a verified signature,
 * an app id and secret) names an app of a tenant; that app's call is counted against its rate limit; then the app
 * must hold the front end's scope. Always in this order, so that a refusal means the same in every dialect.
 */
public final class Callers {

    private final RateLimits rateLimits;
    /** Told of every app admitted, on the request's thread (the read shares count that request's reads against it). */
    private final java.util.function.Consumer<TenantApp> admitted;

    public Callers(RateLimits rateLimits) {
        this(rateLimits, app -> { });
    }

    public Callers(RateLimits rateLimits, java.util.function.Consumer<TenantApp> admitted) {
        this.rateLimits = rateLimits;
        this.admitted = admitted;
    }

    /** The app behind a live grant (its own tenant's), counted and checked for the scope. */
    public TenantApp byGrant(Optional<LiveGrant> grant, String scope) {
        TenantApp app = grant.filter(g -> g.app().tenantId().equals(g.grant().tenantId())).map(LiveGrant::app)
                .orElseThrow(() -> new Failure.Unauthorized("the access token is invalid, expired or revoked"));
        return admit(app, scope);
    }

    /**
     * Counts an attempt that names no app (an LDAP bind as a user) against the rate limit under its own key, so a
     * password cannot be guessed at line speed.
     */
    public void countAttempt(String key) {
        rateLimits.check(key);
    }

    /** An app already authenticated by other means (its secret, a signature made with it), counted and checked. */
    public TenantApp admit(TenantApp app, String scope) {
        rateLimits.check(app.app().id());
        if (scope != null && !app.app().hasScope(scope)) throw Failure.Forbidden.missingScope(scope);
        admitted.accept(app);
        return app;
    }
}
