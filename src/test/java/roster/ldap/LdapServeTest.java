package roster.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import roster.TestServer;

/** `roster serve` as a process: the LDAP ready line, and a taken port as a one-line error naming the setting. */
class LdapServeTest {

    static Process serve(TestServer.Database db, Path stderr, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "roster.Roster", "serve", "--data=" + db.dataDir()));
        if (db.jdbcUrl() != null) command.add("--db=" + db.jdbcUrl());
        command.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile());
        pb.environment().put("ROSTER_PORT", "0");
        pb.environment().put("ROSTER_ADMIN_TOKEN", TestServer.ADMIN_TOKEN);
        pb.environment().remove("ROSTER_LDAP_PORT");
        return pb.start();
    }

    @Test
    void servePrintsTheLdapReadyLineAndAnswersThere() throws Exception {
        TestServer.Database db = TestServer.freshDatabase();
        Process p = serve(db, db.dataDir().resolve("serve.log"), "--ldap-port=0");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).startsWith("Roster listening on http://127.0.0.1:");
            String ldap = out.readLine();
            assertThat(ldap).matches("Roster LDAP listening on ldap://127\\.0\\.0\\.1:\\d+");
            int port = Integer.parseInt(ldap.substring(ldap.lastIndexOf(':') + 1));
            try (LDAPConnection c = new LDAPConnection("127.0.0.1", port)) {
                assertThat(c.getRootDSE().getAttributeValues("supportedLDAPVersion")).containsExactly("3");
            }
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            TestServer.dropDatabase(db);
        }
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void aTakenPortIsOneLineNamingTheSetting() throws Exception {
        TestServer.Database db = TestServer.freshDatabase();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path log = db.dataDir().resolve("serve.log");
            Process p = serve(db, log, "--ldap-port=" + taken.getLocalPort());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(2);
            List<String> lines = Files.readAllLines(log);
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("roster: ROSTER_LDAP_PORT: ").contains("127.0.0.1:" + taken.getLocalPort()));
            assertThat(lines).noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception in thread"));
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).doesNotContain("listening");
        } finally {
            TestServer.dropDatabase(db);
        }
    }
}
