package roster.console;

import static roster.console.Console.BASE;
import static roster.console.Console.form;
import static roster.console.Console.redirect;
import static roster.console.Console.trimmed;
import static roster.console.Console.url;
import static roster.console.Console.words;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import roster.auth.Tokens;
import roster.crypto.Keys;
import roster.model.App;
import roster.model.Failure;
import roster.model.Grant;
import roster.model.TenantApp;
import roster.model.VisibleTo;

/**
 * The apps of a tenant: create, name and scopes, who each may see ({@code visible_to}), the secret (rotated, shown
 * once) and its long-lived tokens (minted and shown once, listed without their value, revoked). Tokens go through
 * the same {@link Tokens} calls as the admin API's {@code /apps/{app}/tokens}.
 */
final class AppPages {

    /** The kind and prefix of the admin API's long-lived tokens: SCIM clients take one as Bearer. */
    private static final String KIND = Tokens.LONG_LIVED;

    private final Console console;

    AppPages(Console console) {
        this.console = console;
    }

    void register(Javalin app, String tenant) {
        Console.page(app, tenant + "/apps", ctx -> listPage(ctx, 200, null, null, Map.of()));
        app.post(tenant + "/apps", this::create);
        Console.page(app, tenant + "/apps/{id}", ctx -> appPage(ctx, 200, app(ctx), null, Map.of()));
        app.post(tenant + "/apps/{id}", this::save);
        app.post(tenant + "/apps/{id}/secret", this::rotateSecret);
        app.post(tenant + "/apps/{id}/tokens", this::mint);
        app.post(tenant + "/apps/{id}/tokens/{token}/revoke", this::revoke);
    }

    private void listPage(Context ctx, int status, String secretFor, String secret, Map<String, String> errors) {
        String tenant = console.tenant(ctx);
        List<App> apps = console.services.directory().apps(tenant);
        List<String> scopes = apps.stream().flatMap(a -> a.scopes().stream()).distinct().sorted().toList();
        console.render(ctx, status, "apps.jte", new Pages.Apps(console.frame(ctx, "apps.title", tenant), apps, scopes, secretFor, secret, errors));
    }

    /** One app: its form, its tokens; minted is a token just minted, shown this once. */
    private void appPage(Context ctx, int status, TenantApp app, String minted, Map<String, String> errors) {
        List<Grant> tokens = console.services.tokens().list(KIND, app.app().id());
        console.render(ctx, status, "app.jte", new Pages.AppPage(console.frame(ctx, "apps.title", app.tenantId()), app.app(), tokens, minted, errors));
    }

    private void create(Context ctx) {
        String tenant = console.tenant(ctx);
        String id = trimmed(form(ctx, "id"));
        String secret = Keys.randomToken(24);
        App app = new App(id, secret, trimmed(form(ctx, "name")), words(form(ctx, "scopes")), trimmed(form(ctx, "vendor")), null);
        try {
            if (id != null && console.services.directory().app(id).isPresent()) throw new Failure.Conflict("$.id", "app " + id + " exists");
            console.directory(ctx).putApp(tenant, app);
        } catch (Failure.InvalidInput | Failure.Conflict e) {
            listPage(ctx, 400, null, null, Map.of("new." + Console.field(e), Console.reason(e)));
            return;
        }
        listPage(ctx, 201, id, secret, Map.of());
    }

    private TenantApp app(Context ctx) {
        String id = ctx.pathParam("id");
        String tenant = console.tenant(ctx);
        return console.services.directory().app(id).filter(a -> a.tenantId().equals(tenant))
                .orElseThrow(() -> new Failure.NotFound(Failure.Subject.APP, id));
    }

    /** Name, scopes and (when the form has them) who the app may see; its secret and event keys are kept. */
    private void save(Context ctx) {
        TenantApp current = app(ctx);
        App was = current.app();
        VisibleTo visible = form(ctx, "visible") == null ? was.visibleTo() : "all".equals(form(ctx, "visible")) ? VisibleTo.ALL
                : new VisibleTo(false, Console.formWords(ctx, "departments"), Console.formWords(ctx, "users"));
        App app = new App(was.id(), null, trimmed(form(ctx, "name")), words(form(ctx, "scopes")), was.vendor(), visible);
        try {
            console.directory(ctx).putApp(current.tenantId(), app);
        } catch (Failure.InvalidInput | Failure.Conflict e) {
            if (form(ctx, "visible") == null) listPage(ctx, 400, null, null, Map.of(was.id() + "." + Console.field(e), Console.reason(e)));
            else appPage(ctx, 400, current, null, Map.of(Console.field(e), Console.reason(e)));
            return;
        }
        if (form(ctx, "visible") == null) listPage(ctx, 200, null, null, Map.of());
        else redirect(ctx, BASE + "/tenants/" + url(current.tenantId()) + "/apps/" + url(was.id()));
    }

    /** A new secret, shown once; the app's tokens issued under the old one are revoked by the core. */
    private void rotateSecret(Context ctx) {
        TenantApp current = app(ctx);
        String secret = Keys.randomToken(24);
        console.directory(ctx).putApp(current.tenantId(), current.app().withSecret(secret));
        listPage(ctx, 200, current.app().id(), secret, Map.of());
    }

    private void mint(Context ctx) {
        TenantApp app = app(ctx);
        String days = trimmed(form(ctx, "days"));
        if (days == null || !days.matches("\\d{1,4}") || Integer.parseInt(days) < 1 || Integer.parseInt(days) > 3650) {
            appPage(ctx, 400, app, null, Map.of("days", "1–3650"));
            return;
        }
        Tokens.Minted minted = console.services.tokens().mint(KIND, Tokens.LONG_LIVED_PREFIX, app, Duration.ofDays(Integer.parseInt(days)));
        appPage(ctx, 201, app, minted.value(), Map.of());
    }

    private void revoke(Context ctx) {
        TenantApp app = app(ctx);
        if (!console.services.tokens().revoke(KIND, app.app().id(), ctx.pathParam("token"))) {
            throw new Failure.NotFound(Failure.Subject.APP, app.app().id() + " token " + ctx.pathParam("token"));
        }
        redirect(ctx, BASE + "/tenants/" + url(app.tenantId()) + "/apps/" + url(app.app().id()));
    }
}
