package roster.model;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum Gender {
    @JsonProperty("male") MALE,
    @JsonProperty("female") FEMALE,
    @JsonProperty("unknown") UNKNOWN;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Gender fromWire(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
