package roster.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;

/** A face image, JPEG or PNG, checked by content. */
public record Face(Type type, byte[] data) {

    public static final int MAX_BYTES = 5 * 1024 * 1024;

    public enum Type {
        @JsonProperty("jpg") JPG,
        @JsonProperty("png") PNG;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Type fromWire(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** The type the bytes really are, or null when they are neither JPEG nor PNG. */
    public static Type sniff(byte[] data) {
        if (data == null) return null;
        if (data.length >= 3 && (data[0] & 0xff) == 0xFF && (data[1] & 0xff) == 0xD8 && (data[2] & 0xff) == 0xFF) {
            return Type.JPG;
        }
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        if (data.length >= png.length && Arrays.equals(Arrays.copyOf(data, png.length), png)) return Type.PNG;
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Face f && f.type == type && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Face[" + type + ", " + (data == null ? 0 : data.length) + " bytes]";
    }
}
