package roster.scim;

import roster.http.DialectException;

/** A refusal in SCIM's own terms (RFC 7644 §3.12): the HTTP status and, for a 400, the scimType that says why. */
final class ScimError extends DialectException {

    final int status;
    final String scimType;

    ScimError(int status, String scimType, String detail) {
        super(detail);
        this.status = status;
        this.scimType = scimType;
    }

    static ScimError invalidFilter(String detail) {
        return new ScimError(400, "invalidFilter", detail);
    }

    static ScimError invalidPath(String detail) {
        return new ScimError(400, "invalidPath", detail);
    }

    static ScimError invalidValue(String detail) {
        return new ScimError(400, "invalidValue", detail);
    }

    static ScimError invalidSyntax(String detail) {
        return new ScimError(400, "invalidSyntax", detail);
    }

    static ScimError mutability(String detail) {
        return new ScimError(400, "mutability", detail);
    }

    static ScimError noTarget(String detail) {
        return new ScimError(400, "noTarget", detail);
    }

    static ScimError notFound(String detail) {
        return new ScimError(404, null, detail);
    }

    static ScimError preconditionFailed() {
        return new ScimError(412, null, "the resource has changed: its version no longer matches If-Match");
    }
}
