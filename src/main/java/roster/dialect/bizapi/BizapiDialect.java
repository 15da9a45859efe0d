package roster.dialect.bizapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import roster.core.FrontEnd;
import roster.core.Services;
import roster.model.CanonicalJson;
import roster.model.Department;
import roster.model.Failure;
import roster.model.Order;
import roster.model.TenantApp;
import roster.model.UserFilter;
import roster.model.VisibleTo;
import roster.query.UserQueries;

/**
 * The organisation user list with sequence-based incremental sync: GET /user/list gives the users of an org
 * (a department and its whole subtree) changed after lastSequence, in sequence order, each once with the
 * sequence of its latest change. Sequence numbers are handed out in commit order (see TenantWriter), so a
 * client that asks again with the largest lastSequence it has seen never misses a change that stays in the org.
 *
 * <p>What this wire cannot say: a user deleted, or moved out of the org (or out of the app's sight), simply stops
 * appearing. Clients that must notice removals read the admin change feed, which has tombstones.
 */
public final class BizapiDialect implements FrontEnd.Started {

    static final String SCOPE = "bizapi:org-users";
    private static final String TOKEN_PATH = "/oauth2/token";
    private static final String LIST_PATH = "/user/list";
    private static final int MAX_LIMIT = 1000;

    /** The wire is camelCase; the canonical mapper is snake_case. */
    private static final ObjectMapper WIRE = JsonMapper.builder(CanonicalJson.factory()).build();

    public static final FrontEnd FRONT_END = new FrontEnd("bizapi", Set.of(SCOPE), null, BizapiDialect::new);

    private final Services services;
    private final ClientCredentials clientCredentials;

    private BizapiDialect(Services services) {
        this.services = services;
        this.clientCredentials = new ClientCredentials(services);
    }

    @Override
    public List<String> paths() {
        return List.of(TOKEN_PATH, LIST_PATH);
    }

    @Override
    public void register(Javalin app) {
        app.post(TOKEN_PATH, ctx -> {
            noStore(ctx);
            write(ctx, 200, clientCredentials.issue(ctx));
        });
        app.get(LIST_PATH, this::listUsers);
    }

    private void listUsers(Context ctx) {
        TenantApp app = caller(ctx);
        long orgId = longParam(ctx, "orgId", null, 1, Long.MAX_VALUE);
        long lastSequence = longParam(ctx, "lastSequence", 0L, 0, Long.MAX_VALUE);
        int limit = (int) longParam(ctx, "limit", (long) MAX_LIMIT, 1, MAX_LIMIT);
        Department org = services.directory().departmentByNum(app.tenantId(), orgId)
                .orElseThrow(() -> BizapiError.ORG_NOT_FOUND.because("orgId " + orgId));
        if (!seesSomeOf(app, org)) throw BizapiError.ORG_FORBIDDEN.because("orgId " + orgId);

        UserFilter filter = UserFilter.and(UserFilter.visibleTo(app.app().visibleTo()), new UserFilter.InDepartments(List.of(org.id())));
        // users.seq is the user's latest change, so each user comes once, where its latest change puts it
        UserQueries.KeysetPage page = services.queries().keysetPage(app.tenantId(), filter, Order.SEQUENCE, lastSequence, limit, OrgTreeUserVO.ATTRIBUTES);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", 0);
        body.put("data", page.users().stream().map(OrgTreeUserVO::of).toList());
        body.put("message", "success");
        body.put("status", "success");
        write(ctx, 200, body);
    }

    /** The app behind accessToken; the token counts only together with its own app's X-App-Id. */
    private TenantApp caller(Context ctx) {
        String appId = ctx.header("X-App-Id");
        String token = ctx.queryParam("accessToken");
        if (appId == null || appId.isBlank()) throw BizapiError.BAD_TOKEN.because("X-App-Id is missing");
        if (token == null || !token.startsWith(ClientCredentials.TOKEN_PREFIX)) {
            throw BizapiError.BAD_TOKEN.because("accessToken is missing or malformed");
        }
        return services.callers().byGrant(services.tokens().verify(ClientCredentials.TOKEN_KIND,
                token.substring(ClientCredentials.TOKEN_PREFIX.length())).filter(g -> g.grant().appId().equals(appId.trim())), SCOPE);
    }

    /**
     * Whether the app may see any part of the org: the org lies inside a department it sees, a department it
     * sees lies inside the org, or a user it sees by name is a member of the org. An org it sees no part of is
     * refused (403) rather than answered with an empty list, so that a misconfigured client notices.
     */
    private boolean seesSomeOf(TenantApp app, Department org) {
        VisibleTo visible = app.app().visibleTo();
        if (visible.all()) return true;
        Map<String, String> parents = new HashMap<>();
        for (Department d : services.directory().departments(app.tenantId())) parents.put(d.id(), d.parent());
        Set<String> visibleDepartments = new HashSet<>(visible.departments());
        for (String d = org.id(); d != null; d = parents.get(d)) {
            if (visibleDepartments.contains(d)) return true;
        }
        for (String start : visible.departments()) {
            for (String d = start; d != null; d = parents.get(d)) {
                if (d.equals(org.id())) return true;
            }
        }
        if (visible.users().isEmpty()) return false;
        UserFilter namedInOrg = UserFilter.and(UserFilter.in(roster.model.Attribute.ID, visible.users()),
                new UserFilter.InDepartments(List.of(org.id())));
        return services.queries().count(app.tenantId(), namedInOrg) > 0;
    }

    private static long longParam(Context ctx, String name, Long fallback, long min, long max) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            if (fallback == null) throw BizapiError.BAD_PARAMETER.because(name + " is required");
            return fallback;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < min || n > max) throw BizapiError.BAD_PARAMETER.because(name + " must be from " + min + " to " + max);
            return n;
        } catch (NumberFormatException e) {
            throw BizapiError.BAD_PARAMETER.because(name + " must be an integer");
        }
    }

    // ---- answers

    private static void noStore(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
    }

    private static void write(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json; charset=utf-8").result(WIRE.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void fail(Context ctx, int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("data", Map.of());
        body.put("message", message);
        body.put("status", "fail");
        write(ctx, code, body);
    }

    @Override
    public void answer(Exception e, Context ctx) {
        if (ctx.path().startsWith(TOKEN_PATH)) {
            OAuthAnswer answer = e instanceof OAuthError.OAuthException o
                    ? new OAuthAnswer(o.error.httpStatus, o.error.code, o.getMessage()) : oauthAnswer(Failure.of(e), ctx);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", answer.error());
            body.put("error_description", answer.description());
            noStore(ctx);
            if (answer.error().equals(OAuthError.INVALID_CLIENT.code)) ctx.header("WWW-Authenticate", "Basic realm=\"roster\"");
            write(ctx, answer.status(), body);
        } else {
            BizapiError.BizapiException refusal = e instanceof BizapiError.BizapiException b ? b : listRefusal(Failure.of(e), ctx);
            fail(ctx, refusal.status(), refusal.getMessage());
        }
    }

    /** An RFC 6749 §5.2 error answer. */
    private record OAuthAnswer(int status, String error, String description) {}

    private static OAuthAnswer oauthAnswer(Failure failure, Context ctx) {
        return switch (failure.kind()) {
            case INVALID_INPUT, CONFLICT, INVALID_CURSOR, NOT_FOUND -> new OAuthAnswer(400, OAuthError.INVALID_REQUEST.code, "the request is malformed");
            case UNAUTHORIZED -> new OAuthAnswer(OAuthError.INVALID_CLIENT.httpStatus, OAuthError.INVALID_CLIENT.code, "client authentication failed");
            case FORBIDDEN -> new OAuthAnswer(OAuthError.UNAUTHORIZED_CLIENT.httpStatus, OAuthError.UNAUTHORIZED_CLIENT.code,
                    "the client may not call the organisation user API (scope " + SCOPE + ")");
            case RATE_LIMITED -> {
                ctx.header("Retry-After", String.valueOf(((Failure.RateLimited) failure).resetSeconds()));
                yield new OAuthAnswer(OAuthError.SLOW_DOWN.httpStatus, OAuthError.SLOW_DOWN.code, failure.getMessage());
            }
            // RFC 6749 names both server failures: temporarily_unavailable (busy, retry) and server_error
            case BUSY -> new OAuthAnswer(503, "temporarily_unavailable", failure.getMessage());
            case REFUSED -> {
                int status = ((Failure.Refused) failure).status(); // wrong method, body too large
                yield status >= 500 ? new OAuthAnswer(500, "server_error", "internal error")
                        : new OAuthAnswer(status, OAuthError.INVALID_REQUEST.code, failure.getMessage());
            }
            case INTERNAL -> new OAuthAnswer(500, "server_error", "internal error");
        };
    }

    private static BizapiError.BizapiException listRefusal(Failure failure, Context ctx) {
        return switch (failure.kind()) {
            case INVALID_INPUT, CONFLICT, INVALID_CURSOR -> BizapiError.BAD_PARAMETER.because(failure.getMessage());
            case NOT_FOUND -> BizapiError.ORG_NOT_FOUND.status(404, failure.getMessage());
            case UNAUTHORIZED -> BizapiError.BAD_TOKEN.because(null);
            case FORBIDDEN -> BizapiError.BAD_TOKEN.because("the app may not call this API (scope " + SCOPE + ")");
            case RATE_LIMITED -> {
                ctx.header("Retry-After", String.valueOf(((Failure.RateLimited) failure).resetSeconds()));
                yield BizapiError.RATE_LIMITED.because(null);
            }
            case BUSY -> BizapiError.UNAVAILABLE.status(503, failure.getMessage());
            case REFUSED -> BizapiError.REFUSED.status(((Failure.Refused) failure).status(), failure.getMessage());
            case INTERNAL -> BizapiError.INTERNAL.because(null);
        };
    }
}
