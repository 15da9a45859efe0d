package roster.model;

/** An app with the tenant it belongs to and the version of its secret (a new secret revokes older tokens). */
public record TenantApp(String tenantId, App app, int secretVersion) {}
