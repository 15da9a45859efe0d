package roster.query;

import roster.model.Failure;
import roster.model.UserFilter;

/**
 * How large a filter may be, whatever front end it came from. Without a bound, one caller's filter could take
 * seconds of every reader (900 substring conditions over a large tenant), or fail in the database itself (SQLite's
 * expression-depth limit, PostgreSQL's limit of bound parameters) as a 500. A larger filter is refused as bad
 * input before any SQL is written, which each front end answers with its own error.
 */
public final class FilterLimits {

    /** Conditions (comparisons, substrings, memberships), however they are combined. */
    public static final int MAX_CONDITIONS = 200;
    /** Values across the whole filter: every entry of an IN list, every department, every substring part. */
    public static final int MAX_VALUES = 10_000;
    /** Nesting of and, or and not. */
    public static final int MAX_DEPTH = 16;

    private int conditions;
    private int values;

    private FilterLimits() {}

    /** Refuses a filter over any of the limits (Failure.InvalidInput on "filter"). */
    public static void check(UserFilter filter) {
        FilterLimits count = new FilterLimits();
        count.walk(filter, 0);
        if (count.conditions > MAX_CONDITIONS) {
            throw new Failure.InvalidInput("filter", "has " + count.conditions + " conditions; at most " + MAX_CONDITIONS + " are allowed");
        }
        if (count.values > MAX_VALUES) {
            throw new Failure.InvalidInput("filter", "has " + count.values + " values; at most " + MAX_VALUES + " are allowed");
        }
    }

    private void walk(UserFilter f, int depth) {
        if (depth > MAX_DEPTH) throw new Failure.InvalidInput("filter", "is nested deeper than " + MAX_DEPTH + " levels");
        if (f instanceof UserFilter.All) return;
        if (f instanceof UserFilter.And and) and.all().forEach(p -> walk(p, depth + 1));
        else if (f instanceof UserFilter.Or or) or.any().forEach(p -> walk(p, depth + 1));
        else if (f instanceof UserFilter.Not not) walk(not.filter(), depth + 1);
        else if (f instanceof UserFilter.In in) leaf(in.values().size());
        else if (f instanceof UserFilter.InDepartments d) leaf(d.departments().size());
        else if (f instanceof UserFilter.Substring s) leaf(s.middle().size() + 2);
        else leaf(1);
    }

    private void leaf(int valueCount) {
        conditions++;
        values += valueCount;
    }
}
