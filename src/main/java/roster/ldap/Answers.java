package roster.ldap;

import com.unboundid.ldap.listener.LDAPListenerClientConnection;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Sends the final answer of a search from the thread that ran it. The SDK's listener sends what a request handler
 * returns, on the connection's own thread, and offers public methods for entries only; a search that runs off that
 * thread (so that an abandon can be read while it runs) sends its SearchResultDone through the connection's own
 * sendMessage, which serialises it with the entries. The SDK version is pinned in the pom; LdapLimitsTest fails if
 * this stops working.
 */
final class Answers {

    private static final MethodHandle SEND;

    static {
        try {
            var method = LDAPListenerClientConnection.class.getDeclaredMethod("sendMessage", LDAPMessage.class);
            method.setAccessible(true);
            SEND = MethodHandles.lookup().unreflect(method).asType(MethodType.methodType(void.class, LDAPListenerClientConnection.class, LDAPMessage.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Answers() {}

    static void send(LDAPListenerClientConnection connection, LDAPMessage message) throws LDAPException {
        try {
            SEND.invokeExact(connection, message);
        } catch (LDAPException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new LDAPException(ResultCode.LOCAL_ERROR, "cannot send the answer", t);
        }
    }
}
