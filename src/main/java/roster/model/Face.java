package roster.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;

/** A face image, JPEG or PNG, checked by decoding it. */
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

    /** Sides of a face image, at most, in pixels: a face needs far less, and decoding stays cheap. */
    public static final int MAX_SIDE = 8192;

    /**
     * The type the bytes really are, or null when they are not a JPEG or PNG image that decodes: a file that only
     * starts like one (a script behind a JPEG signature) is refused, not stored and served as an image.
     */
    public static Type sniff(byte[] data) {
        if (data == null) return null;
        Type type = null;
        if (data.length >= 3 && (data[0] & 0xff) == 0xFF && (data[1] & 0xff) == 0xD8 && (data[2] & 0xff) == 0xFF) type = Type.JPG;
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        if (data.length >= png.length && Arrays.equals(Arrays.copyOf(data, png.length), png)) type = Type.PNG;
        return type != null && decodes(data, type == Type.JPG ? "jpeg" : "png") ? type : null;
    }

    /** Whether ImageIO decodes the whole image; the size is checked before any pixel is, and pixels are subsampled. */
    private static boolean decodes(byte[] data, String format) {
        var readers = javax.imageio.ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) return false;
        javax.imageio.ImageReader reader = readers.next();
        try (var in = new javax.imageio.stream.MemoryCacheImageInputStream(new java.io.ByteArrayInputStream(data))) {
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) return false;
            var param = reader.getDefaultReadParam();
            int step = Math.max(1, Math.max(width, height) / 256); // every byte is decoded, a few pixels kept
            param.setSourceSubsampling(step, step, 0, 0);
            return reader.read(0, param) != null;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        } finally {
            reader.dispose();
        }
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
