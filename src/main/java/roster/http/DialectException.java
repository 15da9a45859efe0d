package roster.http;

/** Base of each dialect's own errors: a refusal with the dialect's code, answered without a stack trace. */
public class DialectException extends RuntimeException {
    public DialectException(String message) {
        super(message);
    }
}
