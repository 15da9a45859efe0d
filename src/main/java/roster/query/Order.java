package roster.query;

/** The orders a user list can be read in. Each ends with num, so the order is total and stable. */
public enum Order {
    /** By num: the default of every list. */
    NUM("u.num", false),
    /** By change sequence: the order of sync. */
    SEQUENCE("u.seq", false),
    NUM_DESC("u.num", true),
    CREATED_ASC("u.created_at", false),
    CREATED_DESC("u.created_at", true),
    UPDATED_ASC("u.updated_at", false),
    UPDATED_DESC("u.updated_at", true);

    final String column;
    final boolean descending;

    Order(String column, boolean descending) {
        this.column = column;
        this.descending = descending;
    }

    String sql() {
        String dir = descending ? " DESC" : "";
        return column.equals("u.num") || column.equals("u.seq") ? column + dir : column + dir + ", u.num" + dir;
    }

    /** Keyset paging needs a single unique key: num or seq. */
    boolean isKeyset() {
        return this == NUM || this == SEQUENCE;
    }
}
