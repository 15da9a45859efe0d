package roster.scim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import roster.auth.Tokens;
import roster.core.FrontEnd;
import roster.core.Services;
import roster.http.RequestIds;
import roster.model.Attribute;
import roster.model.CanonicalJson;
import roster.model.Failure;
import roster.model.LiveGrant;
import roster.model.Order;
import roster.model.TenantApp;
import roster.model.User;
import roster.model.UserDetail;
import roster.model.UserFilter;
import roster.query.UserQueries;

/**
 * SCIM 2.0 (RFC 7643, 7644) with cursor pagination (RFC 9865) at /scim/v2: the way identity providers and HR
 * systems provision users. The tenant is the calling app's, and the app sees what its visible_to allows. Users are
 * canonical users (UserMapping), Groups are access groups (GroupResource). Filters become the core's UserFilter,
 * writes go through Directory (so each takes a sequence number and shows in the change feed), and cursors are the
 * core's signed keyset page tokens: a cursor walk lists every user that stays for the whole walk exactly once.
 */
public final class ScimApi implements FrontEnd.Started {

    static final String SCOPE = "scim";
    static final String BASE = "/scim/v2";
    static final String MEDIA_TYPE = "application/scim+json";
    static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    static final String SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
    static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
    static final int DEFAULT_COUNT = 100;
    static final int MAX_COUNT = 1000;
    private static final String CALLER = "roster.scim.caller";

    public static final FrontEnd FRONT_END = new FrontEnd("scim", Set.of(SCOPE), null, ScimApi::new);

    private final Services services;
    private final GroupResource groups;

    private ScimApi(Services services) {
        this.services = services;
        this.groups = new GroupResource(services);
    }

    @Override
    public List<String> paths() {
        return List.of(BASE);
    }

    @Override
    public void register(Javalin app) {
        app.before(BASE + "/*", ctx -> {
            if (!Discovery.isDiscovery(ctx.path())) ctx.attribute(CALLER, caller(ctx));
        });
        Discovery.register(app, this);

        app.get(BASE + "/Users", ctx -> listUsers(ctx, ListQuery.of(ctx)));
        app.post(BASE + "/Users/.search", ctx -> listUsers(ctx, ListQuery.of(body(ctx))));
        app.post(BASE + "/Users", ctx -> respond(ctx, createUser(callerOf(ctx), base(ctx), body(ctx))));
        app.get(BASE + "/Users/{id}", this::getUser);
        app.put(BASE + "/Users/{id}", ctx -> respond(ctx, replaceUser(callerOf(ctx), base(ctx), ctx.pathParam("id"), body(ctx), ctx.header("If-Match"))));
        app.patch(BASE + "/Users/{id}", ctx -> respond(ctx, patchUser(callerOf(ctx), base(ctx), ctx.pathParam("id"), body(ctx), ctx.header("If-Match"))));
        app.delete(BASE + "/Users/{id}", ctx -> respond(ctx, deleteUser(callerOf(ctx), ctx.pathParam("id"), ctx.header("If-Match"))));
        groups.register(app);
        app.post(BASE + "/Bulk", ctx -> write(ctx, 200, new Bulk(this, groups).run(callerOf(ctx), base(ctx), body(ctx))));
    }

    // ---- who calls: Bearer (a token of POST /oauth2/token, or a long-lived one the admin minted) or Basic app:secret

    private TenantApp caller(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) throw new Failure.Unauthorized("Authorization: Bearer <token> or Basic <app id:secret> is required");
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).trim();
            Optional<LiveGrant> grant = token.startsWith(Tokens.OAUTH2_PREFIX)
                    ? services.tokens().verify(Tokens.OAUTH2_KIND, token.substring(Tokens.OAUTH2_PREFIX.length()))
                    : services.tokens().verifyMinted(Tokens.LONG_LIVED, token);
            return services.callers().byGrant(grant, SCOPE);
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Failure.Unauthorized("malformed HTTP Basic credentials");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) throw new Failure.Unauthorized("malformed HTTP Basic credentials");
            TenantApp app = services.apps().authenticate(decoded.substring(0, colon), decoded.substring(colon + 1))
                    .orElseThrow(() -> new Failure.Unauthorized("the app id or secret is wrong"));
            return services.callers().admit(app, SCOPE);
        }
        throw new Failure.Unauthorized("Authorization: Bearer <token> or Basic <app id:secret> is required");
    }

    static TenantApp callerOf(Context ctx) {
        return ctx.attribute(CALLER);
    }

    // ---- Users

    private UserFilter visible(TenantApp app) {
        return UserFilter.visibleTo(app.app().visibleTo());
    }

    String location(Context ctx, String type, String id) {
        return base(ctx) + "/" + type + "/" + id;
    }

    /** The service's own URL as the caller reached it, for meta.location. */
    static String base(Context ctx) {
        return ctx.scheme() + "://" + ctx.host() + BASE;
    }

    /** What a write did: its status, and the resource with its location and version when there is one. */
    record Outcome(int status, ObjectNode resource, String location, String version) {}

    private void listUsers(Context ctx, ListQuery q) {
        TenantApp app = callerOf(ctx);
        UserFilter filter = UserFilter.and(visible(app), q.filter() == null ? UserFilter.ALL : UserFilters.translate(ScimFilter.parse(q.filter())));
        ObjectNode body = listResponse();
        ArrayNode resources = JsonNodeFactory.instance.arrayNode();
        UserQueries queries = services.queries();
        String users = base(ctx) + "/Users/";
        if (q.cursor() != null) {
            if (q.startIndex() != null) throw ScimError.invalidValue("ask with startIndex or with cursor, not both");
            if (q.sortBy() != null) throw ScimError.invalidValue("a cursor walk lists users in one stable order; sortBy goes with startIndex");
            if (q.sortOrder() != null && !q.sortOrder().equalsIgnoreCase("ascending")) {
                throw ScimError.invalidValue("a cursor walk lists users in one stable order; sortOrder goes with startIndex");
            }
            String binding = "scim|Users|" + app.app().id() + "|" + (q.filter() == null ? "" : q.filter());
            Position at = q.cursor().isEmpty() ? new Position(null, false) : Position.of(services.cursors().decode(binding, q.cursor()));
            long total = queries.count(app.tenantId(), filter);
            body.put("totalResults", total);
            if (q.count() > 0) {
                // a previous page is read backwards (num descending, before the key) and shown in forward order
                UserQueries.KeysetPage read = keysetPage(app, filter, q, at.backwards() ? Order.NUM_DESC : Order.NUM, at.key(), q.count());
                List<User> page = new ArrayList<>(read.users());
                if (at.backwards()) Collections.reverse(page);
                for (User u : page) resources.add(q.project(UserMapping.toScim(u, users + u.id())));
                // the page read one past its end, so its far side is known; the near side takes a read of one key
                Long previous = null;
                Long next = null;
                if (at.backwards()) {
                    previous = read.next();
                    long last = page.isEmpty() ? at.key() - 1 : page.get(page.size() - 1).num();
                    if (any(app, filter, Order.NUM, last)) next = last;
                } else {
                    next = read.next();
                    boolean first = at.key() == null || at.key() == Long.MIN_VALUE;
                    long start = page.isEmpty() ? (first ? Long.MIN_VALUE : at.key() + 1) : page.get(0).num();
                    if (!first && any(app, filter, Order.NUM_DESC, start)) previous = start;
                }
                if (previous != null) body.put("previousCursor", services.cursors().encode(binding, Position.backwardsFrom(previous)));
                if (next != null) body.put("nextCursor", services.cursors().encode(binding, next));
            } else if (total > 0) {
                // count=0 asks for no users: the cursor given (or the first page's) continues forwards
                long from = at.key() == null ? Long.MIN_VALUE : at.backwards() ? at.key() - 1 : at.key();
                body.put("nextCursor", services.cursors().encode(binding, from));
            }
            body.put("itemsPerPage", resources.size());
        } else {
            Order order = UserFilters.order(q.sortBy(), q.sortOrder());
            long start = q.startIndex() == null ? 1 : Math.max(1, q.startIndex());
            UserQueries.OffsetPage page = queries.offsetPage(app.tenantId(), filter, order, start - 1, q.count(), q.reads().detail());
            for (User u : page.users()) resources.add(q.project(UserMapping.toScim(u, users + u.id())));
            body.put("totalResults", page.total());
            body.put("startIndex", start);
            body.put("itemsPerPage", resources.size());
        }
        body.set("Resources", resources);
        write(ctx, 200, body);
    }

    /**
     * Where a cursor points: after its key (forwards, nextCursor), or before it (backwards, previousCursor). The
     * signed position is the num after which the page starts (Long.MIN_VALUE: before every user), or for a
     * previousCursor minus one minus the num before which it ends, so the direction is signed with the key.
     */
    record Position(Long key, boolean backwards) {
        static Position of(long signed) {
            return signed >= 0 || signed == Long.MIN_VALUE ? new Position(signed, false) : new Position(-signed - 1, true);
        }

        static long backwardsFrom(long num) {
            return -num - 1;
        }
    }

    private UserQueries.KeysetPage keysetPage(TenantApp app, UserFilter filter, ListQuery q, Order order, Long key, int count) {
        ListQuery.Reads reads = q.reads();
        return reads.columns() != null
                ? services.queries().keysetPage(app.tenantId(), filter, order, key, count, reads.columns())
                : services.queries().keysetPage(app.tenantId(), filter, order, key, count, reads.detail());
    }

    /** Whether the filter selects a user beyond the key in the order's direction: one indexed read of ids. */
    private boolean any(TenantApp app, UserFilter filter, Order order, long key) {
        return !services.queries().keysetPage(app.tenantId(), filter, order, key, 1, Set.of()).users().isEmpty();
    }

    static ObjectNode listResponse() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("schemas").add(LIST_RESPONSE);
        return body;
    }

    private User visibleUser(TenantApp app, String id) {
        return visibleUser(app, id, UserDetail.PROFILE);
    }

    private User visibleUser(TenantApp app, String id, UserDetail detail) {
        return services.queries().find(app.tenantId(), visible(app), Attribute.ID, id, detail)
                .orElseThrow(() -> ScimError.notFound("no User " + id));
    }

    private void getUser(Context ctx) {
        TenantApp app = callerOf(ctx);
        ListQuery q = ListQuery.projectionOf(ctx);
        User user = visibleUser(app, ctx.pathParam("id"), q.reads().detail());
        String version = UserMapping.version(user);
        ctx.header("ETag", version);
        if (matchesAny(ctx.header("If-None-Match"), version)) {
            ctx.status(304);
            return;
        }
        write(ctx, 200, q.project(UserMapping.toScim(user, location(ctx, "Users", user.id()))));
    }

    Outcome createUser(TenantApp app, String base, JsonNode in) {
        User user = UserMapping.fromScim(in, User.withId(UUID.randomUUID().toString()).build());
        return userOutcome(201, base, services.directory().createUser(app.tenantId(), user));
    }

    Outcome replaceUser(TenantApp app, String base, String id, JsonNode in, String ifMatch) {
        visibleUser(app, id, UserDetail.ROW);
        return userOutcome(200, base, services.directory().updateUser(app.tenantId(), id, ifMatch(ifMatch), current -> UserMapping.fromScim(in, current)));
    }

    Outcome patchUser(TenantApp app, String base, String id, JsonNode in, String ifMatch) {
        visibleUser(app, id, UserDetail.ROW);
        String location = base + "/Users/" + id;
        return userOutcome(200, base, services.directory().updateUser(app.tenantId(), id, ifMatch(ifMatch),
                current -> UserMapping.fromScim(Patch.apply(UserMapping.toScim(current, location), in), current)));
    }

    Outcome deleteUser(TenantApp app, String id, String ifMatch) {
        visibleUser(app, id, UserDetail.ROW);
        services.directory().deleteUser(app.tenantId(), id, ifMatch(ifMatch));
        return new Outcome(204, null, null, null);
    }

    private static Outcome userOutcome(int status, String base, User user) {
        String location = base + "/Users/" + user.id();
        return new Outcome(status, UserMapping.toScim(user, location), location, UserMapping.version(user));
    }

    /** Answers a write: ETag and Location headers, the resource (projected as the query asks), or 204. */
    static void respond(Context ctx, Outcome outcome) {
        if (outcome.version() != null) ctx.header("ETag", outcome.version());
        if (outcome.status() == 201) ctx.header("Location", outcome.location());
        if (outcome.resource() == null) {
            ctx.status(outcome.status());
            return;
        }
        write(ctx, outcome.status(), ListQuery.projectionOf(ctx).project(outcome.resource()));
    }

    /** If-Match, checked on the stored user inside the write transaction (Directory's precondition). */
    private static Consumer<User> ifMatch(String header) {
        if (header == null) return u -> {};
        return u -> {
            if (!matchesAny(header, UserMapping.version(u))) throw ScimError.preconditionFailed();
        };
    }

    /** Whether an If-Match / If-None-Match list names the version ("*" names any); weak and strong forms compare alike. */
    static boolean matchesAny(String header, String version) {
        if (header == null) return false;
        String ours = opaque(version);
        for (String tag : header.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || opaque(t).equals(ours)) return true;
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    // ---- wire

    static JsonNode body(Context ctx) {
        try {
            JsonNode node = CanonicalJson.MAPPER.readTree(new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8));
            if (node == null || !node.isObject()) throw ScimError.invalidSyntax("the body must be a JSON object");
            return node;
        } catch (JsonProcessingException e) {
            throw ScimError.invalidSyntax("malformed JSON: " + e.getOriginalMessage());
        }
    }

    static void write(Context ctx, int status, JsonNode body) {
        try {
            ctx.status(status).contentType(MEDIA_TYPE).result(CanonicalJson.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- errors: the SCIM error envelope (RFC 7644 §3.12) for every refusal under /scim/v2

    @Override
    public void answer(Exception e, Context ctx) {
        ScimError error = e instanceof ScimError s ? s : errorFor(Failure.of(e), ctx);
        ObjectNode body = envelope(error);
        if (error.status == 401) ctx.header("WWW-Authenticate", "Bearer realm=\"roster\", Basic realm=\"roster\"");
        ctx.header("X-Request-Id", RequestIds.of(ctx));
        write(ctx, error.status, body);
    }

    /** The SCIM error envelope of a refusal. */
    static ObjectNode envelope(ScimError error) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("schemas").add(ERROR);
        body.put("status", String.valueOf(error.status));
        if (error.scimType != null) body.put("scimType", error.scimType);
        body.put("detail", error.getMessage());
        return body;
    }

    /** A refusal in SCIM's terms; ctx (may be null) takes the Retry-After of a rate limit. */
    static ScimError errorFor(Failure failure, Context ctx) {
        return switch (failure.kind()) {
            case INVALID_INPUT -> {
                Failure.InvalidInput i = (Failure.InvalidInput) failure;
                yield ScimError.invalidValue(attributeOf(i.path()) + ": " + i.reason());
            }
            case CONFLICT -> {
                Failure.Conflict c = (Failure.Conflict) failure;
                yield new ScimError(409, "uniqueness", attributeOf(c.path()) + ": " + c.reason());
            }
            case NOT_FOUND -> new ScimError(404, null, failure.getMessage());
            case INVALID_CURSOR -> new ScimError(400, "invalidCursor", "the cursor is invalid (forged, altered, or from another app or filter)");
            case UNAUTHORIZED -> new ScimError(401, null, failure.getMessage());
            case FORBIDDEN -> new ScimError(403, null, failure.getMessage());
            case RATE_LIMITED -> {
                if (ctx != null) ctx.header("Retry-After", String.valueOf(((Failure.RateLimited) failure).resetSeconds()));
                yield new ScimError(429, null, failure.getMessage());
            }
            case BUSY -> new ScimError(503, null, failure.getMessage());
            case REFUSED -> {
                int status = ((Failure.Refused) failure).status();
                yield new ScimError(status, status == 400 ? "invalidSyntax" : null, failure.getMessage());
            }
            case INTERNAL -> new ScimError(500, null, "internal error");
        };
    }

    /** The canonical field a core refusal names, in SCIM words where they differ. */
    private static String attributeOf(String path) {
        if (path == null) return "value";
        String field = path.startsWith("$.") ? path.substring(2) : path;
        return switch (field) {
            case "username" -> "userName";
            case "email" -> "emails";
            case "phone", "phone_country_code" -> "phoneNumbers";
            case "avatar" -> "photos";
            case "name" -> "displayName";
            case "nickname" -> "nickName";
            case "external_id" -> "externalId";
            default -> field;
        };
    }
}
