package roster.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import roster.core.FrontEnd;
import roster.auth.Tokens;
import roster.core.Services;
import roster.crypto.Keys;
import roster.directory.Directory;
import roster.fixture.FixtureReader;
import roster.http.DialectException;
import roster.http.RequestIds;
import roster.model.AccessGroup;
import roster.model.App;
import roster.model.Attribute;
import roster.model.CanonicalJson;
import roster.model.Department;
import roster.model.Failure;
import roster.model.Grant;
import roster.model.Order;
import roster.model.Status;
import roster.model.Tenant;
import roster.model.TenantApp;
import roster.model.User;
import roster.model.UserDetail;
import roster.model.UserFilter.Comparison;
import roster.model.Times;
import roster.model.UserFilter;
import roster.query.ChangeFeed;
import roster.query.UserQueries;

/**
 * The admin API under /admin/v1: the canonical directory in the fixture's field names, behind the admin token.
 * Every kind of record can be listed, read, created (POST), replaced (PUT), patched (PATCH, a JSON merge patch)
 * and deleted.
 */
public final class AdminApi implements FrontEnd.Started {

    private static final String BASE = "/admin/v1";
    private final Services services;
    private final Directory directory;
    private final String adminToken;

    public static FrontEnd frontEnd(String adminToken) {
        return new FrontEnd("admin", Set.of(), null, services -> new AdminApi(services, adminToken));
    }

    private AdminApi(Services services, String adminToken) {
        this.services = services;
        this.directory = services.directory();
        this.adminToken = adminToken;
    }

    /** A failure of the admin API, answered as {"error", "message", "path"?, "request_id"}. */
    static final class AdminError extends DialectException {
        final int status;
        final String code;
        final String path;

        AdminError(int status, String code, String message, String path) {
            super(message);
            this.status = status;
            this.code = code;
            this.path = path;
        }
    }

    @Override
    public void register(Javalin app) {
        app.before(BASE + "/*", this::authorize);
        app.before(BASE, this::authorize);

        resource(app, BASE + "/tenants", "{tenant}", new Resource<>(Tenant.class, Failure.Subject.TENANT,
                ctx -> directory.tenants(),
                (ctx, id) -> directory.tenant(id),
                (ctx, t) -> directory.putTenant(t, true),
                (ctx, t) -> directory.putTenant(t, false),
                (ctx, id) -> directory.deleteTenant(id),
                (t, id) -> new Tenant(id, t.name()), Tenant::id));

        String tenant = BASE + "/tenants/{tenant}";
        resource(app, tenant + "/departments", "{id}", new Resource<>(Department.class, Failure.Subject.DEPARTMENT,
                ctx -> directory.departments(tenantOf(ctx)),
                (ctx, id) -> directory.department(tenantOf(ctx), id),
                (ctx, d) -> directory.write(tenantOf(ctx), false, w -> {
                    if (w.hasDepartment(d.id())) throw new Failure.Conflict("$.id", "department " + d.id() + " exists");
                    return w.putDepartment("$", d);
                }),
                (ctx, d) -> directory.write(tenantOf(ctx), false, w -> w.putDepartment("$", d)),
                (ctx, id) -> directory.write(tenantOf(ctx), false, w -> {
                    w.deleteDepartment(id);
                    return null;
                }),
                (d, id) -> new Department(id, d.num(), d.name(), d.parent()), Department::id));

        resource(app, tenant + "/access-groups", "{id}", new Resource<>(AccessGroup.class, Failure.Subject.ACCESS_GROUP,
                ctx -> directory.accessGroups(tenantOf(ctx)),
                (ctx, id) -> directory.accessGroup(tenantOf(ctx), id),
                (ctx, g) -> directory.write(tenantOf(ctx), false, w -> {
                    if (w.hasAccessGroup(g.id())) throw new Failure.Conflict("$.id", "access group " + g.id() + " exists");
                    w.putAccessGroup("$", g);
                    return g;
                }),
                (ctx, g) -> directory.write(tenantOf(ctx), false, w -> {
                    w.putAccessGroup("$", g);
                    return g;
                }),
                (ctx, id) -> directory.write(tenantOf(ctx), false, w -> {
                    w.deleteAccessGroup(id);
                    return null;
                }),
                (g, id) -> new AccessGroup(id, g.name()), AccessGroup::id));

        resource(app, tenant + "/apps", "{id}", new Resource<>(App.class, Failure.Subject.APP,
                ctx -> directory.apps(tenantOf(ctx)),
                (ctx, id) -> directory.app(id).filter(a -> a.tenantId().equals(tenantOf(ctx))).map(a -> a.app()),
                (ctx, a) -> {
                    if (directory.app(a.id()).isPresent()) throw new Failure.Conflict("$.id", "app " + a.id() + " exists");
                    return putApp(ctx, a);
                },
                this::putApp,
                (ctx, id) -> directory.deleteApp(tenantOf(ctx), id),
                (a, id) -> new App(id, a.secret(), a.name(), a.scopes(), a.vendor(), a.visibleTo(), a.encryptKey(), a.verificationToken()), App::id));

        app.get(tenant + "/apps/{app}/tokens", ctx -> ctx.json(Map.of("items",
                services.tokens().list(LONG_LIVED, appOf(ctx).app().id()).stream().map(AdminApi::tokenView).toList())));
        app.post(tenant + "/apps/{app}/tokens", this::mintToken);
        app.delete(tenant + "/apps/{app}/tokens/{token}", ctx -> {
            if (!services.tokens().revoke(LONG_LIVED, appOf(ctx).app().id(), ctx.pathParam("token"))) {
                throw new AdminError(404, "not_found", "token not found: " + ctx.pathParam("token"), null);
            }
            ctx.status(204);
        });

        app.get(tenant + "/users", this::listUsers);
        app.post(tenant + "/users", ctx -> ctx.status(201).json(directory.createUser(tenantOf(ctx), body(ctx, User.class))));
        app.get(tenant + "/users/{id}", ctx -> ctx.json(directory.user(tenantOf(ctx), ctx.pathParam("id"))
                .orElseThrow(() -> new Failure.NotFound(Failure.Subject.USER, ctx.pathParam("id")))));
        app.put(tenant + "/users/{id}", ctx -> {
            User user = body(ctx, User.class);
            checkId(user.id(), ctx.pathParam("id"));
            ctx.json(directory.putUser(tenantOf(ctx), user.id() == null ? withId(user, ctx.pathParam("id")) : user));
        });
        app.patch(tenant + "/users/{id}", ctx -> ctx.json(directory.patchUser(tenantOf(ctx), ctx.pathParam("id"), tree(ctx))));
        app.delete(tenant + "/users/{id}", ctx -> {
            directory.deleteUser(tenantOf(ctx), ctx.pathParam("id"));
            ctx.status(204);
        });
        app.get(tenant + "/changes", this::changes);
        app.post(BASE + "/load", ctx -> {
            var summary = new FixtureReader(directory, n -> {}).load(ctx.bodyInputStream());
            ctx.json(Map.of("created", summary.created, "updated", summary.updated, "deleted", summary.deleted,
                    "unchanged", summary.unchanged));
        });

    }

    @Override
    public List<String> paths() {
        return List.of(BASE);
    }

    @Override
    public void answer(Exception e, Context ctx) {
        AdminError error = e instanceof AdminError a ? a : errorFor(Failure.of(e));
        error(ctx, error.status, error.code, error.getMessage(), error.path);
    }

    private static AdminError errorFor(Failure failure) {
        return switch (failure.kind()) {
            case INVALID_INPUT -> {
                Failure.InvalidInput i = (Failure.InvalidInput) failure;
                yield new AdminError(400, "invalid_input", i.reason(), i.path());
            }
            case CONFLICT -> {
                Failure.Conflict c = (Failure.Conflict) failure;
                yield new AdminError(409, "conflict", c.reason(), c.path());
            }
            case NOT_FOUND -> new AdminError(404, "not_found", failure.getMessage(), null);
            case INVALID_CURSOR -> new AdminError(400, "invalid_input", "cursor is invalid", "cursor");
            case UNAUTHORIZED -> new AdminError(401, "unauthorized", failure.getMessage(), null);
            case FORBIDDEN -> new AdminError(403, "forbidden", failure.getMessage(), null);
            case RATE_LIMITED -> new AdminError(429, "rate_limited", failure.getMessage(), null);
            case BUSY -> new AdminError(503, "http_503", failure.getMessage(), null);
            case REFUSED -> {
                int status = ((Failure.Refused) failure).status();
                yield new AdminError(status, "http_" + status, failure.getMessage(), null);
            }
            case INTERNAL -> new AdminError(500, "internal", "internal error", null);
        };
    }

    private void authorize(Context ctx) {
        String header = ctx.header("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : null;
        if (!Keys.constantTimeEquals(token, adminToken)) {
            throw new AdminError(401, "unauthorized", "the admin API needs Authorization: Bearer <ROSTER_ADMIN_TOKEN>", null);
        }
    }

    private static void error(Context ctx, int status, String code, String message, String path) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        if (path != null) body.put("path", path);
        body.put("request_id", RequestIds.of(ctx));
        ctx.status(status).json(body);
    }

    // ---- one shape of routes for tenants, departments, access groups and apps

    private record Resource<T>(
            Class<T> type,
            Failure.Subject subject,
            Function<Context, List<T>> list,
            BiFunction<Context, String, Optional<T>> get,
            BiFunction<Context, T, T> create,
            BiFunction<Context, T, T> replace,
            BiConsumer<Context, String> delete,
            BiFunction<T, String, T> withId,
            Function<T, String> idOf) {}

    private <T> void resource(Javalin app, String path, String idParam, Resource<T> r) {
        String one = path + "/" + idParam;
        String name = idParam.substring(1, idParam.length() - 1);
        app.get(path, ctx -> ctx.json(Map.of("items", r.list().apply(ctx))));
        app.post(path, ctx -> ctx.status(201).json(r.create().apply(ctx, body(ctx, r.type()))));
        app.get(one, ctx -> ctx.json(found(r, ctx, ctx.pathParam(name))));
        app.put(one, ctx -> {
            T value = body(ctx, r.type());
            checkId(r.idOf().apply(value), ctx.pathParam(name));
            ctx.json(r.replace().apply(ctx, r.withId().apply(value, ctx.pathParam(name))));
        });
        app.patch(one, ctx -> {
            T current = found(r, ctx, ctx.pathParam(name));
            T patched = Directory.merge(current, tree(ctx), r.type());
            checkId(r.idOf().apply(patched), ctx.pathParam(name));
            ctx.json(r.replace().apply(ctx, patched));
        });
        app.delete(one, ctx -> {
            r.delete().accept(ctx, ctx.pathParam(name));
            ctx.status(204);
        });
    }

    private static <T> T found(Resource<T> r, Context ctx, String id) {
        return r.get().apply(ctx, id).orElseThrow(() -> new Failure.NotFound(r.subject(), id));
    }

    private App putApp(Context ctx, App app) {
        directory.putApp(tenantOf(ctx), app);
        return app.withoutSecrets();
    }

    // ---- long-lived tokens (the kind the SCIM front end accepts as Bearer, beside those of /oauth2/token)

    /** The kind of the tokens minted here; SCIM clients (Entra ID, Okta) are configured with one. */
    private static final String LONG_LIVED = Tokens.LONG_LIVED;

    private void mintToken(Context ctx) {
        TenantApp app = appOf(ctx);
        long seconds = 365L * 24 * 3600;
        if (ctx.bodyAsBytes().length > 0) {
            JsonNode expires = tree(ctx).get("expires_in");
            if (expires != null) {
                if (!expires.canConvertToLong() || !expires.isIntegralNumber() || expires.asLong() < 60 || expires.asLong() > 315_360_000L) {
                    throw new Failure.InvalidInput("$.expires_in", "must be whole seconds between 60 and 315360000");
                }
                seconds = expires.asLong();
            }
        }
        Tokens.Minted minted = services.tokens().mint(LONG_LIVED, Tokens.LONG_LIVED_PREFIX, app, java.time.Duration.ofSeconds(seconds));
        Map<String, Object> body = tokenView(minted.grant());
        body.put("token", minted.value());
        ctx.status(201).header("Cache-Control", "no-store").json(body);
    }

    private TenantApp appOf(Context ctx) {
        String appId = ctx.pathParam("app");
        return directory.app(appId).filter(a -> a.tenantId().equals(tenantOf(ctx)))
                .orElseThrow(() -> new Failure.NotFound(Failure.Subject.APP, appId));
    }

    private static Map<String, Object> tokenView(Grant g) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", g.id());
        view.put("app", g.appId());
        view.put("issued_at", g.issuedAt());
        view.put("expires_at", g.expiresAt());
        return view;
    }

    // ---- users

    private void listUsers(Context ctx) {
        String tenantId = tenantOf(ctx);
        if (directory.tenant(tenantId).isEmpty()) throw new Failure.NotFound(Failure.Subject.TENANT, tenantId);
        List<UserFilter> filter = new ArrayList<>();
        String status = ctx.queryParam("status");
        if (status != null) filter.add(UserFilter.status(enumParam("status", status)));
        String department = ctx.queryParam("department");
        if (department != null) filter.add(new UserFilter.InDepartments(List.of(department)));
        String group = ctx.queryParam("access_group");
        if (group != null) filter.add(new UserFilter.InAccessGroup(group));
        Instant after = instantParam(ctx, "updated_after");
        Instant before = instantParam(ctx, "updated_before");
        if (after != null) filter.add(UserFilter.compare(Attribute.UPDATED_AT, Comparison.GREATER_OR_EQUAL, Times.millis(after, "updated_after")));
        if (before != null) filter.add(UserFilter.compare(Attribute.UPDATED_AT, Comparison.LESS_OR_EQUAL, Times.millis(before, "updated_before")));
        int limit = (int) longParam(ctx, "limit", 100, 1, 1000);
        String binding = "admin|" + tenantId + "|" + status + "|" + department + "|" + group + "|" + after + "|" + before;
        String cursor = ctx.queryParam("cursor");
        Long from = cursor == null || cursor.isEmpty() ? null : services.cursors().decode(binding, cursor);
        UserQueries.KeysetPage page = services.queries().keysetPage(tenantId, UserFilter.and(filter), Order.NUM, from, limit, UserDetail.PROFILE);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.users());
        if (page.next() != null) body.put("next_cursor", services.cursors().encode(binding, page.next()));
        ctx.json(body);
    }

    private void changes(Context ctx) {
        String tenantId = tenantOf(ctx);
        if (directory.tenant(tenantId).isEmpty()) throw new Failure.NotFound(Failure.Subject.TENANT, tenantId);
        long after = longParam(ctx, "after", 0, 0, Long.MAX_VALUE);
        int limit = (int) longParam(ctx, "limit", 100, 1, 1000);
        List<ChangeFeed.Change> changes = services.changes().after(tenantId, after, limit);
        List<Map<String, Object>> items = new ArrayList<>();
        for (ChangeFeed.Change c : changes) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("sequence", c.sequence());
            item.put("user_id", c.userId());
            item.put("user_num", c.userNum());
            item.put("deleted", c.deleted());
            item.put("changed_at", c.changedAt());
            if (c.user() != null) item.put("user", c.user());
            else if (!c.deleted()) item.put("superseded", true);
            items.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("changes", items);
        body.put("last_sequence", changes.isEmpty() ? after : changes.get(changes.size() - 1).sequence());
        body.put("has_more", changes.size() == limit);
        ctx.json(body);
    }

    // ---- request reading

    private static String tenantOf(Context ctx) {
        return ctx.pathParam("tenant");
    }

    private static JsonNode tree(Context ctx) {
        try {
            // JSON is UTF-8 (RFC 8259), whatever charset Content-Type names (an unknown one made ctx.body() throw)
            JsonNode node = CanonicalJson.MAPPER.readTree(new String(ctx.bodyAsBytes(), java.nio.charset.StandardCharsets.UTF_8));
            if (node == null || !node.isObject()) throw new Failure.InvalidInput("$", "the body must be a JSON object");
            return node;
        } catch (JsonProcessingException e) {
            throw new Failure.InvalidInput("$", "malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static <T> T body(Context ctx, Class<T> type) {
        return CanonicalJson.convert(tree(ctx), type, "$");
    }

    private static void checkId(String inBody, String inPath) {
        if (inBody != null && !inBody.equals(inPath)) throw new Failure.InvalidInput("$.id", "differs from the id in the path");
    }

    private static User withId(User user, String id) {
        ObjectNode node = CanonicalJson.MAPPER.valueToTree(user);
        node.put("id", id);
        return CanonicalJson.convert(node, User.class, "$");
    }

    private static Status enumParam(String name, String value) {
        for (Status s : Status.values()) if (s.wire().equals(value)) return s;
        throw new Failure.InvalidInput(name, "unknown status; one of active, suspended, resigned, archived, deactivated");
    }

    private static Instant instantParam(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) return null;
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new Failure.InvalidInput(name, "must be an RFC 3339 time");
        }
    }

    /** A whole-number query parameter in a range, read by Javalin's validator (its refusal names the parameter). */
    private static long longParam(Context ctx, String name, long fallback, long min, long max) {
        return ctx.queryParamAsClass(name, Long.class)
                .check(n -> n >= min && n <= max, "must be between " + min + " and " + max)
                .getOrDefault(fallback);
    }
}
