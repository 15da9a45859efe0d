package roster.query;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import roster.model.User;
import roster.model.UserDetail;
import roster.store.Changes;
import roster.store.Database;
import roster.store.Tenants;
import roster.store.Users;

/** Every change to a tenant's users in commit order, deletions included, each with its sequence number. */
public final class ChangeFeed {

    private final Database db;

    public ChangeFeed(Database db) {
        this.db = db;
    }

    /**
     * One change. user is the state the change left, present when it is the user's latest change (an earlier
     * change of a user that changed again is superseded: its state is no longer stored).
     */
    public record Change(long sequence, String userId, long userNum, boolean deleted, Instant changedAt, User user) {}

    public List<Change> after(String tenantId, long afterSequence, int limit) {
        return db.read(tx -> {
            List<Changes.Row> rows = Changes.after(tx, tenantId, afterSequence, limit);
            List<Long> seqs = rows.stream().filter(r -> !r.deleted()).map(Changes.Row::seq).toList();
            Map<Long, User> latest = Users.bySequences(tx, tenantId, seqs, UserDetail.PROFILE);
            return rows.stream().map(r -> new Change(r.seq(), r.userId(), r.userNum(), r.deleted(),
                    Instant.ofEpochMilli(r.changedAt()), latest.get(r.seq()))).toList();
        });
    }

    /** A change as the audit view shows it: who made it (null when the write named no one) and the fields it changed. */
    public record Audited(long sequence, String userId, boolean deleted, Instant changedAt, String actor, List<String> fields) {}

    /** Changes newest first, before a sequence number (null: the newest), of one user or (userId null) of all. */
    public List<Audited> newestFirst(String tenantId, String userId, Long beforeSequence, int limit) {
        return db.read(tx -> Changes.newestFirst(tx, tenantId, userId, beforeSequence, limit).stream()
                .map(r -> new Audited(r.seq(), r.userId(), r.deleted(), Instant.ofEpochMilli(r.changedAt()), r.actor(),
                        r.fields() == null || r.fields().isEmpty() ? List.of() : List.of(r.fields().split(","))))
                .toList());
    }

    public long lastSequence(String tenantId) {
        return db.read(tx -> Tenants.lastSequence(tx, tenantId));
    }
}
