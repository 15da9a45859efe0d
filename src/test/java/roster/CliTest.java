package roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The command line as a user runs it: real processes, exit codes, stdout and stderr. */
class CliTest {

    record Run(int exit, String out, String err) {}

    static Process start(TestServer.Database db, List<String> args) throws IOException {
        return start(db, args, null);
    }

    /** Starts a process; with stderrLog its stderr goes to that file (a long-running server must not fill a pipe). */
    static Process start(TestServer.Database db, List<String> args, Path stderrLog) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "roster.Roster"));
        command.addAll(args);
        if (db != null) {
            command.add("--data=" + db.dataDir());
            if (db.jdbcUrl() != null) command.add("--db=" + db.jdbcUrl());
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("ROSTER_PORT", "0");
        pb.environment().put("ROSTER_LDAP_PORT", "0"); // never the default port: processes run side by side
        pb.environment().put("ROSTER_ADMIN_TOKEN", TestServer.ADMIN_TOKEN);
        if (stderrLog != null) pb.redirectError(stderrLog.toFile());
        return pb.start();
    }

    static Run run(TestServer.Database db, String stdin, String... args) throws Exception {
        Process p = start(db, List.of(args));
        if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void loadExportAndRefusals() throws Exception {
        TestServer.Database db = TestServer.freshDatabase();
        try {
            Run load = run(db, null, "load", TestServer.DEMO.toString());
            assertThat(load.exit()).as(load.err()).isZero();
            assertThat(load.err()).contains("6 created");

            Run export = run(db, null, "export", "--tenant", "acme");
            assertThat(export.exit()).isZero();
            assertThat(export.out()).contains("\"id\":\"u1001\"").doesNotContain("password").doesNotContain("demo-secret");

            Run again = run(db, export.out(), "load", "-");
            assertThat(again.exit()).as(again.err()).isZero();
            assertThat(again.err()).contains("0 created, 0 updated, 0 deleted, 6 unchanged");

            Run bad = run(db, "{\"tenants\":[{\"id\":\"acme\",\"users\":[{\"id\":\"u1001\",\"name\":\"X\"},{\"id\":\"u9\",\"gender\":\"robot\"}]}]}", "load", "-");
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.err()).contains("$.tenants[0].users[1].gender").contains("nothing was changed");
            assertThat(run(db, null, "export", "--tenant", "acme").out()).isEqualTo(export.out());

            assertThat(run(db, null, "export", "--tenant", "nope").exit()).isEqualTo(2);
            assertThat(run(db, null, "load", "/no/such/file.json").exit()).isEqualTo(2);
        } finally {
            TestServer.dropDatabase(db);
        }
    }

    @Test
    void serveStartsOnAFreePortAndExitsZeroOnSigterm() throws Exception {
        TestServer.Database db = TestServer.freshDatabase();
        Process serve = start(db, List.of("serve"));
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            assertThat(ready).startsWith("Roster listening on http://127.0.0.1:");
            String url = ready.substring("Roster listening on ".length());

            // load works while the server runs on the same database, and the server sees it at once
            Run load = run(db, null, "load", TestServer.DEMO.toString());
            assertThat(load.exit()).as(load.err()).isZero();
            var users = new TestServer.Client(url).admin("GET", "/admin/v1/tenants/acme/users", null);
            assertThat(users.body()).contains("u1006");

            serve.destroy(); // SIGTERM
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(serve.exitValue()).isZero();
        } finally {
            serve.destroyForcibly(); // never leave a server behind, whatever failed
            TestServer.dropDatabase(db);
        }
    }

    @Test
    void versionAndHelp() throws Exception {
        assertThat(run(null, null, "version").out()).startsWith("roster ");
        var help = new java.io.StringWriter();
        Roster.commandLine().setOut(new java.io.PrintWriter(help)).execute("--help");
        assertThat(help.toString()).contains("serve").contains("load").contains("export");
    }
}
