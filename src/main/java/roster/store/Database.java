package roster.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import roster.config.ConfigError;
import roster.model.Failure;

/**
 * The connection pools and the two kinds of transaction Roster uses. SQLite allows one writer at a time,
 * so writes go through a pool of one connection that opens its transactions with BEGIN IMMEDIATE (taking
 * the write lock up front instead of failing on upgrade); reads use their own pool and, in WAL mode, never
 * wait for the writer. PostgreSQL uses one pool for both.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** What a caller is told when the database stays busy past its wait. */
    /** The setting that records that V8's identity keys were filled for the users stored before it. */
    public static final String IDENTITY_KEYS = "identity_keys";
    public static final String BUSY_MESSAGE = "the directory is busy with another write (e.g. a load); retry shortly";
    /** What a caller is told while the database cannot be reached (stopped, restarting, network down). */
    public static final String UNREACHABLE_MESSAGE = "the database is unreachable; retry shortly";
    /** What a caller is told when one of its queries ran past ROSTER_STATEMENT_TIMEOUT. */
    public static final String TIMEOUT_MESSAGE = "the query took longer than the statement timeout allows; narrow it or retry later";
    /** How long a request waits for a PostgreSQL connection: an unreachable database is answered 503 within 2 s. */
    static final long PG_CONNECTION_WAIT_MILLIS = 1500;
    /** What a caller is told when a write fails for lack of space; the transaction was rolled back whole. */
    public static final String DISK_FULL_MESSAGE = "the directory's storage is full; nothing was written, retry once space is freed";

    public enum Kind { SQLITE, POSTGRESQL }

    private final Kind kind;
    private final HikariDataSource readPool;
    private final HikariDataSource writePool;
    private final Jdbi reader;
    private final Jdbi writer;
    /** ROSTER_STATEMENT_TIMEOUT in milliseconds, 0 for none. */
    private final long statementTimeoutMillis;
    /** Told after each commit that wrote to the change feed (webhooks wake on it instead of waiting for their poll). */
    private final List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Database(Kind kind, HikariDataSource readPool, HikariDataSource writePool, long statementTimeoutMillis) {
        this.kind = kind;
        this.statementTimeoutMillis = statementTimeoutMillis;
        this.readPool = readPool;
        this.writePool = writePool;
        this.reader = Jdbi.create(readPool);
        this.writer = writePool == readPool ? reader : Jdbi.create(writePool);
        if (kind == Kind.SQLITE) {
            StatementCache statements = new StatementCache();
            reader.setStatementBuilderFactory(connection -> statements);
            writer.setStatementBuilderFactory(connection -> statements);
        }
    }

    /**
     * Opens the database and brings its schema up to date: the core's migrations, then each front end's own
     * (a Flyway location per front end, with a history table of its own so that their versions never collide).
     */
    public static Database open(String jdbcUrl, List<String> frontEndMigrations) {
        return open(jdbcUrl, frontEndMigrations, java.time.Duration.ZERO);
    }

    /** As above, with every statement of a request cut off after statementTimeout (zero: never). */
    public static Database open(String jdbcUrl, List<String> frontEndMigrations, java.time.Duration statementTimeout) {
        probe(jdbcUrl);
        long timeout = statementTimeout.toMillis();
        Database db = jdbcUrl.startsWith("jdbc:sqlite:") ? openSqlite(jdbcUrl, timeout) : openPostgres(jdbcUrl, timeout);
        try {
            db.migrate("classpath:db/migration", "flyway_schema_history");
            for (String location : frontEndMigrations) {
                db.migrate("classpath:" + location, "flyway_history_" + location.replaceAll("[^A-Za-z0-9]", "_"));
            }
            if (db.kind == Kind.SQLITE) db.useWrite(PlannerStatistics::write);
            // Flyway lifted the statement timeout on the connections it used, and SQLite reads its planner
            // statistics when a connection opens: start requests on fresh ones
            db.writePool.getHikariPoolMXBean().softEvictConnections();
            if (db.readPool != db.writePool) db.readPool.getHikariPoolMXBean().softEvictConnections();
            // V8's identity keys are computed in Java (ICU): users stored before it get theirs here, once
            if (db.read(tx -> ServerSettings.get(tx, IDENTITY_KEYS).isEmpty())) {
                String[] at = {"", ""};
                while (at != null) {
                    String[] after = at;
                    at = db.write(tx -> Users.backfillKeys(tx, after, 1000));
                }
                db.useWrite(tx -> ServerSettings.putIfAbsent(tx, IDENTITY_KEYS, "filled"));
            }
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /**
     * Connects once, plainly, before any pool or migration: a URL Roster cannot use, a database that is down or
     * refuses us becomes one line naming the setting (a pool would log its own stack trace first).
     */
    public static void probe(String jdbcUrl) {
        String shown = ConfigError.redactUrl(jdbcUrl);
        boolean sqlite = jdbcUrl.startsWith("jdbc:sqlite:");
        if (!sqlite && !(jdbcUrl.startsWith("jdbc:postgresql:") && org.postgresql.Driver.parseURL(jdbcUrl, null) != null)) {
            throw new ConfigError("ROSTER_DB", "'" + shown + "' is not a database Roster runs on: give jdbc:postgresql://HOST:PORT/DATABASE?user=NAME"
                    + ", or leave ROSTER_DB unset for the embedded database in ROSTER_DATA");
        }
        if (sqlite) {
            Path file = Path.of(jdbcUrl.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", ""));
            try {
                if (file.getParent() != null) Files.createDirectories(file.getParent());
                makePrivate(file);
            } catch (java.io.IOException e) {
                throw new ConfigError("ROSTER_DATA", "cannot create the folder " + file.getParent() + " for the database (" + reason(e)
                        + "): point ROSTER_DATA (--data) at a folder this user can write");
            }
        }
        try (var connection = java.sql.DriverManager.getConnection(jdbcUrl)) {
            connection.isValid(5);
        } catch (SQLException e) {
            throw new ConfigError(sqlite ? "ROSTER_DATA" : "ROSTER_DB", cannotOpen(e, shown, sqlite));
        }
    }

    /** What an SQL state of a failed connection means to the person who configured it (never the driver's message). */
    private static String cannotOpen(SQLException e, String shown, boolean sqlite) {
        if (sqlite) return "cannot open the database file " + shown.substring("jdbc:sqlite:".length())
                + ": point ROSTER_DATA (--data) at a folder this user can write";
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("08")) return "cannot reach PostgreSQL at " + shown + ": start it, or correct the host and port in ROSTER_DB";
        if (state.equals("3D000")) return "the database in " + shown + " does not exist: create it (createdb NAME), or correct ROSTER_DB";
        if (state.startsWith("28")) return "PostgreSQL refused the user or password given in ROSTER_DB for " + shown;
        return "cannot open " + shown + " (SQLSTATE " + state + "): check ROSTER_DB";
    }

    /** Why a file could not be made, in the system's words (e.g. "Not a directory"). */
    private static String reason(java.io.IOException e) {
        return e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : "not writable";
    }

    private static Database openSqlite(String jdbcUrl, long statementTimeoutMillis) {
        try {
            makePrivate(Path.of(jdbcUrl.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", "")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // page caches: 64 MiB for the one writer (a million-user load touches every index), 16 MiB per reader;
        // with the heap, the server stays under 512 MB resident
        HikariDataSource read = pool("roster-read", sqlite(jdbcUrl, SQLiteConfig.TransactionMode.DEFERRED, 16), 4);
        HikariDataSource write = pool("roster-write", sqlite(jdbcUrl, SQLiteConfig.TransactionMode.IMMEDIATE, 64), 1);
        return new Database(Kind.SQLITE, read, write, statementTimeoutMillis);
    }

    /**
     * The database file is created readable by its owner only, before SQLite opens it: SQLite gives its -wal and
     * -shm files the database file's permissions. Files left readable by an older version are tightened.
     */
    private static void makePrivate(Path file) throws java.io.IOException {
        var owner = java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
        try {
            if (!Files.exists(file)) Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(owner));
            for (String suffix : List.of("", "-wal", "-shm")) {
                Path f = Path.of(file + suffix);
                if (Files.exists(f)) Files.setPosixFilePermissions(f, owner);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's own access rules apply
        }
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

    private static Database openPostgres(String jdbcUrl, long statementTimeoutMillis) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("roster");
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(10);
        // a JDBC batch of inserts goes out as multi-row INSERTs: a load sends a tenth of the round trips
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        // the server's DETAIL ("Failing row contains (…)") quotes stored values: keep it out of exception messages
        config.addDataSourceProperty("logServerErrorDetail", "false");
        // while PostgreSQL is down, a request waits this long for a connection, then is answered 503 (not 30 s)
        config.setConnectionTimeout(PG_CONNECTION_WAIT_MILLIS);
        config.setValidationTimeout(1000);
        config.addDataSourceProperty("connectTimeout", "2");
        if (statementTimeoutMillis > 0) config.setConnectionInitSql("SET statement_timeout = " + statementTimeoutMillis);
        HikariDataSource pool = new HikariDataSource(config);
        return new Database(Kind.POSTGRESQL, pool, pool, statementTimeoutMillis);
    }

    private static HikariDataSource pool(String name, DataSource dataSource, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDataSource(dataSource);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        return new HikariDataSource(config);
    }

    private void migrate(String location, String historyTable) {
        if (upToDate(location, historyTable)) return;
        Flyway flyway = Flyway.configure()
                .dataSource(writePool)
                .locations(location)
                .table(historyTable)
                // a migration may rebuild an index over every user: no statement timeout for it
                .initSql(kind == Kind.POSTGRESQL ? "SET statement_timeout = 0" : null)
                .placeholders(Map.of("binary", kind == Kind.SQLITE ? "BLOB" : "BYTEA"))
                // Flyway passes over applied migrations it does not know by default; a schema a newer Roster left
                // must stop an older one instead (asked only when validation fails, so a start costs nothing more)
                .ignoreMigrationPatterns(new String[0])
                .load();
        try {
            flyway.migrate();
        } catch (org.flywaydb.core.api.exception.FlywayValidateException e) {
            for (MigrationInfo applied : flyway.info().applied()) {
                if (applied.getState() == MigrationState.FUTURE_SUCCESS) {
                    throw new ConfigError("ROSTER_DB", "the database was migrated by a newer Roster (" + location + " at version " + applied.getVersion()
                            + ", this one knows up to " + lastKnown(flyway.info().all()) + "): run that newer version, or a copy of the database from before it");
                }
            }
            throw e;
        }
    }

    /**
     * Whether the history table records exactly the migrations the location holds, each successful: then Flyway
     * has nothing to do and is not even loaded (its classpath scan and validation were a third of a start). A new
     * migration, a failed one, one from a newer Roster or a missing table all go through Flyway.
     */
    boolean upToDate(String location, String historyTable) {
        Set<String> known = migrationVersions(location.substring("classpath:".length()));
        if (known.isEmpty()) return false;
        Set<String> applied = new java.util.HashSet<>();
        try (var connection = writePool.getConnection()) {
            try (var tables = connection.getMetaData().getTables(null, null, historyTable, null)) {
                if (!tables.next()) return false; // a new database
            }
            try (var statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT version FROM " + historyTable + " WHERE success AND version IS NOT NULL")) {
                while (rows.next()) applied.add(rows.getString(1));
            }
        } catch (SQLException e) {
            return false; // Flyway will say what is wrong
        }
        return known.equals(applied);
    }

    private static final java.util.regex.Pattern MIGRATION = java.util.regex.Pattern.compile("V(\\d+(?:[._]\\d+)*)__.*\\.sql");

    /** The versions of the versioned migrations in a classpath folder (in the jar, or a folder of classes in tests). */
    static Set<String> migrationVersions(String folder) {
        Set<String> versions = new java.util.HashSet<>();
        java.net.URL url = Database.class.getClassLoader().getResource(folder);
        if (url == null) return versions;
        try {
            List<String> names = new ArrayList<>();
            if (url.getProtocol().equals("jar")) {
                java.net.JarURLConnection connection = (java.net.JarURLConnection) url.openConnection();
                connection.setUseCaches(false);
                try (java.util.jar.JarFile jar = connection.getJarFile()) {
                    String prefix = folder + "/";
                    jar.stream().map(java.util.jar.JarEntry::getName)
                            .filter(n -> n.startsWith(prefix) && n.indexOf('/', prefix.length()) < 0)
                            .forEach(n -> names.add(n.substring(prefix.length())));
                }
            } else {
                try (var files = Files.list(Path.of(url.toURI()))) {
                    files.forEach(f -> names.add(f.getFileName().toString()));
                }
            }
            for (String name : names) {
                var m = MIGRATION.matcher(name);
                if (m.matches()) versions.add(m.group(1).replace('_', '.'));
            }
        } catch (java.io.IOException | java.net.URISyntaxException e) {
            versions.clear(); // unreadable: let Flyway look
        }
        return versions;
    }

    private static String lastKnown(MigrationInfo[] all) {
        String last = "none";
        for (MigrationInfo info : all) if (info.getState() != MigrationState.FUTURE_SUCCESS && info.getVersion() != null) last = info.getVersion().toString();
        return last;
    }

    public Kind kind() {
        return kind;
    }

    /** How many reads may run at once without leaving writes without a connection: SQLite's readers, most of PostgreSQL's pool. */
    public int readSlots() {
        return kind == Kind.SQLITE ? readPool.getMaximumPoolSize() : readPool.getMaximumPoolSize() - 2;
    }

    /** Runs work in a read-only transaction: one consistent snapshot for everything it reads. */
    public <T> T read(Function<Tx, T> work) {
        return read(work, true);
    }

    /** A read without the statement timeout, for what streams a whole directory (export). */
    public <T> T readUnbounded(Function<Tx, T> work) {
        return read(work, false);
    }

    private <T> T read(Function<Tx, T> work, boolean bounded) {
        return translated(() -> reader.inTransaction(readIsolation(), handle -> {
            if (kind == Kind.POSTGRESQL) handle.execute("SET TRANSACTION READ ONLY");
            return timed(handle, bounded, () -> work.apply(new Tx(handle, kind)));
        }));
    }

    /** Runs work in a write transaction: all of it commits, or none of it. */
    public <T> T write(Function<Tx, T> work) {
        return write(work, true);
    }

    /** A write without the statement timeout, for a load (one transaction over a whole fixture). */
    public <T> T writeUnbounded(Function<Tx, T> work) {
        return write(work, false);
    }

    private <T> T write(Function<Tx, T> work, boolean bounded) {
        boolean[] changed = {false};
        T result = translated(() -> writer.inTransaction(handle -> timed(handle, bounded, () -> {
            Tx tx = new Tx(handle, kind);
            T r = work.apply(tx);
            changed[0] = tx.changed;
            return r;
        })));
        if (changed[0]) changeListeners.forEach(Runnable::run); // after the commit: a listener reads what it committed
        return result;
    }

    /** listener runs (on the writing thread, so it must be quick) after each commit that changed the change feed. */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    /**
     * Work under the statement timeout. PostgreSQL enforces it itself per statement (statement_timeout, set on
     * every connection; an unbounded transaction lifts it locally). SQLite has no such setting: a progress handler
     * interrupts the transaction's statements once the deadline, counted from the transaction's start, has passed.
     */
    private <T> T timed(org.jdbi.v3.core.Handle handle, boolean bounded, java.util.function.Supplier<T> work) {
        if (statementTimeoutMillis == 0) return work.get();
        if (kind == Kind.POSTGRESQL) {
            if (!bounded) handle.execute("SET LOCAL statement_timeout = 0");
            return work.get();
        }
        if (!bounded) return work.get();
        java.sql.Connection connection;
        try {
            connection = handle.getConnection().unwrap(org.sqlite.SQLiteConnection.class);
            long deadline = System.nanoTime() + statementTimeoutMillis * 1_000_000;
            org.sqlite.ProgressHandler.setHandler(connection, 1000, new org.sqlite.ProgressHandler() {
                @Override protected int progress() {
                    return System.nanoTime() - deadline > 0 ? 1 : 0; // non-zero interrupts the statement
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        try {
            return work.get();
        } finally {
            try {
                org.sqlite.ProgressHandler.clearHandler(connection);
            } catch (SQLException ignored) {
                // a connection that cannot clear its handler is broken; the pool finds out on its next use
            }
        }
    }

    public void useWrite(java.util.function.Consumer<Tx> work) {
        write(tx -> {
            work.accept(tx);
            return null;
        });
    }

    /**
     * Brings the planner's statistics of the user tables up to date inside a bulk load. A table that grows from
     * empty within one transaction has no statistics, and PostgreSQL then misjudges a lookup of a thousand keys
     * (a batch) as reading the whole tenant and scans it: a million-user load slowed quadratically. ANALYZE
     * counts the transaction's own new rows, so running it once the first batch is in fixes the plans.
     */
    public static void analyzeUsers(Tx tx) {
        if (tx.kind != Kind.POSTGRESQL) return;
        for (String table : List.of("users", "user_departments", "user_groups", "user_changes")) tx.h.execute("ANALYZE " + table);
    }

    /**
     * The database's own failures become the core's, here and only here: unreachable, busy and timed out are
     * refusals to retry (503), unstorable text is bad input, and any other SQL failure is an internal fault
     * described by its classes and SQL states alone. A driver's message and stack never go further: they can
     * quote the statement with its bound values (a password hash, a custom_data value), so nothing that logs or
     * answers ever sees them.
     */
    private static <T> T translated(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (Failure f) {
            throw f;
        } catch (RuntimeException | AssertionError e) {
            // (pgjdbc throws an AssertionError around the SQLException when a connection dies inside a batch)
            if (!fromDatabase(e)) throw e;
            if (isUnreachable(e)) {
                log.warn("database unreachable: {}", describe(e));
                throw new Failure.Busy(UNREACHABLE_MESSAGE);
            }
            if (isTimeout(e)) {
                log.warn("statement timeout: {}", describe(e));
                throw new Failure.Busy(TIMEOUT_MESSAGE);
            }
            if (isBusy(e)) {
                log.warn("database busy: {}", describe(e));
                throw new Failure.Busy(BUSY_MESSAGE);
            }
            if (isUnstorableText(e)) throw new Failure.InvalidInput("$", "a value holds a NUL character");
            if (isDiskFull(e)) {
                log.error("database write failed, disk full: {}", describe(e));
                throw new Failure.Busy(DISK_FULL_MESSAGE);
            }
            throw Failure.Internal.described("database fault: " + describe(e));
        }
    }

    /**
     * The failure, its causes and what they suppressed: when a connection breaks, Jdbi's clean-up (restoring the
     * isolation level, rolling back) fails too, and the first failure, the telling one, is only a suppressed one.
     */
    static List<Throwable> chain(Throwable failure) {
        List<Throwable> out = new java.util.ArrayList<>();
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>(List.of(failure));
        while (!todo.isEmpty() && out.size() < 32) {
            Throwable t = todo.poll();
            if (out.stream().anyMatch(seen -> seen == t)) continue;
            out.add(t);
            if (t.getCause() != null) todo.add(t.getCause());
            todo.addAll(List.of(t.getSuppressed()));
        }
        return out;
    }

    /** Whether a failure came from the database (a SQL exception anywhere in its chain, or Jdbi's own). */
    static boolean fromDatabase(Throwable failure) {
        for (Throwable t : chain(failure)) {
            if (t instanceof SQLException || t instanceof org.jdbi.v3.core.JdbiException) return true;
        }
        return false;
    }

    /**
     * Whether the database cannot be reached: a connection refused or lost (SQL state class 08), or PostgreSQL
     * shutting down, crashed or still starting (57P01, 57P02, 57P03). The pool's own timeout counts when its
     * last attempt to connect failed so.
     */
    static boolean isUnreachable(Throwable failure) {
        for (Throwable t : chain(failure)) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || java.util.Set.of("57P01", "57P02", "57P03").contains(s.getSQLState()))) return true;
            // the pool's stand-in for a connection it found broken (it carries no SQL state)
            if (t instanceof SQLException s && s.getSQLState() == null && "Connection is closed".equals(s.getMessage())) return true;
        }
        return false;
    }

    /** A statement cut off by the statement timeout: PostgreSQL's query_canceled, SQLite's interrupt. */
    static boolean isTimeout(Throwable failure) {
        for (Throwable t : chain(failure)) {
            if (t instanceof SQLException s && "57014".equals(s.getSQLState())) return true;
            if (t instanceof org.sqlite.SQLiteException s && s.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_INTERRUPT) return true;
        }
        return false;
    }

    /** The failure's classes and SQL states, never its message: a driver's message can quote the bound values. */
    static String describe(Throwable failure) {
        StringBuilder out = new StringBuilder();
        for (Throwable t : chain(failure)) {
            if (out.length() > 0) out.append(" <- ");
            out.append(t.getClass().getSimpleName());
            if (t instanceof org.sqlite.SQLiteException s) out.append(" (").append(s.getResultCode().name()).append(')');
            else if (t instanceof SQLException s && s.getSQLState() != null) out.append(" (SQLSTATE ").append(s.getSQLState()).append(')');
        }
        return out.toString();
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
    static boolean isBusy(Throwable failure) {
        for (Throwable t : chain(failure)) {
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
    static boolean isUnstorableText(Throwable failure) {
        for (Throwable t : chain(failure)) {
            if (t instanceof SQLException s && s.getSQLState() != null && java.util.Set.of("22021", "22P05").contains(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when a write failed for lack of space: SQLite's SQLITE_FULL (a full disk, or max_page_count reached)
     * or an I/O error while growing the file, PostgreSQL's class 53 (disk full, out of memory or connections).
     */
    public static boolean isDiskFull(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.sqlite.SQLiteException s && (s.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_FULL
                    || s.getResultCode().name().startsWith("SQLITE_IOERR_WRITE"))) return true;
            if (t instanceof SQLException s && "53100".equals(s.getSQLState())) return true;
            if (t instanceof java.io.IOException io && io.getMessage() != null && io.getMessage().contains("No space left on device")) return true;
        }
        return false;
    }

    /**
     * A consistent copy of the embedded database while it serves: one read transaction (VACUUM INTO), so writers
     * go on and the copy holds exactly the commits before it began. Written beside the target, then moved in place.
     */
    public void backupTo(Path target) {
        if (kind != Kind.SQLITE) throw new UnsupportedOperationException("backup of PostgreSQL: use pg_dump");
        Path absolute = target.toAbsolutePath();
        try {
            Path tmp = Files.createTempFile(absolute.getParent(), ".roster-backup", ".tmp"); // created rw------- on POSIX
            try {
                translated(() -> reader.withHandle(h -> h.execute("VACUUM INTO ?", tmp.toString())));
                Files.move(tmp, absolute, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Puts a backup back into the embedded database at jdbcUrl (created when missing): the backup is checked
     * first (an intact SQLite file with Roster's schema), then copied in with SQLite's backup API, which takes the
     * database's locks, so a half-restored file is never seen. The schema is then brought up to date.
     */
    public static void restore(String jdbcUrl, Path backup, List<String> frontEndMigrations) {
        if (!jdbcUrl.startsWith("jdbc:sqlite:")) throw new UnsupportedOperationException("restore into PostgreSQL: use pg_restore or psql");
        if (!Files.isReadable(backup)) throw new IllegalArgumentException("no readable file " + backup);
        try (var check = java.sql.DriverManager.getConnection("jdbc:sqlite:file:" + backup.toAbsolutePath() + "?mode=ro");
             var st = check.createStatement()) {
            try (var rs = st.executeQuery("PRAGMA quick_check")) {
                if (!rs.next() || !"ok".equals(rs.getString(1))) throw new IllegalArgumentException(backup + " is damaged");
            }
            try (var rs = st.executeQuery("SELECT count(*) FROM flyway_schema_history")) {
                rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalArgumentException(backup + " is not a Roster backup (" + describe(e) + ")");
        }
        Path file = Path.of(jdbcUrl.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", ""));
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            makePrivate(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (var target = (org.sqlite.SQLiteConnection) java.sql.DriverManager.getConnection("jdbc:sqlite:" + file)) {
            target.getDatabase().restore("main", backup.toAbsolutePath().toString(), null);
        } catch (SQLException e) {
            throw new IllegalStateException("restore failed (" + describe(e) + "); is a server running on " + file + "?");
        }
        open(jdbcUrl, frontEndMigrations).close();
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
