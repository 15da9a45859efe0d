package roster.dialect.enos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import roster.core.FrontEnd;
import roster.core.Services;
import roster.crypto.Passwords;
import roster.model.Attribute;
import roster.model.CanonicalJson;
import roster.model.Failure;
import roster.model.Grant;
import roster.model.LiveGrant;
import roster.model.Order;
import roster.model.Status;
import roster.model.TenantApp;
import roster.model.User;
import roster.model.UserDetail;
import roster.model.UserFilter;
import roster.query.UserQueries;

/**
 * EnOS App Portal v2.2 behind the EnOS API gateway. Two identities ride on each call: the app signs it at the
 * gateway (apim-* headers), and the signed-in user's token rides in Authorization: Bearer. The user list shows
 * what both may see: the app's visible_to, cut down to the departments the user administers.
 */
public final class EnosDialect implements FrontEnd.Started {

    private static final String TOKEN_SERVICE = "/apim-token-service";
    private static final String PORTAL = "/app-portal-service";
    static final String USER_TOKEN_KIND = "enos-user";
    private static final String USER_TOKEN_PREFIX = "enos-";
    private static final Duration USER_TOKEN_LIFE = Duration.ofSeconds(7200);
    private static final int DEFAULT_PAGE_SIZE = 1000;
    private static final int MAX_PAGE_SIZE = 1000;

    /** EnOS's wire is camelCase and keeps nulls; the canonical mapper is snake_case. */
    static final ObjectMapper WIRE = JsonMapper.builder(CanonicalJson.factory()).build();

    public static final FrontEnd FRONT_END = new FrontEnd("enos", Set.of(Gateway.SCOPE), null, EnosDialect::new);

    private final Services services;
    private final Gateway gateway;

    private EnosDialect(Services services) {
        this.services = services;
        this.gateway = new Gateway(services);
    }

    @Override
    public List<String> paths() {
        return List.of(TOKEN_SERVICE, PORTAL);
    }

    @Override
    public void register(Javalin app) {
        app.post(TOKEN_SERVICE + "/v2.0/token/get", ctx -> {
            Gateway.TokenData data = gateway.issueToken(jsonObject(ctx, EnosError.GATEWAY_PARAMETER_INVALID, EnosError.PARAMETER_EMPTY));
            gatewayAnswer(ctx, 200, 0, "SUCCESS", data);
        });
        app.post(PORTAL + "/v2.2/login", this::login);
        app.post(PORTAL + "/v2.2/user/list", this::listUsers);
    }

    // ---- App Portal

    record LoginData(String accessToken, long expire) {}

    private void login(Context ctx) {
        TenantApp app = gateway.verify(ctx);
        JsonNode body = jsonObject(ctx, EnosError.PARAMETER_INVALID, EnosError.PARAMETER_INVALID);
        String account = text(body, "account");
        String password = text(body, "password");
        Optional<User> user = services.directory().user(app.tenantId(), Attribute.USERNAME, account, UserDetail.SECRETS)
                .or(() -> services.directory().user(app.tenantId(), Attribute.EMAIL, account, UserDetail.SECRETS));
        String hash = user.map(User::passwordHash).orElse(null);
        boolean verified = Passwords.verify(password, hash == null ? Passwords.standIn() : hash) && hash != null;
        if (!verified || user.get().status() != Status.ACTIVE) {
            throw EnosError.USER_TOKEN_INVALID.because("The account or password is incorrect, or the account is not active.");
        }
        Grant grant = services.tokens().issue(USER_TOKEN_KIND, app, user.get().id(), USER_TOKEN_LIFE);
        portalAnswer(ctx, new LoginData(USER_TOKEN_PREFIX + services.tokens().secret(grant), grant.secondsLeft(services.clock())));
    }

    record Pagination(long totalElements, int pageSize, int pageNo) {}

    record UserListData(Pagination pagination, List<ApiUserDTO> users) {}

    private void listUsers(Context ctx) {
        TenantApp app = gateway.verify(ctx);
        User administrator = signedInUser(ctx, app);
        if (!administrator.isAdministrator()) throw EnosError.ADMINISTRATOR_REQUIRED.because(null);
        JsonNode body = ctx.bodyAsBytes().length == 0 ? WIRE.createObjectNode()
                : jsonObject(ctx, EnosError.PARAMETER_INVALID, EnosError.PARAMETER_INVALID);
        JsonNode pagination = body.get("pagination");
        if (pagination != null && !pagination.isNull() && !pagination.isObject()) {
            throw EnosError.PARAMETER_INVALID.because("pagination must be an object.");
        }
        int pageNo = intField(pagination, "pageNo", 0, 0, Integer.MAX_VALUE);
        int pageSize = intField(pagination, "pageSize", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);

        UserFilter filter = UserFilter.visibleTo(app.app().visibleTo());
        if (!administrator.administersWholeTenant()) filter = UserFilter.and(filter, new UserFilter.InDepartments(administrator.adminOf()));
        UserQueries.OffsetPage page = services.queries().offsetPage(app.tenantId(), filter, Order.NUM, (long) pageNo * pageSize,
                pageSize, ApiUserDTO.SHOWN);
        portalAnswer(ctx, new UserListData(new Pagination(page.total(), pageSize, pageNo),
                page.users().stream().map(ApiUserDTO::of).toList()));
    }

    /**
     * The user behind Authorization: Bearer, read afresh so that a change of roles applies at once. Its row is
     * enough: the departments it administers are on it, its memberships are not needed.
     */
    private User signedInUser(Context ctx, TenantApp app) {
        String header = ctx.header("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        Optional<LiveGrant> grant = token.startsWith(USER_TOKEN_PREFIX)
                ? services.tokens().verify(USER_TOKEN_KIND, token.substring(USER_TOKEN_PREFIX.length()))
                : Optional.empty();
        // a user's token speaks for that user towards the app that signed them in, not towards another app
        return grant.map(LiveGrant::grant).filter(g -> g.appId().equals(app.app().id()))
                .flatMap(g -> services.directory().user(app.tenantId(), Attribute.ID, g.subject(), UserDetail.ROW))
                .filter(u -> u.status() == Status.ACTIVE)
                .orElseThrow(() -> EnosError.USER_TOKEN_INVALID.because(null));
    }

    // ---- request reading

    private static JsonNode jsonObject(Context ctx, EnosError malformed, EnosError empty) {
        byte[] raw = ctx.bodyAsBytes();
        if (raw.length == 0) throw empty.because("The request body is empty.");
        try {
            JsonNode node = WIRE.readTree(raw);
            if (node == null || !node.isObject()) throw malformed.because("The request body must be a JSON object.");
            return node;
        } catch (java.io.IOException e) {
            throw malformed.because("The request body is not valid JSON.");
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw EnosError.PARAMETER_INVALID.because(field + " must be a non-empty string.");
        }
        return value.textValue();
    }

    private static int intField(JsonNode object, String field, int fallback, int min, int max) {
        JsonNode value = object == null ? null : object.get(field);
        if (value == null || value.isNull()) return fallback;
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            throw EnosError.PARAMETER_INVALID.because("pagination." + field + " must be an integer from " + min + " to " + max + ".");
        }
        return value.intValue();
    }

    // ---- answers

    private static void portalAnswer(Context ctx, Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", 0);
        body.put("message", "OK");
        body.put("data", data);
        write(ctx, 200, body);
    }

    private static void gatewayAnswer(Context ctx, int httpStatus, int status, String msg, Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("msg", msg);
        body.put("business", "apim-token-service");
        if (data != null) body.put("data", data);
        write(ctx, httpStatus, body);
    }

    private static void portalError(Context ctx, int httpStatus, int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.put("data", null);
        write(ctx, httpStatus, body);
    }

    private static void write(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json; charset=utf-8").result(WIRE.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One refusal as written: HTTP status, code and message in the gateway's or the portal's envelope. */
    private record Refusal(int status, int code, String message, EnosError.Envelope envelope) {
        static Refusal of(EnosError.EnosException e) {
            return new Refusal(e.error.httpStatus, e.error.code, e.getMessage(), e.error.envelope);
        }
    }

    @Override
    public void answer(Exception e, Context ctx) {
        Refusal refusal = e instanceof EnosError.EnosException x ? Refusal.of(x) : refusalFor(Failure.of(e), ctx);
        if (refusal.envelope() == EnosError.Envelope.GATEWAY) gatewayAnswer(ctx, refusal.status(), refusal.code(), refusal.message(), null);
        else portalError(ctx, refusal.status(), refusal.code(), refusal.message());
    }

    private static Refusal refusalFor(Failure failure, Context ctx) {
        // what no EnOS code names is answered in the envelope of the path: the gateway's or the portal's
        EnosError.Envelope envelope = ctx.path().startsWith(TOKEN_SERVICE) ? EnosError.Envelope.GATEWAY : EnosError.Envelope.PORTAL;
        int badParameter = envelope == EnosError.Envelope.GATEWAY ? EnosError.GATEWAY_PARAMETER_INVALID.code : EnosError.PARAMETER_INVALID.code;
        return switch (failure.kind()) {
            case INVALID_INPUT, CONFLICT, INVALID_CURSOR, NOT_FOUND -> new Refusal(400, badParameter, failure.getMessage(), envelope);
            case UNAUTHORIZED -> Refusal.of(EnosError.ACCESS_TOKEN_EXPIRED.because("Get a new one from /apim-token-service/v2.0/token/get."));
            case FORBIDDEN -> Refusal.of(EnosError.APP_KEY_UNKNOWN.because("The app may not call the App Portal API (scope " + Gateway.SCOPE + ")."));
            case RATE_LIMITED -> {
                ctx.header("Retry-After", String.valueOf(((Failure.RateLimited) failure).resetSeconds()));
                yield Refusal.of(EnosError.RATE_LIMITED.because(null));
            }
            case BUSY -> new Refusal(503, 503, failure.getMessage(), envelope);
            // no such route, wrong method, body too large: the status says it
            case REFUSED -> {
                int status = ((Failure.Refused) failure).status();
                yield new Refusal(status, status, failure.getMessage(), envelope);
            }
            case INTERNAL -> Refusal.of(EnosError.GATEWAY_INTERNAL.because(null));
        };
    }
}
