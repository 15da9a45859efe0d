package roster.config;

/**
 * A mistake in how Roster was configured or where it runs (a setting, the master key, the port, the database), found
 * at start. The launcher prints it as one line, naming the setting and what to do, and exits with status 2: a
 * person can fix it, so it is no stack trace.
 */
public final class ConfigError extends RuntimeException {

    /** The exit status of a start that failed on configuration. */
    public static final int EXIT_STATUS = 2;

    private final String setting;

    /** @param setting what to change (an environment variable, e.g. ROSTER_DB); the message says what is wrong and what to do */
    public ConfigError(String setting, String message) {
        super(message, null, false, false);
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }

    /** The one line a person reads. */
    public String line() {
        return "roster: " + setting + ": " + getMessage();
    }

    /**
     * A JDBC URL as it may be shown: no user, password or parameters (a URL can carry its password). Ours to show
     * in an error, never the driver's message, which can quote the URL whole.
     */
    public static String redactUrl(String jdbcUrl) {
        if (jdbcUrl == null) return "(none)";
        String shown = jdbcUrl.replaceFirst("\\?.*$", "").replaceFirst("//[^/@]*@", "//");
        return shown.length() > 200 ? shown.substring(0, 200) + "…" : shown;
    }
}
