package roster;

import java.time.Clock;
import roster.auth.AppCredentials;
import roster.auth.Keys;
import roster.auth.RateLimits;
import roster.auth.SecretBox;
import roster.auth.Tokens;
import roster.config.Settings;
import roster.directory.Directory;
import roster.query.ChangeFeed;
import roster.query.Cursors;
import roster.query.UserQueries;
import roster.store.Database;

/** The core every dialect and the admin API stand on, built once per process. */
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
        RateLimits rateLimits) {

    public static Services open(Settings settings, Clock clock) {
        Keys keys = Keys.load(settings.dataDir(), System.getenv("ROSTER_SECRET_KEY"));
        Database db = Database.open(settings.effectiveJdbcUrl());
        try {
            checkMasterKey(db, keys);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        Directory directory = new Directory(db, new SecretBox(keys), clock);
        return new Services(settings, clock, keys, db, directory, new UserQueries(db), new ChangeFeed(db),
                new Cursors(keys), new Tokens(db, keys, clock), new AppCredentials(directory),
                new RateLimits(db, clock, settings.rateLimitPerSecond()));
    }

    /** A process with another master key could not open the app secrets; say so at start, not at first use. */
    private static void checkMasterKey(Database db, Keys keys) {
        String fingerprint = keys.fingerprint();
        db.useWrite(h -> h.createUpdate("INSERT INTO settings (name, value) VALUES ('master_key', ?) ON CONFLICT (name) DO NOTHING")
                .bind(0, fingerprint).execute());
        String stored = db.read(h -> h.createQuery("SELECT value FROM settings WHERE name = 'master_key'").mapTo(String.class).one());
        if (!stored.equals(fingerprint)) {
            throw new IllegalStateException("this database was set up with another master key (fingerprint " + stored
                    + "); give every Roster process of one database the same ROSTER_DATA/master.key or ROSTER_SECRET_KEY");
        }
    }
}
