package roster.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Everything Roster reads from its environment; no other class reads it. Each value may also come from a
 * command-line flag of the same meaning; flags win over environment variables, which win over defaults.
 */
public record Settings(
        String host,
        int port,
        Path dataDir,
        String jdbcUrl,
        String adminToken,
        int rateLimitPerSecond,
        String secretKey,
        boolean benchCeiling,
        boolean stderrIsTerminal) {

    public static final int DEFAULT_PORT = 8080;

    public static Settings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static Settings fromEnvironment(Map<String, String> env) {
        Path data = Path.of(env.getOrDefault("ROSTER_DATA", "./data"));
        return new Settings(
                env.getOrDefault("ROSTER_HOST", "127.0.0.1"),
                parsePort(env.getOrDefault("ROSTER_PORT", String.valueOf(DEFAULT_PORT))),
                data,
                blankToNull(env.get("ROSTER_DB")),
                blankToNull(env.get("ROSTER_ADMIN_TOKEN")),
                Integer.parseInt(env.getOrDefault("ROSTER_RATE_LIMIT", "0")),
                blankToNull(env.get("ROSTER_SECRET_KEY")),
                "1".equals(env.get("ROSTER_BENCH_CEILING")),
                "1".equals(env.get("ROSTER_STDERR_TTY")));
    }

    /** Settings for an embedded server (tests): the defaults but for what is given. */
    public static Settings of(String host, int port, Path dataDir, String jdbcUrl, String adminToken) {
        return new Settings(host, port, dataDir, jdbcUrl, adminToken, 0, null, false, false);
    }

    /** The embedded database lives in the data folder unless ROSTER_DB names another one. */
    public String effectiveJdbcUrl() {
        return jdbcUrl != null ? jdbcUrl : "jdbc:sqlite:" + dataDir.resolve("roster.db");
    }

    public Settings withOverrides(String host, Integer port, Path dataDir, String jdbcUrl, String adminToken) {
        return new Settings(
                host != null ? host : this.host,
                port != null ? port : this.port,
                dataDir != null ? dataDir : this.dataDir,
                jdbcUrl != null ? jdbcUrl : this.jdbcUrl,
                adminToken != null ? adminToken : this.adminToken,
                rateLimitPerSecond, secretKey, benchCeiling, stderrIsTerminal);
    }

    public Settings withRateLimit(int perSecond) {
        return new Settings(host, port, dataDir, jdbcUrl, adminToken, perSecond, secretKey, benchCeiling, stderrIsTerminal);
    }

    private static int parsePort(String value) {
        int port = Integer.parseInt(value.trim());
        if (port < 0 || port > 65535) throw new IllegalArgumentException("ROSTER_PORT out of range: " + value);
        return port;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
