package roster.http;

import io.javalin.http.Context;
import roster.crypto.Keys;

/** Every answer carries a request id in X-Request-Id; logs carry the same id. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "roster.requestId";

    private RequestIds() {}

    static void assign(Context ctx) {
        String id = Keys.randomToken(12);
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "-" : id;
    }
}
