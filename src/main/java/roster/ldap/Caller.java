package roster.ldap;

import roster.model.Attribute;
import roster.model.TenantApp;
import roster.model.UserFilter;

/**
 * Who a connection is bound as: nobody (anonymous: the root DSE and the schema only), an app with scope ldap (what
 * its visible_to allows), or a user who bound with its password (itself only).
 */
record Caller(String dn, String tenant, TenantApp app, String userId) {

    static final Caller ANONYMOUS = new Caller("", null, null, null);

    static Caller app(String dn, TenantApp app) {
        return new Caller(dn, app.tenantId(), app, null);
    }

    static Caller user(String dn, String tenant, String userId) {
        return new Caller(dn, tenant, null, userId);
    }

    boolean anonymous() {
        return tenant == null;
    }

    /** Apps see the tree (departments, groups); a user sees only its own entry. */
    boolean seesTree() {
        return app != null;
    }

    UserFilter visibleUsers() {
        return app != null ? UserFilter.visibleTo(app.app().visibleTo()) : UserFilter.eq(Attribute.ID, userId);
    }
}
