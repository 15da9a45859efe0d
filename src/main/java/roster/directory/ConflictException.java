package roster.directory;

/** The input is well formed but clashes with the directory: a duplicate id, username or email, a changed num. */
public class ConflictException extends InvalidInputException {
    public ConflictException(String path, String message) {
        super(path, message);
    }
}
