package roster.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.util.Locale;
import java.util.Optional;
import roster.core.Services;
import roster.crypto.Passwords;
import roster.model.Attribute;
import roster.model.Status;
import roster.model.TenantApp;
import roster.model.User;
import roster.model.UserDetail;

/**
 * Simple binds: an app by its DN and secret, a user by its DN and password. A failed user bind costs what a
 * successful one costs (a bcrypt check against a stand-in hash when there is no user, or no password, or the user
 * is not active), so the answer time does not tell whether the user exists; each attempt counts against the rate
 * limit under the user's name.
 */
final class Binds {

    private final Services services;

    Binds(Services services) {
        this.services = services;
    }

    Caller bind(String bindDn, String password) {
        Tree.Node node;
        try {
            node = Tree.parse(new DN(bindDn)).orElseThrow(Binds::invalid);
        } catch (LDAPException e) {
            throw new LdapRefusal(ResultCode.INVALID_DN_SYNTAX, "the bind DN is not a valid DN");
        }
        return switch (node.kind()) {
            case APP -> {
                TenantApp app = services.apps().authenticate(node.id(), password)
                        .filter(a -> a.tenantId().equals(node.tenant())).orElseThrow(Binds::invalid);
                services.callers().admit(app, LdapFrontEnd.SCOPE);
                yield Caller.app(Tree.app(node.tenant(), node.id()).toString(), app);
            }
            case USER -> {
                services.callers().countAttempt("ldap-bind:" + node.tenant() + "/" + node.id().toLowerCase(Locale.ROOT));
                Optional<User> user = lookUp(node.tenant(), node.id());
                String hash = user.filter(u -> u.status() == Status.ACTIVE).map(User::passwordHash).orElse(null);
                boolean verified = Passwords.verify(password, hash != null ? hash : Passwords.standIn());
                if (!verified || hash == null) throw invalid();
                yield Caller.user(Tree.user(node.tenant(), Entries.uid(user.get())).toString(), node.tenant(), user.get().id());
            }
            default -> throw invalid();
        };
    }

    /** The user whose entry has this uid: by username, or by id for a user without a username. */
    private Optional<User> lookUp(String tenant, String uid) {
        Optional<User> byName = services.directory().user(tenant, Attribute.USERNAME, uid, UserDetail.SECRETS);
        if (byName.isPresent()) return byName;
        return services.directory().user(tenant, Attribute.ID, uid, UserDetail.SECRETS).filter(u -> Entries.uid(u).equals(uid));
    }

    private static LdapRefusal invalid() {
        return new LdapRefusal(ResultCode.INVALID_CREDENTIALS, "invalid credentials");
    }
}
