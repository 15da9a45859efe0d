package roster.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import roster.model.CanonicalJson;

/** Columns that hold JSON (lists, custom data, visibility): read and written with the canonical mapper; null stays null. */
final class JsonColumns {

    static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private JsonColumns() {}

    static <T> T read(String json, TypeReference<T> type) {
        if (json == null) return null;
        try {
            return CanonicalJson.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column", e);
        }
    }

    static ObjectNode readObject(String json) {
        if (json == null) return null;
        try {
            return (ObjectNode) CanonicalJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column", e);
        }
    }

    static String write(Object value) {
        if (value == null) return null;
        try {
            return CanonicalJson.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
