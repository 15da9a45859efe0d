package roster;

/**
 * Counts of the concurrency tests. By default they keep each test to seconds; -Droster.stress=true (passed on by
 * Maven to the tests) multiplies them for a run by hand: mvn -B test -Droster.stress=true -Dtest='...'.
 */
public final class Stress {

    public static final boolean ON = Boolean.getBoolean("roster.stress");
    public static final int FACTOR = Integer.getInteger("roster.stress.factor", ON ? 20 : 1);

    private Stress() {}

    public static int scale(int count) {
        return count * FACTOR;
    }
}
