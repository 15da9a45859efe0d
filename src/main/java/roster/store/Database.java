package roster.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The connection pools and the two kinds of transaction Roster uses. SQLite allows one writer at a time,
 * so writes go through a pool of one connection that opens its transactions with BEGIN IMMEDIATE (taking
 * the write lock up front instead of failing on upgrade); reads use their own pool and, in WAL mode, never
 * wait for the writer. PostgreSQL uses one pool for both.
 */
public final class Database implements AutoCloseable {

    public enum Kind { SQLITE, POSTGRESQL }

    private final Kind kind;
    private final HikariDataSource readPool;
    private final HikariDataSource writePool;
    private final Jdbi reader;
    private final Jdbi writer;

    private Database(Kind kind, HikariDataSource readPool, HikariDataSource writePool) {
        this.kind = kind;
        this.readPool = readPool;
        this.writePool = writePool;
        this.reader = Jdbi.create(readPool);
        this.writer = writePool == readPool ? reader : Jdbi.create(writePool);
    }

    public static Database open(String jdbcUrl) {
        Database db = jdbcUrl.startsWith("jdbc:sqlite:") ? openSqlite(jdbcUrl) : openPostgres(jdbcUrl);
        db.migrate();
        return db;
    }

    private static Database openSqlite(String jdbcUrl) {
        Path file = Path.of(jdbcUrl.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", ""));
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create data folder " + file.getParent(), e);
        }
        // page caches: 64 MiB for the one writer (a million-user load touches every index), 16 MiB per reader;
        // with the heap, the server stays under 512 MB resident
        HikariDataSource read = pool("roster-read", sqlite(jdbcUrl, SQLiteConfig.TransactionMode.DEFERRED, 16), 4);
        HikariDataSource write = pool("roster-write", sqlite(jdbcUrl, SQLiteConfig.TransactionMode.IMMEDIATE, 64), 1);
        return new Database(Kind.SQLITE, read, write);
    }

    private static DataSource sqlite(String jdbcUrl, SQLiteConfig.TransactionMode mode, int cacheMiB) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL in WAL mode: a power loss may lose the last commits, never corrupt the file or half-apply one.
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        // how long a write waits for another process's write lock (a load) before it is answered "busy";
        // a busy_timeout in the URL (jdbc:sqlite:FILE?busy_timeout=MS) takes precedence
        var timeout = java.util.regex.Pattern.compile("[?&]busy_timeout=(\\d+)").matcher(jdbcUrl);
        config.setBusyTimeout(timeout.find() ? Integer.parseInt(timeout.group(1)) : 30_000);
        config.setTransactionMode(mode);
        config.setCacheSize(-1024 * cacheMiB); // negative: KiB rather than pages
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl(jdbcUrl);
        return ds;
    }

    private static Database openPostgres(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("roster");
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(10);
        // a JDBC batch of inserts goes out as multi-row INSERTs: a load sends a tenth of the round trips
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        HikariDataSource pool = new HikariDataSource(config);
        return new Database(Kind.POSTGRESQL, pool, pool);
    }

    private static HikariDataSource pool(String name, DataSource dataSource, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDataSource(dataSource);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        return new HikariDataSource(config);
    }

    private void migrate() {
        Flyway.configure()
                .dataSource(writePool)
                .locations("classpath:db/migration")
                .placeholders(Map.of("binary", kind == Kind.SQLITE ? "BLOB" : "BYTEA"))
                .load()
                .migrate();
    }

    public Kind kind() {
        return kind;
    }

    /** Runs work in a read-only transaction: one consistent snapshot for everything it reads. */
    public <T> T read(HandleCallback<T, RuntimeException> work) {
        return reader.inTransaction(readIsolation(), handle -> {
            if (kind == Kind.POSTGRESQL) handle.execute("SET TRANSACTION READ ONLY");
            return work.withHandle(handle);
        });
    }

    /** Runs work in a write transaction: all of it commits, or none of it. */
    public <T> T write(HandleCallback<T, RuntimeException> work) {
        return writer.inTransaction(work);
    }

    /**
     * Brings the planner's statistics of the user tables up to date inside a bulk load. A table that grows from
     * empty within one transaction has no statistics, and PostgreSQL then misjudges a lookup of a thousand keys
     * (a batch) as reading the whole tenant and scans it: a million-user load slowed quadratically. ANALYZE
     * counts the transaction's own new rows, so running it once the first batch is in fixes the plans.
     */
    public void analyzeUsers(Handle h) {
        if (kind != Kind.POSTGRESQL) return;
        for (String table : java.util.List.of("users", "user_departments", "user_groups", "user_changes")) h.execute("ANALYZE " + table);
    }

    public void useWrite(java.util.function.Consumer<Handle> work) {
        write(handle -> {
            work.accept(handle);
            return null;
        });
    }

    /** PostgreSQL's default READ COMMITTED takes a new snapshot per statement; a page and its count need one. */
    private TransactionIsolationLevel readIsolation() {
        return kind == Kind.POSTGRESQL ? TransactionIsolationLevel.REPEATABLE_READ : TransactionIsolationLevel.UNKNOWN;
    }

    /**
     * Whether a failure means "the database is busy, try again" rather than a fault: SQLite's write lock held past
     * the busy timeout (a long load in another process), no pooled connection free in time, or PostgreSQL giving
     * up on a lock, a serialization conflict or a deadlock. The server answers these 503 with Retry-After.
     */
    public static boolean isBusy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException) return true;
            if (t instanceof org.sqlite.SQLiteException s) {
                var code = s.getResultCode();
                if (code == org.sqlite.SQLiteErrorCode.SQLITE_BUSY || code == org.sqlite.SQLiteErrorCode.SQLITE_LOCKED
                        || code.name().startsWith("SQLITE_BUSY_") || code.name().startsWith("SQLITE_LOCKED_")) return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null
                    && java.util.Set.of("55P03", "40001", "40P01").contains(s.getSQLState())) return true;
        }
        return false;
    }

    /**
     * True when the database refused a value as text, which only the caller's input can cause: PostgreSQL
     * stores no NUL character (SQLState 22021, 22P05), where SQLite does. Answered as bad input, not a fault.
     */
    public static boolean isUnstorableText(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && java.util.Set.of("22021", "22P05").contains(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** True when the database answers; used by the readiness check. */
    public boolean ping() {
        try (var connection = readPool.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (writePool != readPool) writePool.close();
        readPool.close();
    }
}
