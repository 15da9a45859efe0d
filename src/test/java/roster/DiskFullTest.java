package roster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * A full disk gave a 500 in the APIs and a stack trace from `load` (issue 20). Simulated without root: SQLite's
 * max_page_count caps the database file, and SQLite then fails a write exactly as on a full disk (SQLITE_FULL).
 * Every write is one transaction, so a refused write leaves nothing behind. The refusal is the core's "busy,
 * retry" (503 with Retry-After), which every dialect maps into its own envelope (BusyDatabaseTest checks each
 * dialect's form of it); here the admin API and authing's create-user, the dialects that add users.
 */
class DiskFullTest {

    /** 4 KiB pages: room for the schema, the demo and a few hundred kilobytes of users. */
    static final int MAX_PAGES = 600;

    @Test
    void aFullDatabaseIsA503AndLoadOneLineAndNothingHalfWritten() throws Exception {
        assumeFalse(TestServer.onPostgres(), "SQLite's page cap stands in for a full disk");
        try (TestServer server = TestServer.start(s -> s.withOverrides(null, null, null,
                "jdbc:sqlite:" + s.dataDir().resolve("roster.db") + "?max_page_count=" + MAX_PAGES, null))) {
            server.loadDemo();
            String blob = "x".repeat(60_000);
            int acknowledged = 0;
            HttpResponse<String> full = null;
            for (int i = 0; i < 400 && full == null; i++) {
                HttpResponse<String> r = server.admin("POST", "/admin/v1/tenants/acme/users",
                        "{\"id\":\"fill" + i + "\",\"name\":\"Fill\",\"custom_data\":{\"blob\":\"" + blob + "\"}}");
                if (r.statusCode() == 201 || r.statusCode() == 200) acknowledged++;
                else full = r;
            }
            assertThat(full).as("the database filled up").isNotNull();
            assertThat(full.statusCode()).as(full.body()).isEqualTo(503);
            assertThat(full.headers().firstValue("Retry-After")).isPresent();
            assertThat(full.body()).contains("\"error\":\"http_503\"").contains("storage is full").doesNotContain("SQLITE").doesNotContain("Exception");

            String authing = DemoApps.authingToken(server, DemoApps.AUTHING_APP, DemoApps.AUTHING_SECRET);
            HttpResponse<String> create = DemoApps.authingPost(server, authing, "/api/v3/create-user",
                    "{\"userId\":\"big1\",\"username\":\"big1\",\"customData\":{\"blob\":\"" + blob + "\"}}");
            assertThat(create.statusCode()).isEqualTo(200); // Authing answers in the body
            assertThat(create.body()).contains("\"statusCode\":503").contains("storage is full");

            // a load on the full database: one line, exit status 3, nothing changed
            java.nio.file.Path fixture = server.dataDir.resolve("more.json");
            StringBuilder users = new StringBuilder();
            for (int i = 0; i < 20; i++) users.append(i == 0 ? "" : ",").append("{\"id\":\"more").append(i).append("\",\"custom_data\":{\"blob\":\"").append(blob).append("\"}}");
            java.nio.file.Files.writeString(fixture, "{\"tenants\":[{\"id\":\"acme\",\"users\":[" + users + "]}]}");
            CliTest.Run load = CliTest.run(new TestServer.Database(server.dataDir, server.services.settings().effectiveJdbcUrl(), null), null,
                    "load", fixture.toString());
            assertThat(load.exit()).as(load.err()).isEqualTo(3);
            // besides the JSON log, one line for the person who ran it
            var said = load.err().strip().lines().filter(l -> !l.startsWith("{")).toList();
            assertThat(said).hasSize(1);
            assertThat(said.get(0)).startsWith("roster load: failed, nothing was changed").contains("storage is full");
            assertThat(load.err()).doesNotContain("\tat ");

            // intact, and exactly the acknowledged writes
            assertThat(server.sql("PRAGMA integrity_check")).isEqualTo("ok");
            assertThat(server.sql("SELECT count(*) FROM users WHERE id LIKE 'fill%'")).isEqualTo(String.valueOf(acknowledged));
            assertThat(server.sql("SELECT count(*) FROM users WHERE id LIKE 'more%' OR id = 'big1'")).isEqualTo("0");
            // and once space is freed, writes go through again
            assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/users/fill0", null).statusCode()).isEqualTo(204);
            assertThat(server.admin("POST", "/admin/v1/tenants/acme/users", "{\"id\":\"after\",\"name\":\"After\"}").statusCode()).isIn(200, 201);
        }
    }
}
