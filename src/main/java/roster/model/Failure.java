package roster.model;

/**
 * Every refusal the core can give, one sealed family. A front end maps it with one exhaustive switch over
 * {@link #kind()} into its own codes; messages are written for the caller and never hold a secret.
 */
public abstract sealed class Failure extends RuntimeException
        permits Failure.InvalidInput, Failure.Conflict, Failure.NotFound, Failure.Unauthorized, Failure.Forbidden,
                Failure.RateLimited, Failure.InvalidCursor, Failure.Busy, Failure.Refused, Failure.Internal {

    public enum Kind { INVALID_INPUT, CONFLICT, NOT_FOUND, UNAUTHORIZED, FORBIDDEN, RATE_LIMITED, INVALID_CURSOR, BUSY, REFUSED, INTERNAL }

    /** What a lookup did not find. */
    public enum Subject { TENANT, USER, DEPARTMENT, ACCESS_GROUP, APP, ENDPOINT, WEBHOOK }

    private Failure(String message, Throwable cause) {
        // refusals are answers, not faults: no stack trace is recorded (an internal failure keeps its cause's)
        super(message, cause, false, cause != null);
    }

    public abstract Kind kind();

    /** The JSON path (or parameter) of the offending value, where the failure names one; null otherwise. */
    public String path() {
        return null;
    }

    /** The failure an exception stands for: itself when it is one, else an internal failure around it. */
    public static Failure of(Throwable e) {
        return e instanceof Failure f ? f : new Internal(e);
    }

    /** Input refused before anything was written; path is the JSON path (or parameter) of the offending value. */
    public static final class InvalidInput extends Failure {
        private final String path;
        private final String reason;

        public InvalidInput(String path, String reason) {
            super(path + ": " + reason, null);
            this.path = path;
            this.reason = reason;
        }

        @Override public String path() { return path; }
        public String reason() { return reason; }
        @Override public Kind kind() { return Kind.INVALID_INPUT; }
    }

    /** Well-formed input that clashes with the directory: a duplicate id, username or email, a changed num. */
    public static final class Conflict extends Failure {
        private final String path;
        private final String reason;

        public Conflict(String path, String reason) {
            super(path + ": " + reason, null);
            this.path = path;
            this.reason = reason;
        }

        @Override public String path() { return path; }
        public String reason() { return reason; }
        @Override public Kind kind() { return Kind.CONFLICT; }
    }

    public static final class NotFound extends Failure {
        private final Subject subject;
        private final String id;

        public NotFound(Subject subject, String id) {
            super(subject.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " not found: " + id, null);
            this.subject = subject;
            this.id = id;
        }

        public Subject subject() { return subject; }
        public String id() { return id; }
        @Override public Kind kind() { return Kind.NOT_FOUND; }
    }

    /** Credentials missing, malformed, expired or revoked. */
    public static final class Unauthorized extends Failure {
        public Unauthorized(String message) { super(message, null); }
        @Override public Kind kind() { return Kind.UNAUTHORIZED; }
    }

    /** A known caller without the right: scope names the scope it lacks, when that is the reason. */
    public static final class Forbidden extends Failure {
        private final String scope;

        public Forbidden(String scope, String message) {
            super(message, null);
            this.scope = scope;
        }

        public static Forbidden missingScope(String scope) {
            return new Forbidden(scope, "the app lacks the scope " + scope);
        }

        public String scope() { return scope; }
        @Override public Kind kind() { return Kind.FORBIDDEN; }
    }

    /** A call over the app's rate limit: the limit, and the whole seconds until calls are admitted again. */
    public static final class RateLimited extends Failure {
        private final int limit;
        private final long resetSeconds;

        public RateLimited(int limit, long resetSeconds) {
            super("rate limit exceeded: at most " + limit + " requests per second per app", null);
            this.limit = limit;
            this.resetSeconds = resetSeconds;
        }

        public int limit() { return limit; }
        public long resetSeconds() { return resetSeconds; }
        @Override public Kind kind() { return Kind.RATE_LIMITED; }
    }

    /** A page token or cursor that is forged, altered, or was issued to another app or query. */
    public static final class InvalidCursor extends Failure {
        public InvalidCursor() { super("page token is invalid", null); }
        @Override public Kind kind() { return Kind.INVALID_CURSOR; }
    }

    /** The database stayed busy or out of reach past its wait: the caller may retry after retryAfterSeconds. */
    public static final class Busy extends Failure {
        public static final int RETRY_AFTER_SECONDS = 2;

        public Busy(String message) { super(message, null); }
        public int retryAfterSeconds() { return RETRY_AFTER_SECONDS; }
        @Override public Kind kind() { return Kind.BUSY; }
    }

    /**
     * A request refused by the HTTP layer before any front end read it: an unknown route or method, a body over
     * the limit, a malformed body encoding. status is the HTTP status that says why.
     */
    public static final class Refused extends Failure {
        private final int status;

        public Refused(int status, String message) {
            super(message, null);
            this.status = status;
        }

        public int status() { return status; }
        @Override public Kind kind() { return Kind.REFUSED; }
    }

    /** A fault of Roster itself. Its message is never shown to a caller; the cause is logged. */
    public static final class Internal extends Failure {
        private final String fault;

        public Internal(Throwable cause) {
            super("internal error", cause);
            this.fault = null;
        }

        private Internal(String fault) {
            super("internal error", null);
            this.fault = fault;
        }

        /**
         * A fault already described without its data, e.g. a database error as its classes and SQL states: the
         * driver's message and stack can quote SQL and bound values (password hashes, personal data), so they
         * are dropped where the error is caught and only this description is logged.
         */
        public static Internal described(String fault) { return new Internal(fault); }

        /** The description of a fault given by {@link #described}, null for one that carries its cause. */
        public String fault() { return fault; }
        @Override public Kind kind() { return Kind.INTERNAL; }
    }
}
