package roster.console;

/**
 * A fixture load started from the console, read by its progress page while it runs on the loader's thread. The
 * load is one transaction (all or nothing), so the progress is what was read, and the outcome comes at the end.
 */
public final class Load {

    public enum State { QUEUED, RUNNING, DONE, FAILED }

    private final long size;
    private volatile long read;
    private volatile long users;
    private volatile State state = State.QUEUED;
    private volatile String path;
    private volatile String reason;
    private volatile long[] counts = {0, 0, 0, 0};

    Load(long size) {
        this.size = size;
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
        return size <= 0 ? 0 : (int) Math.min(99, read * 100 / size);
    }

    public long users() {
        return users;
    }

    /** The JSON path of the first bad value of a refused fixture ("$.tenants[0].users[3].email"), or null. */
    public String path() {
        return path;
    }

    public String reason() {
        return reason;
    }

    /** Users created, updated, deleted and unchanged, once done. */
    public long[] counts() {
        return counts.clone();
    }

    void running() {
        state = State.RUNNING;
    }

    void read(long bytes) {
        read = bytes;
    }

    void users(long n) {
        users = n;
    }

    void done(long created, long updated, long deleted, long unchanged) {
        this.counts = new long[] {created, updated, deleted, unchanged};
        state = State.DONE;
    }

    void failed(String path, String reason) {
        this.path = path;
        this.reason = reason;
        state = State.FAILED;
    }
}
