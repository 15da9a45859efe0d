package roster.core;

import java.util.Optional;
import roster.store.ConsoleLoads;
import roster.store.Database;

/**
 * The console's fixture loads as the database keeps them (table console_loads, through {@link ConsoleLoads}): what
 * the process running a load writes and what any process of the service reads. A front end sees only this.
 */
public final class LoadLog {

    public enum State { RUNNING, DONE, FAILED }

    /** A load as stored; counts are users created, updated, deleted and unchanged (zero until done). */
    public record Entry(String id, String tenant, long startedAt, long updatedAt, long bytesRead, long bytesTotal, long users,
                        State state, long created, long updated, long deleted, long unchanged, String badPath, String reason) {}

    private final Database db;

    public LoadLog(Database db) {
        this.db = db;
    }

    /**
     * Whether a load's row can be written while it runs. Not on SQLite: it has one writer, which the load's
     * transaction holds until the end.
     */
    public boolean writableWhileLoading() {
        return db.kind() != Database.Kind.SQLITE;
    }

    /** Records a new running load, first forgetting those last updated before forgetBefore. */
    public void start(String id, String tenant, long now, long bytesTotal, long forgetBefore) {
        db.useWrite(tx -> {
            ConsoleLoads.deleteUpdatedBefore(tx, forgetBefore);
            ConsoleLoads.start(tx, id, tenant, now, bytesTotal);
        });
    }

    public void progress(String id, long now, long bytesRead, long users) {
        db.useWrite(tx -> ConsoleLoads.progress(tx, id, now, bytesRead, users));
    }

    public void done(String id, long now, long bytesRead, long users, long created, long updated, long deleted, long unchanged) {
        db.useWrite(tx -> ConsoleLoads.done(tx, id, now, bytesRead, users, created, updated, deleted, unchanged));
    }

    public void failed(String id, long now, String badPath, String reason) {
        db.useWrite(tx -> ConsoleLoads.failed(tx, id, now, badPath, reason));
    }

    public Optional<Entry> find(String id) {
        return db.read(tx -> ConsoleLoads.byId(tx, id)).map(r -> new Entry(r.id(), r.tenant(), r.startedAt(), r.updatedAt(),
                r.bytesRead(), r.bytesTotal(), r.users(), switch (r.state()) {
                    case ConsoleLoads.DONE -> State.DONE;
                    case ConsoleLoads.FAILED -> State.FAILED;
                    default -> State.RUNNING;
                }, r.created(), r.updated(), r.deleted(), r.unchanged(), r.badPath(), r.reason()));
    }
}
