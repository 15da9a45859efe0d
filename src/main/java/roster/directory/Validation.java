package roster.directory;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import roster.crypto.Passwords;
import roster.model.AccessGroup;
import roster.model.Acs;
import roster.model.App;
import roster.model.Department;
import roster.model.Face;
import roster.model.Failure;
import roster.model.Identifiers;
import roster.model.Identity;
import roster.model.Tenant;
import roster.model.User;

/**
 * The rules every write obeys, whichever door it came through (fixture, admin API, a dialect). Each failure
 * names the JSON path of the offending value, relative to the path the caller passes in.
 */
public final class Validation {

    public static final int MAX_TEXT = 1024;
    public static final int MAX_CUSTOM_DATA = 64 * 1024;
    public static final int MAX_LIST = 1000;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final Pattern PHONE = Pattern.compile("[0-9][0-9 -]{0,31}");
    private static final Pattern COUNTRY_CODE = Pattern.compile("\\+[0-9]{1,4}");

    private Validation() {}

    /** Tenant and app ids: they travel in URLs and tokens, so only a safe alphabet. */
    public static void key(String path, String value) {
        if (value == null) throw new Failure.InvalidInput(path, "is required");
        if (!KEY.matcher(value).matches()) {
            throw new Failure.InvalidInput(path, "must be 1-64 characters of A-Z a-z 0-9 _ -");
        }
    }

    /** User and department ids: 1-64 characters, no whitespace or control characters. */
    public static void id(String path, String value) {
        if (value == null) throw new Failure.InvalidInput(path, "is required");
        if (value.isEmpty() || value.length() > 64) throw new Failure.InvalidInput(path, "must be 1-64 characters");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || isUnsafe(c)) {
                throw new Failure.InvalidInput(path, "must not contain whitespace or control characters");
            }
        }
        String flaw = Identifiers.flaw(value);
        if (flaw != null) throw new Failure.InvalidInput(path, flaw);
    }

    public static void text(String path, String value) {
        text(path, value, MAX_TEXT);
    }

    public static void text(String path, String value, int max) {
        if (value == null) return;
        if (value.length() > max) throw new Failure.InvalidInput(path, "must be at most " + max + " characters");
        if (Identifiers.hasUnpairedSurrogate(value)) throw new Failure.InvalidInput(path, "must not contain unpaired UTF-16 surrogates");
        for (int i = 0; i < value.length(); i++) {
            if (isUnsafe(value.charAt(i))) {
                throw new Failure.InvalidInput(path, "must not contain control or bidirectional-override characters");
            }
        }
    }

    public static void requiredText(String path, String value) {
        if (value == null || value.isBlank()) throw new Failure.InvalidInput(path, "is required");
        text(path, value);
    }

    /** Control characters break logs and terminals; bidi overrides make one name look like another. */
    private static boolean isUnsafe(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f;
    }

    public static void positive(String path, Long value) {
        if (value != null && value <= 0) throw new Failure.InvalidInput(path, "must be greater than 0");
    }

    /** A num: 1 to 2^53 − 1, so that a JavaScript client reads it exactly (and the next one cannot overflow). */
    public static void num(String path, Long value) {
        if (value != null && (value <= 0 || value > Identifiers.MAX_NUM)) {
            throw new Failure.InvalidInput(path, "must be from 1 to " + Identifiers.MAX_NUM);
        }
    }

    /** A username or email: what identifies a person may not hold invisible characters, nor mix scripts. */
    private static void identifier(String path, String value, boolean username) {
        if (value == null) return;
        String flaw = Identifiers.flaw(value);
        if (flaw != null) throw new Failure.InvalidInput(path, flaw);
        if (username && Identifiers.mixesScripts(value)) {
            throw new Failure.InvalidInput(path, "must not mix scripts (such as Latin with Cyrillic or Greek)");
        }
    }

    /** Numbers in custom data must survive a round trip through any JSON reader: no Infinity, NaN or overflow. */
    private static void finiteNumbers(String path, com.fasterxml.jackson.databind.JsonNode node) {
        if (node.isNumber()) {
            double d = node.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) throw new Failure.InvalidInput(path, "is not a finite number");
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> finiteNumbers(path + "." + e.getKey(), e.getValue()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) finiteNumbers(path + "[" + i + "]", node.get(i));
        }
    }

    public static void tenant(String path, Tenant tenant) {
        key(path + ".id", tenant.id());
        text(path + ".name", tenant.name());
    }

    public static void department(String path, Department d) {
        id(path + ".id", d.id());
        num(path + ".num", d.num());
        requiredText(path + ".name", d.name());
        if (d.parent() != null) {
            id(path + ".parent", d.parent());
            if (d.parent().equals(d.id())) throw new Failure.InvalidInput(path + ".parent", "a department cannot be its own parent");
        }
    }

    public static void accessGroup(String path, AccessGroup g) {
        id(path + ".id", g.id());
        text(path + ".name", g.name());
    }

    public static void app(String path, App app, boolean secretRequired, Set<String> scopes) {
        key(path + ".id", app.id());
        if (app.secret() == null) {
            if (secretRequired) throw new Failure.InvalidInput(path + ".secret", "is required");
        } else {
            if (app.secret().length() < 16) throw new Failure.InvalidInput(path + ".secret", "must be at least 16 characters");
            text(path + ".secret", app.secret(), 256);
        }
        text(path + ".name", app.name());
        list(path + ".scopes", app.scopes());
        for (int i = 0; i < app.scopes().size(); i++) {
            String scope = app.scopes().get(i);
            if (!scopes.contains(scope)) {
                throw new Failure.InvalidInput(path + ".scopes[" + i + "]", "unknown scope; one of " + new java.util.TreeSet<>(scopes));
            }
        }
        if (app.vendor() != null) key(path + ".vendor", app.vendor());
        ids(path + ".visible_to.departments", app.visibleTo().departments());
        ids(path + ".visible_to.users", app.visibleTo().users());
    }

    public static void user(String path, User u) {
        id(path + ".id", u.id());
        if (u.isDeletion()) return;
        num(path + ".num", u.num());
        text(path + ".username", u.username(), 128);
        identifier(path + ".username", u.username(), true);
        text(path + ".name", u.name());
        text(path + ".nickname", u.nickname());
        if (u.email() != null) {
            text(path + ".email", u.email(), 254);
            identifier(path + ".email", u.email(), false);
            if (!EMAIL.matcher(u.email()).matches()) throw new Failure.InvalidInput(path + ".email", "is not an email address");
        }
        if (u.phone() != null && !PHONE.matcher(u.phone()).matches()) {
            throw new Failure.InvalidInput(path + ".phone", "must be a national phone number (digits)");
        }
        if (u.phoneCountryCode() != null && !COUNTRY_CODE.matcher(u.phoneCountryCode()).matches()) {
            throw new Failure.InvalidInput(path + ".phone_country_code", "must look like +86");
        }
        if (u.avatar() != null) url(path + ".avatar", u.avatar());
        text(path + ".country", u.country());
        text(path + ".province", u.province());
        text(path + ".city", u.city());
        text(path + ".address", u.address());
        text(path + ".street_address", u.streetAddress());
        text(path + ".postal_code", u.postalCode(), 32);
        text(path + ".external_id", u.externalId(), 256);
        ids(path + ".departments", u.departments());
        list(path + ".identities", u.identities());
        for (int i = 0; i < u.identities().size(); i++) identity(path + ".identities[" + i + "]", u.identities().get(i));
        if (u.customData() != null && u.customData().toString().length() > MAX_CUSTOM_DATA) {
            throw new Failure.InvalidInput(path + ".custom_data", "must be at most " + MAX_CUSTOM_DATA + " bytes of JSON");
        }
        if (u.customData() != null) finiteNumbers(path + ".custom_data", u.customData());
        if (u.password() != null) {
            if (u.password().isEmpty()) throw new Failure.InvalidInput(path + ".password", "must not be empty");
            if (Passwords.tooLong(u.password())) {
                throw new Failure.InvalidInput(path + ".password", "must be at most " + Passwords.MAX_BYTES + " bytes in UTF-8 (bcrypt's limit)");
            }
        }
        if (u.passwordHash() != null && !Passwords.isHash(u.passwordHash())) {
            throw new Failure.InvalidInput(path + ".password_hash", "is not a bcrypt hash");
        }
        if (u.adminOf().contains("*")) {
            if (u.adminOf().size() != 1) throw new Failure.InvalidInput(path + ".admin_of", "\"*\" stands alone");
        } else {
            ids(path + ".admin_of", u.adminOf());
        }
        acs(path + ".acs", u.acs());
    }

    private static void acs(String path, Acs acs) {
        ids(path + ".groups", acs.groups());
        if (acs.card() != null && acs.card() < 0) throw new Failure.InvalidInput(path + ".card", "must not be negative");
        Face face = acs.face();
        if (face == null) return;
        if (face.type() == null) throw new Failure.InvalidInput(path + ".face.type", "is required (jpg or png)");
        if (face.data() == null || face.data().length == 0) throw new Failure.InvalidInput(path + ".face.data", "is required");
        if (face.data().length > Face.MAX_BYTES) {
            throw new Failure.InvalidInput(path + ".face.data", "must be at most " + Face.MAX_BYTES + " bytes");
        }
        if (Face.sniff(face.data()) != face.type()) {
            throw new Failure.InvalidInput(path + ".face.data", "is not a " + face.type().wire() + " image");
        }
    }

    private static void identity(String path, Identity identity) {
        if (identity == null) throw new Failure.InvalidInput(path, "must be an object");
        requiredText(path + ".provider", identity.provider());
        text(path + ".type", identity.type());
        requiredText(path + ".user_id_in_idp", identity.userIdInIdp());
        text(path + ".ext_idp_id", identity.extIdpId());
    }

    private static void url(String path, String value) {
        text(path, value, 2048);
        try {
            URI uri = new URI(value);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw new Failure.InvalidInput(path, "must be an http or https URL");
            }
        } catch (java.net.URISyntaxException e) {
            throw new Failure.InvalidInput(path, "is not a URL");
        }
    }

    private static void list(String path, List<?> values) {
        if (values != null && values.size() > MAX_LIST) {
            throw new Failure.InvalidInput(path, "must have at most " + MAX_LIST + " entries");
        }
    }

    private static void ids(String path, List<String> values) {
        list(path, values);
        if (values == null) return;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            id(path + "[" + i + "]", values.get(i));
            if (!seen.add(values.get(i))) throw new Failure.InvalidInput(path + "[" + i + "]", "is listed twice");
        }
    }
}
