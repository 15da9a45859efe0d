package roster.dialect.authing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roster.core.FrontEnd;
import roster.core.Services;
import roster.crypto.Keys;
import roster.directory.Directory;
import roster.http.RequestIds;
import roster.model.Attribute;
import roster.model.Failure;
import roster.model.TenantApp;
import roster.model.User;
import roster.model.UserDetail;
import roster.model.UserFilter;
import roster.query.UserQueries;

/**
 * Authing management API v3, user calls: what cn.authing:authing-java-sdk and authing-node-sdk send.
 * Every answer is HTTP 200 with the outcome in the body's statusCode (see {@link AuthingError}).
 */
public final class AuthingDialect implements FrontEnd.Started {

    private static final Logger log = LoggerFactory.getLogger(AuthingDialect.class);
    private static final String BASE = "/api/v3";
    private static final String TOKEN_PATH = BASE + "/get-management-token";
    static final String SCOPE = "authing:management";
    private static final String CALLER = "authing.caller";

    public static final FrontEnd FRONT_END = new FrontEnd("authing", Set.of(SCOPE), null, AuthingDialect::new);

    private final Directory directory;
    private final UserQueries queries;
    private final Services services;
    private final ManagementTokens tokens;
    private final RequestSignature signatures;
    private final byte[] identityKey;

    private AuthingDialect(Services services) {
        this.services = services;
        this.directory = services.directory();
        this.queries = services.queries();
        this.tokens = new ManagementTokens(services.tokens(), services.keys(), services.clock());
        this.signatures = new RequestSignature(services.apps(), services.replays(), services.clock());
        this.identityKey = services.keys().derive("authing-identity-id");
    }

    @Override
    public List<String> paths() {
        return List.of(BASE + "/");
    }

    @Override
    public void register(Javalin app) {
        app.before(BASE + "/*", ctx -> {
            if (!ctx.path().equals(TOKEN_PATH)) ctx.attribute(CALLER, authenticate(ctx));
        });
        app.post(TOKEN_PATH, this::managementToken);
        app.get(BASE + "/list-users", ctx -> listUsers(ctx, ListUsersQuery.fromQueryString(ctx, visible(ctx))));
        app.post(BASE + "/list-users", ctx -> listUsers(ctx, ListUsersQuery.fromBody(AuthingRequests.body(ctx), visible(ctx))));
        app.get(BASE + "/get-user", this::getUser);
        app.post(BASE + "/create-user", this::createUser);
        app.post(BASE + "/update-user", this::updateUser);
        app.post(BASE + "/delete-users-batch", this::deleteUsers);
        // registered last: any other path under /api/v3 gets Authing's envelope, not the server's plain 404
        app.get(BASE + "/*", ctx -> { throw AuthingError.NO_SUCH_API.refuse("no such API: GET " + ctx.path()); });
        app.post(BASE + "/*", ctx -> { throw AuthingError.NO_SUCH_API.refuse("no such API: POST " + ctx.path()); });
    }

    // ---- token and authorization

    private void managementToken(Context ctx) {
        JsonNode body = AuthingRequests.body(ctx);
        String id = AuthingRequests.text(body.get("accessKeyId"), "accessKeyId");
        String secret = AuthingRequests.text(body.get("accessKeySecret"), "accessKeySecret");
        if (id == null || secret == null) throw AuthingError.BAD_REQUEST.refuse("accessKeyId and accessKeySecret are required");
        TenantApp app = services.callers().admit(services.apps().authenticate(id, secret).orElseThrow(AuthingError.BAD_CREDENTIALS::refuse), SCOPE);
        ManagementTokens.Issued issued = tokens.issue(app);
        ObjectNode data = AuthingJson.MAPPER.createObjectNode().put("access_token", issued.jwt()).put("expires_in", issued.expiresIn());
        ok(ctx, data);
    }

    /**
     * The calling app, from any of Authing's three forms: the raw token (Java SDK), "Bearer token" (Go and
     * Python SDKs) or a per-request signature (Node SDK). The Java SDK also sends the signature headers, but
     * no signature: with a token present, none is asked for.
     */
    private TenantApp authenticate(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization == null || authorization.isBlank()) throw AuthingError.UNAUTHORIZED.refuse();
        authorization = authorization.trim();
        if (authorization.regionMatches(true, 0, RequestSignature.SCHEME, 0, RequestSignature.SCHEME.length())) {
            return services.callers().admit(signatures.verify(ctx, authorization), SCOPE);
        }
        String token = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : authorization;
        return services.callers().byGrant(tokens.verify(token), SCOPE);
    }

    private static TenantApp caller(Context ctx) {
        return ctx.attribute(CALLER);
    }

    /** The users the calling app may see. */
    private static UserFilter visible(Context ctx) {
        return UserFilter.visibleTo(caller(ctx).app().visibleTo());
    }

    /** Writes are for keys that see the whole pool: a partial view cannot tell where a new user may go. */
    private static TenantApp writer(Context ctx) {
        TenantApp app = caller(ctx);
        if (!app.app().visibleTo().all()) throw AuthingError.READ_ONLY.refuse();
        return app;
    }

    // ---- users

    private void listUsers(Context ctx, ListUsersQuery query) {
        // memberships are read only when the answer shows them
        UserDetail detail = query.extras().departmentIds() ? UserDetail.PROFILE : UserDetail.ROW;
        UserQueries.OffsetPage page = queries.offsetPage(caller(ctx).tenantId(), query.filter(), query.order(), query.offset(), query.limit(), detail);
        List<UserDto> list = page.users().stream().map(u -> UserDto.from(u, query.extras(), identityKey)).toList();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("totalCount", page.total());
        data.put("list", list);
        ok(ctx, data);
    }

    private void getUser(Context ctx) {
        String userId = ctx.queryParam("userId");
        if (userId == null || userId.isBlank()) throw AuthingError.BAD_REQUEST.refuse("userId is required");
        User user = find(ctx, ctx.queryParam("userIdType"), userId);
        UserDto.Extras extras = new UserDto.Extras(AuthingRequests.boolParam(ctx, "withCustomData"),
                AuthingRequests.boolParam(ctx, "withIdentities"), AuthingRequests.boolParam(ctx, "withDepartmentIds"));
        ok(ctx, UserDto.from(user, extras, identityKey));
    }

    private void createUser(Context ctx) {
        TenantApp app = writer(ctx);
        JsonNode body = AuthingRequests.body(ctx);
        rejectEncryptedPassword(body);
        // Authing assigns user ids: 24 hex digits, as its own
        User user = UserInput.apply(body, User.withId(HexFormat.of().formatHex(Keys.randomBytes(12))).build(), true).build();
        if (user.username() == null && user.email() == null && user.phone() == null && user.externalId() == null) {
            throw AuthingError.BAD_REQUEST.refuse("one of username, email, phone or externalId is required");
        }
        User created = directory.createUser(app.tenantId(), user);
        ok(ctx, UserDto.from(created, UserDto.Extras.ALL, identityKey));
    }

    private void updateUser(Context ctx) {
        TenantApp app = writer(ctx);
        JsonNode body = AuthingRequests.body(ctx);
        rejectEncryptedPassword(body);
        String userId = AuthingRequests.text(body.get("userId"), "userId");
        if (userId == null || userId.isBlank()) throw AuthingError.BAD_REQUEST.refuse("userId is required");
        String type = AuthingRequests.text(body.path("options").get("userIdType"), "options.userIdType");
        User user = find(ctx, type, userId);
        User updated = directory.updateUser(app.tenantId(), user.id(), u -> UserInput.apply(body, u, false).build());
        ok(ctx, UserDto.from(updated, UserDto.Extras.ALL, identityKey));
    }

    private void deleteUsers(Context ctx) {
        TenantApp app = writer(ctx);
        JsonNode body = AuthingRequests.body(ctx);
        JsonNode ids = body.get("userIds");
        if (ids == null || !ids.isArray() || ids.isEmpty()) throw AuthingError.BAD_REQUEST.refuse("userIds must be a non-empty array");
        if (ids.size() > 1000) throw AuthingError.BAD_REQUEST.refuse("userIds: at most 1000 at a time");
        String type = AuthingRequests.text(body.path("options").get("userIdType"), "options.userIdType");
        Set<String> resolved = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = AuthingRequests.text(ids.get(i), "userIds[" + i + "]");
            if (id == null) throw AuthingError.BAD_REQUEST.refuse("userIds[" + i + "] must be a string");
            resolved.add(find(ctx, type, id).id());
        }
        // all or nothing: one transaction, each deletion its own change in the feed
        directory.write(app.tenantId(), false, w -> {
            resolved.forEach(w::deleteUser);
            return null;
        });
        ok(ctx, Map.of("success", true));
    }

    /** A user the caller may see, by Authing's userIdType; 2004 when there is none. */
    private User find(Context ctx, String userIdType, String value) {
        Attribute key = switch (userIdType == null || userIdType.isBlank() ? "user_id" : userIdType) {
            case "user_id" -> Attribute.ID;
            case "username" -> Attribute.USERNAME;
            case "email" -> Attribute.EMAIL;
            case "phone" -> Attribute.PHONE;
            case "external_id" -> Attribute.EXTERNAL_ID;
            default -> throw AuthingError.BAD_REQUEST.refuse("userIdType must be user_id, username, email, phone or external_id");
        };
        TenantApp app = caller(ctx);
        // the Java SDK does not encode GET parameters: a '+' in an email arrives as a space
        String lookup = key == Attribute.EMAIL ? value.replace(' ', '+') : value;
        return queries.find(app.tenantId(), visible(ctx), key, lookup, UserDetail.PROFILE)
                .orElseThrow(() -> AuthingError.USER_NOT_FOUND.refuse("user not found: " + value));
    }

    private static void rejectEncryptedPassword(JsonNode body) {
        String type = body.path("options").path("passwordEncryptType").asText("none");
        if (!type.equals("none") && !type.isEmpty()) {
            throw AuthingError.BAD_REQUEST.refuse("options.passwordEncryptType: only none is supported (send the password over TLS)");
        }
    }

    // ---- the envelope

    private static void ok(Context ctx, Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", 200);
        body.put("message", "操作成功");
        body.put("apiCode", 20001);
        body.put("requestId", RequestIds.of(ctx));
        body.put("data", data);
        write(ctx, body);
    }

    @Override
    public void answer(Exception e, Context ctx) {
        AuthingError.Refusal refusal = e instanceof AuthingError.Refusal r ? r : refusalFor(Failure.of(e), ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", refusal.error.statusCode);
        body.put("message", refusal.getMessage());
        if (refusal.error.apiCode != null) body.put("apiCode", refusal.error.apiCode);
        body.put("requestId", RequestIds.of(ctx));
        write(ctx, body);
    }

    private static AuthingError.Refusal refusalFor(Failure failure, Context ctx) {
        return switch (failure.kind()) {
            case INVALID_INPUT, INVALID_CURSOR -> AuthingError.BAD_REQUEST.refuse(failure.getMessage());
            case CONFLICT -> AuthingError.CONFLICT.refuse(failure.getMessage());
            case NOT_FOUND -> (((Failure.NotFound) failure).subject() == Failure.Subject.USER
                    ? AuthingError.USER_NOT_FOUND : AuthingError.NO_SUCH_API).refuse(failure.getMessage());
            case UNAUTHORIZED -> AuthingError.UNAUTHORIZED.refuse("the management token is invalid, expired or revoked");
            case FORBIDDEN -> AuthingError.FORBIDDEN.refuse();
            case RATE_LIMITED -> {
                ctx.header("Retry-After", String.valueOf(((Failure.RateLimited) failure).resetSeconds()));
                yield AuthingError.TOO_MANY_REQUESTS.refuse(failure.getMessage());
            }
            case BUSY -> AuthingError.UNAVAILABLE.refuse(failure.getMessage());
            // a wrong method, a body too large: the caller's doing
            case REFUSED -> (((Failure.Refused) failure).status() < 500 ? AuthingError.BAD_REQUEST : AuthingError.INTERNAL).refuse(failure.getMessage());
            case INTERNAL -> AuthingError.INTERNAL.refuse();
        };
    }

    /** HTTP 200 always: the Java SDK throws on any other status instead of reading statusCode. */
    private static void write(Context ctx, Object body) {
        try {
            ctx.status(200).contentType("application/json; charset=utf-8").result(AuthingJson.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            log.error("cannot write an Authing answer", e);
            ctx.status(500).result("{\"statusCode\":500,\"message\":\"internal error\"}");
        }
    }
}
