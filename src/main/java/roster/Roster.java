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
import roster.config.Settings;
import roster.console.Console;
import roster.core.FrontEnd;
import roster.core.Services;
import roster.crypto.Keys;
import roster.dialect.authing.AuthingDialect;
import roster.docs.ApiDocs;
import roster.dialect.bizapi.BizapiDialect;
import roster.dialect.enos.EnosDialect;
import roster.dialect.feishu.FeishuDialect;
import roster.directory.TenantWriter;
import roster.fixture.FixtureReader;
import roster.fixture.FixtureWriter;
import roster.http.HttpServer;
import roster.model.Failure;

/** The command line: serve, load, export, version. */
@Command(name = "roster", mixinStandardHelpOptions = true, versionProvider = Roster.Version.class,
        description = "A self-hosted user directory server speaking the Feishu, Authing, EnOS and bizapi user APIs.",
        subcommands = {Roster.Serve.class, Roster.Load.class, Roster.Export.class, Roster.VersionCommand.class})
public final class Roster implements Runnable {

    /** Every way into the directory. A new front end is one package and one line here. */
    public static List<FrontEnd> frontEnds(Settings settings, String adminToken) {
        List<FrontEnd> frontEnds = new java.util.ArrayList<>(List.of(
                AdminApi.frontEnd(adminToken),
                FeishuDialect.FRONT_END,
                AuthingDialect.FRONT_END,
                EnosDialect.FRONT_END,
                BizapiDialect.FRONT_END,
                Console.frontEnd(adminToken)));
        if (settings.benchCeiling()) frontEnds.add(Ceiling.frontEnd(adminToken));
        frontEnds.add(ApiDocs.frontEnd(List.copyOf(frontEnds), version()));
        return frontEnds;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Roster());
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
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

        @Override
        public Integer call() throws Exception {
            Settings settings = config.settings(host, port, adminToken);
            String token = adminToken(settings, System.out);
            List<FrontEnd> frontEnds = frontEnds(settings, token);
            Services services = Services.open(settings, Clock.systemUTC(), frontEnds);
            HttpServer server = new HttpServer(services, frontEnds).start(settings.host(), settings.port());
            System.out.println("Roster listening on http://" + settings.host() + ":" + server.port());
            System.out.flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Runnable stop = () -> {
                server.close(); // stops accepting, lets in-flight requests finish
                services.database().close();
                stopped.countDown();
            };
            for (String signal : List.of("TERM", "INT")) {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> new Thread(stop, "roster-shutdown").start());
            }
            stopped.await();
            return 0;
        }

        /** The admin token: from the settings, else the one kept in the data folder, else a new one, printed once. */
        static String adminToken(Settings settings, PrintStream out) throws IOException {
            if (settings.adminToken() != null) return settings.adminToken();
            Path file = settings.dataDir().resolve("admin-token");
            if (Files.exists(file)) return Files.readString(file).trim();
            Files.createDirectories(settings.dataDir());
            String token = Keys.randomToken(24);
            Keys.writePrivate(file, token);
            out.println("Admin token (kept in " + file + "): " + token);
            return token;
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

    @Command(name = "version", description = "Print the version.")
    static final class VersionCommand implements Runnable {
        @Override
        public void run() {
            System.out.println("roster " + version());
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"roster " + version()};
        }
    }

    static String version() {
        String v = Roster.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
