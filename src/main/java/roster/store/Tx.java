package roster.store;

import org.jdbi.v3.core.Handle;

/**
 * One open transaction. Code above the store holds it and passes it back to the store's tables; only the store
 * can see the connection inside, so no SQL is written anywhere else.
 */
public final class Tx {
    final Handle h;
    final Database.Kind kind;
    /** The transaction wrote to the change feed: its commit wakes Database's change listeners. */
    boolean changed;

    Tx(Handle h, Database.Kind kind) {
        this.h = h;
        this.kind = kind;
    }
}
