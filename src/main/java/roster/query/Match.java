package roster.query;

import java.util.List;

/**
 * A condition on user fields beyond tenant, scope and status: "email IN (…)", "updated_at BETWEEN …", or a
 * keyword search across several fields (CONTAINS on each, any one matching). Text comparisons are exact,
 * CONTAINS ignores case; time fields take epoch milliseconds.
 */
public record Match(List<Field> fields, Op op, List<Object> values) {

    public enum Field {
        ID("u.id", false), USERNAME("u.username", false), NAME("u.name", false), NICKNAME("u.nickname", false),
        EMAIL("u.email", false), PHONE("u.phone", false), EXTERNAL_ID("u.external_id", false),
        CREATED_AT("u.created_at", true), UPDATED_AT("u.updated_at", true), STATUS_CHANGED_AT("u.status_changed_at", true);

        final String column;
        public final boolean time;

        Field(String column, boolean time) {
            this.column = column;
            this.time = time;
        }
    }

    public enum Op { EQUAL, NOT_EQUAL, IN, CONTAINS, NOT_CONTAINS, IS_NULL, NOT_NULL, GREATER, LESSER, BETWEEN }

    public Match {
        fields = List.copyOf(fields);
        values = List.copyOf(values);
        if (fields.isEmpty()) throw new IllegalArgumentException("a match needs a field");
        int needed = switch (op) {
            case IS_NULL, NOT_NULL -> 0;
            case BETWEEN -> 2;
            case IN -> -1;
            default -> 1;
        };
        if (needed >= 0 && values.size() != needed) throw new IllegalArgumentException(op + " takes " + needed + " value(s)");
    }

    public static Match of(Field field, Op op, Object... values) {
        return new Match(List.of(field), op, List.of(values));
    }

    /** Users with the text in any of the fields, ignoring case. */
    public static Match keywords(String text, Field... fields) {
        return new Match(List.of(fields), Op.CONTAINS, List.of(text));
    }

    /** The condition as SQL on the users table u, its arguments added to args. */
    String sql(List<Object> args) {
        List<String> each = new java.util.ArrayList<>();
        for (Field f : fields) each.add(one(f, args));
        return each.size() == 1 ? each.get(0) : "(" + String.join(" OR ", each) + ")";
    }

    private String one(Field f, List<Object> args) {
        String c = f.column;
        switch (op) {
            case EQUAL -> { args.add(values.get(0)); return c + " = ?"; }
            case NOT_EQUAL -> { args.add(values.get(0)); return "(" + c + " IS NULL OR " + c + " <> ?)"; }
            case IN -> {
                if (values.isEmpty()) return "1 = 0";
                args.addAll(values);
                return c + " IN (" + Sql.placeholders(values) + ")";
            }
            case CONTAINS -> { args.add(pattern()); return "LOWER(" + c + ") LIKE ? ESCAPE '!'"; }
            case NOT_CONTAINS -> { args.add(pattern()); return "(" + c + " IS NULL OR NOT (LOWER(" + c + ") LIKE ? ESCAPE '!'))"; }
            case IS_NULL -> { return c + " IS NULL"; }
            case NOT_NULL -> { return c + " IS NOT NULL"; }
            case GREATER -> { args.add(values.get(0)); return c + " > ?"; }
            case LESSER -> { args.add(values.get(0)); return c + " < ?"; }
            case BETWEEN -> { args.add(values.get(0)); args.add(values.get(1)); return c + " BETWEEN ? AND ?"; }
            default -> throw new IllegalStateException(op.name());
        }
    }

    /** %text% with LIKE's own characters escaped by '!' (a backslash would trip Jdbi's SQL lexer), lower-cased as the column is. */
    private String pattern() {
        String text = String.valueOf(values.get(0)).toLowerCase(java.util.Locale.ROOT);
        return "%" + text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }
}
