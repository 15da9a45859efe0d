package roster.model;

/** A link from the user to an external identity provider. */
public record Identity(String provider, String type, String userIdInIdp, String extIdpId) {}
