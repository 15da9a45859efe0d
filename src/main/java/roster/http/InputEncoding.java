package roster.http;

import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import roster.model.Failure;

/**
 * Text that is not text is refused at the door, before any front end decodes it: a percent-escape that is not
 * two hex digits (%zz, or the old %u0041 form), escaped bytes or a body that are not UTF-8 (an overlong form, a
 * surrogate encoded in UTF-8), and a JSON \\u escape of a lone UTF-16 surrogate. Each would otherwise become a 500
 * in a decoder deep inside, or a '?' silently stored in place of the character. The refusal is a 400 in the
 * envelope of the front end that owns the path.
 */
final class InputEncoding {

    private InputEncoding() {}

    static void check(Context ctx) {
        String path = ctx.req().getRequestURI();
        if (path != null) percentEncoded(path, "path");
        String query = ctx.req().getQueryString();
        if (query != null) percentEncoded(query, "query string");
        if (hasTextBody(ctx)) {
            byte[] body = ctx.bodyAsBytes(); // cached: the front end reads these same bytes
            utf8(ByteBuffer.wrap(body), "body");
            String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
            if (type.startsWith("application/x-www-form-urlencoded")) percentEncoded(new String(body, StandardCharsets.UTF_8), "body");
            else jsonEscapes(body);
        }
    }

    /** Bodies read whole as text; a streamed load, multipart uploads and binary bodies are read by their owners. */
    private static boolean hasTextBody(Context ctx) {
        if (ctx.path().equals("/admin/v1/load")) return false;
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith("multipart/") || type.startsWith("image/") || type.startsWith("application/octet-stream")) return false;
        return ctx.contentLength() != 0 && !ctx.method().name().equals("GET") && !ctx.method().name().equals("HEAD");
    }

    /** Every % starts two hex digits, and the bytes they stand for (with the text around them) are UTF-8. */
    private static void percentEncoded(String text, String where) {
        if (text.indexOf('%') < 0) return; // Jetty has already decoded the request line as UTF-8
        ByteBuffer bytes = ByteBuffer.allocate(text.length() * 4);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (!hex(text, i + 1) || !hex(text, i + 2)) {
                    throw new Failure.Refused(400, "malformed percent-encoding in the " + where + ": % must be followed by two hex digits");
                }
                bytes.put((byte) Integer.parseInt(text, i + 1, i + 3, 16));
                i += 2;
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        utf8(bytes, where);
    }

    private static boolean hex(String text, int i) {
        return i < text.length() && Character.digit(text.charAt(i), 16) >= 0;
    }

    private static void utf8(ByteBuffer bytes, String where) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
        } catch (CharacterCodingException e) {
            throw new Failure.Refused(400, "the " + where + " is not valid UTF-8");
        }
    }

    /**
     * JSON's \\uXXXX escapes: a high surrogate must be followed at once by an escaped low one, and a low one may not
     * stand alone. Outside strings a backslash is not JSON at all, which the front end's parser refuses itself.
     */
    private static void jsonEscapes(byte[] body) {
        boolean expectLow = false;
        for (int i = 0; i < body.length; i++) {
            if (body[i] != '\\' || i + 1 >= body.length) {
                if (expectLow) throw loneSurrogate();
                continue;
            }
            byte next = body[i + 1];
            if (next != 'u') {
                if (expectLow) throw loneSurrogate();
                i++; // an escaped character (\\ or \" among them) is skipped whole
                continue;
            }
            int code = i + 6 <= body.length ? parseHex(body, i + 2) : -1;
            if (code < 0) return; // malformed: the JSON parser refuses it
            boolean high = code >= 0xD800 && code <= 0xDBFF;
            boolean low = code >= 0xDC00 && code <= 0xDFFF;
            if (low != expectLow) throw loneSurrogate();
            expectLow = high;
            i += 5;
        }
        if (expectLow) throw loneSurrogate();
    }

    private static int parseHex(byte[] body, int from) {
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            int d = Character.digit(body[i], 16);
            if (d < 0) return -1;
            value = value * 16 + d;
        }
        return value;
    }

    private static Failure loneSurrogate() {
        return new Failure.Refused(400, "the body holds a lone UTF-16 surrogate (\\u escape); text must be Unicode characters");
    }
}
