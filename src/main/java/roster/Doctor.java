package roster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import roster.config.ConfigError;
import roster.config.Settings;
import roster.core.Services;
import roster.crypto.Keys;
import roster.http.HttpServer;
import roster.store.Inspection;

/**
 * `roster doctor`: checks a configuration without starting a server and says what it found, one line per check.
 * It changes nothing (no migration, no key written into the database); exit status 0 when every check passes, 2 if not.
 */
@Command(name = "doctor", description = "Check the configuration without starting: settings, data folder, master key, database, port.")
final class Doctor implements Callable<Integer> {

    @Mixin Roster.Config config;

    @Option(names = "--host", description = "Address to bind (ROSTER_HOST).")
    String host;

    @Option(names = "--port", description = "HTTP port (ROSTER_PORT).")
    Integer port;

    private int failures;

    @Override
    public Integer call() {
        System.out.println(Roster.versionLine() + " on Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        Settings settings;
        try {
            settings = config.settings(host, port, null);
        } catch (ConfigError e) {
            fail("settings", e.setting() + ": " + e.getMessage());
            return 2;
        }
        ok("settings", "host " + settings.host() + ", port " + settings.port() + ", data " + settings.dataDir().toAbsolutePath()
                + ", rate limit " + (settings.rateLimitPerSecond() == 0 ? "off" : settings.rateLimitPerSecond() + "/s"));
        check("data folder", () -> dataFolder(settings.dataDir()));
        Keys[] keys = new Keys[1];
        check("master key", () -> {
            boolean made = settings.secretKey() == null && !Files.exists(settings.dataDir().resolve("master.key"));
            if (made) return "none yet: the first start makes " + settings.dataDir().resolve("master.key");
            keys[0] = Services.masterKey(settings);
            return "fingerprint " + keys[0].fingerprint() + (settings.secretKey() != null ? " (ROSTER_SECRET_KEY)" : " (" + settings.dataDir().resolve("master.key") + ")");
        });
        String url = settings.effectiveJdbcUrl();
        boolean reachable = check("database", () -> {
            Inspection.reachable(url);
            return ConfigError.redactUrl(url) + " answers";
        });
        if (reachable) {
            check("schema", () -> {
                Inspection.Schema schema = Inspection.schema(url);
                if (schema.newer() > 0) {
                    throw new ConfigError("ROSTER_DB", "at " + schema.current() + ", migrated by a newer Roster (this one knows up to "
                            + schema.latestKnown() + "): run that newer version");
                }
                return "at " + schema.current() + (schema.pending() == 0 ? ", up to date"
                        : ", " + schema.pending() + " migration(s) to apply on the next start (up to " + schema.latestKnown() + ")");
            });
            check("key matches", () -> {
                var stored = Inspection.masterKeyFingerprint(url);
                if (stored.isEmpty()) return "the database has no key recorded yet: the first start records this one";
                if (keys[0] == null) throw new ConfigError("ROSTER_SECRET_KEY", "the database was set up with key " + stored.get()
                        + " but this configuration has none: restore ROSTER_DATA/master.key or set ROSTER_SECRET_KEY");
                if (!stored.get().equals(keys[0].fingerprint())) throw new ConfigError("ROSTER_SECRET_KEY", "the database was set up with key "
                        + stored.get() + ", this configuration has " + keys[0].fingerprint() + ": give every process the same master key");
                return "the database's key is this one";
            });
        }
        check("port", () -> portFree(settings.host(), settings.port()));
        System.out.println(failures == 0 ? "All checks passed: `roster serve` should start." : failures + " check(s) failed.");
        return failures == 0 ? 0 : ConfigError.EXIT_STATUS;
    }

    private static String dataFolder(Path dir) throws IOException {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new ConfigError("ROSTER_DATA", dir + " cannot be created or written by this user: point ROSTER_DATA (--data) at a folder that can");
        }
        return existing.equals(dir.toAbsolutePath()) ? dir + " is writable" : dir + " does not exist yet; the first start creates it";
    }

    private static String portFree(String host, int port) {
        if (port == 0) return "0: a free port is picked at start";
        HttpServer.checkCanListen(host, port);
        return host + ":" + port + " is free";
    }

    interface Check {
        String run() throws Exception;
    }

    private boolean check(String what, Check check) {
        try {
            ok(what, check.run());
            return true;
        } catch (ConfigError e) {
            fail(what, e.setting() + ": " + e.getMessage());
        } catch (Exception e) {
            fail(what, e.getClass().getSimpleName()); // not its message: a driver's can quote the URL, password and all
        }
        return false;
    }

    private static void ok(String what, String found) {
        System.out.printf("ok    %-12s %s%n", what, found);
    }

    private void fail(String what, String why) {
        failures++;
        System.out.printf("FAIL  %-12s %s%n", what, why);
    }
}
