package roster.model;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum Gender {
    @JsonProperty("male") MALE,
    @JsonProperty("female") FEMALE,
    @JsonProperty("unknown") UNKNOWN;

    private final String wire = name().toLowerCase(java.util.Locale.ROOT);

    /** The word stored and sent for it; kept, since every user row read and written names one. */
    public String wire() {
        return wire;
    }

    public static Gender fromWire(String value) {
        for (Gender v : values()) if (v.wire.equals(value)) return v;
        throw new IllegalArgumentException("no gender " + value);
    }
}
