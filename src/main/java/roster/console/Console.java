package roster.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import roster.auth.Sessions;
import roster.core.FrontEnd;
import roster.core.Services;
import roster.crypto.Keys;
import roster.directory.Directory;
import roster.http.DialectException;
import roster.model.Attribute;
import roster.model.Failure;
import roster.model.Order;
import roster.model.Tenant;
import roster.model.UserDetail;
import roster.model.UserFilter;

/**
 * The admin console at /console/: the directory for a person holding the admin token. Server-rendered pages (jte
 * templates, compiled to Java at build time) with htmx for search as you type; every write goes through the
 * same core as the APIs, recorded under the signed-in person's name ({@link Directory#actingAs}).
 *
 * <p>Sign-in trades the admin token for a session (cookie HttpOnly, SameSite=Strict, Secure over TLS; the token
 * itself never reaches the browser again); sessions live in the database, so every process of one service knows
 * them. Every form carries the session's CSRF token; a POST without it is refused.
 *
 * <p>This class holds what every page shares (sessions, sign-in, tenants, the language switch, pickers, answers
 * and request reading); the pages are {@link UserPages}, {@link TreePages}, {@link AppPages} and {@link FixturePages}.
 */
public final class Console implements FrontEnd.Started {

    static final String BASE = "/console";
    static final String COOKIE = "roster_console";
    /** Double-submit cookie of the sign-in form, the one form shown before a session exists. */
    static final String SIGN_IN_COOKIE = "roster_console_signin";
    private static final String HTMX = "META-INF/resources/webjars/htmx.org/2.0.4/dist/htmx.min.js";
    /** Options a picker shows at most: one page, never the tenant. */
    private static final int PICK = 20;

    final Services services;
    private final String adminToken;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    public static FrontEnd frontEnd(String adminToken) {
        return new FrontEnd("console", Set.of(), null, services -> new Console(services, adminToken));
    }

    private Console(Services services, String adminToken) {
        this.services = services;
        this.adminToken = adminToken;
    }

    /** A refusal that is an answer of its own: a redirect (to sign in) or a status with a message. */
    static final class Answer extends DialectException {
        final int status;
        final String location;

        Answer(int status, String message, String location) {
            super(message);
            this.status = status;
            this.location = location;
        }

        static Answer redirect(String location) {
            return new Answer(303, "see " + location, location);
        }
    }

    @Override
    public List<String> paths() {
        return List.of(BASE);
    }

    @Override
    public void register(Javalin app) {
        app.before(BASE, this::guard);
        app.before(BASE + "/*", this::guard);
        // Javalin ignores a trailing slash: this one route answers /console and /console/
        page(app, BASE + "/", ctx -> redirect(ctx, session(ctx) == null ? BASE + "/sign-in" : BASE + "/tenants"));
        page(app, BASE + "/assets/{file}", this::asset);
        page(app, BASE + "/sign-in", this::signInPage);
        app.post(BASE + "/sign-in", this::signIn);
        app.post(BASE + "/sign-out", this::signOut);
        page(app, BASE + "/tenants", ctx -> tenantsPage(ctx, Map.of()));
        app.post(BASE + "/tenants", this::createTenant);
        String tenant = BASE + "/tenants/{tenant}";
        new UserPages(this).register(app, tenant);
        new TreePages(this).register(app, tenant);
        new AppPages(this).register(app, tenant);
        new FixturePages(this).register(app, tenant);
        page(app, tenant + "/pick/{kind}", this::pick);
        page(app, BASE + "/language", this::language);
    }

    /** A page answers HEAD as it answers GET (the same status and headers, a redirect included), without a body. */
    static void page(Javalin app, String path, Handler handler) {
        app.get(path, handler);
        app.head(path, handler);
    }

    // ---- sessions and CSRF

    /** Every console request: security headers; outside sign-in and assets a live session; on a POST its CSRF token. */
    private void guard(Context ctx) {
        ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        String path = ctx.path();
        if (path.startsWith(BASE + "/assets/")) return;
        ctx.header("Cache-Control", "no-store");
        if (path.equals(BASE) || path.equals(BASE + "/") || path.equals(BASE + "/sign-in") || path.equals(BASE + "/language")) return;
        Sessions.Session session = services.sessions().find(ctx.cookie(COOKIE)).orElse(null);
        if (session == null) throw Answer.redirect(BASE + "/sign-in");
        ctx.attribute("console.session", session);
        if (ctx.method() == io.javalin.http.HandlerType.POST) {
            String sent = ctx.header("X-CSRF-Token");
            if (sent == null) sent = form(ctx, "csrf");
            if (!Keys.constantTimeEquals(sent, session.csrf())) throw new Answer(403, "err.csrf", null);
        }
    }

    static Sessions.Session session(Context ctx) {
        return ctx.attribute("console.session");
    }

    Directory directory(Context ctx) {
        return services.directory().actingAs(session(ctx).actor());
    }

    private void signInPage(Context ctx) {
        if (services.sessions().find(ctx.cookie(COOKIE)).isPresent()) throw Answer.redirect(BASE + "/tenants");
        signInForm(ctx, 200, null);
    }

    private void signInForm(Context ctx, int status, String error) {
        String nonce = Keys.randomToken(18);
        setCookie(ctx, SIGN_IN_COOKIE, nonce, -1);
        Text text = text(ctx);
        render(ctx, status, "sign-in.jte", new Pages.SignIn(new Pages.Frame(text.get("signin.title"), null, nonce, null, text, here(ctx)), error == null ? null : text.get(error)));
    }

    private void signIn(Context ctx) {
        String sent = form(ctx, "csrf");
        if (!Keys.constantTimeEquals(sent, ctx.cookie(SIGN_IN_COOKIE))) throw new Answer(403, "err.signin.stale", null);
        String name = trimmed(form(ctx, "name"));
        try {
            services.sessions().checkSignIn(ctx.ip());
        } catch (Failure.RateLimited e) {
            ctx.header("Retry-After", String.valueOf(e.resetSeconds()));
            signInForm(ctx, 429, "signin.throttled");
            return;
        }
        if (!Keys.constantTimeEquals(form(ctx, "token"), adminToken)) {
            services.sessions().failedSignIn(ctx.ip());
            signInForm(ctx, 401, "signin.wrong");
            return;
        }
        if (name == null || name.length() > 64 || name.chars().anyMatch(Character::isISOControl)) {
            signInForm(ctx, 400, "signin.name");
            return;
        }
        Sessions.Session session = services.sessions().open(name + " (console)");
        setCookie(ctx, SIGN_IN_COOKIE, "", 0);
        setCookie(ctx, COOKIE, session.token(), -1);
        redirect(ctx, BASE + "/tenants");
    }

    private void signOut(Context ctx) {
        services.sessions().close(ctx.cookie(COOKIE));
        setCookie(ctx, COOKIE, "", 0);
        redirect(ctx, BASE + "/sign-in");
    }

    /** HttpOnly, SameSite=Strict, scoped to the console; Secure when the browser came over TLS. */
    static void setCookie(Context ctx, String name, String value, int maxAge) {
        boolean tls = "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=" + BASE + "; HttpOnly; SameSite=Strict"
                + (tls ? "; Secure" : "") + (maxAge >= 0 ? "; Max-Age=" + maxAge : ""));
    }

    // ---- tenants

    private void tenantsPage(Context ctx, Map<String, String> errors) {
        render(ctx, errors.isEmpty() ? 200 : 400, "tenants.jte", new Pages.Tenants(frame(ctx, "tenants.title", null), services.directory().tenants(), errors));
    }

    private void createTenant(Context ctx) {
        String id = trimmed(form(ctx, "id"));
        String name = trimmed(form(ctx, "name"));
        try {
            directory(ctx).putTenant(new Tenant(id, name), true);
        } catch (Failure.InvalidInput | Failure.Conflict e) {
            tenantsPage(ctx, Map.of(field(e), reason(e)));
            return;
        }
        redirect(ctx, BASE + "/tenants/" + url(id) + "/users");
    }

    // ---- assets

    private void asset(Context ctx) {
        String file = ctx.pathParam("file");
        String resource = switch (file) {
            case "htmx.min.js" -> HTMX;
            case "console.css" -> "console/console.css";
            default -> throw new Failure.NotFound(Failure.Subject.ENDPOINT, file);
        };
        try (InputStream in = Console.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new Failure.NotFound(Failure.Subject.ENDPOINT, file);
            ctx.header("Cache-Control", "public, max-age=3600")
                    .contentType(file.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8").result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- answers

    @Override
    public void answer(Exception e, Context ctx) {
        // a refusal already answered here is not answered again by the 404 page of an unknown path
        if (ctx.attribute("console.answered") != null && e instanceof Failure.Refused) return;
        ctx.attribute("console.answered", true);
        if (e instanceof Answer a && a.location != null) {
            redirect(ctx, a.location);
            return;
        }
        int status;
        String message;
        if (e instanceof Answer a) {
            status = a.status;
            message = text(ctx).get(a.getMessage());
        } else {
            Failure f = Failure.of(e);
            status = switch (f.kind()) {
                case INVALID_INPUT, INVALID_CURSOR -> 400;
                case CONFLICT -> 409;
                case NOT_FOUND -> 404;
                case UNAUTHORIZED -> 401;
                case FORBIDDEN -> 403;
                case RATE_LIMITED -> 429;
                case BUSY -> 503;
                case REFUSED -> ((Failure.Refused) f).status();
                case INTERNAL -> 500;
            };
            message = switch (f.kind()) {
                case INVALID_INPUT -> ((Failure.InvalidInput) f).path() + ": " + text(ctx).get(((Failure.InvalidInput) f).reason());
                case INVALID_CURSOR -> text(ctx).get("err.cursor");
                case INTERNAL -> text(ctx).get("err.internal");
                default -> f.getMessage();
            };
        }
        Sessions.Session session = session(ctx);
        Text text = text(ctx);
        Pages.Frame frame = new Pages.Frame(text.get("error.title"), session == null ? null : session.actor(), session == null ? null : session.csrf(), null, text, here(ctx));
        render(ctx, status, "error.jte", new Pages.Error(frame, status, message));
    }

    void render(Context ctx, int status, String template, Object page) {
        if (ctx.method() == io.javalin.http.HandlerType.HEAD) {
            ctx.status(status).contentType("text/html; charset=utf-8");
            return;
        }
        StringOutput out = new StringOutput();
        templates.render(template, page, out);
        ctx.status(status).html(out.toString());
    }

    static void redirect(Context ctx, String location) {
        ctx.redirect(location, HttpStatus.SEE_OTHER);
    }

    /** The frame of a page; title is a key of the bundle. */
    Pages.Frame frame(Context ctx, String title, String tenant) {
        Sessions.Session session = session(ctx);
        Text text = text(ctx);
        return new Pages.Frame(text.get(title), session.actor(), session.csrf(), tenant, text, here(ctx));
    }

    /** This page's address, for the language switch to come back to (a GET of it shows the same page). */
    private static String here(Context ctx) {
        String query = ctx.method() == io.javalin.http.HandlerType.GET ? ctx.queryString() : null;
        return ctx.path() + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    static Text text(Context ctx) {
        return Text.of(ctx);
    }

    // ---- language and pickers

    /** Switches the language (a cookie of a year) and goes back to the page the switch was on. */
    private void language(Context ctx) {
        String lang = query(ctx, "lang");
        if (lang == null || !Text.LANGUAGES.contains(lang)) throw new Failure.InvalidInput("lang", "err.lang");
        setCookie(ctx, Text.COOKIE, lang, 365 * 24 * 3600);
        String back = query(ctx, "back");
        // only a path of the console: never an open redirect
        redirect(ctx, back != null && back.startsWith(BASE + "/") && !back.startsWith("//") && !back.contains("\\") ? back : BASE + "/");
    }

    /**
     * The options of a searchable picker: at most PICK matches of what was typed, read from the server (users one
     * keyset page through the core's filter), for a datalist that htmx refreshes as the person types.
     */
    private void pick(Context ctx) {
        String tenant = tenant(ctx);
        String kind = ctx.pathParam("kind");
        // htmx sends the input's own value under the input's name
        String typed;
        try {
            typed = trimmed(ctx.queryParamMap().values().stream().flatMap(List::stream).findFirst().orElse(null));
        } catch (RuntimeException e) {
            throw new Failure.InvalidInput(kind, "err.query");
        }
        if (typed != null && typed.length() > 200) throw new Failure.InvalidInput(kind, "err.search.long");
        String needle = typed == null ? "" : typed.toLowerCase(java.util.Locale.ROOT);
        List<Pages.Option> options = switch (kind) {
            case "departments" -> services.directory().departments(tenant).stream()
                    .filter(d -> d.id().toLowerCase(java.util.Locale.ROOT).contains(needle) || (d.name() != null && d.name().toLowerCase(java.util.Locale.ROOT).contains(needle)))
                    .limit(PICK).map(d -> new Pages.Option(d.id(), d.name())).toList();
            case "groups" -> services.directory().accessGroups(tenant).stream()
                    .filter(g -> g.id().toLowerCase(java.util.Locale.ROOT).contains(needle) || (g.name() != null && g.name().toLowerCase(java.util.Locale.ROOT).contains(needle)))
                    .limit(PICK).map(g -> new Pages.Option(g.id(), g.name())).toList();
            case "users" -> services.queries().keysetPage(tenant, typed == null ? UserFilter.and(List.of())
                            : UserFilter.or(List.of(UserFilter.contains(Attribute.NAME, typed), UserFilter.contains(Attribute.USERNAME, typed),
                            UserFilter.contains(Attribute.ID, typed))), Order.NUM, null, PICK, UserDetail.PROFILE)
                    .users().stream().map(u -> new Pages.Option(u.id(), u.name())).toList();
            default -> throw new Failure.NotFound(Failure.Subject.ENDPOINT, kind);
        };
        render(ctx, 200, "options.jte", options);
    }

    /** The tenant of the path, which must exist. */
    String tenant(Context ctx) {
        String tenant = ctx.pathParam("tenant");
        if (services.directory().tenant(tenant).isEmpty()) throw new Failure.NotFound(Failure.Subject.TENANT, tenant);
        return tenant;
    }

    // ---- request reading: malformed encodings are bad input, not a fault

    static String form(Context ctx, String name) {
        try {
            String value = ctx.formParam(name);
            if (value != null && value.length() > 4096) throw new Failure.InvalidInput(name, "err.long");
            return value;
        } catch (Failure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new Failure.InvalidInput("body", "err.form");
        }
    }

    static String query(Context ctx, String name) {
        try {
            return ctx.queryParam(name);
        } catch (RuntimeException e) {
            throw new Failure.InvalidInput(name, "err.query");
        }
    }

    /** Every value of a repeated form field (a picker's chosen ids and the one being added), split at spaces and commas. */
    static List<String> formWords(Context ctx, String name) {
        List<String> values;
        try {
            values = ctx.formParams(name);
        } catch (RuntimeException e) {
            throw new Failure.InvalidInput("body", "err.form");
        }
        if (values.size() > 1000) throw new Failure.InvalidInput(name, "err.many");
        return values.stream().flatMap(v -> words(v).stream()).distinct().toList();
    }

    static String trimmed(String value) {
        if (value == null) return null;
        String t = value.strip();
        return t.isEmpty() ? null : t;
    }

    static String nonNull(String value) {
        return value == null ? "" : value;
    }

    static List<String> words(String value) {
        String t = trimmed(value);
        return t == null ? List.of() : List.of(t.split("[,\\s]+")).stream().filter(w -> !w.isEmpty()).distinct().toList();
    }

    /** The form field a core refusal names: "$.acs.groups[0]" is "groups", "$.email" is "email". */
    static String field(Failure e) {
        String path = e instanceof Failure.InvalidInput i ? i.path() : e instanceof Failure.Conflict c ? c.path() : "$";
        String p = path == null ? "" : path.startsWith("$.") ? path.substring(2) : path.startsWith("$") ? path.substring(1) : path;
        if (p.startsWith("acs.")) p = p.substring(4);
        int end = 0;
        while (end < p.length() && (Character.isLetterOrDigit(p.charAt(end)) || p.charAt(end) == '_')) end++;
        String name = p.substring(0, end);
        return name.isEmpty() ? "form" : name;
    }

    static String reason(Failure e) {
        return e instanceof Failure.InvalidInput i ? i.reason() : e instanceof Failure.Conflict c ? c.reason() : e.getMessage();
    }

    static String url(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String queryString(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        params.forEach((k, v) -> {
            if (v == null) return;
            b.append(b.length() == 0 ? '?' : '&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return b.toString();
    }
}
