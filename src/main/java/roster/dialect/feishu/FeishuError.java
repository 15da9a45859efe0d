package roster.dialect.feishu;

/**
 * Every code this dialect answers with, its HTTP status and message side by side (dialects.md, feishu). The
 * token endpoint answers its failures with HTTP 200, as Feishu does; the SDKs read the code, not the status.
 */
public enum FeishuError {
    INVALID_PARAM(10003, 200, "invalid param"),
    APP_SECRET_INVALID(10014, 200, "app secret invalid"),
    MISSING_ACCESS_TOKEN(99991661, 400, "Missing access token for authorization. Please make a request with token attached."),
    INVALID_ACCESS_TOKEN(99991663, 400, "Invalid access token for authorization. Please make a request with token attached."),
    SCOPE_MISSING(99991672, 400, "Access denied. One of the following scopes is required: [%s]."),
    FIELD_VALIDATION(99992402, 400, "field validation failed"),
    RATE_LIMITED(99991400, 429, "request trigger frequency limit"),
    PAGE_TOKEN_INVALID(1490018, 400, "page token is invalid error"),
    USER_NOT_FOUND(1490101, 400, "user not found"),
    // Decision: Feishu documents no code for a user without a face image; the download must fail with a
    // non-2xx status (every SDK takes a 2xx body as the image), so it is "user not found" with 404.
    FACE_NOT_FOUND(1490101, 404, "user face not found"),
    // Decision: not documented by Feishu; only for failures of Roster itself, never for bad input.
    INTERNAL(1490002, 500, "internal error"),
    // Decision: not documented by Feishu either; the database stayed busy (e.g. during a load): retry later.
    UNAVAILABLE(1490002, 503, "the directory is busy, retry shortly");

    final int code;
    final int status;
    final String message;

    FeishuError(int code, int status, String message) {
        this.code = code;
        this.status = status;
        this.message = message;
    }
}
