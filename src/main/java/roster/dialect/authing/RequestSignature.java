package roster.dialect.authing;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Pattern;
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
 * /path?k=v&amp;…  the query parameters (GET) or the body's top-level fields (POST), sorted by key, each
 *                 value as JavaScript writes it ({@link JsText}): "k=" for an empty string, "k=null" for null;
 *                 no '?' when there are none (but see {@link #stringsToSign})
 * </pre>
 * This is buildStringToSign of authing-node-sdk 4.0.1 (src/utils/buildSignature.ts), byte for byte.
 * A request is good once: its date must be within {@link #SKEW} of the server's clock, and its nonce is
 * remembered until that date has passed out of the window (see {@link Replays}).
 */
final class RequestSignature {

    static final String SCHEME = "authing ";
    static final Duration SKEW = Duration.ofMinutes(15);
    /** The SDK writes these as spaces in a header value, then trims it. */
    private static final Pattern HEADER_BREAKS = Pattern.compile("[\t\n\r\f]");

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
        // an unknown accessKeyId is checked against a decoy secret and answered as a wrong signature: ids cannot be probed
        AppCredentials.Keyed keyed = apps.keyed(accessKeyId);
        boolean signed = stringsToSign(ctx).stream().anyMatch(text -> Keys.constantTimeEquals(sign(keyed.secret(), text), signature));
        TenantApp app = keyed.app().filter(a -> signed).orElseThrow(() -> AuthingError.UNAUTHORIZED.refuse("signature mismatch"));
        if (!replays.firstUse(app.app().id(), nonce, (date.isAfter(now) ? date : now).plus(SKEW))) {
            throw AuthingError.UNAUTHORIZED.refuse("this signature nonce was used before (replayed request)");
        }
        return app;
    }

    static String sign(String secret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(utf8(stringToSign)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What the SDK may have signed: one text, or two for a request without parameters. Given parameters that are
     * all undefined (listUsers({keywords: undefined})), the SDK ends the text with a bare '?', and neither the URL
     * nor the JSON body carries such parameters.
     */
    static List<String> stringsToSign(Context ctx) {
        StringBuilder text = new StringBuilder(ctx.method().name()).append('\n');
        Map<String, String> headers = new TreeMap<>();
        ctx.headerMap().forEach((name, value) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("x-authing-") || lower.equals("date")) headers.put(lower, HEADER_BREAKS.matcher(value).replaceAll(" ").trim());
        });
        headers.forEach((name, value) -> text.append(name).append(':').append(value).append('\n'));
        text.append(ctx.path());
        // TreeMap's order is JavaScript's sort(): by UTF-16 code units
        Map<String, String> params = new TreeMap<>();
        if (ctx.method() == io.javalin.http.HandlerType.GET) {
            // the values as decoded are the strings the SDK signed: axios writes each with encodeURIComponent
            // (space as '+'); a null it signs as "k=null" but leaves out of the URL, so such a call cannot verify
            ctx.queryParamMap().forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(0)));
        } else {
            JsonNode body = AuthingRequests.body(ctx);
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), JsText.of(e.getValue()));
            }
        }
        if (params.isEmpty()) return List.of(text.toString(), text + "?");
        StringJoiner pairs = new StringJoiner("&", "?", "");
        params.forEach((k, v) -> pairs.add(k + "=" + v));
        return List.of(text.append(pairs).toString());
    }

    /** As Node's Buffer.from(text, "utf8"): a lone surrogate becomes U+FFFD, where String.getBytes writes '?'. */
    private static byte[] utf8(String text) {
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .replaceWith(new byte[] {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD})
                    .encode(CharBuffer.wrap(text));
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(e);
        }
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
