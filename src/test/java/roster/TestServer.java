package roster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.UnaryOperator;
import roster.config.Settings;
import roster.core.FrontEnd;
import roster.core.Services;
import roster.http.HttpServer;

/**
 * A real Roster server for one test class: a fresh database (a SQLite file in a temporary folder, or a new
 * PostgreSQL database when the system property roster.test.db is "postgresql"), the real HTTP server on a
 * free port, and a plain HTTP client. Closing it stops the server and drops the database.
 */
public final class TestServer implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-admin-token";
    /** The seed's demo fixture (a copy of ../shared/fixtures/demo.json, so that a clone tests wherever it is placed). */
    public static final Path DEMO = Path.of("src", "test", "resources", "fixtures", "demo.json").toAbsolutePath();

    public final Path dataDir;
    public final String jdbcUrl;
    public final Services services;
    public final HttpServer server;
    public final String baseUrl;
    /** For answers that are not text (face images). */
    public final HttpClient http = Client.HTTP;
    private final String pgDatabase;
    /** False for a second server on another's database: closing it leaves the database to its owner. */
    private final boolean ownsDatabase;

    private TestServer(Path dataDir, String jdbcUrl, String pgDatabase, boolean ownsDatabase, UnaryOperator<Settings> tweak) {
        this.dataDir = dataDir;
        this.jdbcUrl = jdbcUrl;
        this.pgDatabase = pgDatabase;
        this.ownsDatabase = ownsDatabase;
        Settings settings = tweak.apply(Settings.of("127.0.0.1", 0, dataDir, jdbcUrl, ADMIN_TOKEN));
        List<FrontEnd> frontEnds = Roster.frontEnds(settings, ADMIN_TOKEN);
        this.services = Services.open(settings, Clock.systemUTC(), frontEnds);
        this.server = new HttpServer(services, frontEnds).start("127.0.0.1", 0);
        this.baseUrl = "http://127.0.0.1:" + server.port();
    }

    public static boolean onPostgres() {
        return "postgresql".equalsIgnoreCase(System.getProperty("roster.test.db", "sqlite"));
    }

    public static TestServer start() {
        return start(UnaryOperator.identity());
    }

    /** A server whose settings differ from the defaults, e.g. a tiny rate limit. */
    public static TestServer start(UnaryOperator<Settings> tweak) {
        Database fresh = freshDatabase();
        return new TestServer(fresh.dataDir, fresh.jdbcUrl, fresh.pgDatabase, true, tweak);
    }

    /** A second server on this one's database and master key, as a second process of one service would be. */
    public TestServer alongside(UnaryOperator<Settings> tweak) {
        return new TestServer(dataDir, jdbcUrl, pgDatabase, false, tweak);
    }

    /** Settings with another rate limit (requests per second per app). */
    public static UnaryOperator<Settings> rateLimit(int perSecond) {
        return s -> s.withRateLimit(perSecond);
    }

    /** A fresh database (and data folder) for tests that run Roster themselves, e.g. as a process. */
    public record Database(Path dataDir, String jdbcUrl, String pgDatabase) {}

    public static Database freshDatabase() {
        try {
            Path dir = Files.createTempDirectory("roster-test");
            if (!onPostgres()) return new Database(dir, null, null);
            String name = "roster_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
            try (Connection c = DriverManager.getConnection(pgAdminUrl())) {
                c.createStatement().execute("CREATE DATABASE " + name);
            }
            return new Database(dir, pgUrl(name), name);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot prepare a test database", e);
        }
    }

    private static String pgAdminUrl() {
        return System.getProperty("roster.test.pg", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    }

    private static String pgUrl(String database) {
        return pgAdminUrl().replace("/postgres?", "/" + database + "?");
    }

    public static void dropDatabase(Database db) {
        if (db.pgDatabase() != null) {
            try (Connection c = DriverManager.getConnection(pgAdminUrl())) {
                c.createStatement().execute("DROP DATABASE IF EXISTS " + db.pgDatabase() + " WITH (FORCE)");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        try (var files = Files.walk(db.dataDir())) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }

    public HttpResponse<String> admin(String method, String path, String body) {
        return client().admin(method, path, body);
    }

    public Client client() {
        return new Client(baseUrl);
    }

    public HttpResponse<String> send(HttpRequest request) {
        return new Client(baseUrl).send(request);
    }

    /** An HTTP client of one Roster server, in-process or a separate process. */
    public record Client(String baseUrl) {
        private static final HttpClient HTTP = HttpClient.newHttpClient();

        public HttpResponse<String> admin(String method, String path, String body) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN)
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            return send(request.build());
        }

        public HttpResponse<String> send(HttpRequest request) {
            try {
                return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Loads a fixture through the admin API and fails the test when it is refused. */
    public void load(String fixture) {
        HttpResponse<String> response = admin("POST", "/admin/v1/load", fixture);
        if (response.statusCode() != 200) throw new AssertionError("load refused: " + response.body());
    }

    public void loadDemo() {
        try {
            load(Files.readString(DEMO));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The first column of the first row of a query, read straight from the database (for what no API shows). */
    public String sql(String query) {
        try (Connection c = DriverManager.getConnection(services.settings().effectiveJdbcUrl()); var rs = c.createStatement().executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a statement straight on the database (to put it in a state no API can, e.g. expired tokens). */
    public void execute(String statement) {
        try (Connection c = DriverManager.getConnection(services.settings().effectiveJdbcUrl())) {
            c.createStatement().execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        services.database().close();
        if (ownsDatabase) dropDatabase(new Database(dataDir, jdbcUrl, pgDatabase));
    }
}
