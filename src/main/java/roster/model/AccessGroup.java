package roster.model;

/** An access-control permission group (门禁权限组). */
public record AccessGroup(String id, String name) {}
