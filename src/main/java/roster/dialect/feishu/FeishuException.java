package roster.dialect.feishu;

import java.util.List;
import roster.http.DialectException;

/** A refusal in Feishu's terms: the code, and the violations its error object lists. */
final class FeishuException extends DialectException {

    /** One entry of error.field_violations. */
    record FieldViolation(String field, String value, String description) {}

    /** One entry of error.permission_violations. */
    record PermissionViolation(String type, String subject, String description) {}

    final FeishuError error;
    final String message;
    final List<FieldViolation> fieldViolations;
    final List<PermissionViolation> permissionViolations;

    private FeishuException(FeishuError error, String message, List<FieldViolation> fields, List<PermissionViolation> permissions) {
        super(message);
        this.error = error;
        this.message = message;
        this.fieldViolations = fields;
        this.permissionViolations = permissions;
    }

    static FeishuException of(FeishuError error) {
        return new FeishuException(error, error.message, List.of(), List.of());
    }

    /** The directory cannot answer now (busy, unreachable, a query over the timeout): the reason is the message. */
    static FeishuException unavailable(String reason) {
        return new FeishuException(FeishuError.UNAVAILABLE, reason, List.of(), List.of());
    }

    static FeishuException field(String field, String value, String description) {
        return new FeishuException(FeishuError.FIELD_VALIDATION, FeishuError.FIELD_VALIDATION.message,
                List.of(new FieldViolation(field, value, description)), List.of());
    }

    static FeishuException scopeMissing(String scope) {
        return new FeishuException(FeishuError.SCOPE_MISSING, String.format(FeishuError.SCOPE_MISSING.message, scope), List.of(),
                List.of(new PermissionViolation("action_scope_required", scope, "the app has not been granted the scope " + scope)));
    }
}
