package roster.store;

import java.util.Optional;

/**
 * Fixture loads started from the console (table console_loads): one row per load with its progress and outcome,
 * so that any process of the service answers the progress page. The process running the load writes the row a
 * few times a second at most; a running row left without updates belongs to a process that died.
 */
public final class ConsoleLoads {

    private ConsoleLoads() {}

    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    /** A load as stored; counts are users created, updated, deleted and unchanged (zero until done). */
    public record Row(String id, String tenant, long startedAt, long updatedAt, long bytesRead, long bytesTotal, long users,
                      String state, long created, long updated, long deleted, long unchanged, String badPath, String reason) {}

    /** A new running load of a file of the given size, nothing read yet. */
    public static void start(Tx tx, String id, String tenant, long now, long bytesTotal) {
        tx.h.createUpdate("INSERT INTO console_loads (id, tenant, started_at, updated_at, bytes_read, bytes_total, users, state,"
                        + " created, updated, deleted, unchanged) VALUES (?, ?, ?, ?, 0, ?, 0, ?, 0, 0, 0, 0)")
                .bind(0, id).bind(1, tenant).bind(2, now).bind(3, now).bind(4, bytesTotal).bind(5, RUNNING)
                .execute();
    }

    /** How far a running load is (also its heartbeat); a finished load is left as it is. */
    public static void progress(Tx tx, String id, long now, long bytesRead, long users) {
        tx.h.createUpdate("UPDATE console_loads SET updated_at = ?, bytes_read = ?, users = ? WHERE id = ? AND state = ?")
                .bind(0, now).bind(1, bytesRead).bind(2, users).bind(3, id).bind(4, RUNNING)
                .execute();
    }

    /** The load committed with these counts. */
    public static void done(Tx tx, String id, long now, long bytesRead, long users, long created, long updated, long deleted, long unchanged) {
        tx.h.createUpdate("UPDATE console_loads SET updated_at = ?, bytes_read = ?, users = ?, state = ?,"
                        + " created = ?, updated = ?, deleted = ?, unchanged = ? WHERE id = ?")
                .bind(0, now).bind(1, bytesRead).bind(2, users).bind(3, DONE)
                .bind(4, created).bind(5, updated).bind(6, deleted).bind(7, unchanged).bind(8, id)
                .execute();
    }

    /** The load was refused (nothing loaded): the JSON path of the first bad value, or null, and why. */
    public static void failed(Tx tx, String id, long now, String badPath, String reason) {
        tx.h.createUpdate("UPDATE console_loads SET updated_at = ?, state = ?, bad_path = ?, reason = ? WHERE id = ?")
                .bind(0, now).bind(1, FAILED).bind(2, badPath).bind(3, reason).bind(4, id)
                .execute();
    }

    public static Optional<Row> byId(Tx tx, String id) {
        return tx.h.createQuery("SELECT id, tenant, started_at, updated_at, bytes_read, bytes_total, users, state,"
                        + " created, updated, deleted, unchanged, bad_path, reason FROM console_loads WHERE id = ?")
                .bind(0, id)
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                        rs.getLong(7), rs.getString(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12),
                        rs.getString(13), rs.getString(14)))
                .findOne();
    }

    /** Forgets every load last updated before the given time. */
    public static void deleteUpdatedBefore(Tx tx, long before) {
        tx.h.createUpdate("DELETE FROM console_loads WHERE updated_at < ?").bind(0, before).execute();
    }
}
