package roster.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import roster.crypto.Keys;
import roster.directory.Subscriptions;
import roster.model.CanonicalJson;

/**
 * Standard Webhooks v1 (standardwebhooks.com): headers webhook-id, webhook-timestamp (seconds) and
 * webhook-signature, "v1," and the base64 HMAC-SHA256 of "id.timestamp.body" under the base64 key after "whsec_";
 * during a secret rotation one signature per secret, separated by spaces. The body:
 * {"type":"user.created|user.updated|user.deleted","timestamp":…,"data":{"tenant","sequence","id","user"?}}.
 */
final class StandardFormat {

    private StandardFormat() {}

    static String type(Subscriptions.Change c) {
        return c.deleted() ? "user.deleted" : c.created() ? "user.created" : "user.updated";
    }

    /** The body of an event; user is the state the change left, absent for a deletion and when a later change superseded it. */
    static byte[] body(String tenantId, Subscriptions.Change c) {
        ObjectNode root = CanonicalJson.MAPPER.createObjectNode();
        root.put("type", type(c));
        root.put("timestamp", c.changedAt().toString());
        ObjectNode data = root.putObject("data");
        data.put("tenant", tenantId);
        data.put("sequence", c.sequence());
        data.put("id", c.userId());
        if (c.user() != null) data.set("user", CanonicalJson.MAPPER.valueToTree(c.user().withoutSecrets()));
        else if (!c.deleted()) data.put("superseded", true);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, String> headers(String msgId, long timestampSeconds, byte[] body, List<String> secrets) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", msgId);
        headers.put("webhook-timestamp", String.valueOf(timestampSeconds));
        headers.put("webhook-signature", String.join(" ", secrets.stream().map(s -> sign(s, msgId, timestampSeconds, body)).toList()));
        headers.put("Content-Type", "application/json");
        return headers;
    }

    static String sign(String secret, String msgId, long timestampSeconds, byte[] body) {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        byte[] prefix = (msgId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, content, 0, prefix.length);
        System.arraycopy(body, 0, content, prefix.length, body.length);
        return "v1," + Base64.getEncoder().encodeToString(Keys.hmacSha256(key, content));
    }
}
