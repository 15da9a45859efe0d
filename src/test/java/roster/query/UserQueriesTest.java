package roster.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.TestServer;
import roster.fixture.FixtureReader;
import roster.model.Attribute;
import roster.model.Failure;
import roster.model.Order;
import roster.model.Status;
import roster.model.User;
import roster.model.UserDetail;
import roster.model.UserFilter;

/**
 * The query core against a plain model of the same users: offset pages read through the per-block counters
 * must equal the naive sorted list at every depth, for every status filter, before and after changes.
 */
class UserQueriesTest {

    static TestServer server;
    static UserQueries queries;
    static final Status[] STATUSES = Status.values();
    static final int USERS = 700;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        queries = server.services.queries();
        StringBuilder users = new StringBuilder();
        for (int i = 1; i <= USERS; i++) {
            // nums spread over several counter blocks (4096 nums each), statuses and departments mixed
            long num = i * 37L + (i % 3) * 4000L;
            users.append(i > 1 ? "," : "").append("{\"id\":\"u").append(i).append("\",\"num\":").append(num)
                    .append(",\"status\":\"").append(STATUSES[i % STATUSES.length].wire()).append("\",\"departments\":[\"")
                    .append(i % 4 == 0 ? "child" : "root").append("\"]")
                    .append(i % 5 == 0 ? ",\"acs\":{\"groups\":[\"g\"]}" : "").append("}");
        }
        load("{\"tenants\":[{\"id\":\"q\",\"departments\":[{\"id\":\"root\",\"name\":\"R\"},{\"id\":\"child\",\"name\":\"C\",\"parent\":\"root\"}],"
                + "\"access_groups\":[{\"id\":\"g\"}],\"users\":[" + users + "]}]}");
    }

    static void load(String json) {
        new FixtureReader(server.services.directory(), n -> {}).load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** All users of the filter, the slow obvious way: keyset pages to the end. */
    static List<String> everyone(UserFilter filter) {
        List<String> ids = new ArrayList<>();
        Long after = null;
        do {
            UserQueries.KeysetPage page = queries.keysetPage("q", filter, Order.NUM, after, 97, UserDetail.PROFILE);
            page.users().forEach(u -> ids.add(u.id()));
            after = page.next();
        } while (after != null);
        return ids;
    }

    static List<String> ids(List<User> users) {
        return users.stream().map(User::id).toList();
    }

    @Test
    void offsetPagesAtEveryDepthMatchTheSortedList() {
        List<UserFilter> filters = List.of(
                UserFilter.ALL,
                UserFilter.status(Status.ACTIVE),
                UserFilter.in(Attribute.STATUS, List.of(Status.SUSPENDED.wire(), Status.ARCHIVED.wire())),
                new UserFilter.InDepartments(List.of("child")));
        for (UserFilter filter : filters) {
            List<String> all = everyone(filter);
            assertThat(queries.count("q", filter)).isEqualTo(all.size());
            for (int limit : new int[] {1, 10, 50}) {
                for (int offset = 0; offset <= all.size() + limit; offset += 23) {
                    UserQueries.OffsetPage page = queries.offsetPage("q", filter, Order.NUM, offset, limit, UserDetail.PROFILE);
                    assertThat(page.total()).isEqualTo(all.size());
                    List<String> expected = all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
                    assertThat(ids(page.users())).as("offset %d limit %d %s", offset, limit, filter).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void countsFollowChangesOfStatusAndDeletions() {
        UserFilter active = UserFilter.status(Status.ACTIVE);
        long before = queries.count("q", active);
        load("{\"tenants\":[{\"id\":\"q\",\"users\":[{\"id\":\"u2\",\"status\":\"active\",\"departments\":[\"root\"]},{\"id\":\"u5\",\"deleted\":true}]}]}");
        // u2 was suspended and is now active; u5 was active (5 % 5 == 0) and is gone
        assertThat(queries.count("q", active)).isEqualTo(before);
        assertThat(queries.count("q", UserFilter.ALL)).isEqualTo(USERS - 1);
        assertThat(everyone(active)).contains("u2").doesNotContain("u5");
    }

    @Test
    void keysetPagesFollowTheSequenceAndFilters() {
        List<String> members = everyone(UserFilter.and(UserFilter.status(Status.ACTIVE), new UserFilter.InAnyAccessGroup()));
        assertThat(members).isNotEmpty().allSatisfy(id -> assertThat(Integer.parseInt(id.substring(1)) % 5).isZero());
        UserQueries.KeysetPage bySeq = queries.keysetPage("q", UserFilter.ALL, Order.SEQUENCE, 10L, 5, UserDetail.PROFILE);
        assertThat(bySeq.users()).extracting(User::sequence).containsExactly(11L, 12L, 13L, 14L, 15L);
        assertThat(bySeq.next()).isEqualTo(15L);
    }

    @Test
    void pageTokensAreBoundToTheirQueryAndCannotBeAltered() {
        Cursors cursors = server.services.cursors();
        String token = cursors.encode("app1|list", 42);
        assertThat(cursors.decode("app1|list", token)).isEqualTo(42);
        assertThatThrownBy(() -> cursors.decode("app2|list", token)).isInstanceOf(Failure.InvalidCursor.class);
        char[] chars = token.toCharArray();
        chars[5] = chars[5] == 'A' ? 'B' : 'A';
        assertThatThrownBy(() -> cursors.decode("app1|list", new String(chars))).isInstanceOf(Failure.InvalidCursor.class);
        assertThatThrownBy(() -> cursors.decode("app1|list", "%%%")).isInstanceOf(Failure.InvalidCursor.class);
        assertThatThrownBy(() -> cursors.decode("app1|list", "")).isInstanceOf(Failure.InvalidCursor.class);
    }

    @Test
    void aPageOfSomeAttributesCarriesTheirValuesAndNothingElse() {
        load("{\"tenants\":[{\"id\":\"p\",\"departments\":[{\"id\":\"d\",\"name\":\"D\"}],\"access_groups\":[{\"id\":\"g\"}],\"users\":["
                + "{\"id\":\"full\",\"username\":\"ann\",\"name\":\"Ann\",\"nickname\":\"A\",\"email\":\"ann@example.com\","
                + "\"phone\":\"13800000000\",\"phone_country_code\":\"+86\",\"gender\":\"female\",\"avatar\":\"https://a.example/x.png\","
                + "\"status\":\"suspended\",\"country\":\"CN\",\"province\":\"Zhejiang\",\"city\":\"Hangzhou\",\"address\":\"1 Road\","
                + "\"street_address\":\"1 Road, Block 2\",\"postal_code\":\"310000\",\"external_id\":\"e-1\",\"departments\":[\"d\"],"
                + "\"custom_data\":{\"k\":1},\"acs\":{\"groups\":[\"g\"],\"card\":1234}},"
                + "{\"id\":\"bare\"}]}]}");
        List<User> whole = queries.keysetPage("p", UserFilter.ALL, Order.NUM, null, 10, UserDetail.PROFILE).users();
        for (Attribute shown : Attribute.values()) {
            List<User> some = queries.keysetPage("p", UserFilter.ALL, Order.NUM, null, 10, java.util.EnumSet.of(shown)).users();
            assertThat(ids(some)).isEqualTo(ids(whole));
            for (int i = 0; i < whole.size(); i++) {
                User w = whole.get(i), s = some.get(i);
                assertThat(List.of(s.num(), s.sequence())).isEqualTo(List.of(w.num(), w.sequence()));
                for (Attribute a : Attribute.values()) {
                    if (a == shown || a == Attribute.ID || a == Attribute.NUM || a == Attribute.SEQUENCE) {
                        assertThat(value(s, a)).as("%s of %s", a, w.id()).isEqualTo(value(w, a));
                    }
                }
                if (shown != Attribute.USERNAME) assertThat(s.username()).isNull();
                if (shown != Attribute.ACS_CARD && shown != Attribute.ACS_FACE) assertThat(s.acs().card()).isNull();
                assertThat(s.departments()).isEmpty();
                assertThat(s.customData()).isNull();
            }
        }
    }

    /** The value a user has for an attribute, as the core's words name it. */
    static Object value(User u, Attribute a) {
        return switch (a) {
            case ID -> u.id();
            case NUM -> u.num();
            case SEQUENCE -> u.sequence();
            case USERNAME -> u.username();
            case NAME -> u.name();
            case NICKNAME -> u.nickname();
            case EMAIL -> u.email();
            case PHONE -> u.phone();
            case PHONE_COUNTRY_CODE -> u.phoneCountryCode();
            case EXTERNAL_ID -> u.externalId();
            case AVATAR -> u.avatar();
            case COUNTRY -> u.country();
            case PROVINCE -> u.province();
            case CITY -> u.city();
            case ADDRESS -> u.address();
            case STREET_ADDRESS -> u.streetAddress();
            case POSTAL_CODE -> u.postalCode();
            case STATUS -> u.status();
            case GENDER -> u.gender();
            case CREATED_AT -> u.createdAt();
            case UPDATED_AT -> u.updatedAt();
            case STATUS_CHANGED_AT -> u.statusChangedAt();
            case ACS_CARD -> u.acs().card();
            case ACS_FACE -> u.acs().face() == null ? null : u.acs().face().type();
        };
    }
}
