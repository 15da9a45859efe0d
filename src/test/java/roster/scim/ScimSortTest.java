package roster.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static roster.scim.ScimClient.enc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.TestServer;

/**
 * sortBy gives one order on SQLite and PostgreSQL: text by code point, and users without a value (missing or
 * empty) after all others in ascending order, before them in descending order (the exact reverse), by num among
 * themselves.
 */
class ScimSortTest {

    static TestServer server;
    static ScimClient scim;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        scim = ScimClient.demo(server);
        // loaded in this order, so nums ascend from s1 to s8; s3 and s6 have no name, s4 an empty one, s7 no username
        server.load("""
                {"tenants":[{"id":"acme","users":[
                 {"id":"s1","username":"sort-bob","name":"Bob","external_id":"sort"},
                 {"id":"s2","username":"sort-Zed","name":"alice","external_id":"sort"},
                 {"id":"s3","username":"sort-émile","external_id":"sort"},
                 {"id":"s4","username":"sort-alice","name":"","external_id":"sort"},
                 {"id":"s5","username":"sort-Ébert","name":"Émile","external_id":"sort"},
                 {"id":"s6","username":"sort-zoe","external_id":"sort"},
                 {"id":"s7","name":"Zed","external_id":"sort"},
                 {"id":"s8","username":"","name":"émile","external_id":"sort"}]}]}""");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void emptiesGoLastAscendingAndFirstDescending() {
        assertThat(sorted("displayName", "ascending")).containsExactly("s1", "s7", "s2", "s5", "s8", "s3", "s4", "s6");
        assertThat(sorted("displayName", "descending")).containsExactly("s6", "s4", "s3", "s8", "s5", "s2", "s7", "s1");
        assertThat(sorted("userName", "ascending")).containsExactly("s2", "s4", "s1", "s6", "s5", "s3", "s7", "s8");
        assertThat(sorted("userName", "descending")).containsExactly("s8", "s7", "s3", "s5", "s6", "s1", "s4", "s2");
        // index pages cut the same order
        List<String> paged = new ArrayList<>();
        for (int start = 1; start <= 8; start += 3) paged.addAll(ids(scim.json("GET", "/Users?sortBy=displayName&count=3&startIndex=" + start
                + "&filter=" + enc("externalId eq \"sort\""), null, 200)));
        assertThat(paged).containsExactly("s1", "s7", "s2", "s5", "s8", "s3", "s4", "s6");
    }

    private static List<String> sorted(String sortBy, String sortOrder) {
        return ids(scim.json("GET", "/Users?sortBy=" + sortBy + "&sortOrder=" + sortOrder + "&filter=" + enc("externalId eq \"sort\""), null, 200));
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("Resources").forEach(u -> ids.add(u.path("id").asText()));
        return ids;
    }
}
