package roster.store;

import java.util.Optional;

/** The console's sign-ins (table console_sessions): one row per session, keyed by the SHA-256 of its cookie. */
public final class ConsoleSessions {

    private ConsoleSessions() {}

    public record Row(String tokenHash, String csrf, String actor, long createdAt, long lastSeen) {}

    public static void insert(Tx tx, Row row) {
        tx.h.createUpdate("INSERT INTO console_sessions (token_hash, csrf, actor, created_at, last_seen) VALUES (?, ?, ?, ?, ?)")
                .bind(0, row.tokenHash()).bind(1, row.csrf()).bind(2, row.actor()).bind(3, row.createdAt()).bind(4, row.lastSeen())
                .execute();
    }

    public static Optional<Row> byHash(Tx tx, String tokenHash) {
        return tx.h.createQuery("SELECT token_hash, csrf, actor, created_at, last_seen FROM console_sessions WHERE token_hash = ?")
                .bind(0, tokenHash)
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)))
                .findOne();
    }

    public static void touch(Tx tx, String tokenHash, long now) {
        tx.h.createUpdate("UPDATE console_sessions SET last_seen = ? WHERE token_hash = ?").bind(0, now).bind(1, tokenHash).execute();
    }

    public static void delete(Tx tx, String tokenHash) {
        tx.h.createUpdate("DELETE FROM console_sessions WHERE token_hash = ?").bind(0, tokenHash).execute();
    }

    /** Forgets every session idle since before the given time. */
    public static void deleteIdleSince(Tx tx, long before) {
        tx.h.createUpdate("DELETE FROM console_sessions WHERE last_seen < ?").bind(0, before).execute();
    }
}
