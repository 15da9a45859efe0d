package roster.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * What `roster doctor` reads of a database without changing it: whether it answers, where its schema stands
 * against the migrations this Roster carries, and the master key's fingerprint it recorded.
 */
public final class Inspection {

    /** The core schema: versions applied, pending (applied on the next start) and newer than this Roster knows. */
    public record Schema(String current, String latestKnown, int pending, int newer) {}

    private Inspection() {}

    /** Throws ConfigError when the database cannot be opened, as a start would. */
    public static void reachable(String jdbcUrl) {
        Database.probe(jdbcUrl);
    }

    public static Schema schema(String jdbcUrl) {
        Flyway flyway = Flyway.configure().dataSource(jdbcUrl, null, null).locations("classpath:db/migration")
                .table("flyway_schema_history").load();
        var info = flyway.info();
        String latest = "none";
        int newer = 0;
        for (MigrationInfo m : info.all()) {
            if (m.getState() == MigrationState.FUTURE_SUCCESS) newer++;
            else if (m.getVersion() != null) latest = m.getVersion().toString();
        }
        String current = info.current() == null ? "none (a new database)" : info.current().getVersion().toString();
        return new Schema(current, latest, info.pending().length, newer);
    }

    /** The master key fingerprint the first process recorded, when the database has one. */
    public static Optional<String> masterKeyFingerprint(String jdbcUrl) {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             var rs = c.createStatement().executeQuery("SELECT value FROM settings WHERE name = 'master_key'")) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            return Optional.empty(); // no settings table yet: a new database
        }
    }
}
