package roster;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;
import roster.admin.AdminApi;
import roster.bench.Ceiling;
import roster.config.ConfigError;
import roster.config.Settings;
import roster.console.Console;
import roster.core.FrontEnd;
import roster.core.Services;
import roster.crypto.Keys;
import roster.demo.TryIt;
import roster.dialect.authing.AuthingDialect;
import roster.docs.ApiDocs;
import roster.dialect.bizapi.BizapiDialect;
import roster.scim.ScimApi;
import roster.dialect.enos.EnosDialect;
import roster.dialect.feishu.FeishuDialect;
import roster.directory.TenantWriter;
import roster.fixture.FixtureReader;
import roster.fixture.FixtureWriter;
import roster.http.HttpServer;
import roster.webhook.WebhookApi;
import roster.ldap.LdapFrontEnd;
import roster.model.Failure;

/** The command line: serve, demo, load, export, doctor, version. */
@Command(name = "roster", mixinStandardHelpOptions = true, versionProvider = Roster.Version.class,
        description = "A self-hosted user directory server speaking the Feishu, Authing, EnOS and bizapi user APIs.",
        subcommands = {Roster.Serve.class, Roster.Demo.class, Roster.Load.class, Roster.Export.class, Roster.Backup.class, Roster.Restore.class, Doctor.class,
                Roster.VersionCommand.class, Roster.ClassArchiveTraining.class})
public final class Roster implements Runnable {

    /** Every way into the directory. A new front end is one package and one line here. */
    public static List<FrontEnd> frontEnds(Settings settings, String adminToken) {
        List<FrontEnd> frontEnds = new java.util.ArrayList<>(List.of(
                AdminApi.frontEnd(adminToken),
                FeishuDialect.FRONT_END,
                AuthingDialect.FRONT_END,
                EnosDialect.FRONT_END,
                BizapiDialect.FRONT_END,
                Console.frontEnd(adminToken),
                ScimApi.FRONT_END,
                WebhookApi.FRONT_END,
                LdapFrontEnd.FRONT_END));
        if (settings.benchCeiling()) frontEnds.add(Ceiling.frontEnd(adminToken));
        frontEnds.add(ApiDocs.frontEnd(List.copyOf(frontEnds), version()));
        return frontEnds;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        // a mistake in the configuration is one line and exit status 2; anything else is a fault, with its trace
        return new CommandLine(new Roster()).setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (!(e instanceof ConfigError error)) throw e;
            commandLine.getErr().println(error.line());
            return ConfigError.EXIT_STATUS;
        });
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Why a file could not be made, in the system's words (e.g. "Not a directory"). */
    static String reason(IOException e) {
        return e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : "not writable";
    }

    /** Flags that override the environment variables of the same meaning. */
    static final class Config {
        @Option(names = "--data", description = "Folder of the embedded database and generated secrets (ROSTER_DATA, default ./data).")
        Path data;

        @Option(names = "--db", description = "JDBC URL of the database (ROSTER_DB); default: SQLite in the data folder.")
        String db;

        Settings settings(String host, Integer port, String adminToken) {
            return Settings.fromEnvironment().withOverrides(host, port, data, db, adminToken);
        }
    }

    @Command(name = "serve", description = "Start the HTTP server: every dialect and the admin API on one port.")
    static final class Serve implements Callable<Integer> {
        @Mixin Config config;

        @Option(names = "--host", description = "Address to bind (ROSTER_HOST, default 127.0.0.1).")
        String host;

        @Option(names = "--port", description = "HTTP port (ROSTER_PORT, default 8080; 0 picks a free one).")
        Integer port;

        @Option(names = "--admin-token", description = "Bearer token of the admin API (ROSTER_ADMIN_TOKEN).")
        String adminToken;

        @Option(names = "--ldap-port", description = "LDAP port (ROSTER_LDAP_PORT, default 3890; 0 picks a free one; off turns LDAP off).")
        String ldapPort;

        @Override
        public Integer call() throws Exception {
            Settings settings = config.settings(host, port, adminToken);
            if (ldapPort != null) settings = settings.withLdapPort(Settings.ldapPort(ldapPort));
            String token = adminToken(settings, System.out);
            Running running = Running.start(settings, token);
            System.out.println("Roster listening on " + running.url());
            running.server().frontEnds().forEach(f -> f.listening().ifPresent(System.out::println));
            System.out.flush();
            running.awaitStop(() -> {});
            return 0;
        }

        /** The admin token: from the settings, else the one kept in the data folder, else a new one, printed once. */
        static String adminToken(Settings settings, PrintStream out) {
            if (settings.adminToken() != null) return settings.adminToken();
            Path file = settings.dataDir().resolve("admin-token");
            try {
                if (Files.exists(file)) return Files.readString(file).trim();
                settings.createDataDir();
                String token = Keys.randomToken(24);
                if (!Keys.createPrivate(file, token)) return Files.readString(file).trim(); // another first start made one
                out.println("Admin token (kept in " + file + "): " + token);
                return token;
            } catch (IOException e) {
                throw new ConfigError("ROSTER_DATA", "cannot create or read " + file + " (" + reason(e)
                        + "): point ROSTER_DATA (--data) at a folder this user can write, or set ROSTER_ADMIN_TOKEN");
            }
        }
    }

    /** A server that runs until SIGTERM or Ctrl-C. */
    record Running(Services services, HttpServer server) {
        static Running start(Settings settings, String adminToken) {
            // a port taken is said before any front end starts its work (a webhook deliverer, say)
            HttpServer.checkCanListen(settings.host(), settings.port());
            List<FrontEnd> frontEnds = frontEnds(settings, adminToken);
            Services services = Services.open(settings, Clock.systemUTC(), frontEnds);
            try {
                return new Running(services, new HttpServer(services, frontEnds).start(settings.host(), settings.port()));
            } catch (RuntimeException e) {
                services.database().close();
                throw e;
            }
        }

        String url() {
            return server.scheme() + "://" + services.settings().host() + ":" + server.port();
        }

        /** Blocks until a stop signal, then stops accepting, lets in-flight requests finish, and runs afterwards. */
        void awaitStop(Runnable afterwards) throws InterruptedException {
            CountDownLatch stopped = new CountDownLatch(1);
            Runnable stop = () -> {
                server.close();
                services.database().close();
                afterwards.run();
                stopped.countDown();
            };
            for (String signal : List.of("TERM", "INT")) {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> new Thread(stop, "roster-shutdown").start());
            }
            stopped.await();
        }
    }

    @Command(name = "demo", description = "Start a server on a throwaway embedded database loaded with a demo directory, "
            + "and print a working command for every API.")
    static final class Demo implements Callable<Integer> {
        @Option(names = "--data", description = "Folder of the demo's database (default: a new temporary folder, deleted on exit).")
        Path data;

        @Option(names = "--host", description = "Address to bind (ROSTER_HOST, default 127.0.0.1).")
        String host;

        @Option(names = "--port", description = "HTTP port (ROSTER_PORT, default 8080; 0 picks a free one).")
        Integer port;

        @Override
        public Integer call() throws Exception {
            Path folder = data != null ? data : Files.createTempDirectory("roster-demo");
            // the demo never touches a configured database: always the embedded one in its own folder
            Settings settings = Settings.fromEnvironment().withOverrides(host, port, folder, "jdbc:sqlite:" + folder.resolve("roster.db"), null)
                    .withLdapPort(null); // a throwaway server beside a real one: no LDAP on the default port
            String token = settings.adminToken() != null ? settings.adminToken() : Keys.randomToken(24);
            Running running;
            try {
                running = Running.start(settings, token);
            } catch (RuntimeException e) {
                if (data == null) deleteTree(folder);
                throw e;
            }
            try (InputStream in = TryIt.fixture()) {
                new FixtureReader(running.services().directory(), n -> {}).load(in);
            }
            String url = running.url();
            System.out.println("Roster listening on " + url);
            System.out.println();
            System.out.println("Demo tenant \"" + TryIt.TENANT + "\" on a throwaway database in " + folder
                    + (data == null ? " (deleted on exit)" : ""));
            System.out.println("Admin token: " + token);
            System.out.println("API docs:    " + url + "/docs");
            for (TryIt.Example example : TryIt.examples(url, token)) {
                System.out.println();
                System.out.println("# " + example.title());
                System.out.println(example.command());
            }
            System.out.println();
            System.out.println("Ctrl-C stops the demo.");
            System.out.flush();
            running.awaitStop(() -> {
                if (data == null) deleteTree(folder);
            });
            return 0;
        }

        private static void deleteTree(Path folder) {
            try (var files = Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary folder left behind is harmless
            }
        }
    }

    /**
     * Run once by bin/roster under -XX:ArchiveClassesAtExit, so that later starts map the classes a start loads from
     * a class data sharing archive instead of reading and verifying them again (about half the CPU of a start):
     * starts what serve starts on a throwaway folder, answers a call of each API (TryIt's), and stops.
     */
    @Command(name = "class-archive-training", hidden = true)
    static final class ClassArchiveTraining implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            Path folder = Files.createTempDirectory("roster-training");
            try {
                Settings settings = Settings.fromEnvironment()
                        .withOverrides("127.0.0.1", 0, folder, "jdbc:sqlite:" + folder.resolve("roster.db"), null).withLdapPort(0);
                String token = Keys.randomToken(24);
                Running running = Running.start(settings, token);
                try (InputStream in = TryIt.fixture()) {
                    new FixtureReader(running.services().directory(), n -> {}).load(in);
                    TryIt.examples(running.url(), token);
                } finally {
                    running.server().close();
                    running.services().database().close();
                }
            } finally {
                Demo.deleteTree(folder);
            }
            return 0;
        }
    }

    @Command(name = "load", description = "Apply a fixture (FILE, or - for stdin): an upsert by id, all or nothing.")
    static final class Load implements Callable<Integer> {
        @Mixin Config config;

        @Parameters(paramLabel = "FILE", description = "The fixture, or - to read standard input.")
        String file;

        @Override
        public Integer call() throws Exception {
            Settings settings = config.settings(null, null, null);
            Services services = Services.open(settings, Clock.systemUTC(), frontEnds(settings, null));
            boolean tty = settings.stderrIsTerminal();
            long start = System.nanoTime();
            try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
                TenantWriter.Summary summary = new FixtureReader(services.directory(), n -> {
                    if (tty) System.err.printf("\rloaded %,d users (%,.0f/s)", n, n / seconds(start));
                }).load(new java.io.BufferedInputStream(in, 1 << 16));
                if (tty) System.err.println();
                System.err.printf("roster load: %s in %.1f s%n", summary, seconds(start));
                return 0;
            } catch (Failure.InvalidInput | Failure.Conflict e) {
                if (tty) System.err.println();
                System.err.println("roster load: refused, nothing was changed: " + e.getMessage());
                return 2;
            } catch (Failure.Busy e) {
                // a full disk or a database held by another writer: the load's one transaction was rolled back
                if (tty) System.err.println();
                System.err.println("roster load: failed, nothing was changed: " + e.getMessage());
                return 3;
            } catch (java.nio.file.NoSuchFileException e) {
                System.err.println("roster load: no such file: " + file);
                return 2;
            } finally {
                services.database().close();
            }
        }

        private static double seconds(long start) {
            return Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        }
    }

    @Command(name = "export", description = "Write the directory as a fixture to standard output.")
    static final class Export implements Callable<Integer> {
        @Mixin Config config;

        @Option(names = "--tenant", paramLabel = "ID", description = "Only this tenant.")
        String tenant;

        @Option(names = "--with-secrets", description = "Include app secrets and password hashes.")
        boolean withSecrets;

        @Override
        public Integer call() {
            Settings settings = config.settings(null, null, null);
            Services services = Services.open(settings, Clock.systemUTC(), frontEnds(settings, null));
            try (OutputStream out = new BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), 1 << 16)) {
                new FixtureWriter(services.directory(), services.database()).write(out, tenant, withSecrets);
                return 0;
            } catch (Failure.NotFound e) {
                System.err.println("roster export: " + e.getMessage());
                return 2;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                services.database().close();
            }
        }
    }

    @Command(name = "backup", description = "Write a consistent copy of the embedded database to FILE, while a server runs.")
    static final class Backup implements Callable<Integer> {
        @Mixin Config config;

        @Parameters(paramLabel = "FILE", description = "Where the copy goes (replaced when it exists).")
        Path file;

        @Override
        public Integer call() {
            Settings settings = config.settings(null, null, null);
            if (settings.jdbcUrl() != null && !settings.effectiveJdbcUrl().startsWith("jdbc:sqlite:")) {
                System.err.println("roster backup: the database is PostgreSQL; back it up with pg_dump (see README, Backups)");
                return 2;
            }
            Services services = Services.open(settings, Clock.systemUTC(), frontEnds(settings, null));
            try {
                long start = System.nanoTime();
                services.database().backupTo(file);
                System.err.printf("roster backup: %s written in %.1f s; keep %s (or ROSTER_SECRET_KEY) with it%n",
                        file, (System.nanoTime() - start) / 1e9, settings.dataDir().resolve("master.key"));
                return 0;
            } catch (Failure.Busy | java.io.UncheckedIOException e) {
                System.err.println("roster backup: failed: " + e.getMessage());
                return 3;
            } finally {
                services.database().close();
            }
        }
    }

    @Command(name = "restore", description = "Put a backup written by `roster backup` back as the embedded database (stop the server first).")
    static final class Restore implements Callable<Integer> {
        @Mixin Config config;

        @Parameters(paramLabel = "FILE", description = "A file written by `roster backup`.")
        Path file;

        @Override
        public Integer call() {
            Settings settings = config.settings(null, null, null);
            if (!settings.effectiveJdbcUrl().startsWith("jdbc:sqlite:")) {
                System.err.println("roster restore: the database is PostgreSQL; restore it with pg_restore or psql (see README, Backups)");
                return 2;
            }
            try {
                settings.createDataDir();
                List<String> migrations = frontEnds(settings, null).stream().map(FrontEnd::migrations).filter(java.util.Objects::nonNull).toList();
                roster.store.Database.restore(settings.effectiveJdbcUrl(), file, migrations);
                System.err.println("roster restore: " + settings.effectiveJdbcUrl().substring("jdbc:sqlite:".length()) + " restored from " + file);
                return 0;
            } catch (IllegalArgumentException | IllegalStateException e) {
                System.err.println("roster restore: refused: " + e.getMessage());
                return 2;
            }
        }
    }

    @Command(name = "version", description = "Print the version and the commit it was built from.")
    static final class VersionCommand implements Runnable {
        @Override
        public void run() {
            System.out.println(versionLine());
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {versionLine()};
        }
    }

    static String version() {
        String v = Roster.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** The version and the commit it was built from (resources roster/build.properties, written by the build). */
    static String versionLine() {
        String commit = null;
        try (InputStream in = Roster.class.getResourceAsStream("/roster/build.properties")) {
            if (in != null) {
                java.util.Properties build = new java.util.Properties();
                build.load(in);
                commit = build.getProperty("commit");
            }
        } catch (IOException ignored) {
            // no build information: the version alone
        }
        return "roster " + version() + (commit == null || commit.isBlank() ? "" : " (commit " + commit.trim() + ")");
    }
}
