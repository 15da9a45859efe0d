package roster.console;

import roster.core.LoadLog;

/**
 * A fixture load started from the console as its progress page shows it, read from its row (console_loads) by
 * whichever process answers the poll. The load is one transaction (all or nothing), so the progress is what was
 * read, and the outcome comes at the end. A running load whose row has not moved for {@link #STALE_MILLIS} belongs
 * to a process that stopped (its transaction rolled back): it shows as failed.
 */
public final class Load {

    public enum State { RUNNING, DONE, FAILED }

    /** The loading process writes its row every half second: this long without one, it is gone. */
    static final long STALE_MILLIS = 30_000;

    private final LoadLog.Entry row;
    private final State state;
    private final String reason;
    private final long read;
    private final long users;

    /**
     * The row as of now. live is {bytes read, users} when this process holds the load: fresher than its row (on
     * SQLite the row cannot be written while the load's transaction holds the one writer), and not stopped.
     */
    Load(LoadLog.Entry row, long now, long[] live) {
        this.row = row;
        boolean running = row.state() == LoadLog.State.RUNNING;
        this.read = running && live != null ? Math.max(live[0], row.bytesRead()) : row.bytesRead();
        this.users = running && live != null ? Math.max(live[1], row.users()) : row.users();
        State s = State.valueOf(row.state().name());
        if (s == State.RUNNING && live == null && now - row.updatedAt() > STALE_MILLIS) {
            this.state = State.FAILED;
            this.reason = "the process running the load stopped before it finished; nothing was loaded";
        } else {
            this.state = s;
            this.reason = row.reason();
        }
    }

    public State state() {
        return state;
    }

    public boolean finished() {
        return state == State.DONE || state == State.FAILED;
    }

    /** Per cent of the file read (99 at most until the transaction commits). */
    public int percent() {
        if (state == State.DONE) return 100;
        return row.bytesTotal() <= 0 ? 0 : (int) Math.min(99, read * 100 / row.bytesTotal());
    }

    public long users() {
        return users;
    }

    /** The JSON path of the first bad value of a refused fixture ("$.tenants[0].users[3].email"), or null. */
    public String path() {
        return state == State.FAILED ? row.badPath() : null;
    }

    public String reason() {
        return reason;
    }

    /** Users created, updated, deleted and unchanged, once done. */
    public long[] counts() {
        return new long[] {row.created(), row.updated(), row.deleted(), row.unchanged()};
    }
}
