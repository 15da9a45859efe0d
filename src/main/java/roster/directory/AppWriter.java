package roster.directory;

import java.util.Set;
import roster.crypto.Keys;
import roster.crypto.SecretBox;
import roster.model.App;
import roster.model.App.EventKeys;
import roster.model.CanonicalJson;
import roster.model.Failure;
import roster.model.VisibleTo;
import roster.store.Apps;

/** The apps part of a {@link TenantWriter}: an app's grants and its sealed secret. */
final class AppWriter {

    private final TenantWriter w;
    private final SecretBox secrets;
    private final Set<String> scopes;

    AppWriter(TenantWriter w, SecretBox secrets, Set<String> scopes) {
        this.w = w;
        this.secrets = secrets;
        this.scopes = scopes;
    }

    /** Creates or replaces an app of this tenant; a secret left out keeps the stored one. */
    void put(String path, App app) {
        Apps.Secret old = Apps.secret(w.tx, app.id()).orElse(null);
        Validation.app(path, app, old == null, scopes);
        if (old != null && !old.tenantId().equals(w.tenantId)) {
            throw new Failure.Conflict(path + ".id", "app " + app.id() + " belongs to another tenant");
        }
        Apps.Secret secret;
        if (app.secret() == null || (old != null && Keys.constantTimeEquals(secrets.open(app.id(), old.sealed()), app.secret()))) {
            secret = old;
        } else {
            // a new secret revokes the tokens of the old one
            secret = new Apps.Secret(w.tenantId, secrets.seal(app.id(), app.secret()), old == null ? 1 : old.version() + 1);
        }
        VisibleTo visible = app.visibleTo();
        for (int i = 0; i < visible.departments().size(); i++) w.requireDepartment(visible.departments().get(i), path + ".visible_to.departments[" + i + "]");
        for (int i = 0; i < visible.users().size(); i++) w.requireUser(visible.users().get(i), path + ".visible_to.users[" + i + "]");
        Apps.upsert(w.tx, w.tenantId, app, secret, w.clock.millis());
        if (app.encryptKey() != null || app.verificationToken() != null) putEventKeys(path, app);
    }

    /** The event keys given replace the stored ones; one left out keeps its stored value, "" clears it. */
    private void putEventKeys(String path, App app) {
        Validation.text(path + ".encrypt_key", app.encryptKey(), 256);
        Validation.text(path + ".verification_token", app.verificationToken(), 256);
        EventKeys old = eventKeys(w.tx, secrets, app.id());
        EventKeys keys = new EventKeys(app.encryptKey() != null ? app.encryptKey() : old.encryptKey(),
                app.verificationToken() != null ? app.verificationToken() : old.verificationToken());
        Apps.putEventKeys(w.tx, app.id(), secrets.seal(app.id() + EVENT_KEYS, json(keys)));
    }

    /** Sealed under the app id and this suffix, so that the sealed keys never open as the app's secret. */
    private static final String EVENT_KEYS = "#event-keys";

    static EventKeys eventKeys(roster.store.Tx tx, SecretBox secrets, String appId) {
        return Apps.eventKeys(tx, appId)
                .map(sealed -> CanonicalJson.convert(json(secrets.open(appId + EVENT_KEYS, sealed)), EventKeys.class, "$"))
                .orElse(new EventKeys("", ""));
    }

    private static String json(EventKeys keys) {
        return CanonicalJson.MAPPER.valueToTree(keys).toString();
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return CanonicalJson.MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("corrupt sealed event keys", e);
        }
    }
}
