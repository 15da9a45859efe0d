package roster.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.asn1.ASN1Buffer;
import com.unboundid.asn1.ASN1StreamReader;
import com.unboundid.ldap.protocol.AbandonRequestProtocolOp;
import com.unboundid.ldap.protocol.BindRequestProtocolOp;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.protocol.LDAPResponse;
import com.unboundid.ldap.protocol.SearchRequestProtocolOp;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
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

    static final int MANY = 5000;
    static TestServer server;
    static int port;
    /** A second server on the same database whose connections idle for a second are closed. */
    static TestServer idle;
    static int idlePort;

    @BeforeAll
    static void start() {
        server = LdapFixture.start();
        port = LdapFixture.port(server);
        idle = server.alongside(s -> s.withLdapPort(0).withLdapIdleTimeout(Duration.ofSeconds(1)));
        idlePort = LdapFixture.port(idle);
        // long names (cn, sn, givenName, displayName carry them): 5000 entries of 4 KiB are far more than a loopback
        // connection holds in flight
        String longName = "x".repeat(990);
        StringBuilder users = new StringBuilder();
        for (int i = 0; i < MANY; i++) {
            if (i > 0) users.append(',');
            users.append(String.format("{\"id\":\"m%04d\",\"username\":\"many%04d\",\"name\":\"Many %04d %s\","
                    + "\"email\":\"many%04d@example.com\",\"departments\":[\"sales\"]}", i, i, i, longName, i));
        }
        server.load("{\"tenants\":[{\"id\":\"acme\",\"users\":[" + users + "]}]}");
    }

    @AfterAll
    static void stop() {
        if (idle != null) idle.close();
        server.close();
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", idlePort)) {
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

    /**
     * A client that sends a search of every user, reads nothing while the server fills the connection, then abandons
     * it: once it reads again it finds the entries that were on their way and nothing more, no answer to the
     * abandoned search, and the answer to its next request.
     */
    @Test
    void anAbandonedSearchStopsAtItsNextEntry() throws Exception {
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.setSoTimeout(30_000);
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            OutputStream out = s.getOutputStream();
            ASN1StreamReader in = new ASN1StreamReader(s.getInputStream());
            write(out, new LDAPMessage(1, new BindRequestProtocolOp(LdapFixture.ALL_DN, LdapFixture.SECRET)));
            assertThat(((com.unboundid.ldap.sdk.BindResult) LDAPMessage.readLDAPResponseFrom(in, true)).getResultCode()).isEqualTo(ResultCode.SUCCESS);
            write(out, new LDAPMessage(2, new SearchRequestProtocolOp(LdapFixture.PEOPLE, SearchScope.ONE, DereferencePolicy.NEVER, 0, 0,
                    false, Filter.create("(objectClass=inetOrgPerson)"), List.of("*", "+"))));
            Thread.sleep(1500); // the server sends until the connection is full
            write(out, new LDAPMessage(3, new AbandonRequestProtocolOp(2)));
            write(out, new LDAPMessage(4, new SearchRequestProtocolOp(LdapFixture.PEOPLE, SearchScope.ONE, DereferencePolicy.NEVER, 0, 0,
                    false, Filter.create("(uid=lisi)"), List.of("uid"))));
            int abandonedEntries = 0;
            boolean abandonedDone = false;
            List<String> next = new ArrayList<>();
            while (true) {
                LDAPResponse r = LDAPMessage.readLDAPResponseFrom(in, true);
                if (r.getMessageID() == 2) {
                    if (r instanceof SearchResultEntry) abandonedEntries++;
                    else abandonedDone = true;
                } else if (r instanceof SearchResultEntry e) {
                    next.add(e.getAttributeValue("uid"));
                } else {
                    assertThat(r.getMessageID()).isEqualTo(4);
                    assertThat(((SearchResult) r).getResultCode()).isEqualTo(ResultCode.SUCCESS);
                    break;
                }
            }
            assertThat(next).containsExactly("lisi");
            assertThat(abandonedDone).as("entries before the answer: %d", abandonedEntries).isFalse();
            assertThat(abandonedEntries).isGreaterThan(0).isLessThan(MANY / 2);
        }
    }

    private static void write(OutputStream out, LDAPMessage message) throws Exception {
        ASN1Buffer buffer = new ASN1Buffer();
        message.writeTo(buffer);
        buffer.writeTo(out);
        out.flush();
    }

    @Test
    void aConnectionInUseIsNotClosed() throws Exception {
        try (LDAPConnection c = new LDAPConnection("127.0.0.1", idlePort)) {
            c.bind(LdapFixture.ALL_DN, LdapFixture.SECRET);
            for (int i = 0; i < 6; i++) {
                assertThat(c.search(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=lisi)").getEntryCount()).isEqualTo(1);
                Thread.sleep(400);
            }
        }
    }
}
