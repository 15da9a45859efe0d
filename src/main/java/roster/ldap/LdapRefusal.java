package roster.ldap;

import com.unboundid.ldap.sdk.ResultCode;

/** An operation refused with an LDAP result code, a message for the client, and the closest entry that exists. */
final class LdapRefusal extends RuntimeException {

    final ResultCode code;
    final String matchedDn;

    LdapRefusal(ResultCode code, String message) {
        this(code, message, null);
    }

    LdapRefusal(ResultCode code, String message, String matchedDn) {
        super(message, null, false, false);
        this.code = code;
        this.matchedDn = matchedDn;
    }
}
