package roster.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals app secrets at rest with AES-256-GCM. Two dialects verify request signatures made with an app's
 * secret, so it must be recoverable: a hash would not do. The app id is bound in as associated data, so a
 * sealed secret copied onto another app's row does not open.
 */
public final class SecretBox {

    private static final int NONCE_BYTES = 12;
    private final SecretKeySpec key;

    public SecretBox(Keys keys) {
        this.key = new SecretKeySpec(keys.derive("app-secret-seal"), "AES");
    }

    public String seal(String appId, String secret) {
        byte[] nonce = Keys.randomBytes(NONCE_BYTES);
        byte[] sealed = cipher(Cipher.ENCRYPT_MODE, nonce, appId).doFinalUnchecked(secret.getBytes(StandardCharsets.UTF_8));
        return "v1:" + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    }

    public String open(String appId, String sealed) {
        if (!sealed.startsWith("v1:")) throw new IllegalStateException("unknown sealed-secret format");
        byte[] all = Base64.getDecoder().decode(sealed.substring(3));
        byte[] nonce = java.util.Arrays.copyOf(all, NONCE_BYTES);
        byte[] body = java.util.Arrays.copyOfRange(all, NONCE_BYTES, all.length);
        return new String(cipher(Cipher.DECRYPT_MODE, nonce, appId).doFinalUnchecked(body), StandardCharsets.UTF_8);
    }

    private Crypt cipher(int mode, byte[] nonce, String appId) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(appId.getBytes(StandardCharsets.UTF_8));
            return new Crypt(cipher);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Crypt(Cipher cipher) {
        byte[] doFinalUnchecked(byte[] input) {
            try {
                return cipher.doFinal(input);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("app secret does not open with this master key", e);
            }
        }
    }
}
