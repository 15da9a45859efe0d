package roster.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The JSON of the fixture format and the admin API: snake_case, strict on input, nulls left out on output. */
public final class CanonicalJson {

    /** Limits on what one document may hold, so that junk input cannot exhaust the server. */
    public static final int MAX_NESTING = 64;
    public static final int MAX_STRING = 8 * 1024 * 1024;

    public static final ObjectMapper MAPPER = configure(JsonMapper.builder(factory())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)).build();

    private CanonicalJson() {}

    public static JsonFactory factory() {
        JsonFactory factory = new JsonFactory();
        factory.setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING)
                .maxStringLength(MAX_STRING)
                .maxNumberLength(64)
                .build());
        return factory;
    }

    /** Reads a tree as a record; a value of the wrong type or shape fails with its JSON path under base. */
    public static <T> T convert(com.fasterxml.jackson.databind.JsonNode node, Class<T> type, String base) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            throw invalid(base, e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Failure.InvalidInput(base, e.getOriginalMessage());
        }
    }

    /** Turns Jackson's complaint about a value into the JSON path of that value and a short reason. */
    public static Failure.InvalidInput invalid(String base, com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder path = new StringBuilder(base);
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) path.append('.').append(ref.getFieldName());
            else if (ref.getIndex() >= 0) path.append('[').append(ref.getIndex()).append(']');
        }
        return new Failure.InvalidInput(path.toString(), reason(e));
    }

    private static String reason(com.fasterxml.jackson.databind.JsonMappingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
            return "unknown field \"" + u.getPropertyName() + "\"";
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f) {
            if (f.getTargetType() != null && f.getTargetType().isEnum()) {
                return "unknown value " + f.getValue() + "; one of " + enumValues(f.getTargetType());
            }
            return "cannot be read as " + simpleType(f.getTargetType()) + ": " + f.getValue();
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null) {
            return "must be " + simpleType(m.getTargetType());
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = cause instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : cause.getMessage();
        return message == null ? "is invalid" : message.split("\n")[0];
    }

    private static String enumValues(Class<?> type) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Object constant : type.getEnumConstants()) names.add(MAPPER.convertValue(constant, String.class));
        return names.toString();
    }

    private static String simpleType(Class<?> type) {
        if (type == null) return "a valid value";
        if (type == String.class) return "a string";
        if (type == Integer.class || type == int.class) return "a 32-bit integer";
        if (type == Long.class || type == long.class) return "an integer";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (type == java.time.Instant.class) return "an RFC 3339 time";
        if (type == java.time.LocalDate.class) return "a date YYYY-MM-DD";
        if (java.util.Collection.class.isAssignableFrom(type)) return "an array";
        if (type == byte[].class) return "base64 data";
        if (type.isRecord() || com.fasterxml.jackson.databind.JsonNode.class.isAssignableFrom(type)) return "an object";
        return "a " + type.getSimpleName();
    }

    public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        return builder
                .addModule(new JavaTimeModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .serializationInclusion(JsonInclude.Include.NON_NULL);
    }
}
