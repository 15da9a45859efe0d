package roster.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;
import roster.model.Attribute;
import roster.model.Failure;
import roster.model.UserFilter;

/**
 * Filters are bounded in size before any SQL is written: more than 200 conditions, 10,000 values or 16 levels of
 * nesting is bad input in the dialect's own error, where before 20,000 conditions hit SQLite's "expression tree is
 * too large" and 70 IN lists of 1000 PostgreSQL's limit of bound parameters, both as 500s.
 */
class FilterLimitsTest {

    static TestServer server;
    static String authing;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.loadDemo();
        authing = DemoApps.authingToken(server, DemoApps.AUTHING_APP, DemoApps.AUTHING_SECRET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void conditionsUpToTheLimitAreAnsweredAndOneMoreIsBadInput() {
        HttpResponse<String> atLimit = list(HeavyFilters.notContains(FilterLimits.MAX_CONDITIONS - 1)); // + the app's visibility
        assertThat(atLimit.body()).contains("\"statusCode\":200");

        for (int n : new int[] {FilterLimits.MAX_CONDITIONS + 1, 20_000}) {
            HttpResponse<String> over = list(HeavyFilters.notContains(n));
            assertThat(over.statusCode()).isEqualTo(200); // Authing answers in the body
            assertThat(over.body()).as(n + " conditions").contains("\"statusCode\":400").contains("at most 200");
        }
    }

    @Test
    void valuesAcrossInListsAreBounded() {
        // 11 IN lists of 1000 (each within Authing's own limit) are 11,000 values: over the filter's limit
        StringBuilder body = new StringBuilder("{\"advancedFilter\":[");
        for (int list = 0; list < 11; list++) {
            if (list > 0) body.append(',');
            body.append("{\"field\":\"username\",\"operator\":\"IN\",\"value\":[");
            for (int i = 0; i < 1000; i++) body.append(i > 0 ? "," : "").append("\"u").append(list).append('-').append(i).append('"');
            body.append("]}");
        }
        HttpResponse<String> over = list(body.append("]}").toString());
        assertThat(over.body()).contains("\"statusCode\":400").contains("at most 10000 are allowed");
    }

    @Test
    void nestingIsBoundedForEveryFrontEnd() {
        // no dialect here nests filters, but the limit sits in the core, where SCIM and LDAP filters arrive too
        UserFilter deep = UserFilter.eq(Attribute.USERNAME, "x");
        for (int i = 0; i < FilterLimits.MAX_DEPTH + 1; i++) deep = UserFilter.not(deep);
        UserFilter tooDeep = deep;
        assertThatThrownBy(() -> server.services.queries().count("acme", tooDeep))
                .isInstanceOf(Failure.InvalidInput.class).hasMessageContaining("nested deeper");
        List<UserFilter> many = new ArrayList<>();
        for (int i = 0; i < 300; i++) many.add(UserFilter.eq(Attribute.USERNAME, "u" + i));
        assertThatThrownBy(() -> server.services.queries().count("acme", new UserFilter.Or(many)))
                .isInstanceOf(Failure.InvalidInput.class).hasMessageContaining("at most 200");
        assertThat(server.services.queries().count("acme", new UserFilter.Or(many.subList(0, 200)))).isGreaterThanOrEqualTo(0);
    }

    private static HttpResponse<String> list(String body) {
        return DemoApps.authingPost(server, authing, "/api/v3/list-users", body);
    }
}
