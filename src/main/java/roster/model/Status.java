package roster.model;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum Status {
    @JsonProperty("active") ACTIVE,
    @JsonProperty("suspended") SUSPENDED,
    @JsonProperty("resigned") RESIGNED,
    @JsonProperty("archived") ARCHIVED,
    @JsonProperty("deactivated") DEACTIVATED;

    private final String wire = name().toLowerCase(java.util.Locale.ROOT);

    /** The word stored and sent for it; kept, since every user row read and written names one. */
    public String wire() {
        return wire;
    }

    /** The status of a wire word, or null when there is none. */
    public static Status ofWire(String value) {
        for (Status s : values()) if (s.wire().equals(value)) return s;
        return null;
    }

    public static Status fromWire(String value) {
        for (Status v : values()) if (v.wire.equals(value)) return v;
        throw new IllegalArgumentException("no status " + value);
    }
}
