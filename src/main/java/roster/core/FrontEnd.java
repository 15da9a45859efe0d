package roster.core;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One way into the directory: a vendor dialect, the admin API, a standard. It declares what it brings to the
 * core (the scopes an app may be granted for it, a Flyway location of tables of its own) and starts once the core
 * is open. Adding a front end is its own package and one line in the list in Roster.
 */
public record FrontEnd(String name, Set<String> scopes, String migrations, Function<Services, Started> start) {

    public FrontEnd {
        scopes = Set.copyOf(scopes);
    }

    /** A running front end. An HTTP one registers routes and answers errors under its paths; others open a listener. */
    public interface Started extends AutoCloseable {

        /** The path prefixes this front end owns: errors raised under them are answered by {@link #answer}. */
        default List<String> paths() {
            return List.of();
        }

        default void register(Javalin http) {}

        /** Answers an exception raised under this front end's paths, in its own envelope and codes. */
        default void answer(Exception e, Context ctx) {}

        /** The ready line of a listener of its own ("Roster LDAP listening on ldap://…"), printed after the HTTP one. */
        default java.util.Optional<String> listening() {
            return java.util.Optional.empty();
        }

        @Override
        default void close() {}
    }
}
