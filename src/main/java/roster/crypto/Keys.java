package roster.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's one master secret and the keys derived from it (HMAC-SHA256 of a label): the key that seals app
 * secrets at rest, the keys of open ids, union ids, page tokens and signed tokens. Every process of one service
 * must hold the same master key: it lives in ROSTER_DATA/master.key (made on first start) or in ROSTER_SECRET_KEY.
 */
public final class Keys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final byte[] master;

    private Keys(byte[] master) {
        this.master = master;
    }

    public static Keys load(Path dataDir, String fromEnvironment) {
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            byte[] key = Base64.getDecoder().decode(fromEnvironment.trim());
            if (key.length < 32) throw new IllegalArgumentException("ROSTER_SECRET_KEY must be at least 32 bytes, base64");
            return new Keys(key);
        }
        Path file = dataDir.resolve("master.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dataDir);
                // two first starts on one folder race here: one key wins, the other process reads it
                createPrivate(file, Base64.getEncoder().encodeToString(randomBytes(32)));
            }
            return new Keys(Base64.getDecoder().decode(Files.readString(file).trim()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create " + file, e);
        }
    }

    /** Writes a file only its owner can read; used for the master key and the generated admin token. */
    public static void writePrivate(Path file, String content) throws IOException {
        Path tmp = privateTemp(file, content);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Creates a file only its owner can read, whole, unless it exists: the content goes to a temporary file that is
     * then hard-linked to the name, which fails when another process got there first (create-if-absent is
     * atomic, and nobody ever reads a half-written file). False when the file existed; it is left as it was.
     */
    public static boolean createPrivate(Path file, String content) throws IOException {
        Path tmp = privateTemp(file, content);
        try {
            Files.createLink(file, tmp);
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException e) { // no hard links here: a move that refuses to replace
            try {
                Files.move(tmp, file);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException again) {
                return false;
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Path privateTemp(Path file, String content) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".tmp", "");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system; the folder's permissions are all there is
        }
        Files.writeString(tmp, content + "\n");
        return tmp;
    }

    public static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A random token of n bytes in URL-safe base64. */
    public static String randomToken(int n) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(n));
    }

    /** A key for one purpose; different labels give unrelated keys. */
    public byte[] derive(String label) {
        return hmacSha256(master, label.getBytes(StandardCharsets.UTF_8));
    }

    /** Identifies the master key without revealing it, so a process started with the wrong key can say so. */
    public String fingerprint() {
        return HexFormat.of().formatHex(derive("fingerprint")).substring(0, 16);
    }

    /** One Mac per thread: looking the algorithm up in the providers costs more than the MAC of a short message. */
    private static final ThreadLocal<Mac> HMAC_SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });

    public static byte[] hmacSha256(byte[] key, byte[] message) {
        try {
            Mac mac = HMAC_SHA256.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Equality in time independent of where the inputs differ. */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) return false;
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
