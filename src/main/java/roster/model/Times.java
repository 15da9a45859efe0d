package roster.model;

import java.time.Instant;

/**
 * The times a request may name: the years 1 to 9999 of RFC 3339. The directory keeps times as epoch
 * milliseconds, which hold no more than about 292 million years either way, so a wire time outside this range
 * (an Authing timestamp of -10^17, a "+999999999-12-31" date) is bad input, never an overflow.
 */
public final class Times {

    public static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999Z");

    private Times() {}

    /** The time in epoch milliseconds, or a refusal of the value at path. */
    public static long millis(Instant time, String path) {
        if (time.isBefore(FIRST) || time.isAfter(LAST)) {
            throw new Failure.InvalidInput(path, "must be a time from the year 1 to 9999");
        }
        return time.toEpochMilli();
    }
}
