package roster.dialect.authing;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Locale;

/** Reading Authing request parameters and bodies, refusing bad ones with statusCode 400 and the field's name. */
final class AuthingRequests {

    private static final String BODY = "authing.body";

    private AuthingRequests() {}

    /** The JSON object body, parsed once per request (the signature check reads it too). */
    static JsonNode body(Context ctx) {
        JsonNode cached = ctx.attribute(BODY);
        if (cached != null) return cached;
        // JSON is UTF-8 (RFC 8259): a charset named in Content-Type, even an unknown one, does not change that
        String text = new String(ctx.bodyAsBytes(), java.nio.charset.StandardCharsets.UTF_8);
        JsonNode node;
        if (text.isBlank()) {
            node = AuthingJson.MAPPER.createObjectNode();
        } else {
            try {
                node = AuthingJson.MAPPER.readTree(text);
            } catch (java.io.IOException e) {
                throw AuthingError.BAD_REQUEST.refuse("the body is not valid JSON");
            }
        }
        if (node == null || !node.isObject()) throw AuthingError.BAD_REQUEST.refuse("the body must be a JSON object");
        ctx.attribute(BODY, node);
        return node;
    }

    static Integer intParam(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return null;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw AuthingError.BAD_REQUEST.refuse(name + " must be an integer");
        }
    }

    static Long longParam(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return null;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw AuthingError.BAD_REQUEST.refuse(name + " must be an integer");
        }
    }

    static boolean boolParam(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return false;
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw AuthingError.BAD_REQUEST.refuse(name + " must be true or false");
        };
    }

    static String text(JsonNode node, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        if (!node.isTextual()) throw AuthingError.BAD_REQUEST.refuse(path + " must be a string");
        return node.textValue();
    }

    static Integer integer(JsonNode node, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        if (!node.canConvertToInt() || !node.isIntegralNumber()) throw AuthingError.BAD_REQUEST.refuse(path + " must be an integer");
        return node.intValue();
    }

    static boolean flag(JsonNode node, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) return false;
        if (!node.isBoolean()) throw AuthingError.BAD_REQUEST.refuse(path + " must be true or false");
        return node.booleanValue();
    }

    static Boolean bool(JsonNode node, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        if (!node.isBoolean()) throw AuthingError.BAD_REQUEST.refuse(path + " must be true or false");
        return node.booleanValue();
    }

    /**
     * A time bound: a UNIX timestamp in seconds (what the SDK sends) or in milliseconds (the seed's example); a
     * value above 10^11 is milliseconds. Text may also be an RFC 3339 time.
     */
    static Instant timestamp(long value, String path) {
        try {
            return value > 100_000_000_000L ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
        } catch (java.time.DateTimeException e) {
            throw AuthingError.BAD_REQUEST.refuse(path + " is not a time");
        }
    }

    static Instant time(JsonNode node, String path) {
        if (node != null && node.isIntegralNumber()) return timestamp(node.longValue(), path);
        if (node != null && node.isTextual()) {
            String v = node.textValue().trim();
            try {
                return v.chars().allMatch(Character::isDigit) && !v.isEmpty() ? timestamp(Long.parseLong(v), path) : Instant.parse(v);
            } catch (RuntimeException e) {
                // falls through to the refusal
            }
        }
        throw AuthingError.BAD_REQUEST.refuse(path + " must be a UNIX timestamp (seconds or milliseconds) or an RFC 3339 time");
    }
}
