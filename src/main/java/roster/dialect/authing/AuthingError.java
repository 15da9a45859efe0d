package roster.dialect.authing;

import roster.http.DialectException;

/**
 * Authing's outcomes. Every answer is HTTP 200; the outcome travels in the body's statusCode, with an apiCode
 * where Authing names the business error.
 */
enum AuthingError {
    BAD_REQUEST(400, null, "invalid argument"),
    UNAUTHORIZED(401, null, "unauthorized: send the management token in Authorization, or sign the request"),
    BAD_CREDENTIALS(401, null, "accessKeyId or accessKeySecret is wrong"),
    FORBIDDEN(403, null, "this access key lacks the scope authing:management"),
    READ_ONLY(403, null, "this access key sees part of the user pool and may only read it"),
    NO_SUCH_API(404, null, "no such API"),
    USER_NOT_FOUND(404, 2004, "user not found"),
    CONFLICT(409, null, "conflict"),
    TOO_MANY_REQUESTS(429, null, "too many requests: the access key is over its rate limit"),
    INTERNAL(500, null, "internal error"),
    UNAVAILABLE(503, null, "the directory is busy, retry shortly");

    final int statusCode;
    final Integer apiCode;
    final String message;

    AuthingError(int statusCode, Integer apiCode, String message) {
        this.statusCode = statusCode;
        this.apiCode = apiCode;
        this.message = message;
    }

    Refusal refuse() {
        return new Refusal(this, message);
    }

    Refusal refuse(String detail) {
        return new Refusal(this, detail);
    }

    /** A call refused with one of Authing's outcomes. */
    static final class Refusal extends DialectException {
        final AuthingError error;

        Refusal(AuthingError error, String message) {
            super(message);
            this.error = error;
        }
    }
}
