package roster.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import roster.crypto.Keys;
import roster.dialect.feishu.FeishuUserIds;
import roster.model.App;
import roster.model.CanonicalJson;
import roster.model.TenantApp;
import roster.model.User;

/**
 * Feishu's event subscription wire, as its SDKs' EventDispatcher reads it: the schema 2.0 envelope of
 * acs.user.updated_v1 {"schema":"2.0","header":{event_id, event_type, create_time, token, app_id, tenant_key},
 * "event":{"user_id":{union_id, user_id, open_id}, "card", "face_uploaded"}}. With an encrypt key the body is
 * {"encrypt": base64(IV ‖ AES-256-CBC(event))} under SHA-256 of the key, and X-Lark-Signature is the hex SHA-256
 * of timestamp + nonce + encrypt key + body; token is the app's verification token.
 */
final class FeishuFormat {

    static final String EVENT_TYPE = "acs.user.updated_v1";
    private final FeishuUserIds ids;

    FeishuFormat(FeishuUserIds ids) {
        this.ids = ids;
    }

    byte[] event(TenantApp app, User user, App.EventKeys keys, String eventId, long createTimeMillis) {
        ObjectNode root = CanonicalJson.MAPPER.createObjectNode();
        root.put("schema", "2.0");
        ObjectNode header = root.putObject("header");
        header.put("event_id", eventId);
        header.put("event_type", EVENT_TYPE);
        header.put("create_time", String.valueOf(createTimeMillis));
        header.put("token", keys.verificationToken());
        header.put("app_id", app.app().id());
        header.put("tenant_key", app.tenantId());
        ObjectNode event = root.putObject("event");
        FeishuUserIds.Ids id = ids.of(app, user);
        ObjectNode userId = event.putObject("user_id");
        userId.put("union_id", id.unionId());
        userId.put("user_id", id.userId());
        userId.put("open_id", id.openId());
        if (user.acs().card() != null) event.put("card", user.acs().card());
        event.put("face_uploaded", user.acs().face() != null);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The url_verification request Feishu sends when an event URL is set: the consumer must echo the challenge. */
    static byte[] challenge(String challenge, App.EventKeys keys) {
        ObjectNode root = CanonicalJson.MAPPER.createObjectNode();
        root.put("challenge", challenge);
        root.put("token", keys.verificationToken());
        root.put("type", "url_verification");
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The body as sent (encrypted when the app has an encrypt key) and its headers. */
    static Map.Entry<byte[], Map<String, String>> wire(byte[] plain, App.EventKeys keys, long timestampSeconds) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        if (keys.encryptKey().isEmpty()) return Map.entry(plain, headers);
        ObjectNode wrapped = CanonicalJson.MAPPER.createObjectNode();
        wrapped.put("encrypt", encrypt(plain, keys.encryptKey()));
        byte[] body = wrapped.toString().getBytes(StandardCharsets.UTF_8);
        String timestamp = String.valueOf(timestampSeconds);
        String nonce = Keys.randomToken(12);
        headers.put("X-Lark-Request-Timestamp", timestamp);
        headers.put("X-Lark-Request-Nonce", nonce);
        headers.put("X-Lark-Signature", signature(timestamp, nonce, keys.encryptKey(), body));
        return Map.entry(body, headers);
    }

    static String signature(String timestamp, String nonce, String encryptKey, byte[] body) {
        byte[] prefix = (timestamp + nonce + encryptKey).getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(Keys.sha256(ByteBuffer.allocate(prefix.length + body.length).put(prefix).put(body).array()));
    }

    static String encrypt(byte[] plain, String encryptKey) {
        try {
            byte[] iv = Keys.randomBytes(16);
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Keys.sha256(encryptKey.getBytes(StandardCharsets.UTF_8)), "AES"),
                    new IvParameterSpec(iv));
            byte[] sealed = cipher.doFinal(plain);
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
