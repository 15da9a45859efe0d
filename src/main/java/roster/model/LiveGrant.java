package roster.model;

/** A live grant with the app it was issued to, as one read finds them: the caller behind a token. */
public record LiveGrant(Grant grant, TenantApp app) {}
