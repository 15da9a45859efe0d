package roster.directory;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum Status {
    @JsonProperty("active") ACTIVE,
    @JsonProperty("suspended") SUSPENDED,
    @JsonProperty("resigned") RESIGNED,
    @JsonProperty("archived") ARCHIVED,
    @JsonProperty("deactivated") DEACTIVATED;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Status fromWire(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
