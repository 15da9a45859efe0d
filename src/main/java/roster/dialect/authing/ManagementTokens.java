package roster.dialect.authing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import roster.auth.Tokens;
import roster.crypto.Keys;
import roster.model.Grant;
import roster.model.LiveGrant;
import roster.model.TenantApp;

/**
 * Management tokens: HS256 JWTs, made and checked by nimbus-jose-jwt (parsing a token a stranger sent belongs to
 * a library). The Java SDK decodes the token without checking it and sends its scoped_userpool_id back in
 * x-authing-userpool-id, so the token must be a real JWT with that claim. Its jti is a grant of {@link Tokens}:
 * deleting the app or rotating its secret revokes the token on every process.
 */
final class ManagementTokens {

    static final String KIND = "authing";
    static final Duration LIFETIME = Duration.ofHours(2);
    /** A token asked for again with at least this much life left is handed out again instead of a new one. */
    private static final Duration REUSE_ABOVE = Duration.ofMinutes(30);
    private static final String POOL_CLAIM = "scoped_userpool_id";

    private final Tokens tokens;
    private final Clock clock;
    private final MACSigner signer;
    private final MACVerifier verifier;
    /**
     * Signature checks of the tokens seen lately (parsing and an HMAC were a twentieth of a page of 50). Bounded in
     * count and in time, so that a client sending junk cannot grow it.
     */
    private final Cache<String, Optional<Claims>> checked = Caffeine.newBuilder().maximumSize(1024).expireAfterWrite(LIFETIME).build();

    ManagementTokens(Tokens tokens, Keys keys, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
        byte[] key = keys.derive("authing-jwt");
        try {
            this.signer = new MACSigner(key);
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    record Issued(String jwt, long expiresIn) {}

    Issued issue(TenantApp app) {
        Grant grant = tokens.reuseOrIssue(KIND, app, LIFETIME, REUSE_ABOVE);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .claim(POOL_CLAIM, grant.tenantId())
                .jwtID(grant.id())
                .subject(grant.appId())
                .issueTime(Date.from(grant.issuedAt()))
                .expirationTime(Date.from(grant.expiresAt()))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        // expires_in is the whole lifetime: the Java SDK keeps the token that long and never refreshes on a 401
        return new Issued(jwt.serialize(), LIFETIME.getSeconds());
    }

    /** The live grant behind a token, if its signature holds and it is neither expired nor revoked. */
    Optional<LiveGrant> verify(String token) {
        Optional<Claims> signed = checked.get(token, this::claims);
        if (signed.isEmpty() || !signed.get().expires().isAfter(clock.instant())) return Optional.empty();
        Claims claims = signed.get();
        return tokens.find(KIND, claims.grantId()).filter(g -> g.grant().tenantId().equals(claims.pool()));
    }

    /** What a token whose signature holds says: its grant, its user pool, its expiry. */
    private record Claims(String grantId, String pool, Instant expires) {}

    /**
     * The claims of a token, empty when it is not an HS256 JWT signed with our key or lacks one of them. Pure: the
     * same text always gives the same answer, so it is cached; expiry and revocation are checked on every call.
     */
    private Optional<Claims> claims(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) return Optional.empty();
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expires = claims.getExpirationTime();
            String pool = claims.getStringClaim(POOL_CLAIM);
            if (claims.getJWTID() == null || pool == null || expires == null) return Optional.empty();
            return Optional.of(new Claims(claims.getJWTID(), pool, expires.toInstant()));
        } catch (ParseException | JOSEException e) {
            return Optional.empty();
        }
    }
}
