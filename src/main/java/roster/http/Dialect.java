package roster.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;

/**
 * A vendor's API served from the canonical directory: a thin adapter that translates parameters, envelopes
 * and error codes. The core never imports a dialect; the server lists them in one place (Roster.DIALECTS).
 */
public interface Dialect {

    /** The path prefixes this dialect owns: errors raised under them are answered by {@link #answer}. */
    List<String> paths();

    void register(Javalin app);

    /** Answers an exception raised under this dialect's paths, in its own envelope and codes. */
    void answer(Exception e, Context ctx);
}
