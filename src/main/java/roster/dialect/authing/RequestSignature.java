package roster.dialect.authing;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import roster.auth.AppCredentials;
import roster.auth.Replays;
import roster.crypto.Keys;
import roster.model.TenantApp;

/**
 * The per-request signature of authing-node-sdk: {@code Authorization: authing <accessKeyId>:<signature>},
 * signature = base64(HMAC-SHA1(secret, stringToSign)), where stringToSign is
 * <pre>
 * METHOD\n
 * name:value\n   for each x-authing-* header and date, sorted by name
 * /path?k=v&amp;…  the query parameters (GET) or the body's top-level fields (POST), sorted by key;
 *                 objects and arrays as JSON text, a key alone when its value is empty; no '?' when none
 * </pre>
 * A request is good once: its date must be within {@link #SKEW} of the server's clock, and its nonce is
 * remembered until that date has passed out of the window (see {@link Replays}).
 */
final class RequestSignature {

    static final String SCHEME = "authing ";
    static final Duration SKEW = Duration.ofMinutes(15);

    private final AppCredentials apps;
    private final Replays replays;
    private final Clock clock;

    RequestSignature(AppCredentials apps, Replays replays, Clock clock) {
        this.apps = apps;
        this.replays = replays;
        this.clock = clock;
    }

    /** The app that signed the request; refuses a bad, stale or replayed signature. */
    TenantApp verify(Context ctx, String authorization) {
        String credential = authorization.substring(SCHEME.length()).trim();
        int colon = credential.lastIndexOf(':');
        if (colon <= 0) throw AuthingError.UNAUTHORIZED.refuse("malformed signature: expected authing <accessKeyId>:<signature>");
        String accessKeyId = credential.substring(0, colon);
        String signature = credential.substring(colon + 1);
        if (!"HMAC-SHA1".equals(ctx.header("x-authing-signature-method"))) {
            throw AuthingError.UNAUTHORIZED.refuse("x-authing-signature-method must be HMAC-SHA1");
        }
        if (!"1.0".equals(ctx.header("x-authing-signature-version"))) {
            throw AuthingError.UNAUTHORIZED.refuse("x-authing-signature-version must be 1.0");
        }
        String nonce = ctx.header("x-authing-signature-nonce");
        if (nonce == null || nonce.isBlank() || nonce.length() > 128) {
            throw AuthingError.UNAUTHORIZED.refuse("x-authing-signature-nonce is required (at most 128 characters)");
        }
        Instant date = parseDate(ctx.header("date"));
        Instant now = clock.instant();
        if (date == null) throw AuthingError.UNAUTHORIZED.refuse("the date header is missing or not a date");
        if (Duration.between(date, now).abs().compareTo(SKEW) > 0) {
            throw AuthingError.UNAUTHORIZED.refuse("the date header is more than " + SKEW.toMinutes() + " minutes from the server's clock");
        }
        TenantApp app = apps.find(accessKeyId).orElseThrow(() -> AuthingError.UNAUTHORIZED.refuse("unknown accessKeyId"));
        String expected = sign(apps.secretOf(app), stringToSign(ctx));
        if (!Keys.constantTimeEquals(expected, signature)) throw AuthingError.UNAUTHORIZED.refuse("signature mismatch");
        if (!replays.firstUse(app.app().id(), nonce, (date.isAfter(now) ? date : now).plus(SKEW))) {
            throw AuthingError.UNAUTHORIZED.refuse("this signature nonce was used before (replayed request)");
        }
        return app;
    }

    static String sign(String secret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String stringToSign(Context ctx) {
        StringBuilder text = new StringBuilder(ctx.method().name()).append('\n');
        Map<String, String> headers = new TreeMap<>();
        ctx.headerMap().forEach((name, value) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("x-authing-") || lower.equals("date")) headers.put(lower, value);
        });
        headers.forEach((name, value) -> text.append(name).append(':').append(value).append('\n'));
        Map<String, String> params = new TreeMap<>();
        if (ctx.method() == io.javalin.http.HandlerType.GET) {
            ctx.queryParamMap().forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(0)));
        } else {
            JsonNode body = AuthingRequests.body(ctx);
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                params.put(e.getKey(), v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString());
            }
        }
        text.append(ctx.path());
        if (!params.isEmpty()) {
            text.append('?');
            boolean first = true;
            for (Map.Entry<String, String> e : params.entrySet()) {
                if (!first) text.append('&');
                first = false;
                text.append(e.getKey());
                if (!e.getValue().isEmpty()) text.append('=').append(e.getValue());
            }
        }
        return text.toString();
    }

    /** Epoch milliseconds (what the SDKs send), or an HTTP date. */
    static Instant parseDate(String value) {
        if (value == null || value.isBlank()) return null;
        String v = value.trim();
        try {
            if (v.chars().allMatch(Character::isDigit) && v.length() <= 15) {
                long n = Long.parseLong(v);
                return n > 100_000_000_000L ? Instant.ofEpochMilli(n) : Instant.ofEpochSecond(n);
            }
            return java.time.ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}
