package roster.model;

public record Tenant(String id, String name) {}
