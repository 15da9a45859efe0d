package roster.console;

import java.util.List;
import java.util.Map;
import roster.model.AccessGroup;
import roster.model.App;
import roster.model.Department;
import roster.model.Tenant;
import roster.model.User;
import roster.query.ChangeFeed;

/** What each page of the console shows: one record per template (src/main/jte), filled by {@link Console}. */
public final class Pages {

    private Pages() {}

    /** The frame every page shares: title, the signed-in person, the CSRF token of its forms, the tenant's menu. */
    public record Frame(String title, String actor, String csrf, String tenant, Text text, String here) {
        /** The address of the language switch to lang: back to this page. */
        public String switchTo(String lang) {
            return "/console/language?lang=" + lang + (here == null ? "" : "&back=" + java.net.URLEncoder.encode(here, java.nio.charset.StandardCharsets.UTF_8));
        }

        /** A word or sentence of the console in the reader's language. */
        public String t(String key) {
            return text.get(key);
        }

        public String t(String key, Object... args) {
            return text.format(key, args);
        }
    }

    /** One choice of a searchable picker. */
    public record Option(String id, String name) {}

    public record SignIn(Frame frame, String error) {}

    public record Tenants(Frame frame, List<Tenant> tenants, Map<String, String> errors) {}

    /** A page of users: the filters as given, the rows, and the address of the next page (null on the last). */
    public record Users(Frame frame, String q, String status, String department, String group, String updatedFrom, String updatedTo,
                        int size, List<String> columns,
                        List<User> users, String nextUrl) {
        public static final List<String> STATUSES = List.of("active", "suspended", "resigned", "archived", "deactivated");
        public static final List<Integer> SIZES = List.of(10, 25, 50, 100);

        public String custom(User user, String key) {
            var value = user.customData() == null ? null : user.customData().get(key);
            return value == null ? "" : value.isTextual() ? value.textValue() : value.toString();
        }
    }

    /**
     * A user's form: values as typed (or stored), errors by field name next to their controls, the version the
     * form was read at (null when creating), and a notice after a save.
     */
    public record UserForm(Frame frame, boolean creating, User stored, Map<String, String> values, Map<String, String> errors,
                           Long version, String notice) {
        public static final List<String> STATUSES = Users.STATUSES;

        /** The ids of a picker's field (stored or as sent). */
        public List<String> list(String field) {
            String v = value(field).strip();
            return v.isEmpty() ? List.of() : List.of(v.split("\\s+"));
        }

        public String value(String field) {
            return values.getOrDefault(field, "");
        }

        public String error(String field) {
            return errors.get(field);
        }
    }

    /** One department in the tree: its depth for indenting and the users in it and below. */
    public record DepartmentRow(Department department, int depth, long usersBelow) {}

    public record Departments(Frame frame, List<DepartmentRow> rows, Map<String, String> errors, String notice) {}

    /** Apps; secret is a secret just set, shown this once, for app secretFor. */
    public record Apps(Frame frame, List<App> apps, List<String> scopes, String secretFor, String secret, Map<String, String> errors) {}

    public record Changes(Frame frame, String user, List<ChangeFeed.Audited> changes, String olderUrl) {
        public String describe(ChangeFeed.Audited c) {
            if (c.fields().isEmpty()) return c.deleted() ? frame.t("changes.deleted") : "";
            return String.join(", ", c.fields().stream().map(f -> f.startsWith("moved:") ? frame.t("changes.moved", f.substring(6)) : f).toList());
        }
    }

    /** One app: its tokens (never their values); minted is a token just minted, shown this once. */
    public record AppPage(Frame frame, App app, List<roster.model.Grant> tokens, String minted, Map<String, String> errors) {
        public String error(String field) {
            return errors.get(field);
        }
    }

    /** Export and load: a load's id while it runs, and its progress (the users read, done, or the refusal with its JSON path). */
    public record Fixtures(Frame frame, String loadId, Load load, Map<String, String> errors) {}

    public record Groups(Frame frame, List<AccessGroup> groups, Map<String, String> errors, String notice) {}

    public record Error(Frame frame, int status, String message) {}
}
