package roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ServerBasicsTest {

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
    void healthAndReadinessAnswerWithARequestId() {
        for (String path : new String[] {"/healthz", "/readyz"}) {
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl + path)).build());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
        }
    }

    @Test
    void adminApiRefusesCallsWithoutTheToken() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl + "/admin/v1/tenants")).build());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("\"error\":\"unauthorized\"");
        HttpResponse<String> wrong = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl + "/admin/v1/tenants"))
                .header("Authorization", "Bearer nope").build());
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void unknownPathsAre404JsonNot500() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl + "/no/such/thing")).build());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("not found");
    }

    @Test
    void unknownPathsUnderADialectGetThatDialectsEnvelope() {
        HttpResponse<String> admin = server.admin("GET", "/admin/v1/nothing", null);
        assertThat(admin.statusCode()).isEqualTo(404);
        assertThat(admin.body()).contains("\"request_id\"").contains("\"message\"");
    }
}
