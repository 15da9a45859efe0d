package roster.dialect.enos;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import roster.auth.Tokens;
import roster.core.Services;
import roster.crypto.Keys;
import roster.model.Grant;
import roster.model.TenantApp;

/**
 * The EnOS API gateway in front of the App Portal service: it hands out app tokens at
 * POST /apim-token-service/v2.0/token/get and checks the apim-* signature every other call carries.
 */
final class Gateway {

    static final String TOKEN_KIND = "enos-gateway";
    static final String SCOPE = "enos:app-portal";
    static final Duration TOKEN_LIFE = Duration.ofSeconds(7200);
    /** A token with less life than this left is not handed out again: a client caches it for a full "expire". */
    private static final Duration REUSE_AT_LEAST = Duration.ofMinutes(30);
    /** How far a client's clock may be from ours: wide enough for ordinary drift, narrow enough to limit replay. */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final String TOKEN_PREFIX = "apim-";

    private final Services services;

    Gateway(Services services) {
        this.services = services;
    }

    record TokenData(String accessToken, long expire) {}

    /** token/get: the app proves it holds its secret with sha256(appKey + timestamp + appSecret). */
    TokenData issueToken(JsonNode body) {
        String appKey = requiredText(body, "appKey");
        String encryption = requiredText(body, "encryption");
        long timestamp = requiredLong(body, "timestamp");
        checkSkew(timestamp);
        // an unknown appKey is checked against a decoy secret and answered as a wrong encryption (1003, not 1002):
        // app keys cannot be probed
        var keyed = services.apps().keyed(appKey);
        String expected = Keys.sha256Hex(appKey + timestamp + keyed.secret());
        boolean matches = Keys.constantTimeEquals(expected, encryption.toLowerCase(java.util.Locale.ROOT));
        TenantApp app = keyed.app().filter(a -> matches).orElseThrow(() -> EnosError.ENCRYPTION_INVALID.because(null));
        services.callers().admit(app, SCOPE);
        Tokens tokens = services.tokens();
        // EnOS hands out the same token while it lives; Roster does so while it has a good part of its life left.
        Grant grant = tokens.reuseOrIssue(TOKEN_KIND, app, TOKEN_LIFE, REUSE_AT_LEAST);
        return new TokenData(TOKEN_PREFIX + tokens.secret(grant), grant.secondsLeft(services.clock()));
    }

    /**
     * Checks apim-accesstoken, apim-timestamp and apim-signature = sha256(accessToken + paramsData + timestamp +
     * appSecret), paramsData being the query parameters sorted by name (name then value, no separators) followed
     * by the body exactly as sent. Returns the app that signed.
     */
    TenantApp verify(Context ctx) {
        String token = requiredHeader(ctx, "apim-accesstoken");
        String timestampText = requiredHeader(ctx, "apim-timestamp");
        String signature = requiredHeader(ctx, "apim-signature");
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampText);
        } catch (NumberFormatException e) {
            throw EnosError.GATEWAY_PARAMETER_INVALID.because("apim-timestamp must be milliseconds since the epoch.");
        }
        TenantApp app = services.callers().byGrant(token.startsWith(TOKEN_PREFIX)
                ? services.tokens().verify(TOKEN_KIND, token.substring(TOKEN_PREFIX.length())) : java.util.Optional.empty(), SCOPE);
        checkSkew(timestamp);
        String expected = sign(token, ctx.queryParamMap(), ctx.bodyAsBytes(), timestampText, services.apps().secretOf(app));
        if (!Keys.constantTimeEquals(expected, signature.toLowerCase(java.util.Locale.ROOT))) {
            throw EnosError.ENCRYPTION_INVALID.because("apim-signature does not match the request.");
        }
        return app;
    }

    /** The documented signature, over bytes: the body goes in exactly as it arrived, whatever its encoding. */
    static String sign(String accessToken, Map<String, List<String>> query, byte[] body, String timestamp, String appSecret) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(accessToken.getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, List<String>> param : new TreeMap<>(query).entrySet()) {
            for (String value : param.getValue()) {
                data.writeBytes((param.getKey() + value).getBytes(StandardCharsets.UTF_8));
            }
        }
        data.writeBytes(body);
        data.writeBytes((timestamp + appSecret).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(Keys.sha256(data.toByteArray()));
    }

    private void checkSkew(long timestamp) {
        if (Math.abs(services.clock().millis() - timestamp) > MAX_SKEW.toMillis()) {
            throw EnosError.GATEWAY_PARAMETER_INVALID.because("The timestamp is more than " + MAX_SKEW.toMinutes()
                    + " minutes away from the server's time.");
        }
    }

    private static String requiredHeader(Context ctx, String name) {
        String value = ctx.header(name);
        if (value == null || value.isBlank()) throw EnosError.PARAMETER_EMPTY.because("Missing header " + name + ".");
        return value.trim();
    }

    private static String requiredText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull() || (value.isTextual() && value.textValue().isEmpty())) {
            throw EnosError.PARAMETER_EMPTY.because(field + " is empty.");
        }
        if (!value.isTextual()) throw EnosError.GATEWAY_PARAMETER_INVALID.because(field + " must be a string.");
        return value.textValue();
    }

    private static long requiredLong(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull() || (value.isTextual() && value.textValue().isEmpty())) {
            throw EnosError.PARAMETER_EMPTY.because(field + " is empty.");
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) return value.longValue();
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.textValue().trim());
            } catch (NumberFormatException ignored) {
                // falls through to the refusal below
            }
        }
        throw EnosError.GATEWAY_PARAMETER_INVALID.because(field + " must be milliseconds since the epoch.");
    }
}
