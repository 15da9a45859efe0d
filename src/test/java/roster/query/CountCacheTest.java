package roster.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.TestServer;
import roster.model.UserFilter;

/** The counters behind offset pages are cached per tenant state; a tenant made again under the same id is a new state. */
class CountCacheTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aTenantDeletedAndCreatedAgainIsNotCountedFromItsNamesakesCounters() throws Exception {
        String users = "{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}";
        server.load("{\"tenants\":[{\"id\":\"again\",\"users\":[" + users + "]}]}");
        assertThat(server.services.queries().count("again", UserFilter.ALL)).isEqualTo(3);
        assertThat(server.admin("DELETE", "/admin/v1/tenants/again", null).statusCode()).isEqualTo(204);
        Thread.sleep(2); // another created_at
        // made again with one user: its sequence goes on above its namesake's (three creates, three tombstones)
        server.load("{\"tenants\":[{\"id\":\"again\",\"users\":[{\"id\":\"a\"},{\"id\":\"b\"}]}]}");
        assertThat(server.admin("DELETE", "/admin/v1/tenants/again/users/a", null).statusCode()).isEqualTo(204);
        assertThat(server.services.changes().lastSequence("again")).isEqualTo(9);
        assertThat(server.services.queries().count("again", UserFilter.ALL)).isEqualTo(1);
    }
}
