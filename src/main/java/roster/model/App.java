package roster.model;

import java.util.List;

/**
 * A client of the directory. Its id and secret are the vendor's app_id/app_secret, accessKeyId/accessKeySecret,
 * appKey/appSecret or X-App-Id and secret. The secret is write-only: null when read back unless asked for.
 * encryptKey and verificationToken are the app's event keys (feishu webhooks sign and encrypt with them), write-only
 * too; "" clears one.
 */
public record App(
        String id,
        String secret,
        String name,
        List<String> scopes,
        String vendor,
        VisibleTo visibleTo,
        String encryptKey,
        String verificationToken) {

    public App(String id, String secret, String name, List<String> scopes, String vendor, VisibleTo visibleTo) {
        this(id, secret, name, scopes, vendor, visibleTo, null, null);
    }

    public List<String> scopes() {
        return scopes == null ? List.of() : scopes;
    }

    public VisibleTo visibleTo() {
        return visibleTo == null ? VisibleTo.ALL : visibleTo;
    }

    public boolean hasScope(String scope) {
        return scopes().contains(scope);
    }

    public App withSecret(String newSecret) {
        return new App(id, newSecret, name, scopes, vendor, visibleTo, encryptKey, verificationToken);
    }

    /** The app as it is shown: no secret, no event keys. */
    public App withoutSecrets() {
        return new App(id, null, name, scopes, vendor, visibleTo, null, null);
    }

    /** An app's event keys in clear ("" when not set), for the deliverer of feishu webhooks. Never shown. */
    public record EventKeys(String encryptKey, String verificationToken) {}
}
