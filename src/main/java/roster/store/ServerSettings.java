package roster.store;

/** Facts about the service as a whole, kept in the database so that every process sees them (the settings table). */
public final class ServerSettings {

    private ServerSettings() {}

    /** The stored value of a setting, set to the given one first if it had none. */
    public static String putIfAbsent(Tx tx, String name, String value) {
        tx.h.createUpdate("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING").bind(0, name).bind(1, value).execute();
        return tx.h.createQuery("SELECT value FROM settings WHERE name = ?").bind(0, name).mapTo(String.class).one();
    }

    public static java.util.Optional<String> get(Tx tx, String name) {
        return tx.h.createQuery("SELECT value FROM settings WHERE name = ?").bind(0, name).mapTo(String.class).findOne();
    }
}
