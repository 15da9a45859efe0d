package roster.http;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import roster.model.Failure;

/**
 * Rules of the wire that hold for every path, before any front end: answers are never content-sniffed, HEAD is
 * a GET without the body (so it is checked exactly as the GET is, credentials included), and a path whose
 * escapes are malformed or encode a '/' is refused in the owning front end's envelope.
 */
final class WireRules {

    /** A '%' not followed by two hex digits (e.g. "%u0041", "%zz", a trailing "%"). */
    private static final Pattern MALFORMED_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");
    /** An encoded '/' or '\': decoded, it would move an id into another path segment. */
    private static final Pattern ENCODED_SEPARATOR = Pattern.compile("%(2[Ff]|5[Cc])");

    private WireRules() {}

    /**
     * Jetty's URI checks, relaxed where Roster checks itself: escapes such as "%u0041" (UTF-16) and encoded
     * separators pass Jetty, so that {@link #checkPath} answers them in the dialect's own envelope.
     */
    static UriCompliance uriCompliance() {
        return UriCompliance.DEFAULT.with("roster", UriCompliance.Violation.UTF16_ENCODINGS,
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING);
    }

    static void install(ServletContextHandler context) {
        context.addFilter(new FilterHolder(new HeadersAndHead()), "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    }

    /** The raw path's escapes, checked before routing; a refusal goes to the front end that owns the path. */
    static void checkPath(String rawPath) {
        if (MALFORMED_ESCAPE.matcher(rawPath).find()) throw new Failure.Refused(400, "the path holds a malformed %-escape");
        // the console's own links carry ids with '/' encoded and decode them itself; the APIs name ids in one segment
        if (!rawPath.startsWith("/console/") && ENCODED_SEPARATOR.matcher(rawPath).find()) throw new Failure.Refused(400, "the path holds an encoded '/' or '\\'");
    }

    /** nosniff on every answer; HEAD handled as GET (Jetty drops the body of an answer to HEAD). */
    static final class HeadersAndHead implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
            ((HttpServletResponse) response).setHeader("X-Content-Type-Options", "nosniff");
            HttpServletRequest http = (HttpServletRequest) request;
            if (!"HEAD".equals(http.getMethod())) {
                chain.doFilter(request, response);
                return;
            }
            chain.doFilter(new HttpServletRequestWrapper(http) {
                @Override
                public String getMethod() {
                    return "GET";
                }
            }, response);
        }
    }
}
