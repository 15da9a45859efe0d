package roster.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.TestServer;
import roster.fixture.FixtureReader;
import roster.model.Attribute;
import roster.model.Status;
import roster.model.UserFilter;

/**
 * The filters a client looks a user up by (SCIM's userName, emails, externalId, meta.lastModified, active; LDAP's
 * uid and mail; authing's phone) are answered through their index, never by walking the tenant: the plan the
 * database makes for a page of each names the index. On SQLite that rests on PlannerStatistics.
 */
class IndexedFiltersTest {

    static TestServer server;
    static Database db;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        db = server.services.database();
        StringBuilder users = new StringBuilder();
        for (int i = 1; i <= 3000; i++) {
            users.append(i > 1 ? "," : "").append("{\"id\":\"u").append(i).append("\",\"username\":\"user").append(i)
                    .append("\",\"email\":\"user").append(i).append("@example.com\",\"external_id\":\"e").append(i)
                    .append("\",\"phone\":\"1380000").append(String.format("%04d", i)).append("\",\"status\":\"")
                    .append(i % 5 == 0 ? "suspended" : "active").append("\",\"acs\":{\"groups\":[\"big\"")
                    .append(i % 1000 == 0 ? ",\"small\"" : "").append("]}}");
        }
        String fixture = "{\"tenants\":[{\"id\":\"p\",\"access_groups\":[{\"id\":\"big\"},{\"id\":\"small\"}],\"users\":[" + users + "]}]}";
        new FixtureReader(server.services.directory(), n -> {}).load(new ByteArrayInputStream(fixture.getBytes(StandardCharsets.UTF_8)));
        // PostgreSQL plans from statistics it gathers itself (autovacuum); take them now rather than wait
        db.useWrite(Database::analyzeUsers);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void userNameAndEmailLookupsIgnoringCaseUseTheirLowerCaseIndexes() {
        assertThat(plan(new UserFilter.Equals(Attribute.USERNAME, "User1500", true))).contains("users_username_lower");
        assertThat(plan(new UserFilter.Equals(Attribute.EMAIL, "USER1500@example.com", true))).contains("users_email_lower");
    }

    @Test
    void exactLookupsUseTheirIndexes() {
        assertThat(plan(UserFilter.eq(Attribute.USERNAME, "user1500"))).contains("users_username");
        assertThat(plan(UserFilter.eq(Attribute.EXTERNAL_ID, "e1500"))).contains("users_external_id");
        assertThat(plan(UserFilter.eq(Attribute.PHONE, "13800001500"))).contains("users_phone");
    }

    @Test
    void anUpdatedAtWindowUsesItsIndex() {
        long now = System.currentTimeMillis();
        assertThat(plan(UserFilter.compare(Attribute.UPDATED_AT, UserFilter.Comparison.GREATER, now))).contains("users_updated");
        // a window that holds none of them (on PostgreSQL, one holding most would rightly walk users_num instead)
        assertThat(plan(UserFilter.and(UserFilter.compare(Attribute.UPDATED_AT, UserFilter.Comparison.GREATER_OR_EQUAL, now - 86_400_000L),
                UserFilter.compare(Attribute.UPDATED_AT, UserFilter.Comparison.LESS, now - 3_600_000L)))).contains("users_updated");
    }

    @Test
    void aStatusAndAPlainPageWalkAnIndexInNumOrder() {
        assertThat(plan(UserFilter.status(Status.SUSPENDED))).contains("users_status");
        assertThat(plan(UserFilter.ALL)).contains("users_num");
    }

    @Test
    void theStatisticsCoverEveryIndexOnUsers() {
        if (db.kind() != Database.Kind.SQLITE) return;
        List<String> indexes = db.read(tx -> tx.h.createQuery("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'users'")
                .mapTo(String.class).list());
        assertThat(PlannerStatistics.USERS.keySet()).containsExactlyInAnyOrderElementsOf(indexes);
    }

    @Test
    void aLargeGroupIsTestedUserByUserAndASmallOneGatheredFirst() {
        // a group holding a twentieth of the tenant or more is "wide" (UserQueries): the walk in num order probes
        // each user's membership and stops when the page is full, instead of gathering every member first
        if (db.kind() == Database.Kind.SQLITE) {
            assertThat(plan(new UserFilter.InAccessGroup("big"), f -> true)).contains("users_num").contains("CORRELATED");
            assertThat(plan(new UserFilter.InAccessGroup("small"), f -> false)).contains("user_groups_group");
        }
        assertThat(members("big")).hasSize(3000);
        assertThat(members("small")).containsExactly("u1000", "u2000", "u3000");
    }

    /** Everyone the filter selects, through the query core's keyset pages (which decide wide or narrow). */
    private static List<String> members(String group) {
        List<String> ids = new java.util.ArrayList<>();
        Long after = null;
        do {
            var page = server.services.queries().keysetPage("p", new UserFilter.InAccessGroup(group), roster.model.Order.NUM, after, 500,
                    roster.model.UserDetail.ROW);
            page.users().forEach(u -> ids.add(u.id()));
            after = page.next();
        } while (after != null);
        return ids;
    }

    private static String plan(UserFilter filter) {
        return plan(filter, f -> true);
    }

    /** The plan of a page of 101 in num order, as Users.page reads it; never a walk of the whole table. */
    private static String plan(UserFilter filter, java.util.function.Predicate<UserFilter> wide) {
        List<String> rows = db.read(tx -> FilterSql.where(tx, "p", filter, wide).plan(tx, "u.id", "ORDER BY u.num LIMIT ?", 101));
        String plan = String.join("\n", rows);
        assertThat(plan).doesNotContain("SCAN u").doesNotContain("Seq Scan");
        return plan;
    }
}
