package roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every mistake a person can make in configuring a start is one line on stderr naming the setting, exit status 2,
 * never a stack trace; `doctor` finds the same without starting. Real processes, as a user runs them.
 */
class StartupErrorsTest {

    record Run(int exit, String out, String err) {}

    /** Runs roster with exactly these variables set (besides PATH and HOME); stderr whole, to hold it to one line. */
    static Run roster(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "roster.Roster"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("ROSTER_"));
        pb.environment().put("ROSTER_LDAP_PORT", "0"); // the default port may be taken on a test machine
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        var err = p.getErrorStream().readAllBytes();
        var out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running: " + command);
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** Exit 2, and stderr is one line that names the setting and says what is wrong. */
    static void refusedInOneLine(Run run, String setting, String... saying) {
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as(run.err()).hasSize(1);
        assertThat(lines.get(0)).startsWith("roster: " + setting + ": ").contains(saying);
    }

    private static Map<String, String> on(TestServer.Database db, String... more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("ROSTER_DATA", db.dataDir().toString(), "ROSTER_PORT", "0",
                "ROSTER_ADMIN_TOKEN", TestServer.ADMIN_TOKEN));
        if (db.jdbcUrl() != null) env.put("ROSTER_DB", db.jdbcUrl());
        for (int i = 0; i < more.length; i += 2) env.put(more[i], more[i + 1]);
        return env;
    }

    @Test
    void badNumbersInSettings() throws Exception {
        Path data = Files.createTempDirectory("roster-startup");
        refusedInOneLine(roster(Map.of("ROSTER_DATA", data.toString(), "ROSTER_RATE_LIMIT", "fast"), "serve"), "ROSTER_RATE_LIMIT", "'fast'");
        refusedInOneLine(roster(Map.of("ROSTER_DATA", data.toString(), "ROSTER_PORT", "http"), "serve"), "ROSTER_PORT", "0 to 65535");
        refusedInOneLine(roster(Map.of("ROSTER_DATA", data.toString(), "ROSTER_SECRET_KEY", "c2hvcnQ="), "serve"), "ROSTER_SECRET_KEY", "32");
    }

    @Test
    void portInUse() throws Exception {
        TestServer.Database db = TestServer.freshDatabase();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            refusedInOneLine(roster(on(db, "ROSTER_PORT", String.valueOf(taken.getLocalPort())), "serve"), "ROSTER_PORT",
                    "port " + taken.getLocalPort(), "in use");
        } finally {
            TestServer.dropDatabase(db);
        }
    }

    @Test
    void databaseUrlWrongOrUnreachable() throws Exception {
        Path data = Files.createTempDirectory("roster-startup");
        refusedInOneLine(roster(Map.of("ROSTER_DATA", data.toString(), "ROSTER_DB", "mysql://127.0.0.1/roster"), "serve"),
                "ROSTER_DB", "not a database Roster runs on");
        // nothing listens on port 1; the password in the URL is never echoed
        Run down = roster(Map.of("ROSTER_DATA", data.toString(), "ROSTER_DB", "jdbc:postgresql://127.0.0.1:1/roster?user=postgres&password=hunter2"), "serve");
        refusedInOneLine(down, "ROSTER_DB", "cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:1/roster");
        assertThat(down.err()).doesNotContain("hunter2");
    }

    @Test
    void dataFolderThatCannotBeWritten() throws Exception {
        Path file = Files.createTempFile("roster-not-a-folder", "");
        // a path below a plain file cannot become a folder, whoever runs this (root included)
        refusedInOneLine(roster(Map.of("ROSTER_DATA", file.resolve("data").toString(), "ROSTER_PORT", "0"), "serve"), "ROSTER_DATA", file.toString());
    }

    @Test
    void anotherMasterKeyAndASchemaFromANewerRoster() throws Exception {
        TestServer.Database db = TestServer.freshDatabase();
        try {
            String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
            String otherKey = java.util.Base64.getEncoder().encodeToString("another key of thirty-two bytes!".getBytes(StandardCharsets.UTF_8));
            Run first = roster(on(db, "ROSTER_SECRET_KEY", key), "export");
            assertThat(first.exit()).as(first.err()).isZero();
            refusedInOneLine(roster(on(db, "ROSTER_SECRET_KEY", otherKey), "serve"), "ROSTER_SECRET_KEY", "another master key");

            Run doctor = roster(on(db, "ROSTER_SECRET_KEY", otherKey), "doctor");
            assertThat(doctor.exit()).as(doctor.out()).isEqualTo(2);
            assertThat(doctor.out()).contains("FAIL  key matches").contains("ok    database");
            Run healthy = roster(on(db, "ROSTER_SECRET_KEY", key), "doctor");
            assertThat(healthy.exit()).as(healthy.out()).isZero();
            assertThat(healthy.out()).contains("ok    key matches").contains("up to date").contains("All checks passed");

            String url = db.jdbcUrl() != null ? db.jdbcUrl() : "jdbc:sqlite:" + db.dataDir().resolve("roster.db");
            try (var c = DriverManager.getConnection(url)) {
                c.createStatement().execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                        + "installed_by, execution_time, success) VALUES (999, '999', 'from the future', 'SQL', 'V999__future.sql', 0, 'test', 0, true)");
            }
            refusedInOneLine(roster(on(db, "ROSTER_SECRET_KEY", key), "serve"), "ROSTER_DB", "newer Roster", "version 999");
            assertThat(roster(on(db, "ROSTER_SECRET_KEY", key), "doctor").out()).contains("FAIL  schema");
        } finally {
            TestServer.dropDatabase(db);
        }
    }

    @Test
    void doctorNamesATakenPort() throws Exception {
        TestServer.Database db = TestServer.freshDatabase();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Run doctor = roster(on(db, "ROSTER_PORT", String.valueOf(taken.getLocalPort())), "doctor");
            assertThat(doctor.exit()).isEqualTo(2);
            assertThat(doctor.out()).contains("FAIL  port").contains("ROSTER_PORT").contains("ok    database");
            assertThat(doctor.err()).doesNotContain("\tat ");
        } finally {
            TestServer.dropDatabase(db);
        }
    }
}
