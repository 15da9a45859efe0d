package roster.core;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import roster.auth.AppCredentials;
import roster.auth.Callers;
import roster.auth.RateLimits;
import roster.auth.Replays;
import roster.auth.Sessions;
import roster.auth.Tokens;
import roster.config.ConfigError;
import roster.config.Settings;
import roster.crypto.Keys;
import roster.crypto.SecretBox;
import roster.directory.Directory;
import roster.query.ChangeFeed;
import roster.query.Cursors;
import roster.query.ReadShares;
import roster.query.UserQueries;
import roster.store.Database;
import roster.store.ServerSettings;

/** The core every front end stands on, built once per process. */
public record Services(
        Settings settings,
        Clock clock,
        Keys keys,
        Database database,
        Directory directory,
        UserQueries queries,
        ChangeFeed changes,
        Cursors cursors,
        Tokens tokens,
        AppCredentials apps,
        Callers callers,
        Replays replays,
        Sessions sessions) {

    /** Opens the database (with the front ends' own migrations) and builds the core; scopes come from the front ends. */
    public static Services open(Settings settings, Clock clock, List<FrontEnd> frontEnds) {
        settings.createDataDir();
        Keys keys = masterKey(settings);
        Database db = Database.open(settings.effectiveJdbcUrl(), frontEnds.stream().map(FrontEnd::migrations).filter(Objects::nonNull).toList(),
                settings.statementTimeout());
        try {
            checkMasterKey(db, keys);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        Set<String> scopes = new HashSet<>();
        frontEnds.forEach(f -> scopes.addAll(f.scopes()));
        SecretBox secrets = new SecretBox(keys);
        AppCredentials apps = new AppCredentials(db, secrets);
        // an app's reads are counted against its share of the readers from the moment its call is admitted
        ReadShares shares = new ReadShares(db.readSlots());
        return new Services(settings, clock, keys, db, new Directory(db, secrets, clock, scopes), new UserQueries(db, shares),
                new ChangeFeed(db), new Cursors(keys), new Tokens(db, keys, clock), apps,
                new Callers(new RateLimits(db, clock, settings.rateLimitPerSecond()), app -> ReadShares.actFor(app.app().id())),
                new Replays(db, clock), new Sessions(db, clock));
    }

    /** Called as a request begins, on its thread: nothing of the previous request on this thread carries over. */
    public void beginRequest() {
        ReadShares.forget();
    }

    /** Whether the database answers: the readiness check. */
    public boolean ready() {
        return database.ping();
    }

    /** The master key, or what to fix when there is none to be had. */
    public static Keys masterKey(Settings settings) {
        try {
            return Keys.load(settings.dataDir(), settings.secretKey());
        } catch (IllegalArgumentException e) {
            if (settings.secretKey() != null) {
                throw new ConfigError("ROSTER_SECRET_KEY", "must be base64 of at least 32 random bytes, e.g. the output of: openssl rand -base64 32");
            }
            throw new ConfigError("ROSTER_DATA", settings.dataDir().resolve("master.key")
                    + " is not a base64 master key: put the right file back, or set ROSTER_SECRET_KEY");
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new ConfigError("ROSTER_DATA", "cannot create or read " + settings.dataDir().resolve("master.key")
                    + ": make the data folder writable by this user, or point ROSTER_DATA (--data) at one that is");
        }
    }

    /** A process with another master key could not open the app secrets; say so at start, not at first use. */
    private static void checkMasterKey(Database db, Keys keys) {
        String fingerprint = keys.fingerprint();
        String stored = db.write(tx -> ServerSettings.putIfAbsent(tx, "master_key", fingerprint));
        if (!stored.equals(fingerprint)) {
            throw new ConfigError("ROSTER_SECRET_KEY", "this database was set up with another master key (fingerprint " + stored
                    + ", this process has " + fingerprint + "): give every Roster process of one database the same "
                    + "ROSTER_DATA/master.key or ROSTER_SECRET_KEY");
        }
    }
}
