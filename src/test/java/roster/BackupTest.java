package roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * `roster backup FILE` takes a consistent copy of the embedded database while the server runs and writes go on;
 * `roster restore FILE` puts it back, here into a fresh folder: every write acknowledged before the backup began is
 * there. On PostgreSQL the commands say to use pg_dump / pg_restore.
 */
class BackupTest {

    @Test
    void aBackupDuringWritesRestoresEveryWriteAcknowledgedBeforeIt() throws Exception {
        TestServer.Database db = TestServer.freshDatabase();
        Path backup = db.dataDir().resolveSibling(db.dataDir().getFileName() + "-backup.db");
        if (TestServer.onPostgres()) {
            try {
                CliTest.Run refused = CliTest.run(db, null, "backup", backup.toString());
                assertThat(refused.exit()).isEqualTo(2);
                assertThat(refused.err()).contains("pg_dump");
            } finally {
                TestServer.dropDatabase(db);
            }
            return;
        }
        TestServer.Database fresh = TestServer.freshDatabase();
        try (ServeProcess serve = ServeProcess.start(db)) {
            assertThat(serve.client.admin("POST", "/admin/v1/load", Files.readString(TestServer.DEMO)).statusCode()).isEqualTo(200);
            List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    var r = serve.client.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"w" + i + "\",\"name\":\"Writer " + i + "\"}");
                    if (r.statusCode() == 201 || r.statusCode() == 200) acknowledged.add("w" + i);
                }
            });
            writer.start();
            while (acknowledged.size() < 20) Thread.sleep(50);
            List<String> before = List.copyOf(acknowledged);
            CliTest.Run run = CliTest.run(db, null, "backup", backup.toString());
            int afterBackup = acknowledged.size();
            stop.set(true);
            writer.join();
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.err()).contains("master.key");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-------");
            assertThat(afterBackup).as("writes went on during the backup").isGreaterThan(before.size());

            // the master key travels beside the backup, not in it
            Files.createDirectories(fresh.dataDir());
            Files.copy(db.dataDir().resolve("master.key"), fresh.dataDir().resolve("master.key"));
            CliTest.Run restore = CliTest.run(fresh, null, "restore", backup.toString());
            assertThat(restore.exit()).as(restore.err()).isZero();
            CliTest.Run export = CliTest.run(fresh, null, "export", "--tenant", "acme");
            assertThat(export.exit()).as(export.err()).isZero();
            for (String id : before) assertThat(export.out()).contains("\"id\":\"" + id + "\"");
            assertThat(export.out()).contains("\"id\":\"u1001\"");
            // what the backup holds is a prefix of the acknowledged writes: consistent, nothing half-written
            try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + fresh.dataDir().resolve("roster.db"));
                 var rs = c.createStatement().executeQuery("SELECT count(*) FROM users WHERE id LIKE 'w%'")) {
                rs.next();
                int n = rs.getInt(1);
                assertThat(n).isBetween(before.size(), acknowledged.size());
                for (int i = 0; i < n; i++) assertThat(export.out()).contains("\"id\":\"w" + i + "\"");
            }

            // a file that is not a backup is refused, the database untouched
            Path junk = fresh.dataDir().resolve("junk.db");
            Files.writeString(junk, "not a database");
            CliTest.Run refused = CliTest.run(fresh, null, "restore", junk.toString());
            assertThat(refused.exit()).isEqualTo(2);
            assertThat(refused.err()).contains("roster restore: refused").doesNotContain("\tat ");
        } finally {
            Files.deleteIfExists(backup);
            TestServer.dropDatabase(db);
            TestServer.dropDatabase(fresh);
        }
    }
}
