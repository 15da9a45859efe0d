package roster.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The users an app may see: everyone ("all"), or the members of some departments (each with its whole
 * subtree) plus some named users.
 */
public record VisibleTo(boolean all, List<String> departments, List<String> users) {

    public static final VisibleTo ALL = new VisibleTo(true, List.of(), List.of());

    @JsonCreator
    public static VisibleTo fromJson(JsonNode node) {
        if (node == null || node.isNull()) return ALL;
        if (node.isTextual() && node.textValue().equals("all")) return ALL;
        if (!node.isObject()) throw new IllegalArgumentException("must be \"all\" or {\"departments\":[…],\"users\":[…]}");
        node.fieldNames().forEachRemaining(name -> {
            if (!name.equals("departments") && !name.equals("users")) {
                throw new IllegalArgumentException("unknown field \"" + name + "\"");
            }
        });
        return new VisibleTo(false, strings(node.get("departments"), "departments"), strings(node.get("users"), "users"));
    }

    private static List<String> strings(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) return out;
        if (!node.isArray()) throw new IllegalArgumentException(field + " must be an array of ids");
        for (JsonNode item : node) {
            if (!item.isTextual()) throw new IllegalArgumentException(field + " must be an array of ids");
            out.add(item.textValue());
        }
        return out;
    }

    @JsonValue
    public Object toJson() {
        return all ? "all" : Map.of("departments", departments, "users", users);
    }
}
