package roster.dialect.bizapi;

/** Every refusal of GET /user/list, with its code (also the HTTP status) and message side by side. */
enum BizapiError {
    BAD_PARAMETER(400, "bad parameter"),
    BAD_TOKEN(401, "invalid accessToken or X-App-Id"),
    ORG_FORBIDDEN(403, "the app may not read this organisation"),
    ORG_NOT_FOUND(404, "organisation not found"),
    RATE_LIMITED(429, "too many requests: the app is over its rate limit"),
    INTERNAL(500, "internal error"),
    // Decision: not documented by the vendor; the database stayed busy (e.g. during a load): retry later.
    UNAVAILABLE(503, "the directory is busy, retry shortly"),
    // a refusal of the HTTP layer (no such route, wrong method, body too large), answered with its own status
    REFUSED(400, "the request was refused");

    final int code;
    final String message;

    BizapiError(int code, String message) {
        this.code = code;
        this.message = message;
    }

    BizapiException because(String detail) {
        return new BizapiException(this, error(detail), code);
    }

    /** A refusal whose HTTP status and code is the given one, not this error's. */
    BizapiException status(int status, String message) {
        return new BizapiException(this, message, status);
    }

    private String error(String detail) {
        return detail == null ? message : message + ": " + detail;
    }

    static final class BizapiException extends roster.http.DialectException {
        final BizapiError error;
        private final int status;

        BizapiException(BizapiError error, String message, int status) {
            super(message);
            this.error = error;
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
