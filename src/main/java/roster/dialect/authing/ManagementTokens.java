package roster.dialect.authing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import roster.auth.Keys;
import roster.auth.Tokens;
import roster.directory.TenantApp;

/**
 * Management tokens: HS256 JWTs. The Java SDK decodes the token without checking it and sends its
 * scoped_userpool_id back in x-authing-userpool-id, so the token must be a real JWT with that claim. Its jti
 * is a grant of {@link Tokens}: deleting the app or rotating its secret revokes the token on every process.
 */
final class ManagementTokens {

    static final String KIND = "authing";
    static final Duration LIFETIME = Duration.ofHours(2);
    /** A token asked for again with at least this much life left is handed out again instead of a new one. */
    private static final Duration REUSE_ABOVE = Duration.ofMinutes(30);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private final Tokens tokens;
    private final Clock clock;
    private final byte[] key;

    ManagementTokens(Tokens tokens, Keys keys, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
        this.key = keys.derive("authing-jwt");
    }

    record Issued(String jwt, long expiresIn) {}

    Issued issue(TenantApp app) {
        Tokens.Grant grant = tokens.newest(KIND, app)
                .filter(g -> g.secondsLeft(clock) >= REUSE_ABOVE.getSeconds())
                .orElseGet(() -> tokens.issue(KIND, app, null, LIFETIME));
        ObjectNode claims = AuthingJson.MAPPER.createObjectNode()
                .put("scoped_userpool_id", grant.tenantId())
                .put("jti", grant.id())
                .put("sub", grant.appId())
                .put("iat", grant.issuedAt().getEpochSecond())
                .put("exp", grant.expiresAt().getEpochSecond());
        String unsigned = HEADER + "." + B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        // expires_in is the whole lifetime: the Java SDK keeps the token that long and never refreshes on a 401
        return new Issued(unsigned + "." + B64.encodeToString(mac(unsigned)), LIFETIME.getSeconds());
    }

    /** The live grant behind a token, if its signature holds and it is neither expired nor revoked. */
    Optional<Tokens.Grant> verify(String jwt) {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(HEADER)) return Optional.empty();
        byte[] signature;
        JsonNode claims;
        try {
            signature = Base64.getUrlDecoder().decode(parts[2]);
            claims = AuthingJson.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IllegalArgumentException | java.io.IOException e) {
            return Optional.empty();
        }
        if (!java.security.MessageDigest.isEqual(signature, mac(parts[0] + "." + parts[1]))) return Optional.empty();
        if (claims == null || !claims.path("jti").isTextual() || claims.path("exp").asLong() <= clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        return tokens.find(KIND, claims.get("jti").textValue())
                .filter(g -> g.tenantId().equals(claims.path("scoped_userpool_id").asText()));
    }

    private byte[] mac(String text) {
        return Keys.hmacSha256(key, text.getBytes(StandardCharsets.UTF_8));
    }
}
