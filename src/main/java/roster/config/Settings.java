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
        boolean stderrIsTerminal,
        WebhookSettings webhooks,
        Integer ldapPort,
        java.time.Duration statementTimeout,
        Path tlsCert,
        Path tlsKey,
        Integer ldapsPort,
        java.time.Duration ldapIdleTimeout) {

    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_LDAP_PORT = 3890;
    /** ROSTER_STATEMENT_TIMEOUT when unset: a query of a request running longer is cut off and answered 503. */
    public static final java.time.Duration DEFAULT_STATEMENT_TIMEOUT = java.time.Duration.ofSeconds(10);
    /** ROSTER_LDAP_IDLE_TIMEOUT when unset: an LDAP connection that sends nothing this long is closed (AD's MaxConnIdleTime). */
    public static final java.time.Duration DEFAULT_LDAP_IDLE_TIMEOUT = java.time.Duration.ofMinutes(15);

    /** What no source of settings may give (a flag bypasses the parsing of the environment). */
    public Settings {
        if (adminToken != null && adminToken.isBlank()) throw new ConfigError("--admin-token (ROSTER_ADMIN_TOKEN)", "must not be empty");
        if (port < 0 || port > 65535) throw new ConfigError("--port (ROSTER_PORT)", "must be a port number from 0 to 65535, not " + port);
        if ((tlsCert == null) != (tlsKey == null)) throw new ConfigError("ROSTER_TLS_CERT, ROSTER_TLS_KEY", "give both (PEM files) or neither");
        if (ldapsPort != null && tlsCert == null) {
            throw new ConfigError("ROSTER_LDAPS_PORT", "LDAPS needs a certificate: set ROSTER_TLS_CERT and ROSTER_TLS_KEY, or leave ROSTER_LDAPS_PORT off");
        }
        if (ldapIdleTimeout == null) ldapIdleTimeout = DEFAULT_LDAP_IDLE_TIMEOUT;
    }

    public static Settings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static Settings fromEnvironment(Map<String, String> env) {
        Path data = Path.of(env.getOrDefault("ROSTER_DATA", "./data"));
        return new Settings(
                env.getOrDefault("ROSTER_HOST", "127.0.0.1"),
                parsePort(env.getOrDefault("ROSTER_PORT", String.valueOf(DEFAULT_PORT)).trim()),
                data,
                blankToNull(env.get("ROSTER_DB")),
                blankToNull(env.get("ROSTER_ADMIN_TOKEN")),
                parseCount("ROSTER_RATE_LIMIT", env.getOrDefault("ROSTER_RATE_LIMIT", "0")),
                blankToNull(env.get("ROSTER_SECRET_KEY")),
                "1".equals(env.get("ROSTER_BENCH_CEILING")),
                "1".equals(env.get("ROSTER_STDERR_TTY")),
                WebhookSettings.fromEnvironment(env),
                ldapPort(env.getOrDefault("ROSTER_LDAP_PORT", String.valueOf(DEFAULT_LDAP_PORT))),
                parseDuration("ROSTER_STATEMENT_TIMEOUT", env.get("ROSTER_STATEMENT_TIMEOUT"), DEFAULT_STATEMENT_TIMEOUT),
                existingFile("ROSTER_TLS_CERT", env.get("ROSTER_TLS_CERT")),
                existingFile("ROSTER_TLS_KEY", env.get("ROSTER_TLS_KEY")),
                port("ROSTER_LDAPS_PORT", env.getOrDefault("ROSTER_LDAPS_PORT", "off")),
                parseDuration("ROSTER_LDAP_IDLE_TIMEOUT", env.get("ROSTER_LDAP_IDLE_TIMEOUT"), DEFAULT_LDAP_IDLE_TIMEOUT));
    }

    /**
     * How webhooks are delivered. allowPrivate lets targets on loopback and private networks through (tests, a
     * consumer on the same host); otherwise a subscription could reach internal services. Times in milliseconds:
     * poll (how often a node looks for work), lease (how long a node owns a subscription without renewing it),
     * timeout (one request), retryBase and retryMax (exponential backoff with jitter between them), pauseAfter (a
     * subscription failing this long is paused), rotation (an old standard secret keeps signing this long).
     */
    public record WebhookSettings(boolean allowPrivate, long pollMillis, long leaseMillis, long timeoutMillis,
                                  long retryBaseMillis, long retryMaxMillis, long pauseAfterMillis, long rotationMillis) {

        public static final WebhookSettings DEFAULTS = new WebhookSettings(false, 500, 30_000, 10_000, 1_000, 300_000,
                24 * 3_600_000L, 24 * 3_600_000L);

        static WebhookSettings fromEnvironment(Map<String, String> env) {
            WebhookSettings d = DEFAULTS;
            return new WebhookSettings("1".equals(env.get("ROSTER_WEBHOOK_ALLOW_PRIVATE")),
                    millis(env, "ROSTER_WEBHOOK_POLL_MS", d.pollMillis), millis(env, "ROSTER_WEBHOOK_LEASE_MS", d.leaseMillis),
                    millis(env, "ROSTER_WEBHOOK_TIMEOUT_MS", d.timeoutMillis), millis(env, "ROSTER_WEBHOOK_RETRY_BASE_MS", d.retryBaseMillis),
                    millis(env, "ROSTER_WEBHOOK_RETRY_MAX_MS", d.retryMaxMillis), millis(env, "ROSTER_WEBHOOK_PAUSE_AFTER_MS", d.pauseAfterMillis),
                    millis(env, "ROSTER_WEBHOOK_ROTATION_MS", d.rotationMillis));
        }

        private static long millis(Map<String, String> env, String name, long fallback) {
            String value = env.get(name);
            if (value == null || value.isBlank()) return fallback;
            long n = Long.parseLong(value.trim());
            if (n <= 0) throw new IllegalArgumentException(name + " must be positive: " + value);
            return n;
        }
    }

    /** Settings for an embedded server (tests): the defaults but for what is given; no LDAP listener. */
    public static Settings of(String host, int port, Path dataDir, String jdbcUrl, String adminToken) {
        return new Settings(host, port, dataDir, jdbcUrl, adminToken, 0, null, false, false, WebhookSettings.DEFAULTS, null, DEFAULT_STATEMENT_TIMEOUT, null, null, null, DEFAULT_LDAP_IDLE_TIMEOUT);
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
                rateLimitPerSecond, secretKey, benchCeiling, stderrIsTerminal, webhooks, ldapPort, statementTimeout, tlsCert, tlsKey, ldapsPort, ldapIdleTimeout);
    }

    public Settings withRateLimit(int perSecond) {
        return new Settings(host, port, dataDir, jdbcUrl, adminToken, perSecond, secretKey, benchCeiling, stderrIsTerminal, webhooks, ldapPort, statementTimeout, tlsCert, tlsKey, ldapsPort, ldapIdleTimeout);
    }

    public Settings withWebhooks(WebhookSettings newWebhooks) {
        return new Settings(host, port, dataDir, jdbcUrl, adminToken, rateLimitPerSecond, secretKey, benchCeiling, stderrIsTerminal, newWebhooks, ldapPort, statementTimeout, tlsCert, tlsKey, ldapsPort, ldapIdleTimeout);
    }

    /** The LDAP port: null turns the LDAP listener off, 0 picks a free port. */
    public Settings withLdapPort(Integer port) {
        return new Settings(host, this.port, dataDir, jdbcUrl, adminToken, rateLimitPerSecond, secretKey, benchCeiling, stderrIsTerminal, webhooks, port, statementTimeout, tlsCert, tlsKey, ldapsPort, ldapIdleTimeout);
    }

    public Settings withStatementTimeout(java.time.Duration timeout) {
        return new Settings(host, port, dataDir, jdbcUrl, adminToken, rateLimitPerSecond, secretKey, benchCeiling, stderrIsTerminal, webhooks, ldapPort, timeout, tlsCert, tlsKey, ldapsPort, ldapIdleTimeout);
    }

    /** "10s", "500ms", "2m", or a number of seconds; "0" turns the limit off. */
    static java.time.Duration parseDuration(String name, String value, java.time.Duration fallback) {
        if (value == null || value.isBlank()) return fallback;
        var m = java.util.regex.Pattern.compile("\\s*(\\d{1,9})\\s*(ms|s|m)?\\s*").matcher(value);
        if (!m.matches()) throw new ConfigError(name, "must be a duration like 10s, 500ms or 2m (0 for none), not '" + shown(value) + "'");
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> java.time.Duration.ofMillis(n);
            case "m" -> java.time.Duration.ofMinutes(n);
            default -> java.time.Duration.ofSeconds(n);
        };
    }

    /** Settings serving HTTPS with this PEM certificate chain and key. */
    public Settings withTls(Path cert, Path key) {
        return new Settings(host, port, dataDir, jdbcUrl, adminToken, rateLimitPerSecond, secretKey, benchCeiling, stderrIsTerminal, webhooks, ldapPort, statementTimeout, cert, key, ldapsPort, ldapIdleTimeout);
    }

    /** LDAPS on its own port (null: off, 0: a free one); needs the TLS certificate. */
    public Settings withLdaps(Integer ldapsPort) {
        return new Settings(host, port, dataDir, jdbcUrl, adminToken, rateLimitPerSecond, secretKey, benchCeiling, stderrIsTerminal, webhooks, ldapPort, statementTimeout, tlsCert, tlsKey, ldapsPort, ldapIdleTimeout);
    }

    public Settings withLdapIdleTimeout(java.time.Duration timeout) {
        return new Settings(host, port, dataDir, jdbcUrl, adminToken, rateLimitPerSecond, secretKey, benchCeiling, stderrIsTerminal, webhooks, ldapPort, statementTimeout, tlsCert, tlsKey, ldapsPort, timeout);
    }

    public boolean tls() {
        return tlsCert != null;
    }

    /**
     * Creates the data folder when it is missing, readable by its owner only (it holds the master key, the admin
     * token and the embedded database).
     */
    public void createDataDir() {
        if (java.nio.file.Files.isDirectory(dataDir)) return;
        try {
            java.nio.file.Files.createDirectories(dataDir);
            java.nio.file.Files.setPosixFilePermissions(dataDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own access rules apply
        } catch (java.io.IOException e) {
            throw new ConfigError("ROSTER_DATA", "cannot create " + dataDir + ": point ROSTER_DATA (--data) at a folder this user can write");
        }
    }

    private static Path existingFile(String variable, String value) {
        if (value == null || value.isBlank()) return null;
        Path file = Path.of(value);
        if (!java.nio.file.Files.isReadable(file)) throw new ConfigError(variable, "no readable file '" + shown(value) + "'");
        return file;
    }

    private static int parsePort(String value) {
        if (!value.matches("\\d{1,5}") || Integer.parseInt(value) > 65535) {
            throw new ConfigError("ROSTER_PORT", "must be a port number from 0 to 65535 (0 picks a free one), not '" + shown(value) + "'");
        }
        return Integer.parseInt(value);
    }

    /** A whole number of at least 0, e.g. requests per second. */
    private static int parseCount(String variable, String value) {
        String v = value.trim();
        if (!v.matches("\\d{1,9}")) throw new ConfigError(variable, "must be a whole number, 0 or more, not '" + shown(value) + "'");
        return Integer.parseInt(v);
    }

    /** A value as it may be echoed in an error: short, printable. */
    private static String shown(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }

    /** ROSTER_LDAP_PORT (or --ldap-port): a port number, 0 for a free one, or "off" (null). */
    public static Integer ldapPort(String value) {
        return port("ROSTER_LDAP_PORT", value);
    }

    private static Integer port(String variable, String value) {
        String v = value.trim();
        if (v.equalsIgnoreCase("off")) return null;
        if (!v.matches("\\d{1,5}") || Integer.parseInt(v) > 65535) {
            throw new ConfigError(variable, "must be a port number from 0 to 65535 (0 picks a free one) or off, not '" + shown(value) + "'");
        }
        return Integer.parseInt(v);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
