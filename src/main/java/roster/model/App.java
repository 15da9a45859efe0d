package roster.model;

import java.util.List;

/**
 * A client of the directory. Its id and secret are the vendor's app_id/app_secret, accessKeyId/accessKeySecret,
 * appKey/appSecret or X-App-Id and secret. The secret is write-only: null when read back unless asked for.
 */
public record App(
        String id,
        String secret,
        String name,
        List<String> scopes,
        String vendor,
        VisibleTo visibleTo) {

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
        return new App(id, newSecret, name, scopes, vendor, visibleTo);
    }
}
