package roster.dialect.authing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import roster.directory.CanonicalJson;

/**
 * The fields of create-user and update-user (the SDK's CreateUserReqDto and UpdateUserReqDto) in canonical
 * names: a whole user for create, a JSON merge patch for update. Fields the canonical user does not hold
 * (company, givenName, website, locale, …) are accepted and not kept.
 */
final class UserInput {

    private UserInput() {}

    /** The canonical JSON of the fields present in an Authing body; a null clears the field on update. */
    static ObjectNode canonical(JsonNode body, boolean create) {
        ObjectNode out = CanonicalJson.MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = e.getKey();
            JsonNode v = e.getValue();
            switch (field) {
                case "email", "phone", "username", "name", "nickname", "country", "province", "city", "address", "password" ->
                        out.set(field, text(v, field));
                case "phoneCountryCode" -> out.set("phone_country_code", text(v, field));
                case "externalId" -> out.set("external_id", text(v, field));
                case "photo" -> out.set("avatar", text(v, field));
                case "streetAddress" -> out.set("street_address", text(v, field));
                case "postalCode" -> out.set("postal_code", text(v, field));
                case "emailVerified" -> out.set("email_verified", bool(v, field));
                case "phoneVerified" -> out.set("phone_verified", bool(v, field));
                case "status" -> out.set("status", v.isNull() ? v
                        : CanonicalJson.MAPPER.valueToTree(UserDto.status(AuthingRequests.text(v, field), field)));
                case "gender" -> out.set("gender", v.isNull() ? v
                        : CanonicalJson.MAPPER.valueToTree(UserDto.gender(AuthingRequests.text(v, field), field)));
                case "birthdate" -> {
                    String date = AuthingRequests.text(v, field);
                    if (date != null) {
                        try {
                            LocalDate.parse(date);
                        } catch (DateTimeParseException ex) {
                            throw AuthingError.BAD_REQUEST.refuse("birthdate must be a date YYYY-MM-DD");
                        }
                    }
                    out.set("birthdate", v);
                }
                case "departmentIds" -> out.set("departments", strings(v, field));
                case "customData" -> {
                    if (!v.isNull() && !v.isObject()) throw AuthingError.BAD_REQUEST.refuse("customData must be an object");
                    out.set("custom_data", v);
                }
                case "identities" -> {
                    if (!create) break;
                    out.set("identities", identities(v));
                }
                default -> {
                    // a field of Authing's user the canonical model does not keep, or userId/options
                }
            }
        }
        return out;
    }

    private static JsonNode text(JsonNode v, String field) {
        AuthingRequests.text(v, field);
        return v;
    }

    private static JsonNode bool(JsonNode v, String field) {
        AuthingRequests.bool(v, field);
        return v;
    }

    private static JsonNode strings(JsonNode v, String field) {
        if (v.isNull()) return v;
        if (!v.isArray()) throw AuthingError.BAD_REQUEST.refuse(field + " must be an array of strings");
        for (JsonNode item : v) {
            if (!item.isTextual()) throw AuthingError.BAD_REQUEST.refuse(field + " must be an array of strings");
        }
        return v;
    }

    private static JsonNode identities(JsonNode v) {
        if (v.isNull()) return v;
        if (!v.isArray()) throw AuthingError.BAD_REQUEST.refuse("identities must be an array");
        ArrayNode out = CanonicalJson.MAPPER.createArrayNode();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String path = "identities[" + i + "]";
            if (!item.isObject()) throw AuthingError.BAD_REQUEST.refuse(path + " must be an object");
            ObjectNode identity = out.addObject();
            identity.put("provider", AuthingRequests.text(item.get("provider"), path + ".provider"));
            identity.put("type", AuthingRequests.text(item.get("type"), path + ".type"));
            identity.put("user_id_in_idp", AuthingRequests.text(item.get("userIdInIdp"), path + ".userIdInIdp"));
            identity.put("ext_idp_id", AuthingRequests.text(item.get("extIdpId"), path + ".extIdpId"));
        }
        return out;
    }
}
