package roster.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** A SELECT assembled from parts, with its positional arguments kept in order beside the text. */
final class Sql {
    private final List<String> ctes = new ArrayList<>();
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> cteArgs = new ArrayList<>();
    private final List<Object> whereArgs = new ArrayList<>();

    Sql cte(String text, Object... args) {
        ctes.add(text);
        cteArgs.addAll(List.of(args));
        return this;
    }

    Sql where(String condition, Object... args) {
        conditions.add(condition);
        whereArgs.addAll(List.of(args));
        return this;
    }

    /** "?, ?, ?" for a list, with the values added as arguments of the next condition. */
    static String placeholders(Collection<?> values) {
        return String.join(", ", java.util.Collections.nCopies(values.size(), "?"));
    }

    Query select(Handle h, String columns, String tail, Object... tailArgs) {
        StringBuilder text = new StringBuilder();
        if (!ctes.isEmpty()) text.append("WITH RECURSIVE ").append(String.join(", ", ctes)).append(' ');
        text.append("SELECT ").append(columns).append(" FROM users u WHERE ").append(String.join(" AND ", conditions));
        text.append(' ').append(tail);
        Query query = h.createQuery(text.toString());
        int i = 0;
        for (Object arg : cteArgs) query.bind(i++, arg);
        for (Object arg : whereArgs) query.bind(i++, arg);
        for (Object arg : tailArgs) query.bind(i++, arg);
        return query;
    }
}
