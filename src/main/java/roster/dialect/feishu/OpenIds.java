package roster.dialect.feishu;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import roster.crypto.Keys;

/**
 * Open ids (per app and user) and union ids (per vendor and user), computed, never stored.
 *
 * <p>An id is one AES block: the user's num (8 bytes) followed by the first 8 bytes of an HMAC over the
 * namespace (app id or vendor), tenant, user id and num. Encrypting that block under a server key gives 32 hex
 * digits that are stable, differ between namespaces (the MAC differs, so the whole block does), cannot be made
 * without the key, and decrypt back to the num: resolving an id is one lookup by the unique (tenant, num)
 * index and a MAC check, with no table of issued ids to keep and no scan at a million users. The MAC covers the
 * user id, so a num reused by another user after a deletion does not inherit the old user's id.
 */
final class OpenIds {

    private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");
    private static final int TAG_BYTES = 8;

    /** The two kinds of derived id, with their prefix and their own keys. */
    enum Kind {
        OPEN("ou_", "feishu-open-id"), UNION("on_", "feishu-union-id");

        final String prefix;
        final String label;

        Kind(String prefix, String label) {
            this.prefix = prefix;
            this.label = label;
        }
    }

    private final SecretKeySpec[] blockKeys = new SecretKeySpec[Kind.values().length];
    private final SecretKeySpec[] tagKeys = new SecretKeySpec[Kind.values().length];

    OpenIds(Keys keys) {
        for (Kind kind : Kind.values()) {
            blockKeys[kind.ordinal()] = new SecretKeySpec(keys.derive(kind.label), "AES");
            tagKeys[kind.ordinal()] = new SecretKeySpec(keys.derive(kind.label + "-mac"), "HmacSHA256");
        }
    }

    /** What an id is computed from; the same inputs always give the same id. */
    private record Named(Kind kind, String namespace, String tenantId, String userId, long num) {}

    /**
     * Ids already computed. An id is a function of its inputs and the server key alone, so a remembered one is
     * never stale; a list page names fifty users, and remembering costs a tenth of the MAC and cipher work.
     */
    private final Cache<Named, String> computed = Caffeine.newBuilder().maximumSize(10_000).build();

    /** The id of a user in a namespace: the app id for open ids, the app's vendor for union ids. */
    String id(Kind kind, String namespace, String tenantId, String userId, long num) {
        return computed.get(new Named(kind, namespace, tenantId, userId, num), n -> compute(kind, namespace, tenantId, userId, num));
    }

    private String compute(Kind kind, String namespace, String tenantId, String userId, long num) {
        byte[] block = ByteBuffer.allocate(16).putLong(num).put(tag(kind, namespace, tenantId, userId, num)).array();
        return kind.prefix + HexFormat.of().formatHex(crypt(kind, Cipher.ENCRYPT_MODE, block));
    }

    /** The num an id names, if it is well formed; the caller must then {@link #matches} it against the user found. */
    OptionalLong num(Kind kind, String id) {
        if (id == null || !id.startsWith(kind.prefix) || !HEX32.matcher(id.substring(kind.prefix.length())).matches()) {
            return OptionalLong.empty();
        }
        byte[] block = crypt(kind, Cipher.DECRYPT_MODE, HexFormat.of().parseHex(id.substring(kind.prefix.length())));
        long num = ByteBuffer.wrap(block).getLong();
        return num > 0 ? OptionalLong.of(num) : OptionalLong.empty();
    }

    /** True when the id was made for exactly this user in this namespace. */
    boolean matches(Kind kind, String id, String namespace, String tenantId, String userId, long num) {
        return MessageDigest.isEqual(id.getBytes(StandardCharsets.US_ASCII),
                id(kind, namespace, tenantId, userId, num).getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] tag(Kind kind, String namespace, String tenantId, String userId, long num) {
        // lengths first, so that no two (namespace, tenant, user) triples give the same message
        byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
        byte[] t = tenantId.getBytes(StandardCharsets.UTF_8);
        byte[] u = userId.getBytes(StandardCharsets.UTF_8);
        byte[] message = ByteBuffer.allocate(12 + ns.length + t.length + u.length + 8)
                .putInt(ns.length).put(ns).putInt(t.length).put(t).putInt(u.length).put(u).putLong(num).array();
        return Arrays.copyOf(macs.get()[kind.ordinal()].doFinal(message), TAG_BYTES);
    }

    /** Keyed MACs, one set per thread: keying a Mac hashes its key pads, which a page of fifty ids would redo 50 times. */
    private final ThreadLocal<Mac[]> macs = ThreadLocal.withInitial(() -> {
        Mac[] all = new Mac[Kind.values().length];
        try {
            for (Kind kind : Kind.values()) {
                all[kind.ordinal()] = Mac.getInstance("HmacSHA256");
                all[kind.ordinal()].init(tagKeys[kind.ordinal()]);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return all;
    });

    /**
     * Ciphers ready for each kind and direction, one set per thread: a list page makes fifty ids, and creating
     * and keying a Cipher each time (provider lookup, AES key schedule) cost more than the encryption.
     */
    private final ThreadLocal<Cipher[]> ciphers = ThreadLocal.withInitial(() -> {
        Cipher[] all = new Cipher[Kind.values().length * 2];
        try {
            for (Kind kind : Kind.values()) {
                for (int i = 0; i < 2; i++) {
                    // ECB over exactly one block is the block cipher itself: a keyed permutation, deterministic by design
                    Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
                    cipher.init(i == 0 ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, blockKeys[kind.ordinal()]);
                    all[kind.ordinal() * 2 + i] = cipher;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return all;
    });

    private byte[] crypt(Kind kind, int mode, byte[] block) {
        try {
            return ciphers.get()[kind.ordinal() * 2 + (mode == Cipher.ENCRYPT_MODE ? 0 : 1)].doFinal(block);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
