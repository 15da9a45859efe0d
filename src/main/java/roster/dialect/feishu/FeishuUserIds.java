package roster.dialect.feishu;

import roster.crypto.Keys;
import roster.model.TenantApp;
import roster.model.User;

/**
 * The three ids Feishu names a user by, as this dialect hands them to an app: for front ends that speak Feishu's
 * ids outside a request (the feishu webhook format), so that an event names a user exactly as the API does.
 */
public final class FeishuUserIds {

    private final OpenIds openIds;

    public FeishuUserIds(Keys keys) {
        this.openIds = new OpenIds(keys);
    }

    public record Ids(String unionId, String userId, String openId) {}

    public Ids of(TenantApp app, User user) {
        String vendor = app.app().vendor() == null ? app.tenantId() : app.app().vendor();
        return new Ids(openIds.id(OpenIds.Kind.UNION, vendor, app.tenantId(), user.id(), user.num()), user.id(),
                openIds.id(OpenIds.Kind.OPEN, app.app().id(), app.tenantId(), user.id(), user.num()));
    }
}
