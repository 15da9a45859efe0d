package roster.store;

import java.util.Map;

/**
 * Fixed planner statistics for SQLite's users table, written at every start (SQLite's documented way of steering
 * its planner: "Manual Control Of Query Plans Using SQLITE_STAT Tables"). Without statistics SQLite assumes that
 * tenant_id = ? leaves about ten rows, so for userName eq "x" it walks the tenant in num order (no sort needed)
 * instead of looking the name up: 0.6 s of CPU at a million users. ANALYZE would measure the truth, but a sampled
 * one taken inside a load made the rest of the load twice as slow, and a full one costs seconds per million users.
 * These rows state the shape instead, which does not change as a tenant grows: one tenant holds every row, the
 * identifying columns are unique, a status value holds a fifth of a tenant. PostgreSQL keeps its own statistics.
 */
final class PlannerStatistics {

    /** Rows in a tenant as the planner sees it; only the ratios between the figures matter. */
    private static final String TENANT = "1000000 1000000";

    /** Every index on users, by name: the rows a tenant holds, then those left by equality on each further column. */
    static final Map<String, String> USERS = Map.ofEntries(
            Map.entry("sqlite_autoindex_users_1", TENANT + " 1"),
            Map.entry("users_num", TENANT + " 1"),
            Map.entry("users_seq", TENANT + " 1"),
            Map.entry("users_status_num", TENANT + " 200000 1"),
            Map.entry("users_status_acs_num", TENANT + " 200000 100000 1"),
            Map.entry("users_updated", TENANT + " 2 1"),
            Map.entry("users_username", TENANT + " 1"),
            Map.entry("users_email", TENANT + " 1"),
            Map.entry("users_phone", TENANT + " 1"),
            Map.entry("users_external_id", TENANT + " 1"),
            Map.entry("users_username_key", TENANT + " 1"),
            Map.entry("users_email_key", TENANT + " 1"),
            Map.entry("users_username_lower", TENANT + " 1"),
            Map.entry("users_email_lower", TENANT + " 1"));

    private PlannerStatistics() {}

    /** Writes the rows; connections opened afterwards plan with them. */
    static void write(Tx tx) {
        boolean exists = tx.h.createQuery("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").mapTo(Integer.class).one() > 0;
        // SQLite creates its statistics table only through ANALYZE; the smallest table will do
        if (!exists) tx.h.execute("ANALYZE settings");
        tx.h.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'users'");
        var insert = tx.h.prepareBatch("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('users', ?, ?)");
        USERS.forEach((index, stat) -> insert.add(index, stat));
        insert.execute();
    }
}
