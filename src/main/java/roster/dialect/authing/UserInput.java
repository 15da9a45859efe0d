package roster.dialect.authing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import roster.directory.Directory;
import roster.model.Identity;
import roster.model.User;

/**
 * The fields of create-user and update-user (the SDK's CreateUserReqDto and UpdateUserReqDto) set on a canonical
 * user: every field present is set, a null clears it. Fields the canonical user does not hold (company, givenName,
 * website, locale, …) are accepted and not kept.
 */
final class UserInput {

    private UserInput() {}

    /**
     * The user with the fields present in an Authing body set; identities only on create, as Authing does, and
     * customData merged into what is stored (RFC 7396: a key set to null removes it).
     */
    static User.Builder apply(JsonNode body, User current, boolean create) {
        User.Builder user = current.with();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = e.getKey();
            JsonNode v = e.getValue();
            switch (field) {
                case "email" -> user.email(text(v, field));
                case "phone" -> user.phone(text(v, field));
                case "username" -> user.username(text(v, field));
                case "name" -> user.name(text(v, field));
                case "nickname" -> user.nickname(text(v, field));
                case "country" -> user.country(text(v, field));
                case "province" -> user.province(text(v, field));
                case "city" -> user.city(text(v, field));
                case "address" -> user.address(text(v, field));
                case "password" -> user.password(text(v, field));
                case "phoneCountryCode" -> user.phoneCountryCode(text(v, field));
                case "externalId" -> user.externalId(text(v, field));
                case "photo" -> user.avatar(text(v, field));
                case "streetAddress" -> user.streetAddress(text(v, field));
                case "postalCode" -> user.postalCode(text(v, field));
                case "emailVerified" -> user.emailVerified(AuthingRequests.bool(v, field));
                case "phoneVerified" -> user.phoneVerified(AuthingRequests.bool(v, field));
                case "status" -> user.status(v.isNull() ? null : UserDto.status(text(v, field), field));
                case "gender" -> user.gender(v.isNull() ? null : UserDto.gender(text(v, field), field));
                case "birthdate" -> user.birthdate(date(text(v, field)));
                case "departmentIds" -> user.departments(strings(v, field));
                case "customData" -> {
                    if (!v.isNull() && !v.isObject()) throw AuthingError.BAD_REQUEST.refuse("customData must be an object");
                    user.customData(v.isNull() ? null : current.customData() == null ? (ObjectNode) v
                            : Directory.mergePatch(current.customData(), (ObjectNode) v));
                }
                case "identities" -> {
                    if (create) user.identities(identities(v));
                }
                default -> {
                    // a field of Authing's user the canonical model does not keep, or userId/options
                }
            }
        }
        return user;
    }

    private static String text(JsonNode v, String field) {
        return AuthingRequests.text(v, field);
    }

    private static LocalDate date(String text) {
        if (text == null) return null;
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw AuthingError.BAD_REQUEST.refuse("birthdate must be a date YYYY-MM-DD");
        }
    }

    private static List<String> strings(JsonNode v, String field) {
        if (v.isNull()) return null;
        if (!v.isArray()) throw AuthingError.BAD_REQUEST.refuse(field + " must be an array of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) throw AuthingError.BAD_REQUEST.refuse(field + " must be an array of strings");
            out.add(item.textValue());
        }
        return out;
    }

    private static List<Identity> identities(JsonNode v) {
        if (v.isNull()) return null;
        if (!v.isArray()) throw AuthingError.BAD_REQUEST.refuse("identities must be an array");
        List<Identity> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String path = "identities[" + i + "]";
            if (!item.isObject()) throw AuthingError.BAD_REQUEST.refuse(path + " must be an object");
            out.add(new Identity(AuthingRequests.text(item.get("provider"), path + ".provider"),
                    AuthingRequests.text(item.get("type"), path + ".type"),
                    AuthingRequests.text(item.get("userIdInIdp"), path + ".userIdInIdp"),
                    AuthingRequests.text(item.get("extIdpId"), path + ".extIdpId")));
        }
        return out;
    }
}
