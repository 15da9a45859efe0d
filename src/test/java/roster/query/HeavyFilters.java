package roster.query;

/** Many users and a costly filter on them: the expensive input that timeout and fairness tests need. */
final class HeavyFilters {

    private HeavyFilters() {}

    /** A fixture adding n plain users to the demo tenant acme, each with long text fields to scan. */
    static String users(int n) {
        StringBuilder out = new StringBuilder("{\"tenants\":[{\"id\":\"acme\",\"users\":[");
        for (int i = 0; i < n; i++) {
            if (i > 0) out.append(',');
            out.append("{\"id\":\"heavy").append(i).append("\",\"username\":\"heavy").append(i)
                    .append("\",\"name\":\"Heavy User Number ").append(i).append(" of a rather long display name\"")
                    .append(",\"nickname\":\"nick-").append(i).append("-with-some-more-text-to-scan\"")
                    .append(",\"email\":\"heavy").append(i).append("@a-long-mail-domain.example\"}");
        }
        return out.append("]}]}").toString();
    }

    /** An Authing list-users body with this many NOT_CONTAINS conditions: every row is tested against each. */
    static String notContains(int conditions) {
        String[] fields = {"name", "nickname", "email", "username"};
        StringBuilder out = new StringBuilder("{\"advancedFilter\":[");
        for (int i = 0; i < conditions; i++) {
            if (i > 0) out.append(',');
            out.append("{\"field\":\"").append(fields[i % fields.length]).append("\",\"operator\":\"NOT_CONTAINS\",\"value\":\"zq")
                    .append(i).append("x\"}");
        }
        return out.append("],\"options\":{\"pagination\":{\"page\":1,\"limit\":10}}}").toString();
    }
}
