package roster.dialect.bizapi;

/** The refusals of the token endpoint, as RFC 6749 §5.2 names them, with the HTTP status of each. */
enum OAuthError {
    INVALID_REQUEST("invalid_request", 400),
    INVALID_CLIENT("invalid_client", 401),
    UNAUTHORIZED_CLIENT("unauthorized_client", 400),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
    // Decision: RFC 6749 names no throttling error; slow_down is the one OAuth registers for it (RFC 8628 §3.5).
    SLOW_DOWN("slow_down", 429);

    final String code;
    final int httpStatus;

    OAuthError(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    OAuthException because(String description) {
        return new OAuthException(this, description);
    }

    static final class OAuthException extends roster.http.DialectException {
        final OAuthError error;

        OAuthException(OAuthError error, String description) {
            super(description);
            this.error = error;
        }
    }
}
