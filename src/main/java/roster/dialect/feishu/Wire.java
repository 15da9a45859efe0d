package roster.dialect.feishu;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.List;

/** Feishu's envelopes and the mapper of its wire (snake_case, absent rather than null). */
final class Wire {

    static final ObjectMapper MAPPER = new ObjectMapper(roster.model.CanonicalJson.factory()) // its nesting and size limits
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Sent on every JSON answer: the Go SDK refuses a JSON body under any other content type. */
    static final String JSON = "application/json; charset=utf-8";

    private Wire() {}

    /** {"code","msg","data"} on success; {"code","msg","error"} on failure. */
    record Envelope(int code, String msg, Object data, ErrorBody error) {
        static Envelope success(Object data) {
            return new Envelope(0, "success", data, null);
        }
    }

    record ErrorBody(String logId, String troubleshooter, List<FeishuException.FieldViolation> fieldViolations,
                     List<FeishuException.PermissionViolation> permissionViolations) {}

    /** The token endpoint's answer is flat, not under data. */
    record TenantAccessToken(int code, String msg, String tenantAccessToken, long expire) {}

    /** data of GET /acs/v1/users; page_token is absent on the last page (the Go SDK's iterator stops on that). */
    record UserPage(List<AcsUser> items, String pageToken, boolean hasMore) {}

    /** data of GET /acs/v1/users/:user_id. */
    record UserData(AcsUser user) {}

    /** data of PATCH and PUT: {}. */
    record Empty() {}
}
