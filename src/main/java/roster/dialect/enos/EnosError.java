package roster.dialect.enos;

/**
 * Every refusal of the EnOS dialect, with its code, HTTP status and message side by side. Two envelopes: the API
 * gateway answers before the App Portal service sees the call ({"status","msg","business"}); the App Portal
 * service answers {"code","message","data"}.
 */
enum EnosError {
    // the API gateway (apim-token-service and the apim-* signature on every call)
    APP_KEY_UNKNOWN(1002, 401, "The appKey does not exist.", Envelope.GATEWAY),
    ENCRYPTION_INVALID(1003, 401, "The encryption is not valid.", Envelope.GATEWAY),
    GATEWAY_PARAMETER_INVALID(1004, 400, "Invalid parameter.", Envelope.GATEWAY),
    GATEWAY_INTERNAL(1005, 500, "Internal service exception.", Envelope.GATEWAY),
    PARAMETER_EMPTY(1202, 400, "The parameter is empty.", Envelope.GATEWAY),
    ACCESS_TOKEN_EXPIRED(1203, 401, "The access token has expired.", Envelope.GATEWAY),
    // Decision: EnOS documents no code of its own for throttling; the gateway answers it with HTTP 429.
    RATE_LIMITED(429, 429, "Too many requests: the app is over its rate limit.", Envelope.GATEWAY),

    // the App Portal service
    PARAMETER_INVALID(31400, 400, "Invalid parameter.", Envelope.PORTAL),
    USER_TOKEN_INVALID(31401, 401, "The Access Token provided is invalid.", Envelope.PORTAL),
    ADMINISTRATOR_REQUIRED(31403, 403, "Administrator rights required.", Envelope.PORTAL);

    enum Envelope { GATEWAY, PORTAL }

    final int code;
    final int httpStatus;
    final String message;
    final Envelope envelope;

    EnosError(int code, int httpStatus, String message, Envelope envelope) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.message = message;
        this.envelope = envelope;
    }

    /** The refusal, with a detail that tells the caller what exactly was wrong. */
    EnosException because(String detail) {
        return new EnosException(this, detail);
    }

    static final class EnosException extends roster.http.DialectException {
        final EnosError error;

        EnosException(EnosError error, String detail) {
            super(detail == null ? error.message : error.message + " " + detail);
            this.error = error;
        }
    }
}
