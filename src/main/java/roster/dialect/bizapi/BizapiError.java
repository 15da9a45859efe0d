package roster.dialect.bizapi;

/** Every refusal of GET /user/list, with its code (also the HTTP status) and message side by side. */
enum BizapiError {
    BAD_PARAMETER(400, "bad parameter"),
    BAD_TOKEN(401, "invalid accessToken or X-App-Id"),
    ORG_FORBIDDEN(403, "the app may not read this organisation"),
    ORG_NOT_FOUND(404, "organisation not found"),
    RATE_LIMITED(429, "too many requests: the app is over its rate limit"),
    INTERNAL(500, "internal error");

    final int code;
    final String message;

    BizapiError(int code, String message) {
        this.code = code;
        this.message = message;
    }

    BizapiException because(String detail) {
        return new BizapiException(this, detail);
    }

    static final class BizapiException extends roster.http.DialectException {
        final BizapiError error;

        BizapiException(BizapiError error, String detail) {
            super(detail == null ? error.message : error.message + ": " + detail);
            this.error = error;
        }
    }
}
