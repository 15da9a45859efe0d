package roster.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.AddRequest;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.CompareResult;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DeleteRequest;
import com.unboundid.ldap.sdk.ExtendedRequest;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ModifyDNRequest;
import com.unboundid.ldap.sdk.ModifyRequest;
import com.unboundid.ldap.sdk.PLAINBindRequest;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.ldap.sdk.extensions.WhoAmIExtendedRequest;
import com.unboundid.ldap.sdk.extensions.WhoAmIExtendedResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;

/** The LDAP wire through the UnboundID SDK as a client: binds, scopes, filters, attributes, limits, paging, refusals. */
class LdapProtocolTest {

    static TestServer server;
    static int port;

    @BeforeAll
    static void start() {
        server = LdapFixture.start();
        port = LdapFixture.port(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static LDAPConnection connect(int port) throws LDAPException {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setBindWithDNRequiresPassword(false);
        options.setResponseTimeoutMillis(30_000);
        return new LDAPConnection(options, "127.0.0.1", port);
    }

    static LDAPConnection asApp(int port, String dn) throws LDAPException {
        LDAPConnection c = connect(port);
        c.bind(dn, LdapFixture.SECRET);
        return c;
    }

    static ResultCode code(ThrowingRunnable r) {
        try {
            r.run();
            return ResultCode.SUCCESS;
        } catch (LDAPException e) {
            return e.getResultCode();
        }
    }

    interface ThrowingRunnable {
        void run() throws LDAPException;
    }

    static List<String> uids(List<SearchResultEntry> entries) {
        return entries.stream().map(e -> e.getAttributeValue("uid")).toList();
    }

    static List<String> uids(LDAPConnection c, String filter) throws LDAPException {
        return uids(c.search(LdapFixture.PEOPLE, SearchScope.ONE, filter, "uid").getSearchEntries());
    }

    // ---- bind

    @Test
    void bindAsAppOrUserAndEveryRefusal() throws Exception {
        try (LDAPConnection c = connect(port)) {
            assertThat(code(() -> c.bind(LdapFixture.ALL_DN, LdapFixture.SECRET))).isEqualTo(ResultCode.SUCCESS);
            assertThat(((WhoAmIExtendedResult) c.processExtendedOperation(new WhoAmIExtendedRequest())).getAuthorizationID())
                    .isEqualTo("dn:" + LdapFixture.ALL_DN);
            assertThat(code(() -> c.bind(LdapFixture.ALL_DN, "wrong"))).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            // a failed bind leaves the connection anonymous
            assertThat(code(() -> c.search(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=*)"))).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
            assertThat(code(() -> c.bind("cn=ldap-all,ou=apps,o=other", LdapFixture.SECRET))).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            assertThat(code(() -> c.bind("cn=" + DemoApps.FEISHU_APP + ",ou=apps,o=acme", DemoApps.FEISHU_SECRET)))
                    .isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS); // no scope ldap
            assertThat(code(() -> c.bind("uid=zhangsan,ou=people,o=acme", "correct horse battery staple"))).isEqualTo(ResultCode.SUCCESS);
            assertThat(code(() -> c.bind("uid=ZhangSan,ou=people,o=acme", "correct horse battery staple"))).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            assertThat(code(() -> c.bind("uid=wangwu,ou=people,o=acme", "anything"))).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            assertThat(code(() -> c.bind("uid=zhangsan,ou=people,o=acme", ""))).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            assertThat(code(() -> c.bind("not a dn", "x"))).isEqualTo(ResultCode.INVALID_DN_SYNTAX);
            assertThat(code(() -> c.bind(new PLAINBindRequest("u:zhangsan", "x")))).isEqualTo(ResultCode.AUTH_METHOD_NOT_SUPPORTED);
            assertThat(code(() -> c.bind("", ""))).isEqualTo(ResultCode.SUCCESS); // anonymous
        }
    }

    @Test
    void aFailedUserBindTakesAboutAsLongAsAnUnknownUser() throws Exception {
        try (LDAPConnection c = connect(port)) {
            long known = 0, unknown = 0;
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                code(() -> c.bind("uid=zhangsan,ou=people,o=acme", "wrong"));
                long t1 = System.nanoTime();
                code(() -> c.bind("uid=nobody-" + System.nanoTime() + ",ou=people,o=acme", "wrong"));
                known += t1 - t0;
                unknown += System.nanoTime() - t1;
            }
            // both check a bcrypt hash (about 60 ms): neither answers in a fraction of the other's time
            assertThat(unknown).isGreaterThan(known / 4);
            assertThat(known).isGreaterThan(unknown / 4);
        }
    }

    // ---- the tree and its scopes

    @Test
    void everyScopeOverTheTenantsTree() throws Exception {
        try (LDAPConnection c = asApp(port, LdapFixture.ALL_DN)) {
            assertThat(c.search("o=acme", SearchScope.BASE, "(objectClass=*)").getEntryCount()).isEqualTo(1);
            assertThat(c.search("o=acme", SearchScope.ONE, "(objectClass=*)").getSearchEntries().stream().map(e -> e.getDN()).toList())
                    .containsExactlyInAnyOrder("ou=apps,o=acme", "ou=departments,o=acme", "ou=groups,o=acme", "ou=people,o=acme");
            int users = LdapFixture.allUids().size();
            assertThat(c.search("o=acme", SearchScope.SUB, "(objectClass=*)").getEntryCount()).isEqualTo(1 + 4 + 4 + 2 + users);
            assertThat(c.search("o=acme", SearchScope.SUBORDINATE_SUBTREE, "(objectClass=*)").getEntryCount()).isEqualTo(4 + 4 + 2 + users);
            assertThat(c.search(LdapFixture.PEOPLE, SearchScope.SUB, "(objectClass=*)").getEntryCount()).isEqualTo(1 + users);
            assertThat(c.search("ou=departments,o=acme", SearchScope.ONE, "(objectClass=organizationalUnit)").getEntryCount()).isEqualTo(4);
            assertThat(c.search("uid=ada,ou=people,o=acme", SearchScope.BASE, "(objectClass=*)").getEntryCount()).isEqualTo(1);
            assertThat(c.search("uid=ada,ou=people,o=acme", SearchScope.ONE, "(objectClass=*)").getEntryCount()).isZero();
            assertThat(c.search("uid=ada,ou=people,o=acme", SearchScope.BASE, "(uid=lisi)").getEntryCount()).isZero();
            SearchResultEntry group = c.searchForEntry("cn=hq-doors,ou=groups,o=acme", SearchScope.BASE, "(objectClass=groupOfNames)");
            assertThat(group.getAttributeValues("member")).containsExactlyInAnyOrder(
                    "uid=zhangsan,ou=people,o=acme", "uid=wangwu,ou=people,o=acme", "uid=ada,ou=people,o=acme");
            assertThat(c.search("ou=groups,o=acme", SearchScope.ONE, "(member=uid=lisi,ou=people,o=acme)").getSearchEntries().get(0).getDN())
                    .isEqualTo("cn=lab-doors,ou=groups,o=acme");
            SearchResultEntry dept = c.searchForEntry("ou=eng-platform,ou=departments,o=acme", SearchScope.BASE, "(objectClass=*)");
            assertThat(dept.getAttributeValue("seeAlso")).isEqualTo("ou=eng,ou=departments,o=acme");
            assertThat(code(() -> c.search("uid=nobody,ou=people,o=acme", SearchScope.BASE, "(objectClass=*)"))).isEqualTo(ResultCode.NO_SUCH_OBJECT);
            assertThat(code(() -> c.search("o=other", SearchScope.SUB, "(objectClass=*)"))).isEqualTo(ResultCode.NO_SUCH_OBJECT);
            assertThat(code(() -> c.search("cn=x,ou=nowhere,o=acme", SearchScope.SUB, "(objectClass=*)"))).isEqualTo(ResultCode.NO_SUCH_OBJECT);
            SearchResultEntry schema = c.searchForEntry("cn=Subschema", SearchScope.BASE, "(objectClass=*)", "+");
            assertThat(schema.getAttributeValues("attributeTypes")).anyMatch(t -> t.contains("'uid'"));
            assertThat(schema.getAttributeValues("objectClasses")).anyMatch(t -> t.contains("'inetOrgPerson'"));
        }
    }

    // ---- filters: the same users as the admin API's filters, and every RFC 4515 form

    @Test
    void filtersSelectWhatTheAdminApiSelects() throws Exception {
        try (LDAPConnection c = asApp(port, LdapFixture.ALL_DN)) {
            assertThat(uids(c, "(departmentNumber=eng)")).containsExactlyInAnyOrderElementsOf(admin("department=eng"));
            assertThat(uids(c, "(memberOf=cn=hq-doors,ou=groups,o=acme)")).containsExactlyInAnyOrderElementsOf(admin("access_group=hq-doors"));
            assertThat(uids(c, "(&(departmentNumber=sales)(!(memberOf=cn=hq-doors,ou=groups,o=acme)))"))
                    .containsExactlyInAnyOrderElementsOf(minus(admin("department=sales"), admin("access_group=hq-doors")));
            assertThat(uids(c, "(|(departmentNumber=eng)(memberOf=cn=lab-doors,ou=groups,o=acme))"))
                    .containsExactlyInAnyOrderElementsOf(new TreeSet<>(union(admin("department=eng"), admin("access_group=lab-doors"))));
        }
    }

    @Test
    void everyFilterForm() throws Exception {
        List<String> demo = List.of("zhangsan", "lisi", "wangwu", "zhaoliu", "ada", "u1006");
        Map<String, List<String>> expected = Map.ofEntries(
                Map.entry("(uid=ZhangSan)", List.of("zhangsan")),
                Map.entry("(uid=u1006)", List.of("u1006")),
                Map.entry("(uid~=ada)", List.of("ada")),
                Map.entry("(|(uid=ada)(uid=lisi))", List.of("ada", "lisi")),
                Map.entry("(&(objectClass=person)(!(uid=bulk*)))", demo),
                Map.entry("(uid=*1*)", List.of("u1006", "bulk01", "bulk10", "bulk11", "bulk12", "bulk13", "bulk14", "bulk15", "bulk16",
                        "bulk17", "bulk18", "bulk19", "bulk21")),
                Map.entry("(cn=bulk 2*)", List.of("bulk20", "bulk21", "bulk22", "bulk23", "bulk24", "bulk25", "bulk26", "bulk27", "bulk28", "bulk29")),
                Map.entry("(mail=*)", List.of("zhangsan", "lisi", "ada")),
                Map.entry("(&(ou=*)(!(uid=bulk*)))", List.of("zhangsan", "lisi", "wangwu", "zhaoliu", "ada")),
                Map.entry("(&(!(departmentNumber=*))(!(uid=bulk*)))", List.of("u1006")),
                Map.entry("(&(!(mail=*))(!(uid=bulk*)))", List.of("wangwu", "zhaoliu", "u1006")),
                Map.entry("(mail=*@ACME.example)", List.of("zhangsan", "lisi", "ada")),
                Map.entry("(&(employeeNumber>=1002)(employeeNumber<=1004))", List.of("lisi", "wangwu", "zhaoliu")),
                Map.entry("(employeeNumber=1005)", List.of("ada")),
                Map.entry("(employeeNumber=not-a-number)", List.of()),
                Map.entry("(&(uid>=w)(uid<=zz))", List.of("wangwu", "zhangsan", "zhaoliu")),
                Map.entry("(objectClass=groupOfNames)", List.of()),
                Map.entry("(noSuchAttribute=x)", List.of()),
                Map.entry("(departmentNumber=eng-platform)", List.of("zhangsan")),
                Map.entry("(&(memberOf=*)(!(uid=bulk*)))", List.of("zhangsan", "lisi", "wangwu", "ada")),
                Map.entry("(&(createTimestamp>=19700101000000Z)(uid=ada))", List.of("ada")),
                Map.entry("(&(modifyTimestamp<=19700101000000Z)(uid=ada))", List.of()));
        try (LDAPConnection c = asApp(port, LdapFixture.ALL_DN)) {
            for (var e : expected.entrySet()) {
                assertThat(uids(c, e.getKey())).as(e.getKey()).containsExactlyInAnyOrderElementsOf(e.getValue());
            }
        }
    }

    static List<String> admin(String query) throws Exception {
        JsonNode body = DemoApps.JSON.readTree(server.admin("GET", "/admin/v1/tenants/acme/users?limit=1000&" + query, null).body());
        List<String> out = new ArrayList<>();
        body.get("items").forEach(u -> out.add(u.hasNonNull("username") ? u.get("username").asText() : u.get("id").asText()));
        return out;
    }

    static List<String> minus(List<String> a, List<String> b) {
        return a.stream().filter(x -> !b.contains(x)).toList();
    }

    static List<String> union(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        b.stream().filter(x -> !a.contains(x)).forEach(out::add);
        return out;
    }

    // ---- attributes and limits

    @Test
    void attributeSelectionAndPhotosOnlyWhenAsked() throws Exception {
        try (LDAPConnection c = asApp(port, LdapFixture.ALL_DN)) {
            String dn = "uid=zhangsan,ou=people,o=acme";
            SearchResultEntry plain = c.getEntry(dn);
            assertThat(plain.hasAttribute("uid")).isTrue();
            assertThat(plain.hasAttribute("entryUUID")).isFalse();
            assertThat(plain.hasAttribute("jpegPhoto")).isFalse();
            assertThat(c.getEntry(dn, "1.1").getAttributes()).isEmpty();
            SearchResultEntry ops = c.getEntry(dn, "+");
            assertThat(ops.hasAttribute("entryUUID")).isTrue();
            assertThat(ops.hasAttribute("uid")).isFalse();
            assertThat(c.getEntry(dn, "MAIL").getAttributeValue("mail")).isEqualTo("zhangsan@acme.example");
            byte[] photo = c.getEntry(dn, "jpegPhoto").getAttributeValueBytes("jpegPhoto");
            assertThat(photo).isNotNull().isNotEmpty();
            assertThat(c.getEntry(dn, "+").getAttributeValue("entryUUID")).isEqualTo(c.getEntry(dn, "entryUUID").getAttributeValue("entryUUID"));
            SearchRequest typesOnly = new SearchRequest(dn, SearchScope.BASE, "(objectClass=*)", "mail");
            typesOnly.setTypesOnly(true);
            assertThat(c.search(typesOnly).getSearchEntries().get(0).getAttribute("mail").hasValue()).isFalse();
        }
    }

    @Test
    void sizeLimitAndTimeLimit() throws Exception {
        try (LDAPConnection c = asApp(port, LdapFixture.ALL_DN)) {
            SearchRequest request = new SearchRequest(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=*)", "uid");
            request.setSizeLimit(5);
            LDAPSearchException e = (LDAPSearchException) org.assertj.core.api.Assertions.catchThrowable(() -> c.search(request));
            assertThat(e.getResultCode()).isEqualTo(ResultCode.SIZE_LIMIT_EXCEEDED);
            assertThat(e.getEntryCount()).isEqualTo(5);
            SearchRequest enough = new SearchRequest(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=*)", "uid");
            enough.setSizeLimit(1000);
            enough.setTimeLimitSeconds(30);
            assertThat(c.search(enough).getEntryCount()).isEqualTo(LdapFixture.allUids().size());
        }
    }

    // ---- paged results: stateless cookies

    @Test
    void aPagedWalkResumesOnAnotherConnectionAndAnotherServer() throws Exception {
        try (TestServer second = server.alongside(s -> s.withLdapPort(0))) {
            int[] ports = {port, LdapFixture.port(second)};
            List<String> seen = new ArrayList<>();
            ASN1OctetString cookie = null;
            int pages = 0;
            do {
                // every page on a new connection, alternating between the two servers
                try (LDAPConnection c = asApp(ports[pages % 2], LdapFixture.ALL_DN)) {
                    SearchRequest request = new SearchRequest(LdapFixture.PEOPLE, SearchScope.SUB, "(objectClass=inetOrgPerson)", "uid");
                    request.addControl(new SimplePagedResultsControl(4, cookie, true));
                    SearchResult result = c.search(request);
                    assertThat(result.getEntryCount()).isLessThanOrEqualTo(4);
                    seen.addAll(uids(result.getSearchEntries()));
                    SimplePagedResultsControl answer = SimplePagedResultsControl.get(result);
                    cookie = answer.getCookie();
                }
                pages++;
            } while (cookie.getValueLength() > 0 && pages < 100);
            assertThat(seen).containsExactlyInAnyOrderElementsOf(LdapFixture.allUids());
            assertThat(pages).isEqualTo((LdapFixture.allUids().size() + 3) / 4);
        }
    }

    @Test
    void aPagedWalkOfTheWholeTreeMixesEntriesAndUsers() throws Exception {
        try (LDAPConnection c = asApp(port, LdapFixture.ALL_DN)) {
            List<String> dns = new ArrayList<>();
            ASN1OctetString cookie = null;
            do {
                SearchRequest request = new SearchRequest("o=acme", SearchScope.SUB, "(objectClass=*)", "1.1");
                request.addControl(new SimplePagedResultsControl(3, cookie, false));
                SearchResult result = c.search(request);
                result.getSearchEntries().forEach(e -> dns.add(e.getDN()));
                cookie = SimplePagedResultsControl.get(result).getCookie();
            } while (cookie.getValueLength() > 0);
            assertThat(dns).doesNotHaveDuplicates().hasSize(1 + 4 + 4 + 2 + LdapFixture.allUids().size());
        }
    }

    @Test
    void aCookieIsBoundToItsQueryAndCannotBeForged() throws Exception {
        try (LDAPConnection c = asApp(port, LdapFixture.ALL_DN)) {
            SearchRequest first = new SearchRequest(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=*)", "uid");
            first.addControl(new SimplePagedResultsControl(2));
            ASN1OctetString cookie = SimplePagedResultsControl.get(c.search(first)).getCookie();
            SearchRequest other = new SearchRequest(LdapFixture.PEOPLE, SearchScope.ONE, "(mail=*)", "uid");
            other.addControl(new SimplePagedResultsControl(2, cookie, false));
            assertThat(code(() -> c.search(other))).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            SearchRequest forged = new SearchRequest(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=*)", "uid");
            forged.addControl(new SimplePagedResultsControl(2, new ASN1OctetString("AAAAAAAAAAAAAAAA"), false));
            assertThat(code(() -> c.search(forged))).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            SearchRequest stop = new SearchRequest(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=*)", "uid");
            stop.addControl(new SimplePagedResultsControl(0, cookie, false));
            SearchResult stopped = c.search(stop);
            assertThat(stopped.getEntryCount()).isZero();
            assertThat(SimplePagedResultsControl.get(stopped).getCookie().getValueLength()).isZero();
        }
        // another app cannot use the cookie either
        try (LDAPConnection a = asApp(port, LdapFixture.ALL_DN); LDAPConnection b = asApp(port, LdapFixture.ENG_DN)) {
            SearchRequest first = new SearchRequest(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=*)", "uid");
            first.addControl(new SimplePagedResultsControl(2));
            ASN1OctetString cookie = SimplePagedResultsControl.get(a.search(first)).getCookie();
            SearchRequest replay = new SearchRequest(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=*)", "uid");
            replay.addControl(new SimplePagedResultsControl(2, cookie, false));
            assertThat(code(() -> b.search(replay))).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
        }
    }

    // ---- who sees what

    @Test
    void anAppSeesItsVisibleUsersAndAUserItselfOnly() throws Exception {
        try (LDAPConnection c = asApp(port, LdapFixture.ENG_DN)) {
            assertThat(uids(c, "(objectClass=*)")).containsExactlyInAnyOrder("zhangsan", "lisi", "ada");
            assertThat(code(() -> c.search("uid=wangwu,ou=people,o=acme", SearchScope.BASE, "(objectClass=*)"))).isEqualTo(ResultCode.NO_SUCH_OBJECT);
            assertThat(c.searchForEntry("cn=hq-doors,ou=groups,o=acme", SearchScope.BASE, "(objectClass=*)").getAttributeValues("member"))
                    .containsExactlyInAnyOrder("uid=zhangsan,ou=people,o=acme", "uid=ada,ou=people,o=acme");
        }
        try (LDAPConnection c = connect(port)) {
            c.bind("uid=zhangsan,ou=people,o=acme", "correct horse battery staple");
            assertThat(uids(c.search("o=acme", SearchScope.SUB, "(objectClass=*)").getSearchEntries())).containsExactly("zhangsan");
            assertThat(c.getEntry("uid=zhangsan,ou=people,o=acme").getAttributeValue("mail")).isEqualTo("zhangsan@acme.example");
            assertThat(code(() -> c.search("uid=lisi,ou=people,o=acme", SearchScope.BASE, "(objectClass=*)"))).isEqualTo(ResultCode.NO_SUCH_OBJECT);
            assertThat(c.search("ou=departments,o=acme", SearchScope.SUB, "(objectClass=*)").getEntryCount()).isZero();
        }
    }

    @Test
    void compare() throws Exception {
        try (LDAPConnection c = asApp(port, LdapFixture.ALL_DN)) {
            CompareResult yes = c.compare("uid=zhangsan,ou=people,o=acme", "mail", "ZhangSan@acme.example");
            assertThat(yes.compareMatched()).isTrue();
            assertThat(c.compare("uid=zhangsan,ou=people,o=acme", "mail", "other@acme.example").compareMatched()).isFalse();
            assertThat(code(() -> c.compare("uid=nobody,ou=people,o=acme", "mail", "x"))).isEqualTo(ResultCode.NO_SUCH_OBJECT);
        }
    }

    // ---- bad input: always a result code, never a dropped server

    @Test
    void writesUnknownOperationsAndControlsGetResultCodes() throws Exception {
        try (LDAPConnection c = asApp(port, LdapFixture.ALL_DN)) {
            String dn = "uid=zhangsan,ou=people,o=acme";
            assertThat(code(() -> c.add(new AddRequest("uid=new,ou=people,o=acme", new Attribute("objectClass", "inetOrgPerson")))))
                    .isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            assertThat(code(() -> c.modify(new ModifyRequest(dn, new Modification(ModificationType.REPLACE, "mail", "x@y.example")))))
                    .isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            assertThat(code(() -> c.delete(new DeleteRequest(dn)))).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            assertThat(code(() -> c.modifyDN(new ModifyDNRequest(dn, "uid=other", true)))).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            assertThat(code(() -> c.processExtendedOperation(new ExtendedRequest("1.2.3.4.5")))).isEqualTo(ResultCode.PROTOCOL_ERROR);
            assertThat(code(() -> c.processExtendedOperation(new StartTLSExtendedRequest()))).isEqualTo(ResultCode.UNAVAILABLE);

            SearchRequest critical = new SearchRequest(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=ada)");
            critical.addControl(new Control("1.2.3.4.5.6", true));
            assertThat(code(() -> c.search(critical))).isEqualTo(ResultCode.UNAVAILABLE_CRITICAL_EXTENSION);
            SearchRequest optional = new SearchRequest(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=ada)");
            optional.addControl(new Control("1.2.3.4.5.6", false));
            assertThat(c.search(optional).getEntryCount()).isEqualTo(1);
            SearchRequest badPaged = new SearchRequest(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=ada)");
            badPaged.addControl(new Control("1.2.840.113556.1.4.319", true, new ASN1OctetString("junk")));
            assertThat(code(() -> c.search(badPaged))).isEqualTo(ResultCode.PROTOCOL_ERROR);

            assertThat(code(() -> c.search(LdapFixture.PEOPLE, SearchScope.ONE, "(uid:caseExactMatch:=ada)"))).isEqualTo(ResultCode.INAPPROPRIATE_MATCHING);
            Filter deep = Filter.createEqualityFilter("uid", "ada");
            for (int i = 0; i < 100; i++) deep = Filter.createNOTFilter(deep);
            Filter deepFilter = deep;
            assertThat(code(() -> c.search(LdapFixture.PEOPLE, SearchScope.ONE, deepFilter))).isEqualTo(ResultCode.ADMIN_LIMIT_EXCEEDED);
            assertThat(code(() -> c.search("this is not a DN", SearchScope.ONE, "(uid=*)"))).isEqualTo(ResultCode.INVALID_DN_SYNTAX);
            assertThat(c.search(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=ada)").getEntryCount()).isEqualTo(1); // still fine
        }
    }

    @Test
    void hugeRequestsAndMalformedBerEndTheConnectionNotTheServer() throws Exception {
        try (LDAPConnection c = asApp(port, LdapFixture.ALL_DN)) {
            List<Filter> many = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) many.add(Filter.createEqualityFilter("uid", "user-number-" + i));
            ResultCode huge = code(() -> c.search(LdapFixture.PEOPLE, SearchScope.ONE, Filter.createORFilter(many)));
            assertThat(huge).isNotEqualTo(ResultCode.SUCCESS);
        }
        for (byte[] junk : List.of(new byte[] {0x30, (byte) 0x84, 0x7f, 0x7f, 0x7f, 0x7f, 0x02}, "GET / HTTP/1.1\r\n\r\n".getBytes(),
                new byte[] {0x30, 0x05, 0x02, 0x01, 0x01, 0x63, 0x00}, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff})) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(junk);
                out.flush();
                s.shutdownOutput();
                InputStream in = s.getInputStream();
                in.readAllBytes(); // the server answers (a notice of disconnection) or closes; it never hangs
            }
        }
        try (LDAPConnection c = asApp(port, LdapFixture.ALL_DN)) {
            assertThat(c.search(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=ada)").getEntryCount()).isEqualTo(1);
        }
    }

    @Test
    void pagedEntriesAreTheEntriesEachDnNames() throws Exception {
        // pages read only the columns entries are made of; a base search reads the whole user: the same entries
        try (LDAPConnection c = asApp(port, LdapFixture.ALL_DN)) {
            SearchResult walk = c.search(LdapFixture.PEOPLE, SearchScope.ONE, "(objectClass=inetOrgPerson)", "*", "+");
            assertThat(walk.getEntryCount()).isEqualTo(LdapFixture.allUids().size());
            for (SearchResultEntry e : walk.getSearchEntries()) {
                SearchResultEntry one = c.getEntry(e.getDN(), "*", "+");
                assertThat(new TreeSet<>(e.getAttributes().stream().map(Attribute::toString).toList()))
                        .isEqualTo(new TreeSet<>(one.getAttributes().stream().map(Attribute::toString).toList()));
            }
            SearchResultEntry zhangsan = c.getEntry("uid=zhangsan,ou=people,o=acme");
            assertThat(zhangsan.getAttributeValue("givenName")).isEqualTo(zhangsan.getAttributeValue("cn"));
            assertThat(zhangsan.getAttributeValues("ou")).containsExactlyInAnyOrder(zhangsan.getAttributeValues("departmentNumber"));
            assertThat(zhangsan.getAttributeValues("ou")).isNotEmpty();
            // only what is asked for: no memberships read, none sent
            SearchResultEntry few = c.searchForEntry(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=zhangsan)", "uid", "mail");
            assertThat(few.getAttributes()).extracting(Attribute::getName).containsExactlyInAnyOrder("uid", "mail");
            assertThat(c.search(LdapFixture.PEOPLE, SearchScope.ONE, "(givenName=张三)").getEntryCount()).isEqualTo(1);
            assertThat(c.search(LdapFixture.PEOPLE, SearchScope.ONE, "(&(ou=" + zhangsan.getAttributeValues("ou")[0] + ")(uid=zhangsan))").getEntryCount()).isEqualTo(1);
        }
    }

    @Test
    void anonymousClientsReadTheRootDseAndNothingElse() throws Exception {
        try (LDAPConnection c = connect(port)) {
            com.unboundid.ldap.sdk.RootDSE root = c.getRootDSE();
            assertThat(root.getAttributeValues("supportedControl")).contains("1.2.840.113556.1.4.319");
            assertThat(root.hasAttribute("namingContexts")).isFalse(); // tenants are not shown to strangers
            assertThat(code(() -> c.search("o=acme", SearchScope.BASE, "(objectClass=*)"))).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
            assertThat(code(() -> c.compare("uid=ada,ou=people,o=acme", "uid", "ada"))).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
            LDAPResult whoami = c.processExtendedOperation(new WhoAmIExtendedRequest());
            assertThat(((WhoAmIExtendedResult) whoami).getAuthorizationID()).isEmpty();
        }
    }
}
