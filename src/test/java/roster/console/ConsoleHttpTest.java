package roster.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;

/**
 * The console over raw HTTP: what a browser test cannot show directly. Sessions and their cookie, CSRF refusal,
 * idle expiry and sessions shared by two processes, escaping of user data, HEAD, the concurrent-edit refusal, the
 * audit trail, and bad input that never gets a 500.
 */
class ConsoleHttpTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.loadDemo();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void signInGivesAStrictHttpOnlyCookieAndNeverTheToken() {
        ConsoleClient c = new ConsoleClient(server.baseUrl);
        HttpResponse<String> answer = c.signIn("Grace", TestServer.ADMIN_TOKEN, Map.of());
        assertThat(answer.statusCode()).isEqualTo(303);
        assertThat(answer.headers().firstValue("Location")).hasValue("/console/tenants");
        String cookie = ConsoleClient.setCookieHeader(answer, Console.COOKIE);
        assertThat(cookie).contains("HttpOnly", "SameSite=Strict", "Path=/console").doesNotContain("Secure")
                .doesNotContain(TestServer.ADMIN_TOKEN);
        assertThat(c.get("/console/tenants").body()).contains("acme").doesNotContain(TestServer.ADMIN_TOKEN);
        // behind a TLS-terminating proxy the cookie is Secure
        HttpResponse<String> overTls = new ConsoleClient(server.baseUrl).signIn("Grace", TestServer.ADMIN_TOKEN, Map.of("X-Forwarded-Proto", "https"));
        assertThat(ConsoleClient.setCookieHeader(overTls, Console.COOKIE)).contains("; Secure");
        // a wrong token gets the form again, and no session
        ConsoleClient wrong = new ConsoleClient(server.baseUrl);
        HttpResponse<String> refused = wrong.signIn("Mallory", "not-the-token", Map.of());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(ConsoleClient.cookie(refused, Console.COOKIE)).isNull();
        assertThat(wrong.get("/console/tenants").statusCode()).isEqualTo(303);
        // signing out ends the session for good
        assertThat(c.post("/console/sign-out", Map.of()).statusCode()).isEqualTo(303);
        assertThat(c.get("/console/tenants").headers().firstValue("Location")).hasValue("/console/sign-in");
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
        ConsoleClient c = ConsoleClient.signedIn(server, "Grace");
        HttpResponse<String> none = c.postRaw("/console/tenants", "id=csrf-less&name=x", "application/x-www-form-urlencoded");
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.body()).contains("CSRF");
        HttpResponse<String> wrong = c.post("/console/tenants", Map.of("id", "csrf-wrong", "csrf", "forged"));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(server.admin("GET", "/admin/v1/tenants/csrf-less", null).statusCode()).isEqualTo(404);
        assertThat(server.admin("GET", "/admin/v1/tenants/csrf-wrong", null).statusCode()).isEqualTo(404);
        // another session's token is no good either
        ConsoleClient other = ConsoleClient.signedIn(server, "Other");
        assertThat(c.post("/console/tenants", Map.of("id", "csrf-other", "csrf", other.csrf)).statusCode()).isEqualTo(403);
        // the sign-in form is protected too (double-submit cookie)
        HttpResponse<String> signIn = new ConsoleClient(server.baseUrl).postRaw("/console/sign-in",
                "name=x&token=" + TestServer.ADMIN_TOKEN, "application/x-www-form-urlencoded");
        assertThat(signIn.statusCode()).isEqualTo(403);
        assertThat(ConsoleClient.cookie(signIn, Console.COOKIE)).isNull();
        // with the token it works
        assertThat(c.post("/console/tenants", Map.of("id", "csrf-ok", "name", "ok")).statusCode()).isEqualTo(303);
        assertThat(server.admin("GET", "/admin/v1/tenants/csrf-ok", null).statusCode()).isEqualTo(200);
    }

    @Test
    void anIdleSessionExpiresAndSessionsAreSharedByEveryProcess() {
        ConsoleClient c = ConsoleClient.signedIn(server, "Grace");
        // a second process of the same service knows the session (it lives in the database)
        try (TestServer second = server.alongside(s -> s)) {
            ConsoleClient there = new ConsoleClient(second.baseUrl);
            there.session = c.session;
            assertThat(there.get("/console/tenants").statusCode()).isEqualTo(200);
            assertThat(there.post("/console/tenants", Map.of("id", "made-on-second", "name", "x")).statusCode()).isEqualTo(303);
        }
        assertThat(server.sql("SELECT COUNT(*) FROM console_sessions WHERE token_hash = '" + roster.crypto.Keys.sha256Hex(c.session) + "'")).isEqualTo("1");
        // idle for longer than the limit
        server.execute("UPDATE console_sessions SET last_seen = " + (System.currentTimeMillis() - roster.auth.Sessions.IDLE.toMillis() - 1000));
        HttpResponse<String> page = c.get("/console/tenants");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/console/sign-in");
        HttpResponse<String> write = c.post("/console/tenants", Map.of("id", "after-expiry"));
        assertThat(write.statusCode()).isEqualTo(303);
        assertThat(server.admin("GET", "/admin/v1/tenants/after-expiry", null).statusCode()).isEqualTo(404);
    }

    @Test
    void userDataIsEscapedEverywhere() {
        String evil = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";
        String body = "{\"id\":\"xss-user\",\"name\":" + json(evil) + ",\"username\":\"xss\",\"custom_data\":{\"note\":" + json(evil) + "}}";
        assertThat(server.admin("POST", "/admin/v1/tenants/acme/users", body).statusCode()).isEqualTo(201);
        ConsoleClient c = ConsoleClient.signedIn(server, "<b>Grace</b>");
        for (String path : List.of("/console/tenants/acme/users?columns=note", "/console/tenants/acme/users/xss-user",
                "/console/tenants/acme/users?q=" + DemoApps.encode(evil), "/console/tenants/acme/changes?user=" + DemoApps.encode(evil),
                "/console/tenants/acme/users/" + DemoApps.encode("<script>x</script>"))) {
            HttpResponse<String> page = c.get(path);
            assertThat(page.statusCode()).as(path).isIn(200, 404);
            assertThat(page.body()).as(path).doesNotContain("<script>alert", "<img src=x", "<script>x", "<b>Grace")
                    .contains("&lt;");
            assertThat(page.headers().firstValue("Content-Security-Policy")).as(path).hasValueSatisfying(v -> assertThat(v).contains("script-src 'self'"));
        }
    }

    @Test
    void headAnswersAsGet() {
        ConsoleClient anonymous = new ConsoleClient(server.baseUrl);
        HttpResponse<String> root = anonymous.head("/console/");
        assertThat(root.statusCode()).isEqualTo(303);
        assertThat(root.headers().firstValue("Location")).hasValue("/console/sign-in");
        assertThat(anonymous.head("/console/tenants").statusCode()).isEqualTo(303);
        ConsoleClient c = ConsoleClient.signedIn(server, "Grace");
        HttpResponse<String> tenants = c.head("/console/tenants");
        assertThat(tenants.statusCode()).isEqualTo(200);
        assertThat(tenants.body()).isEmpty();
        assertThat(c.head("/console/tenants/nope/users").statusCode()).isEqualTo(404);
        assertThat(c.head("/console/assets/htmx.min.js").statusCode()).isEqualTo(200);
    }

    @Test
    void theSecondOfTwoConcurrentEditsIsRefusedWithTheNewerVersionShown() {
        ConsoleClient alice = ConsoleClient.signedIn(server, "Alice");
        ConsoleClient bob = ConsoleClient.signedIn(server, "Bob");
        String version = versionOf(alice.get("/console/tenants/acme/users/u1002").body());
        versionOf(bob.get("/console/tenants/acme/users/u1002").body());
        Map<String, String> form = ConsoleClient.formOf(alice.get("/console/tenants/acme/users/u1002").body());
        form.put("name", "Li Si (Alice)");
        HttpResponse<String> first = alice.post("/console/tenants/acme/users/u1002", form);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("Saved.");
        HttpResponse<String> second = bob.post("/console/tenants/acme/users/u1002", Map.of("version", version, "name", "Li Si (Bob)", "status", "active"));
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.body()).contains("Someone else saved this user", "Li Si (Alice)", "Li Si (Bob)");
        assertThat(DemoApps.json(server.admin("GET", "/admin/v1/tenants/acme/users/u1002", null)).path("name").asText()).isEqualTo("Li Si (Alice)");
        // the audit view says who changed which field
        HttpResponse<String> history = alice.get("/console/tenants/acme/changes?user=u1002");
        assertThat(history.body()).contains("Alice (console)", "<td>name</td>").doesNotContain("Bob (console)");
    }

    @Test
    void aValidationErrorIsShownNextToItsField() {
        ConsoleClient c = ConsoleClient.signedIn(server, "Grace");
        String version = versionOf(c.get("/console/tenants/acme/users/u1005").body());
        HttpResponse<String> bad = c.post("/console/tenants/acme/users/u1005",
                Map.of("version", version, "name", "Ada", "status", "active", "departments", "no-such-dept", "card", "12x"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("id=\"e-card\"", "whole number");
        HttpResponse<String> unknown = c.post("/console/tenants/acme/users/u1005",
                Map.of("version", version, "name", "Ada", "status", "active", "departments", "no-such-dept"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("id=\"e-departments\"", "no-such-dept");
    }

    @Test
    void badInputNeverGetsA500() {
        ConsoleClient c = ConsoleClient.signedIn(server, "Grace");
        String longText = "x".repeat(5000);
        for (String path : List.of("/console/tenants/acme/users?size=abc", "/console/tenants/acme/users?size=7",
                "/console/tenants/acme/users?size=99999999999999999999", "/console/tenants/acme/users?after=junk",
                "/console/tenants/acme/users?status=nope", "/console/tenants/acme/users?q=" + longText,
                "/console/tenants/acme/users?q=%27%20OR%201%3D1--", "/console/tenants/acme/users?department=%00",
                "/console/tenants/acme/users?columns=" + "k,".repeat(40), "/console",
                "/console/tenants/nope/users", "/console/tenants/acme/users/nobody", "/console/tenants/acme/changes?before=-1",
                "/console/tenants/acme/changes?before=abc", "/console/tenants/acme/nothing-here", "/console/assets/..%2f..%2fetc",
                "/console/assets/nope.js", "/console/tenants/%E0%A4/users", "/console/tenants/acme/users?updated_from=junk",
                "/console/tenants/acme/users?updated_to=2026-02-30", "/console/tenants/acme/users/u1001/face",
                "/console/tenants/acme/users/nobody/face", "/console/tenants/acme/access-groups")) {
            HttpResponse<String> answer = c.get(path);
            assertThat(answer.statusCode()).as(path).isBetween(200, 499);
            assertThat(answer.body()).as(path).doesNotContain("Exception", "at roster.");
        }
        Map<String, String> posts = new java.util.LinkedHashMap<>();
        posts.put("/console/tenants/acme/users/u1001", "name=x");
        posts.put("/console/tenants/acme/users/nobody", "version=1&name=x&status=active");
        posts.put("/console/tenants/acme/users", "id=&name=x");
        posts.put("/console/tenants/acme/users/u1006/delete", "confirm=no");
        posts.put("/console/tenants/acme/departments", "id=eng&name=dup");
        posts.put("/console/tenants/acme/departments/eng", "name=Engineering&parent=eng-platform");
        posts.put("/console/tenants/acme/departments/nope", "name=x");
        posts.put("/console/tenants/acme/apps", "id=" + DemoApps.FEISHU_APP + "&scopes=acs:users");
        posts.put("/console/tenants/acme/apps/nope/secret", "");
        posts.put("/console/tenants/acme/apps/" + DemoApps.FEISHU_APP, "scopes=no:such:scope");
        posts.put("/console/tenants", "id=" + longText);
        posts.put("/console/tenants/nope/users", "id=x");
        posts.put("/console/tenants/acme/users/u1001/face", "face=notanimage");
        posts.put("/console/tenants/acme/access-groups", "id=&name=x");
        for (var e : posts.entrySet()) {
            for (String body : List.of(e.getValue(), e.getValue() + "&%zz=%", "\u0000\uFFFF")) {
                HttpResponse<String> answer = c.postRaw(e.getKey(), body + "&csrf=" + c.csrf, "application/x-www-form-urlencoded");
                assertThat(answer.statusCode()).as(e.getKey() + " " + body).isBetween(200, 499);
                assertThat(answer.body()).as(e.getKey()).doesNotContain("Exception", "at roster.");
            }
        }
        // a move that would make a cycle was refused: eng is still under acme
        assertThat(DemoApps.json(server.admin("GET", "/admin/v1/tenants/acme/departments/eng", null)).path("parent").asText()).isEqualTo("acme");
        assertThat(server.admin("GET", "/admin/v1/tenants/acme/users/u1006", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aFaceThatIsNoImageIsRefused() {
        ConsoleClient c = ConsoleClient.signedIn(server, "Grace");
        String boundary = "b0undary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + c.csrf + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"face\"; filename=\"face.png\"\r\nContent-Type: image/png\r\n\r\n"
                + "<svg onload=alert(1)>\r\n--" + boundary + "--\r\n";
        HttpResponse<String> answer = c.postRaw("/console/tenants/acme/users/u1006/face", body, "multipart/form-data; boundary=" + boundary);
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("JPEG or a PNG");
        assertThat(c.get("/console/tenants/acme/users/u1006/face").statusCode()).isEqualTo(404);
    }

    static String versionOf(String html) {
        var m = java.util.regex.Pattern.compile("name=\"version\" value=\"(\\d+)\"").matcher(html);
        if (!m.find()) throw new AssertionError("no version in the form: " + html);
        return m.group(1);
    }

    private static String json(String text) {
        try {
            return DemoApps.JSON.writeValueAsString(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
