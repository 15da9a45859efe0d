package roster.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jdbi.v3.core.statement.Query;

/** A SELECT on the users table u assembled from parts, its positional arguments kept in order beside the text. */
final class Sql {
    private final List<String> ctes = new ArrayList<>();
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> cteArgs = new ArrayList<>();
    private final List<Object> whereArgs = new ArrayList<>();

    void cte(String text, List<Object> args) {
        ctes.add(text);
        cteArgs.addAll(args);
    }

    Sql where(String condition, Object... args) {
        conditions.add(condition);
        whereArgs.addAll(List.of(args));
        return this;
    }

    void whereArgs(List<Object> args) {
        whereArgs.addAll(args);
    }

    int argCount() {
        return cteArgs.size() + whereArgs.size();
    }

    /** "?, ?, ?" for n values. */
    static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    Query select(Tx tx, String columns, String tail, Object... tailArgs) {
        return query(tx, "", columns, tail, tailArgs);
    }

    /** The database's plan for the select above, one row per line (tests check that filters use their index). */
    List<String> plan(Tx tx, String columns, String tail, Object... tailArgs) {
        boolean sqlite = tx.kind == Database.Kind.SQLITE;
        return query(tx, sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ", columns, tail, tailArgs)
                .map((rs, ctx) -> rs.getString(sqlite ? 4 : 1)).list();
    }

    private Query query(Tx tx, String prefix, String columns, String tail, Object... tailArgs) {
        StringBuilder text = new StringBuilder(prefix);
        if (!ctes.isEmpty()) text.append("WITH RECURSIVE ").append(String.join(", ", ctes)).append(' ');
        text.append("SELECT ").append(columns).append(" FROM users u WHERE ").append(String.join(" AND ", conditions));
        text.append(' ').append(tail);
        Query query = tx.h.createQuery(text.toString());
        int i = 0;
        for (Object arg : cteArgs) query.bind(i++, arg);
        for (Object arg : whereArgs) query.bind(i++, arg);
        for (Object arg : tailArgs) query.bind(i++, arg);
        return query;
    }
}
