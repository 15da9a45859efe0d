package roster.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.TestServer;

/**
 * Debian's ldap-utils (OpenLDAP's own clients) against Roster: what a person or a script types. .ci/run installs
 * them; ldapsearch -E pr=N/noprompt walks every page of the paged-results control.
 */
class LdapClientToolsTest {

    static TestServer server;
    static String url;

    @BeforeAll
    static void start() {
        server = LdapFixture.start();
        url = "ldap://127.0.0.1:" + LdapFixture.port(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Run(int exit, String out, String err) {}

    static Run run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    static List<String> values(String ldif, String attribute) {
        List<String> out = new ArrayList<>();
        for (String line : ldif.split("\n")) if (line.startsWith(attribute + ": ")) out.add(line.substring(attribute.length() + 2));
        return out;
    }

    @Test
    void pagedWalkWithLdapsearchListsEveryoneOnce() throws Exception {
        Run r = run("ldapsearch", "-x", "-LLL", "-H", url, "-D", LdapFixture.ALL_DN, "-w", LdapFixture.SECRET,
                "-b", LdapFixture.PEOPLE, "-E", "pr=7/noprompt", "(objectClass=inetOrgPerson)", "uid");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(values(r.out(), "uid")).containsExactlyInAnyOrderElementsOf(LdapFixture.allUids());
        assertThat(r.out()).contains("dn: uid=zhangsan,ou=people,o=acme");
    }

    @Test
    void searchShowsTheEntryAsInetOrgPerson() throws Exception {
        Run r = run("ldapsearch", "-x", "-LLL", "-H", url, "-D", LdapFixture.ALL_DN, "-w", LdapFixture.SECRET,
                "-b", LdapFixture.PEOPLE, "(&(mail=zhangsan@*)(memberOf=cn=hq-doors,ou=groups,o=acme))", "*", "+");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(values(r.out(), "uid")).containsExactly("zhangsan");
        assertThat(values(r.out(), "objectClass")).contains("inetOrgPerson");
        assertThat(values(r.out(), "mail")).containsExactly("zhangsan@acme.example");
        assertThat(values(r.out(), "employeeNumber")).containsExactly("1001");
        assertThat(values(r.out(), "departmentNumber")).containsExactly("eng-platform");
        assertThat(values(r.out(), "memberOf")).containsExactly("cn=hq-doors,ou=groups,o=acme");
        assertThat(values(r.out(), "entryUUID")).hasSize(1);
        assertThat(values(r.out(), "createTimestamp")).hasSize(1);
        assertThat(r.out()).doesNotContain("jpegPhoto").doesNotContainIgnoringCase("password");
    }

    @Test
    void ldapwhoamiChecksAUsersPassword() throws Exception {
        Run ok = run("ldapwhoami", "-x", "-H", url, "-D", "uid=zhangsan,ou=people,o=acme", "-w", "correct horse battery staple");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out().trim()).isEqualTo("dn:uid=zhangsan,ou=people,o=acme");
        Run wrong = run("ldapwhoami", "-x", "-H", url, "-D", "uid=zhangsan,ou=people,o=acme", "-w", "wrong");
        assertThat(wrong.exit()).isEqualTo(49);
        Run nobody = run("ldapwhoami", "-x", "-H", url, "-D", "uid=nobody,ou=people,o=acme", "-w", "whatever");
        assertThat(nobody.exit()).isEqualTo(49);
        Run app = run("ldapwhoami", "-x", "-H", url, "-D", LdapFixture.ALL_DN, "-w", LdapFixture.SECRET);
        assertThat(app.out().trim()).isEqualTo("dn:" + LdapFixture.ALL_DN);
    }

    @Test
    void anonymousReadsTheRootDseOnly() throws Exception {
        Run root = run("ldapsearch", "-x", "-LLL", "-H", url, "-b", "", "-s", "base", "+");
        assertThat(root.exit()).as(root.err()).isZero();
        assertThat(values(root.out(), "supportedControl")).contains("1.2.840.113556.1.4.319");
        assertThat(values(root.out(), "supportedLDAPVersion")).containsExactly("3");
        Run tree = run("ldapsearch", "-x", "-LLL", "-H", url, "-b", "o=acme", "(objectClass=*)");
        assertThat(tree.exit()).isEqualTo(50); // insufficientAccessRights
        Run bound = run("ldapsearch", "-x", "-LLL", "-H", url, "-D", LdapFixture.ALL_DN, "-w", LdapFixture.SECRET, "-b", "", "-s", "base", "namingContexts");
        assertThat(values(bound.out(), "namingContexts")).containsExactly("o=acme");
    }

    @Test
    void writesAreRefusedAsUnwillingToPerform() throws Exception {
        Process p = new ProcessBuilder("ldapmodify", "-x", "-H", url, "-D", LdapFixture.ALL_DN, "-w", LdapFixture.SECRET).start();
        p.getOutputStream().write("dn: uid=zhangsan,ou=people,o=acme\nchangetype: modify\nreplace: mail\nmail: x@y.example\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isEqualTo(53);
        Run delete = run("ldapdelete", "-x", "-H", url, "-D", LdapFixture.ALL_DN, "-w", LdapFixture.SECRET, "uid=lisi,ou=people,o=acme");
        assertThat(delete.exit()).isEqualTo(53);
    }
}
