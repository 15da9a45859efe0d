package roster.directory;

/** Input refused before anything was written; path is the JSON path of the first offending value. */
public class InvalidInputException extends RuntimeException {
    private final String path;

    public InvalidInputException(String path, String message) {
        super(path + ": " + message);
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** The message without the path, for envelopes that carry the field separately. */
    public String reason() {
        return getMessage().substring(path.length() + 2);
    }
}
