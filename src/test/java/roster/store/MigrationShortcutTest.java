package roster.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start skips Flyway only when the history records exactly the migrations Roster holds, each successful. */
class MigrationShortcutTest {

    @TempDir
    Path folder;

    @Test
    void onlyAFullyMigratedDatabaseSkipsFlyway() throws Exception {
        Path file = folder.resolve("roster.db");
        assertThat(Database.migrationVersions("db/migration")).contains("1", "16").hasSize((int) countMigrationFiles());
        Database db = Database.open("jdbc:sqlite:" + file, List.of());
        try {
            assertThat(db.upToDate("classpath:db/migration", "flyway_schema_history")).isTrue();
            // a migration Roster holds but the database lacks (here: as if the last one had never run)
            db.useWrite(tx -> tx.h.execute("UPDATE flyway_schema_history SET success = 0 WHERE version = '16'"));
            assertThat(db.upToDate("classpath:db/migration", "flyway_schema_history")).isFalse();
            db.useWrite(tx -> tx.h.execute("UPDATE flyway_schema_history SET success = 1 WHERE version = '16'"));
            // one from a newer Roster: Flyway must see it, to refuse the start
            db.useWrite(tx -> tx.h.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
                    + "installed_by, execution_time, success) VALUES (999, '999', 'future', 'SQL', 'V999__future.sql', 'test', 0, 1)"));
            assertThat(db.upToDate("classpath:db/migration", "flyway_schema_history")).isFalse();
            assertThat(db.upToDate("classpath:db/migration", "no_such_history")).isFalse();
        } finally {
            db.close();
        }
    }

    private static long countMigrationFiles() throws Exception {
        try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }
}
