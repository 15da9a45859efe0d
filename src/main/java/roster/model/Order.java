package roster.model;

/** The orders a user list can be read in. Each ends with num, so the order is total and stable. */
public enum Order {
    /** By num: the default of every list. */
    NUM(Attribute.NUM, false),
    /** By change sequence: the order of sync. */
    SEQUENCE(Attribute.SEQUENCE, false),
    NUM_DESC(Attribute.NUM, true),
    CREATED_ASC(Attribute.CREATED_AT, false),
    CREATED_DESC(Attribute.CREATED_AT, true),
    UPDATED_ASC(Attribute.UPDATED_AT, false),
    UPDATED_DESC(Attribute.UPDATED_AT, true),
    USERNAME_ASC(Attribute.USERNAME, false),
    USERNAME_DESC(Attribute.USERNAME, true),
    NAME_ASC(Attribute.NAME, false),
    NAME_DESC(Attribute.NAME, true);

    private final Attribute attribute;
    private final boolean descending;

    Order(Attribute attribute, boolean descending) {
        this.attribute = attribute;
        this.descending = descending;
    }

    public Attribute attribute() {
        return attribute;
    }

    public boolean descending() {
        return descending;
    }

    /** Keyset paging needs one unique key: num or seq, or num descending (a walk backwards, SCIM's previousCursor). */
    public boolean isKeyset() {
        return this == NUM || this == SEQUENCE || this == NUM_DESC;
    }
}
