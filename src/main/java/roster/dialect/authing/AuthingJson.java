package roster.dialect.authing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import roster.model.CanonicalJson;

/** Authing's wire JSON: camelCase names as the records spell them, absent values left out. */
final class AuthingJson {

    static final ObjectMapper MAPPER = JsonMapper.builder(CanonicalJson.factory())
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private AuthingJson() {}
}
