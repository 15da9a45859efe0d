package roster.crypto;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Password hashing with bcrypt: slow, salted, and verifiable by any bcrypt implementation. */
public final class Passwords {

    /** 2^10 rounds: about 60 ms per hash on this class of machine, the usual balance for interactive sign-in. */
    private static final int COST = 10;
    private static final Pattern HASH = Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");

    /** bcrypt reads at most 72 bytes; longer passwords are refused when set and never match when presented. */
    public static final int MAX_BYTES = 72;

    private Passwords() {}

    public static boolean tooLong(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES;
    }

    public static String hash(String password) {
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    public static boolean verify(String password, String hash) {
        if (password == null || hash == null || tooLong(password)) return false;
        return BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    /**
     * A hash that costs what a stored one costs to check and that no password is known to match: checked when an
     * account does not exist, so that the answer takes as long as for one that does. Made when first needed rather
     * than at start (a hash is 60 ms of CPU).
     */
    public static String standIn() {
        return StandIn.HASH;
    }

    private static final class StandIn {
        static final String HASH = hash(Keys.randomToken(24));
    }

    public static boolean isHash(String value) {
        return value != null && HASH.matcher(value).matches();
    }
}
