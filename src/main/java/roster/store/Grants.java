package roster.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import roster.model.Grant;
import roster.model.LiveGrant;

/**
 * Issued access tokens of every front end (the tokens table). A grant is live while it has not expired and its
 * app still has the secret version it was issued under.
 */
public final class Grants {

    private static final String COLUMNS = "t.id, t.kind, t.app_id, t.tenant_id, t.subject, t.issued_at, t.expires_at";
    private static final RowMapper<Grant> ROW = (rs, ctx) -> new Grant(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)));

    private Grants() {}

    /** Stores a grant, dropping the app's expired grants of the same kind. */
    public static void insert(Tx tx, Grant grant, int secretVersion) {
        tx.h.createUpdate("DELETE FROM tokens WHERE app_id = ? AND kind = ? AND expires_at < ?")
                .bind(0, grant.appId()).bind(1, grant.kind()).bind(2, grant.issuedAt().toEpochMilli()).execute();
        tx.h.createUpdate("INSERT INTO tokens (id, kind, app_id, tenant_id, subject, secret_version, issued_at, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, grant.id()).bind(1, grant.kind()).bind(2, grant.appId()).bind(3, grant.tenantId()).bind(4, grant.subject())
                .bind(5, secretVersion).bind(6, grant.issuedAt().toEpochMilli()).bind(7, grant.expiresAt().toEpochMilli())
                .execute();
    }

    /** The live grant of this id with its app, in one read (every request with a token asks this first). */
    public static Optional<LiveGrant> live(Tx tx, String kind, String id, long now) {
        return tx.h.createQuery("SELECT " + COLUMNS + ", " + Apps.COLUMNS_OF_A + " FROM tokens t "
                        + "JOIN apps a ON a.id = t.app_id AND a.secret_version = t.secret_version "
                        + "WHERE t.id = ? AND t.kind = ? AND t.expires_at > ?")
                .bind(0, id).bind(1, kind).bind(2, now)
                .map((rs, ctx) -> new LiveGrant(ROW.map(rs, ctx), Apps.row(rs, 8))).findOne();
    }

    /** The app's live grant of this kind with the most life left. */
    public static Optional<Grant> newest(Tx tx, String kind, String appId, int secretVersion, long now) {
        return tx.h.createQuery("SELECT " + COLUMNS + " FROM tokens t WHERE t.app_id = ? AND t.kind = ? AND t.secret_version = ? "
                        + "AND t.expires_at > ? ORDER BY t.expires_at DESC LIMIT 1")
                .bind(0, appId).bind(1, kind).bind(2, secretVersion).bind(3, now).map(ROW).findOne();
    }

    /** The app's live grants of this kind, newest first (long-lived tokens listed for the admin, never with a value). */
    public static List<Grant> all(Tx tx, String kind, String appId, long now) {
        return tx.h.createQuery("SELECT " + COLUMNS + " FROM tokens t JOIN apps a ON a.id = t.app_id AND a.secret_version = t.secret_version "
                        + "WHERE t.app_id = ? AND t.kind = ? AND t.expires_at > ? ORDER BY t.issued_at DESC, t.id")
                .bind(0, appId).bind(1, kind).bind(2, now).map(ROW).list();
    }

    /** Deletes one grant of the app; false when it has none by that id. */
    public static boolean delete(Tx tx, String kind, String appId, String id) {
        return tx.h.createUpdate("DELETE FROM tokens WHERE id = ? AND kind = ? AND app_id = ?")
                .bind(0, id).bind(1, kind).bind(2, appId).execute() > 0;
    }

    /** Revokes every grant issued to these users (a signed-in user's token), e.g. when a password changes. */
    public static void revokeSubjects(Tx tx, String tenantId, java.util.Collection<String> userIds) {
        if (userIds.isEmpty()) return;
        tx.h.createUpdate("DELETE FROM tokens WHERE tenant_id = :t AND subject IN (<ids>)")
                .bind("t", tenantId).bindList("ids", java.util.List.copyOf(userIds)).execute();
    }
}
