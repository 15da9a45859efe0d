package roster.dialect.feishu;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import roster.core.Services;
import roster.directory.Directory;
import roster.model.Attribute;
import roster.model.Face;
import roster.model.Order;
import roster.model.Status;
import roster.model.TenantApp;
import roster.model.User;
import roster.model.UserDetail;
import roster.model.UserFilter;
import roster.query.Cursors;
import roster.query.UserQueries;

/**
 * The Smart Access Control users of one app: the active users of its tenant that it may see and that belong to
 * at least one access group, in num order, named by open id, union id or user id. Changes made here (card,
 * face) are changes of the canonical user and get a change sequence number like any other.
 */
final class AcsUsers {

    /** What an ACS user shows of a user (besides its id and num): its card and whether it has a face. */
    private static final Set<Attribute> SHOWN = EnumSet.of(Attribute.ACS_CARD, Attribute.ACS_FACE);

    /** Page tokens answer one app and this list only; page_size and user_id_type may change between pages. */
    private static final String LIST_BINDING = "|acs-users";

    private final Directory directory;
    private final UserQueries queries;
    private final Cursors cursors;
    private final OpenIds openIds;

    AcsUsers(Services services) {
        this.directory = services.directory();
        this.queries = services.queries();
        this.cursors = services.cursors();
        this.openIds = new OpenIds(services.keys());
    }

    /** Who an app's ACS list holds: users it may see, active, in at least one access group (who a door knows). */
    private static UserFilter listed(TenantApp app) {
        return UserFilter.and(UserFilter.visibleTo(app.app().visibleTo()), UserFilter.status(Status.ACTIVE), new UserFilter.InAnyAccessGroup());
    }

    Wire.UserPage list(TenantApp app, UserIdType type, int pageSize, String pageToken) {
        String binding = app.app().id() + LIST_BINDING;
        Long after = pageToken == null ? null : cursors.decode(binding, pageToken);
        UserQueries.KeysetPage page = queries.keysetPage(app.tenantId(), listed(app), Order.NUM, after, pageSize, SHOWN);
        List<AcsUser> items = page.users().stream().map(u -> view(app, type, u)).toList();
        String next = page.next() == null ? null : cursors.encode(binding, page.next());
        return new Wire.UserPage(items, next, next != null);
    }

    AcsUser get(TenantApp app, UserIdType type, String id) {
        return view(app, type, resolve(app, type, id));
    }

    void setCard(TenantApp app, UserIdType type, String id, int card) {
        User user = resolve(app, type, id);
        directory.updateUser(app.tenantId(), user.id(), u -> u.with().acs(u.acs().withCard(card)).build());
    }

    /** The user's face image, or empty when none was uploaded. */
    Optional<Face> face(TenantApp app, UserIdType type, String id) {
        User user = resolve(app, type, id);
        Face stored = user.acs().face();
        if (stored == null) return Optional.empty();
        byte[] data = directory.face(app.tenantId(), user.id());
        return data == null ? Optional.empty() : Optional.of(new Face(stored.type(), data));
    }

    void setFace(TenantApp app, UserIdType type, String id, Face face) {
        User user = resolve(app, type, id);
        directory.updateUser(app.tenantId(), user.id(), u -> u.with().acs(u.acs().withFace(face)).build());
    }

    // ---- naming

    /** The one place a canonical user becomes an ACS user. */
    private AcsUser view(TenantApp app, UserIdType type, User user) {
        return new AcsUser(new AcsUser.Feature(user.acs().card(), user.acs().face() != null), idOf(app, type, user));
    }

    private String idOf(TenantApp app, UserIdType type, User user) {
        return switch (type) {
            case USER_ID -> user.id();
            case OPEN_ID -> openIds.id(OpenIds.Kind.OPEN, app.app().id(), app.tenantId(), user.id(), user.num());
            case UNION_ID -> openIds.id(OpenIds.Kind.UNION, vendor(app), app.tenantId(), user.id(), user.num());
        };
    }

    private static String vendor(TenantApp app) {
        return app.app().vendor() == null ? app.tenantId() : app.app().vendor();
    }

    /**
     * The user an id names, if this app's ACS list holds it; otherwise 1490101, whatever the reason. Only its row is
     * read: what the ACS wire shows (card, face, ids) is on it, memberships are not.
     */
    private User resolve(TenantApp app, UserIdType type, String id) {
        Optional<User> user = switch (type) {
            case USER_ID -> queries.find(app.tenantId(), listed(app), Attribute.ID, id, UserDetail.ROW);
            case OPEN_ID -> byDerivedId(app, OpenIds.Kind.OPEN, app.app().id(), id);
            case UNION_ID -> byDerivedId(app, OpenIds.Kind.UNION, vendor(app), id);
        };
        return user.orElseThrow(() -> FeishuException.of(FeishuError.USER_NOT_FOUND));
    }

    private Optional<User> byDerivedId(TenantApp app, OpenIds.Kind kind, String namespace, String id) {
        OptionalLong num = openIds.num(kind, id);
        if (num.isEmpty()) return Optional.empty();
        return queries.find(app.tenantId(), listed(app), Attribute.NUM, num.getAsLong(), UserDetail.ROW)
                .filter(u -> openIds.matches(kind, id, namespace, app.tenantId(), u.id(), u.num()));
    }
}
