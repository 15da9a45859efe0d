package roster.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import roster.config.Settings.WebhookSettings;
import roster.core.FrontEnd;
import roster.core.Services;
import roster.dialect.feishu.FeishuUserIds;
import roster.directory.Directory;
import roster.directory.Subscriptions;
import roster.model.CanonicalJson;
import roster.model.Failure;
import roster.model.Webhook;

/**
 * Outgoing webhooks: the subscriptions under the admin API (/admin/v1/tenants/{tenant}/webhooks, behind the
 * admin token, errors in the admin API's envelope, which owns that path) and the deliverer that sends every change
 * of the change feed to them. Formats: {@link StandardFormat} and {@link FeishuFormat}.
 */
public final class WebhookApi implements FrontEnd.Started {

    public static final FrontEnd FRONT_END = new FrontEnd("webhooks", Set.of(), null, WebhookApi::new);
    private static final String BASE = "/admin/v1/tenants/{tenant}/webhooks";

    private final Subscriptions subscriptions;
    private final WebhookSettings settings;
    private final Deliverer deliverer;

    private WebhookApi(Services services) {
        this.settings = services.settings().webhooks();
        this.subscriptions = services.directory().subscriptions(settings.rotationMillis());
        this.deliverer = new Deliverer(subscriptions, settings, new FeishuFormat(new FeishuUserIds(services.keys())), services.clock()).start();
    }

    @Override
    public void register(Javalin app) {
        app.get(BASE, ctx -> ctx.json(Map.of("items", subscriptions.list(tenant(ctx)))));
        app.post(BASE, ctx -> ctx.status(201).json(put(ctx, body(ctx), true)));
        app.get(BASE + "/{id}", ctx -> ctx.json(found(ctx)));
        app.put(BASE + "/{id}", ctx -> {
            Webhook w = body(ctx);
            if (w.id() != null && !w.id().equals(ctx.pathParam("id"))) throw new Failure.InvalidInput("$.id", "differs from the id in the path");
            ctx.json(put(ctx, w.withId(ctx.pathParam("id")), false));
        });
        app.patch(BASE + "/{id}", ctx -> {
            Webhook patched = Directory.merge(found(ctx), tree(ctx), Webhook.class);
            if (!ctx.pathParam("id").equals(patched.id())) throw new Failure.InvalidInput("$.id", "differs from the id in the path");
            ctx.json(put(ctx, patched, false));
        });
        app.delete(BASE + "/{id}", ctx -> {
            subscriptions.delete(tenant(ctx), ctx.pathParam("id"));
            ctx.status(204);
        });
        app.get(BASE + "/{id}/deliveries", ctx -> {
            int limit = ctx.queryParamAsClass("limit", Integer.class).check(n -> n >= 1 && n <= Subscriptions.LOG_KEEP,
                    "must be between 1 and " + Subscriptions.LOG_KEEP).getOrDefault(Subscriptions.LOG_KEEP);
            ctx.json(Map.of("items", subscriptions.deliveries(tenant(ctx), ctx.pathParam("id"), limit)));
        });
    }

    private Webhook put(Context ctx, Webhook w, boolean create) {
        if (w.url() != null && w.id() != null) {
            String refusal;
            try {
                refusal = Targets.refusal(w.url(), settings.allowPrivate());
            } catch (IllegalArgumentException e) {
                refusal = null; // not a URL at all: the writer's validation says so with its path
            }
            if (refusal != null) throw new Failure.InvalidInput("$.url", refusal);
        }
        return subscriptions.put(tenant(ctx), w, create);
    }

    private Webhook found(Context ctx) {
        return subscriptions.get(tenant(ctx), ctx.pathParam("id"))
                .orElseThrow(() -> new Failure.NotFound(Failure.Subject.WEBHOOK, ctx.pathParam("id")));
    }

    private static String tenant(Context ctx) {
        return ctx.pathParam("tenant");
    }

    private static JsonNode tree(Context ctx) {
        try {
            JsonNode node = CanonicalJson.MAPPER.readTree(new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8));
            if (node == null || !node.isObject()) throw new Failure.InvalidInput("$", "the body must be a JSON object");
            return node;
        } catch (JsonProcessingException e) {
            throw new Failure.InvalidInput("$", "malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static Webhook body(Context ctx) {
        return CanonicalJson.convert(tree(ctx), Webhook.class, "$");
    }

    @Override
    public void close() {
        deliverer.close();
    }
}
