package roster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The data folder holds the master key, the admin token and the embedded database: created readable by its owner
 * only (0700, files 0600), the database's -wal and -shm too (they were 0644). And a setting that cannot be used is
 * one clear line at start, not a stack trace or a server that starts anyway (`--admin-token ''` did).
 */
class DataFolderTest {

    @Test
    void theDataFolderAndEveryFileInItAreTheOwnersOnly() throws Exception {
        assumeFalse(TestServer.onPostgres(), "the embedded database's files");
        Path parent = Files.createTempDirectory("roster-perm");
        Path data = parent.resolve("data");
        TestServer.Database db = new TestServer.Database(data, null, null);
        // the folder does not exist before the server starts (its log goes beside it)
        Process serve = CliTest.start(db, List.of("serve"), parent.resolve("serve.log"));
        try {
            String ready = new java.io.BufferedReader(new java.io.InputStreamReader(serve.getInputStream())).readLine();
            assertThat(ready).startsWith("Roster listening on ");
            var client = new TestServer.Client(ready.substring("Roster listening on ".length()).trim());
            var load = client.admin("POST", "/admin/v1/load", Files.readString(TestServer.DEMO));
            assertThat(load.statusCode()).isEqualTo(200);
            assertThat(mode(data)).isEqualTo("rwx------");
            try (var files = Files.list(data)) {
                List<Path> all = files.filter(f -> !f.getFileName().toString().endsWith(".log")).toList();
                assertThat(all).extracting(f -> f.getFileName().toString()).contains("roster.db", "roster.db-wal", "roster.db-shm", "master.key");
                for (Path f : all) assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
            }
        } finally {
            serve.destroy();
            serve.waitFor(30, TimeUnit.SECONDS);
            TestServer.dropDatabase(new TestServer.Database(parent, null, null));
        }
    }

    @Test
    void filesLeftReadableByAnOlderVersionAreTightenedAtStart() throws Exception {
        assumeFalse(TestServer.onPostgres(), "the embedded database's files");
        TestServer.Database db = TestServer.freshDatabase();
        try {
            assertThat(CliTest.run(db, null, "load", TestServer.DEMO.toString()).exit()).isZero();
            Files.setPosixFilePermissions(db.dataDir().resolve("roster.db"), PosixFilePermissions.fromString("rw-r--r--"));
            assertThat(CliTest.run(db, null, "export").exit()).isZero();
            assertThat(mode(db.dataDir().resolve("roster.db"))).isEqualTo("rw-------");
        } finally {
            TestServer.dropDatabase(db);
        }
    }

    @Test
    void aBadSettingIsOneClearLine() throws Exception {
        TestServer.Database db = TestServer.freshDatabase();
        try {
            expectRefusal(db, List.of("serve", "--admin-token="), "--admin-token");
            expectRefusal(db, List.of("serve", "--port=70000"), "--port");
            expectRefusal(db, List.of("serve"), "ROSTER_RATE_LIMIT", "ROSTER_RATE_LIMIT", "lots");
            expectRefusal(db, List.of("serve"), "ROSTER_TLS_CERT", "ROSTER_TLS_CERT", "/no/such/cert.pem");
        } finally {
            TestServer.dropDatabase(db);
        }
    }

    private static void expectRefusal(TestServer.Database db, List<String> args, String named, String... env) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "roster.Roster"));
        command.addAll(args);
        command.add("--data=" + db.dataDir());
        if (db.jdbcUrl() != null) command.add("--db=" + db.jdbcUrl());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("ROSTER_PORT", "0");
        pb.environment().put("ROSTER_LDAP_PORT", "0");
        for (int i = 0; i < env.length; i += 2) pb.environment().put(env[i], env[i + 1]);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        assertThat(p.exitValue()).as(err).isEqualTo(2);
        assertThat(out).doesNotContain("listening");
        assertThat(err.strip()).startsWith("roster: ").contains(named).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(err.strip().lines().count()).isEqualTo(1);
    }

    private static String mode(Path p) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
