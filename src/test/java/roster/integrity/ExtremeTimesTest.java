package roster.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;

/**
 * Times a request names beyond what the directory can hold (an Authing timestamp of -10^17, a year of nine
 * digits) are the door's bad-request error, not an overflow answered 500; the years 1 and 9999 still work.
 */
class ExtremeTimesTest {

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
    void authingRefusesTimesOutOfRangeWithStatusCode400() {
        for (String query : new String[] {"updatedAtStart=-100000000000000000", "updatedAtEnd=-9223372036854775808",
                "updatedAtStart=9223372036854775807"}) {
            HttpResponse<String> r = DemoApps.authingGet(server, authing, "/api/v3/list-users?" + query);
            assertThat(DemoApps.json(r).path("statusCode").asInt()).as(query + " -> " + r.body()).isEqualTo(400);
        }
        for (String value : new String[] {"[-100000000000000000, 99999999999999999]", "[\"-1000000000-01-01T00:00:00Z\", 0]",
                "[0, \"+999999999-12-31T23:59:59Z\"]"}) {
            String body = "{\"advancedFilter\":[{\"field\":\"updatedAt\",\"operator\":\"BETWEEN\",\"value\":" + value + "}]}";
            HttpResponse<String> r = DemoApps.authingPost(server, authing, "/api/v3/list-users", body);
            assertThat(DemoApps.json(r).path("statusCode").asInt()).as(value + " -> " + r.body()).isEqualTo(400);
        }
        String widest = "{\"advancedFilter\":[{\"field\":\"updatedAt\",\"operator\":\"BETWEEN\",\"value\":"
                + "[\"0001-01-01T00:00:00Z\", \"9999-12-31T23:59:59Z\"]}]}";
        assertThat(DemoApps.json(DemoApps.authingPost(server, authing, "/api/v3/list-users", widest)).path("statusCode").asInt()).isEqualTo(200);
    }

    @Test
    void theAdminApiRefusesTimesOutOfRangeWithTheirPath() {
        for (String[] query : new String[][] {{"updated_before", "-1000000000-01-01T00:00:00Z"}, {"updated_after", "+999999999-12-31T23:59:59Z"}}) {
            HttpResponse<String> r = server.admin("GET", "/admin/v1/tenants/acme/users?" + query[0] + "=" + DemoApps.encode(query[1]), null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(DemoApps.json(r).path("path").asText()).isEqualTo(query[0]);
        }
        assertThat(server.admin("GET", "/admin/v1/tenants/acme/users?updated_after=0001-01-01T00:00:00Z", null).statusCode()).isEqualTo(200);
    }
}
