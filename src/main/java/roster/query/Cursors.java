package roster.query;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import roster.crypto.Keys;
import roster.model.Failure;

/**
 * Opaque page tokens. A token carries the key of the last row served and a MAC over that key and the
 * token's binding (the app and the query that received it), so it cannot be forged, altered, or replayed
 * by another app or with another query. It holds no server state: any process with the same master key
 * reads it.
 */
public final class Cursors {

    private static final byte VERSION = 1;
    private static final int MAC_BYTES = 16;
    private final byte[] key;

    public Cursors(Keys keys) {
        this.key = keys.derive("page-token");
    }

    public String encode(String binding, long position) {
        ByteBuffer buffer = ByteBuffer.allocate(1 + Long.BYTES + MAC_BYTES);
        buffer.put(VERSION).putLong(position).put(mac(binding, position));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    public long decode(String binding, String token) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw new Failure.InvalidCursor();
        }
        if (raw.length != 1 + Long.BYTES + MAC_BYTES || raw[0] != VERSION) throw new Failure.InvalidCursor();
        ByteBuffer buffer = ByteBuffer.wrap(raw);
        buffer.get();
        long position = buffer.getLong();
        byte[] mac = Arrays.copyOfRange(raw, 1 + Long.BYTES, raw.length);
        if (!MessageDigest.isEqual(mac, mac(binding, position))) throw new Failure.InvalidCursor();
        return position;
    }

    private byte[] mac(String binding, long position) {
        byte[] b = binding.getBytes(StandardCharsets.UTF_8);
        byte[] message = ByteBuffer.allocate(b.length + Long.BYTES).put(b).putLong(position).array();
        return Arrays.copyOf(Keys.hmacSha256(key, message), MAC_BYTES);
    }
}
