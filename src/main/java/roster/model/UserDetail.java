package roster.model;

/** How much of a user a read brings back. */
public enum UserDetail {
    /** The users row alone: departments and access groups are not read (left empty), for lists that show neither. */
    ROW,
    /** Everything but the face image bytes (a face shows as a Face with null data) and the password hash. */
    PROFILE,
    /** Everything but the password hash. */
    FULL,
    /** Everything, for an export with secrets and for the writer. */
    SECRETS
}
