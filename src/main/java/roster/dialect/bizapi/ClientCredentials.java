package roster.dialect.bizapi;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import roster.core.Services;
import roster.model.Grant;
import roster.model.TenantApp;

/**
 * POST /oauth2/token, the client credentials grant of RFC 6749 §4.4: the client authenticates with its id and
 * secret, in the form body (§2.3.1) or with HTTP Basic, and gets a bearer token bound to its app.
 */
final class ClientCredentials {

    static final String TOKEN_KIND = roster.auth.Tokens.OAUTH2_KIND;
    static final String TOKEN_PREFIX = roster.auth.Tokens.OAUTH2_PREFIX;
    /** SCIM clients take their bearer tokens here too (RFC 7644 §2 names OAuth 2.0); the SCIM front end checks them. */
    static final String SCIM_SCOPE = "scim";
    static final Duration TOKEN_LIFE = Duration.ofSeconds(7200);

    private final Services services;

    ClientCredentials(Services services) {
        this.services = services;
    }

    /** RFC 6749 §5.1 names. */
    record TokenResponse(@JsonProperty("access_token") String accessToken, @JsonProperty("token_type") String tokenType,
                         @JsonProperty("expires_in") long expiresIn) {}

    TokenResponse issue(Context ctx) {
        String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
        if (!contentType.startsWith("application/x-www-form-urlencoded")) {
            throw OAuthError.INVALID_REQUEST.because("the body must be application/x-www-form-urlencoded");
        }
        String grantType = single(ctx, "grant_type");
        String formId = single(ctx, "client_id");
        String formSecret = single(ctx, "client_secret");
        String[] basic = basicCredentials(ctx);
        if (basic != null && (formSecret != null || (formId != null && !formId.equals(basic[0])))) {
            throw OAuthError.INVALID_REQUEST.because("use one way of client authentication: HTTP Basic or the form fields");
        }
        if (grantType == null) throw OAuthError.INVALID_REQUEST.because("grant_type is required");
        if (!grantType.equals("client_credentials")) {
            throw OAuthError.UNSUPPORTED_GRANT_TYPE.because("only client_credentials is supported");
        }
        String clientId = basic != null ? basic[0] : formId;
        String clientSecret = basic != null ? basic[1] : formSecret;
        if (clientId == null || clientSecret == null) {
            throw OAuthError.INVALID_CLIENT.because("client authentication is required");
        }
        TenantApp app = services.apps().authenticate(clientId, clientSecret)
                .orElseThrow(() -> OAuthError.INVALID_CLIENT.because("client authentication failed"));
        services.callers().admit(app, !app.app().hasScope(BizapiDialect.SCOPE) && app.app().hasScope(SCIM_SCOPE) ? SCIM_SCOPE : BizapiDialect.SCOPE);
        Grant grant = services.tokens().issue(TOKEN_KIND, app, null, TOKEN_LIFE);
        return new TokenResponse(TOKEN_PREFIX + services.tokens().secret(grant), "bearer", TOKEN_LIFE.getSeconds());
    }

    /** A form parameter; RFC 6749 §3.2 forbids sending one twice. */
    private static String single(Context ctx, String name) {
        List<String> values = ctx.formParams(name);
        if (values.size() > 1) throw OAuthError.INVALID_REQUEST.because(name + " is repeated");
        return values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }

    /** {id, secret} from Authorization: Basic, each form-urlencoded as RFC 6749 §2.3.1 says; null without it. */
    private static String[] basicCredentials(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) throw OAuthError.INVALID_CLIENT.because("malformed HTTP Basic credentials");
            return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw OAuthError.INVALID_CLIENT.because("malformed HTTP Basic credentials");
        }
    }
}
