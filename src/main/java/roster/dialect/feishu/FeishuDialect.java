package roster.dialect.feishu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.util.MultipartUtil;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import roster.auth.AppCredentials;
import roster.auth.Callers;
import roster.auth.Tokens;
import roster.core.FrontEnd;
import roster.core.Services;
import roster.http.RequestIds;
import roster.model.Face;
import roster.model.Failure;
import roster.model.Grant;
import roster.model.TenantApp;

/**
 * Feishu/Lark Smart Access Control (ACS) v1 users with the tenant_access_token endpoint, wire-compatible with
 * the official SDKs (dialects.md, feishu). Every route is here; AcsUsers does the work, FeishuError holds the codes.
 */
public final class FeishuDialect implements FrontEnd.Started {

    private static final String BASE = "/open-apis";
    private static final String USERS = BASE + "/acs/v1/users";
    /** The SDKs read the request id from this header first. */
    private static final String LOG_ID = "X-Tt-Logid";
    private static final String ACS_SCOPE = "acs:users";
    static final String TOKEN_KIND = "feishu";
    static final Duration TOKEN_LIFE = Duration.ofHours(2);
    /** Asked again with less than this left, the endpoint issues a new token; the old one lives on. */
    static final Duration RENEW_UNDER = Duration.ofMinutes(30);
    private static final int DEFAULT_PAGE_SIZE = 20;
    private static final int MAX_PAGE_SIZE = 50;

    public static final FrontEnd FRONT_END = new FrontEnd("feishu", Set.of(ACS_SCOPE, UserIdType.USER_ID_SCOPE), null, FeishuDialect::new);

    private final Tokens tokens;
    private final AppCredentials apps;
    private final Callers callers;
    private final Clock clock;
    private final AcsUsers users;

    private FeishuDialect(Services services) {
        this.tokens = services.tokens();
        this.apps = services.apps();
        this.callers = services.callers();
        this.clock = services.clock();
        this.users = new AcsUsers(services);
    }

    @Override
    public List<String> paths() {
        return List.of(BASE);
    }

    @Override
    public void register(Javalin app) {
        app.before(BASE + "/*", ctx -> ctx.header(LOG_ID, RequestIds.of(ctx)));
        app.post(BASE + "/auth/v3/tenant_access_token/internal", this::tenantAccessToken);
        app.get(USERS, ctx -> {
            TenantApp caller = caller(ctx);
            UserIdType type = userIdType(ctx, caller);
            ok(ctx, users.list(caller, type, pageSize(ctx), blankToNull(ctx.queryParam("page_token"))));
        });
        app.get(USERS + "/{user_id}", ctx -> {
            TenantApp caller = caller(ctx);
            ok(ctx, new Wire.UserData(users.get(caller, userIdType(ctx, caller), ctx.pathParam("user_id"))));
        });
        app.patch(USERS + "/{user_id}", ctx -> {
            TenantApp caller = caller(ctx);
            UserIdType type = userIdType(ctx, caller);
            users.setCard(caller, type, ctx.pathParam("user_id"), card(ctx));
            ok(ctx, new Wire.Empty());
        });
        app.get(USERS + "/{user_id}/face", ctx -> {
            TenantApp caller = caller(ctx);
            UserIdType type = userIdType(ctx, caller);
            booleanParam(ctx, "is_cropped"); // accepted and checked; Roster keeps only the image as uploaded
            Face face = users.face(caller, type, ctx.pathParam("user_id"))
                    .orElseThrow(() -> FeishuException.of(FeishuError.FACE_NOT_FOUND));
            ctx.status(200)
                    .contentType(face.type() == Face.Type.PNG ? "image/png" : "image/jpeg")
                    .header("Content-Disposition", "attachment; filename=\"face." + face.type().wire() + "\"")
                    .result(face.data());
        });
        app.put(USERS + "/{user_id}/face", ctx -> {
            TenantApp caller = caller(ctx);
            UserIdType type = userIdType(ctx, caller);
            users.setFace(caller, type, ctx.pathParam("user_id"), uploadedFace(ctx));
            ok(ctx, new Wire.Empty());
        });
    }

    // ---- the token endpoint

    private void tenantAccessToken(Context ctx) {
        JsonNode body = readJson(ctx.bodyAsBytes());
        String appId = text(body, "app_id");
        String secret = text(body, "app_secret");
        if (appId == null || secret == null) throw FeishuException.of(FeishuError.INVALID_PARAM);
        // an unknown app and a wrong secret answer alike, so app ids cannot be probed
        TenantApp app = callers.admit(apps.authenticate(appId, secret).orElseThrow(() -> FeishuException.of(FeishuError.APP_SECRET_INVALID)), null);
        Grant grant = tokens.reuseOrIssue(TOKEN_KIND, app, TOKEN_LIFE, RENEW_UNDER);
        json(ctx, 200, new Wire.TenantAccessToken(0, "ok", "t-" + tokens.secret(grant), grant.secondsLeft(clock)));
    }

    // ---- what every ACS call checks, in Feishu's order: token, scope, then parameters

    private TenantApp caller(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.startsWith("Bearer ") || header.substring(7).isBlank()) {
            throw FeishuException.of(FeishuError.MISSING_ACCESS_TOKEN);
        }
        String token = header.substring(7).trim();
        return callers.byGrant(token.startsWith("t-") ? tokens.verify(TOKEN_KIND, token.substring(2)) : java.util.Optional.empty(), ACS_SCOPE);
    }

    private static UserIdType userIdType(Context ctx, TenantApp caller) {
        String value = blankToNull(ctx.queryParam("user_id_type"));
        UserIdType type = value == null ? UserIdType.OPEN_ID : UserIdType.fromWire(value)
                .orElseThrow(() -> FeishuException.field("user_id_type", value, "user_id_type must be one of open_id, union_id, user_id"));
        if (type == UserIdType.USER_ID && !caller.app().hasScope(UserIdType.USER_ID_SCOPE)) {
            throw FeishuException.scopeMissing(UserIdType.USER_ID_SCOPE);
        }
        return type;
    }

    private static int pageSize(Context ctx) {
        String value = blankToNull(ctx.queryParam("page_size"));
        if (value == null) return DEFAULT_PAGE_SIZE;
        int size;
        try {
            size = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw FeishuException.field("page_size", value, "page_size must be an integer");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw FeishuException.field("page_size", value, "page_size must be between 1 and " + MAX_PAGE_SIZE);
        }
        return size;
    }

    private static void booleanParam(Context ctx, String name) {
        String value = blankToNull(ctx.queryParam(name));
        if (value != null && !value.equals("true") && !value.equals("false")) {
            throw FeishuException.field(name, value, name + " must be true or false");
        }
    }

    /** The card of PATCH {"feature":{"card":123456}}: an int32 of at least 0 (the Java SDK parses it as int). */
    private static int card(Context ctx) {
        JsonNode body = readJson(ctx.bodyAsBytes());
        if (body == null || !body.isObject()) throw FeishuException.field("body", null, "the body must be a JSON object");
        JsonNode feature = body.get("feature");
        if (feature == null || !feature.isObject()) throw FeishuException.field("feature", null, "feature is required");
        JsonNode card = feature.get("card");
        if (card == null || card.isNull()) throw FeishuException.field("feature.card", null, "feature.card is required");
        if (!card.isIntegralNumber() || !card.canConvertToInt() || card.intValue() < 0) {
            throw FeishuException.field("feature.card", card.asText(), "feature.card must be an integer from 0 to 2147483647");
        }
        return card.intValue();
    }

    /**
     * The multipart upload: part "files", fields file_type (jpg/png) and file_name; the bytes must be that image.
     * The parts are read from the request itself, with or without a filename: Javalin's uploadedFile sees only
     * parts that have one, and the Lark Node SDK sends a Buffer (its README's way) as a part without.
     */
    private static Face uploadedFace(Context ctx) {
        if (!ctx.isMultipartFormData()) throw FeishuException.field("files", null, "a multipart part named files is required");
        Part file;
        String fileType;
        String fileName;
        try {
            MultipartUtil.INSTANCE.getPreUploadFunction().invoke(ctx.req()); // Javalin's multipart settings, as uploadedFile applies them
            file = ctx.req().getPart("files");
            fileType = formField(ctx, "file_type");
            fileName = formField(ctx, "file_name");
        } catch (Exception e) { // Jetty's parser refuses a malformed or truncated multipart body
            throw FeishuException.field("files", null, "the multipart/form-data body is malformed");
        }
        if (file == null) throw FeishuException.field("files", null, "a multipart part named files is required");
        if (fileType == null || !(fileType.equals("jpg") || fileType.equals("png"))) {
            throw FeishuException.field("file_type", fileType, "file_type must be jpg or png");
        }
        if (fileName == null) throw FeishuException.field("file_name", null, "file_name is required");
        if (file.getSize() > Face.MAX_BYTES) {
            throw FeishuException.field("files", String.valueOf(file.getSize()), "the image must be at most " + Face.MAX_BYTES + " bytes");
        }
        byte[] data;
        try (InputStream in = file.getInputStream()) {
            data = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Face.Type sniffed = Face.sniff(data);
        if (sniffed == null) throw FeishuException.field("files", null, "the file is neither a JPEG nor a PNG image");
        if (sniffed != Face.Type.fromWire(fileType)) {
            throw FeishuException.field("file_type", fileType, "file_type does not match the image, which is " + sniffed.wire());
        }
        return new Face(sniffed, data);
    }

    /** A text part of the multipart body, null when absent or blank. */
    private static String formField(Context ctx, String name) throws IOException, ServletException {
        Part part = ctx.req().getPart(name);
        if (part == null) return null;
        try (InputStream in = part.getInputStream()) {
            return blankToNull(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    // ---- answers

    @Override
    public void answer(Exception e, Context ctx) {
        FeishuException refusal = e instanceof FeishuException f ? f : refusalFor(Failure.of(e), ctx);
        String logId = RequestIds.of(ctx);
        ctx.header(LOG_ID, logId);
        Wire.ErrorBody error = new Wire.ErrorBody(logId, null,
                refusal.fieldViolations.isEmpty() ? null : refusal.fieldViolations,
                refusal.permissionViolations.isEmpty() ? null : refusal.permissionViolations);
        json(ctx, refusal.error.status, new Wire.Envelope(refusal.error.code, refusal.message, null, error));
    }

    private static FeishuException refusalFor(Failure failure, Context ctx) {
        return switch (failure.kind()) {
            case INVALID_INPUT -> {
                Failure.InvalidInput i = (Failure.InvalidInput) failure;
                yield FeishuException.field(i.path(), null, i.reason());
            }
            case CONFLICT -> {
                Failure.Conflict c = (Failure.Conflict) failure;
                yield FeishuException.field(c.path(), null, c.reason());
            }
            case NOT_FOUND -> FeishuException.of(FeishuError.USER_NOT_FOUND);
            case UNAUTHORIZED -> FeishuException.of(FeishuError.INVALID_ACCESS_TOKEN);
            case FORBIDDEN -> FeishuException.scopeMissing(((Failure.Forbidden) failure).scope());
            case RATE_LIMITED -> {
                Failure.RateLimited limited = (Failure.RateLimited) failure;
                ctx.header("x-ogw-ratelimit-limit", String.valueOf(limited.limit()));
                ctx.header("x-ogw-ratelimit-reset", String.valueOf(limited.resetSeconds()));
                ctx.header("Retry-After", String.valueOf(limited.resetSeconds()));
                yield FeishuException.of(FeishuError.RATE_LIMITED);
            }
            case INVALID_CURSOR -> FeishuException.of(FeishuError.PAGE_TOKEN_INVALID);
            case BUSY -> FeishuException.unavailable(failure.getMessage());
            // e.g. a body over the server's size limit, an unknown endpoint
            case REFUSED -> ((Failure.Refused) failure).status() < 500
                    ? FeishuException.field("body", null, failure.getMessage()) : FeishuException.of(FeishuError.INTERNAL);
            case INTERNAL -> FeishuException.of(FeishuError.INTERNAL);
        };
    }

    private static void ok(Context ctx, Object data) {
        json(ctx, 200, Wire.Envelope.success(data));
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType(Wire.JSON).result(Wire.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readJson(byte[] body) {
        if (body == null || body.length == 0) return null;
        try {
            return Wire.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body == null ? null : body.get(field);
        return value != null && value.isTextual() && !value.textValue().isBlank() ? value.textValue() : null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
