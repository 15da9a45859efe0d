package roster.model;

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

    /** The status of a wire word, or null when there is none. */
    public static Status ofWire(String value) {
        for (Status s : values()) if (s.wire().equals(value)) return s;
        return null;
    }

    public static Status fromWire(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
