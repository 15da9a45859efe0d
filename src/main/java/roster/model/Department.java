package roster.model;

/** A node of the tenant's department tree; parent null makes it a root. num is assigned once and never changes. */
public record Department(String id, Long num, String name, String parent) {}
