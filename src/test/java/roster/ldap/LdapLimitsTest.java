package roster.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.TestServer;

/** What bounds a connection: the idle timeout (ROSTER_LDAP_IDLE_TIMEOUT), and abandon of a running search. */
class LdapLimitsTest {

    static TestServer server;
    static int port;

    @BeforeAll
    static void start() {
        server = LdapFixture.start(s -> s.withLdapIdleTimeout(Duration.ofSeconds(1)));
        port = LdapFixture.port(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            long start = System.nanoTime();
            InputStream in = s.getInputStream();
            byte[] said;
            try {
                said = in.readAllBytes(); // until the server closes
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the idle connection was not closed within 30 s");
            }
            // what it says before closing is the notice of disconnection (RFC 4511 4.4.1)
            assertThat(new String(said, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("1.3.6.1.4.1.1466.20036");
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
        }
    }

    @Test
    void aNewSecretEndsTheSearchesOfConnectionsBoundWithTheOldOneWithinASecond() throws Exception {
        LdapFixture.createApp(server, "ldap-rotated", "\"all\"");
        try (LDAPConnection c = new LDAPConnection("127.0.0.1", port)) {
            c.bind("cn=ldap-rotated,ou=apps,o=acme", LdapFixture.SECRET);
            assertThat(c.search(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=lisi)").getEntryCount()).isEqualTo(1);
            var patched = server.admin("PATCH", "/admin/v1/tenants/acme/apps/ldap-rotated", "{\"secret\":\"ldap-test-secret-0002\"}");
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            long patchedAt = System.nanoTime();
            ResultCode code = ResultCode.SUCCESS;
            while (code == ResultCode.SUCCESS && System.nanoTime() - patchedAt < TimeUnit.SECONDS.toNanos(5)) {
                try {
                    c.search(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=lisi)");
                    Thread.sleep(100);
                } catch (com.unboundid.ldap.sdk.LDAPSearchException e) {
                    code = e.getResultCode();
                }
            }
            assertThat(code).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
            assertThat(System.nanoTime() - patchedAt).isLessThan(TimeUnit.MILLISECONDS.toNanos(2500));
        }
    }

    @Test
    void aConnectionInUseIsNotClosed() throws Exception {
        try (LDAPConnection c = new LDAPConnection("127.0.0.1", port)) {
            c.bind(LdapFixture.ALL_DN, LdapFixture.SECRET);
            for (int i = 0; i < 6; i++) {
                assertThat(c.search(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=lisi)").getEntryCount()).isEqualTo(1);
                Thread.sleep(400);
            }
        }
    }
}
