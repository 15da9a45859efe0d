package roster.directory;

public record Tenant(String id, String name) {}
