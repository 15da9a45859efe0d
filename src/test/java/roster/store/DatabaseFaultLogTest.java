package roster.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import roster.DemoApps;
import roster.TestServer;

/**
 * A write the database refuses for a reason of its own (here a constraint the test adds behind Roster's back, as a
 * corrupt or hand-edited schema would) must not leak what was written: the driver's message quotes the statement
 * with every bound value (a PostgreSQL batch error: "Batch entry 0 INSERT INTO users … ('$2a$10$…')", a CHECK
 * failure: "Failing row contains (…)"). The log is scanned after the forced errors: no statement, no bound value,
 * no password hash, no stack trace; the caller gets the dialect's internal error and nothing more.
 */
class DatabaseFaultLogTest {

    private static final String SECRET_SSN = "987-65-4329";
    private static final String SECRET_NAME = "Victima Secretissima";
    private static final String PASSWORD = "Pass-Word-7781";

    @Test
    void aFailedInsertLogsNeitherTheStatementNorItsValues() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        try (TestServer server = TestServer.start()) {
            server.loadDemo();
            // a constraint Roster does not know of: every insert of a user named so fails inside the database
            if (TestServer.onPostgres()) {
                server.execute("ALTER TABLE users ADD CONSTRAINT test_fault CHECK (name IS NULL OR name NOT LIKE 'Victima%')");
            } else {
                server.execute("CREATE TRIGGER test_fault BEFORE INSERT ON users WHEN NEW.name LIKE 'Victima%' "
                        + "BEGIN SELECT RAISE(ABORT, 'refused by test_fault'); END");
            }
            String user = "{\"id\":\"victim1\",\"username\":\"victim1\",\"name\":\"" + SECRET_NAME + "\",\"password\":\"" + PASSWORD
                    + "\",\"email\":\"victim1@example.com\",\"custom_data\":{\"ssn\":\"" + SECRET_SSN + "\"}}";
            HttpResponse<String> admin = server.admin("POST", "/admin/v1/tenants/acme/users", user);
            assertThat(admin.statusCode()).as(admin.body()).isEqualTo(500);
            assertThat(admin.body()).contains("internal").doesNotContain(SECRET_NAME).doesNotContain(SECRET_SSN).doesNotContain("INSERT");

            String authing = DemoApps.authingToken(server, DemoApps.AUTHING_APP, DemoApps.AUTHING_SECRET);
            HttpResponse<String> viaAuthing = DemoApps.authingPost(server, authing, "/api/v3/create-user",
                    "{\"username\":\"victim2\",\"name\":\"" + SECRET_NAME + "\",\"password\":\"" + PASSWORD
                            + "\",\"customData\":{\"ssn\":\"" + SECRET_SSN + "\"}}");
            assertThat(viaAuthing.body()).contains("\"statusCode\":500").doesNotContain(SECRET_NAME).doesNotContain(SECRET_SSN);

            // a fixture goes through the batch insert (PostgreSQL's "Batch entry 0 …" message)
            HttpResponse<String> load = server.admin("POST", "/admin/v1/load", "{\"tenants\":[{\"id\":\"acme\",\"users\":[{\"id\":\"victim3\","
                    + "\"name\":\"" + SECRET_NAME + "\",\"password\":\"" + PASSWORD + "\",\"custom_data\":{\"ssn\":\"" + SECRET_SSN + "\"}}]}]}");
            assertThat(load.statusCode()).as(load.body()).isGreaterThanOrEqualTo(500);
            assertThat(load.body()).doesNotContain(SECRET_NAME).doesNotContain(SECRET_SSN);

            // the server still works, and nothing of the refused users was written
            assertThat(server.admin("GET", "/admin/v1/tenants/acme/users/u1002", null).statusCode()).isEqualTo(200);
            assertThat(server.sql("SELECT COUNT(*) FROM users WHERE id LIKE 'victim%' OR username LIKE 'victim%'")).isEqualTo("0");
        } finally {
            root.detachAppender(log);
        }
        List<String> lines = log.list.stream().map(DatabaseFaultLogTest::text).toList();
        assertThat(lines).as("the faults were logged").anyMatch(l -> l.contains("database fault"));
        for (String line : lines) {
            assertThat(line).doesNotContain(SECRET_NAME).doesNotContain(SECRET_SSN).doesNotContain(PASSWORD)
                    .doesNotContain("$2a$").doesNotContain("INSERT").doesNotContain("Failing row").doesNotContain("victim1@example.com")
                    .doesNotContain("\tat ");
        }
    }

    /** What the log encoder writes of an event: its message and, when it has one, its throwable with the stack. */
    private static String text(ILoggingEvent event) {
        String thrown = event.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
        return event.getLoggerName() + " " + event.getFormattedMessage() + thrown;
    }
}
