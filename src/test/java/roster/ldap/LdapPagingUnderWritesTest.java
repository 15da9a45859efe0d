package roster.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import roster.TestServer;

/**
 * A paged walk while others write keeps feishu's guarantee (keyset on num): every user that stays for the whole
 * walk is listed exactly once. And user binds count against the rate limit.
 */
class LdapPagingUnderWritesTest {

    @Test
    void everyUserThatStaysIsListedExactlyOnce() throws Exception {
        try (TestServer server = LdapFixture.start()) {
            int port = LdapFixture.port(server);
            AtomicBoolean walking = new AtomicBoolean(true);
            List<String> deleted = new ArrayList<>();
            for (int i = 20; i < LdapFixture.BULK; i++) deleted.add(String.format("bulk%02d", i));
            Thread writer = new Thread(() -> {
                int n = 0;
                while (walking.get() && n < 200) {
                    server.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"new" + n + "\",\"username\":\"new" + n + "\"}");
                    if (n < 10) server.admin("DELETE", "/admin/v1/tenants/acme/users/b" + (20 + n), null);
                    server.admin("PATCH", "/admin/v1/tenants/acme/users/b" + String.format("%02d", n % 10), "{\"name\":\"Renamed " + n + "\"}");
                    n++;
                }
            });
            writer.start();
            List<String> seen = new ArrayList<>();
            try (LDAPConnection c = LdapProtocolTest.asApp(port, LdapFixture.ALL_DN)) {
                ASN1OctetString cookie = null;
                do {
                    SearchRequest request = new SearchRequest(LdapFixture.PEOPLE, SearchScope.ONE, "(objectClass=*)", "uid");
                    request.addControl(new SimplePagedResultsControl(3, cookie, false));
                    SearchResult result = c.search(request);
                    result.getSearchEntries().forEach(e -> seen.add(e.getAttributeValue("uid")));
                    cookie = SimplePagedResultsControl.get(result).getCookie();
                    Thread.sleep(20);
                } while (cookie.getValueLength() > 0);
            } finally {
                walking.set(false);
                writer.join();
            }
            assertThat(seen).doesNotHaveDuplicates();
            List<String> stayers = LdapFixture.allUids().stream().filter(u -> !deleted.contains(u)).toList();
            assertThat(seen).containsAll(stayers);
        }
    }

    @Test
    void userBindsCountAgainstTheRateLimit() throws Exception {
        try (TestServer server = LdapFixture.start(TestServer.rateLimit(1))) {
            int port = LdapFixture.port(server);
            // guesses from several connections at once: the count comes before the (slow) password check
            List<ResultCode> codes = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> guessers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Thread guesser = new Thread(() -> {
                    try (LDAPConnection c = LdapProtocolTest.connect(port)) {
                        for (int i = 0; i < 3; i++) {
                            try {
                                c.bind("uid=zhangsan,ou=people,o=acme", "guess-" + i);
                                codes.add(ResultCode.SUCCESS);
                            } catch (LDAPException e) {
                                codes.add(e.getResultCode());
                            }
                        }
                    } catch (LDAPException e) {
                        codes.add(e.getResultCode());
                    }
                });
                guesser.start();
                guessers.add(guesser);
            }
            for (Thread g : guessers) g.join();
            assertThat(codes).contains(ResultCode.BUSY).doesNotContain(ResultCode.SUCCESS);
        }
    }
}
