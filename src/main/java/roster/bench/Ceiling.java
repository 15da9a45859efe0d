package roster.bench;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;
import roster.core.FrontEnd;
import roster.crypto.Keys;

/**
 * The benchmark's ceiling: serves a stored response from memory through the same HTTP stack (Jetty, Javalin,
 * request ids, access log), so every measured figure can be stated as a fraction of what this machine can
 * serve at all. Mounted only when ROSTER_BENCH_CEILING=1; the bench stores a real answer with
 * PUT /bench/ceiling (admin token), then drives GET /bench/ceiling. Process memory is fine here: the bytes are
 * a measuring stick, not data.
 */
public final class Ceiling implements FrontEnd.Started {

    private final String adminToken;
    private volatile byte[] body = new byte[0];
    private volatile String contentType = "application/json; charset=utf-8";

    private Ceiling(String adminToken) {
        this.adminToken = adminToken;
    }

    public static FrontEnd frontEnd(String adminToken) {
        return new FrontEnd("bench-ceiling", Set.of(), null, services -> new Ceiling(adminToken));
    }

    @Override
    public List<String> paths() {
        return List.of("/bench/");
    }

    @Override
    public void register(Javalin app) {
        app.put("/bench/ceiling", ctx -> {
            String header = ctx.header("Authorization");
            if (header == null || !Keys.constantTimeEquals(header, "Bearer " + adminToken)) {
                ctx.status(401);
                return;
            }
            body = ctx.bodyAsBytes();
            contentType = ctx.contentType() == null ? contentType : ctx.contentType();
            ctx.status(204);
        });
        app.get("/bench/ceiling", ctx -> ctx.contentType(contentType).result(body));
    }

    @Override
    public void answer(Exception e, Context ctx) {
        ctx.status(500).result("ceiling: " + e.getClass().getSimpleName());
    }
}
