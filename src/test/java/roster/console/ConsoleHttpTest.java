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
 * audit trail, loads followed on another process and abandoned ones shown as failed, and bad input that never
 * gets a 500.
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
                "/console/tenants/acme/users/nobody/face", "/console/tenants/acme/access-groups",
                "/console/tenants/acme/pick/users?users=", "/console/tenants/acme/pick/users", "/console/tenants/acme/pick/users?users=%00",
                "/console/tenants/acme/pick/departments?departments=" + longText, "/console/tenants/acme/pick/groups?groups=%E0%A4",
                "/console/tenants/nope/pick/users?users=a", "/console/tenants/nope/export", "/console/tenants/acme/apps/nope",
                "/console/load/..%2f..", "/console/language", "/console/language?lang=zh-CN&back=%E0%A4")) {
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
        posts.put("/console/tenants/acme/apps/" + DemoApps.FEISHU_APP + "/tokens", "days=" + longText);
        posts.put("/console/tenants/acme/apps/nope/tokens", "days=1");
        posts.put("/console/tenants/acme/apps/" + DemoApps.FEISHU_APP + "/tokens/nope/revoke", "");
        posts.put("/console/tenants/acme/apps/" + DemoApps.ENOS_APP, "visible=some&users=nobody&departments=%00");
        posts.put("/console/load", "fixture=notmultipart");
        posts.put("/console/tenants/acme/users/u1006", "version=1&status=active&custom_data=" + "[".repeat(3000));
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

    @Test
    void anAppMadeInTheConsoleGetsATokenThatScimTakesUntilRevoked() throws Exception {
        ConsoleClient c = ConsoleClient.signedIn(server, "Grace");
        assertThat(c.post("/console/tenants/acme/apps", Map.of("id", "console_scim", "name", "Entra", "scopes", "scim")).statusCode()).isEqualTo(201);
        assertThat(c.get("/console/tenants/acme/apps/console_scim").statusCode()).isEqualTo(200);
        HttpResponse<String> minted = c.post("/console/tenants/acme/apps/console_scim/tokens", Map.of("days", "30"));
        assertThat(minted.statusCode()).isEqualTo(201);
        var m = java.util.regex.Pattern.compile("<code id=\"new-token\">([^<]+)</code>").matcher(minted.body());
        assertThat(m.find()).isTrue();
        String token = m.group(1);
        assertThat(scimUsers(token).statusCode()).isEqualTo(200);
        // listed without its value, here and in the admin API (the same core call)
        HttpResponse<String> page = c.get("/console/tenants/acme/apps/console_scim");
        assertThat(page.body()).doesNotContain(token);
        var listed = DemoApps.json(server.admin("GET", "/admin/v1/tenants/acme/apps/console_scim/tokens", null)).path("items");
        assertThat(listed.size()).isEqualTo(1);
        String id = listed.get(0).path("id").asText();
        assertThat(page.body()).contains(id);
        assertThat(c.post("/console/tenants/acme/apps/console_scim/tokens", Map.of("days", "0")).statusCode()).isEqualTo(400);
        assertThat(c.post("/console/tenants/acme/apps/console_scim/tokens/" + id + "/revoke", Map.of()).statusCode()).isEqualTo(303);
        assertThat(scimUsers(token).statusCode()).isEqualTo(401);
        assertThat(c.post("/console/tenants/acme/apps/console_scim/tokens/" + id + "/revoke", Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void anAppSeesOnlyTheDepartmentsAndUsersPickedForIt() {
        ConsoleClient c = ConsoleClient.signedIn(server, "Grace");
        c.get("/console/tenants/acme/apps/" + DemoApps.BIZ_APP);
        // the pickers: one page of matches from the server, for the datalist
        assertThat(c.get("/console/tenants/acme/pick/departments?departments=platf").body()).contains("value=\"eng-platform\"").doesNotContain("value=\"sales\"");
        assertThat(c.get("/console/tenants/acme/pick/users?users=Lovel").body()).contains("value=\"u1005\"").doesNotContain("u1001");
        assertThat(c.get("/console/tenants/acme/pick/groups?groups=").statusCode()).isEqualTo(200);
        assertThat(c.get("/console/tenants/acme/pick/nothing?x=1").statusCode()).isEqualTo(404);
        String form = "csrf=" + c.csrf + "&name=Biz&scopes=bizapi:org-users&visible=some&departments=eng-platform&users=u1005&users=";
        assertThat(c.postRaw("/console/tenants/acme/apps/" + DemoApps.BIZ_APP, form, "application/x-www-form-urlencoded").statusCode()).isEqualTo(303);
        var app = DemoApps.json(server.admin("GET", "/admin/v1/tenants/acme/apps/" + DemoApps.BIZ_APP, null));
        assertThat(app.path("visible_to").path("departments").toString()).isEqualTo("[\"eng-platform\"]");
        assertThat(app.path("visible_to").path("users").toString()).isEqualTo("[\"u1005\"]");
        HttpResponse<String> bad = c.postRaw("/console/tenants/acme/apps/" + DemoApps.BIZ_APP,
                "csrf=" + c.csrf + "&name=Biz&scopes=bizapi:org-users&visible=some&departments=no-such", "application/x-www-form-urlencoded");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("no-such");
        c.postRaw("/console/tenants/acme/apps/" + DemoApps.BIZ_APP, "csrf=" + c.csrf + "&name=Biz&scopes=bizapi:org-users&visible=all", "application/x-www-form-urlencoded");
        assertThat(DemoApps.json(server.admin("GET", "/admin/v1/tenants/acme/apps/" + DemoApps.BIZ_APP, null)).path("visible_to").asText()).isEqualTo("all");
    }

    @Test
    void anExportDownloadedLoadsIntoAFreshTenantWithAProgressPage() throws Exception {
        ConsoleClient c = ConsoleClient.signedIn(server, "Grace");
        HttpResponse<byte[]> export = c.download("/console/tenants/acme/export");
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment").contains("acme.json");
        String text = new String(export.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).contains("\"u1005\"").doesNotContain("password_hash", "\"secret\"", DemoApps.FEISHU_SECRET);
        // into a fresh tenant: the same fixture under another tenant id, without the apps (app ids are global)
        var fixture = (com.fasterxml.jackson.databind.node.ObjectNode) DemoApps.JSON.readTree(text);
        var tenant = (com.fasterxml.jackson.databind.node.ObjectNode) fixture.path("tenants").get(0);
        tenant.put("id", "acme-copy");
        tenant.remove("apps");
        String id = upload(c, DemoApps.JSON.writeValueAsBytes(fixture));
        String done = finished(c, id);
        assertThat(done).contains("<progress", "value=\"100\"").doesNotContain("hx-trigger");
        assertThat(DemoApps.json(server.admin("GET", "/admin/v1/tenants/acme-copy/users/u1005", null)).path("name").asText())
                .isEqualTo(DemoApps.json(server.admin("GET", "/admin/v1/tenants/acme/users/u1005", null)).path("name").asText());
        assertThat(c.get("/console/tenants/acme-copy/users?q=u1005").body()).contains("u1005");
    }

    @Test
    void aBadFixtureLoadsNothingAndNamesItsFirstBadValue() {
        ConsoleClient c = ConsoleClient.signedIn(server, "Grace");
        String fixture = "{\"tenants\":[{\"id\":\"half-loaded\",\"users\":[{\"id\":\"ok1\",\"name\":\"Fine\"},"
                + "{\"id\":\"bad1\",\"email\":\"not an email\"}]}]}";
        String done = finished(c, upload(c, fixture.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(done).contains("id=\"load-path\">$.tenants[0].users[1].email</code>");
        assertThat(server.admin("GET", "/admin/v1/tenants/half-loaded", null).statusCode()).isEqualTo(404);
        // no file, a file that is no JSON, an unknown load: answered, never a 500
        HttpResponse<String> none = c.postFile("/console/load", "fixture", "empty.json", new byte[0]);
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(finished(c, upload(c, "{\"tenants\": [".getBytes(java.nio.charset.StandardCharsets.UTF_8)))).contains("load-path");
        assertThat(c.get("/console/load/nope/progress").statusCode()).isEqualTo(404);
    }

    @Test
    void aLoadTakenByOneProcessIsFollowedToItsEndOnAnother() {
        // its progress and outcome live in the database: a poll that reaches another process of the service
        // (behind a load balancer) answers it, though the file and the loading thread are on the first
        ConsoleClient here = ConsoleClient.signedIn(server, "Grace");
        StringBuilder users = new StringBuilder();
        for (int i = 0; i < 300; i++) users.append(i == 0 ? "" : ",").append("{\"id\":\"far").append(i).append("\",\"name\":\"Far ").append(i).append("\"}");
        byte[] fixture = ("{\"tenants\":[{\"id\":\"far-load\",\"users\":[" + users + "]}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bad = "{\"tenants\":[{\"id\":\"far-bad\",\"users\":[{\"id\":\"x\",\"email\":\"no\"}]}]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String id = upload(here, fixture);
        String refused = upload(here, bad);
        try (TestServer second = server.alongside(s -> s)) {
            ConsoleClient there = ConsoleClient.signedIn(second, "Grace");
            assertThat(finished(there, id)).contains("value=\"100\"", "Loaded: 300 users created, 0 updated, 0 deleted, 0 unchanged.");
            assertThat(finished(there, refused)).contains("id=\"load-path\">$.tenants[0].users[0].email</code>");
            assertThat(there.get("/console/load/" + id).body()).contains("Loaded: 300 users created");
        }
        assertThat(server.admin("GET", "/admin/v1/tenants/far-load/users/far299", null).statusCode()).isEqualTo(200);
        assertThat(server.services.database().read(tx -> roster.store.ConsoleLoads.byId(tx, id)).orElseThrow().tenant()).isEqualTo("far-load");
    }

    @Test
    void aLoadLeftRunningWithoutUpdatesReadsAsFailedAndOldLoadsArePruned() {
        ConsoleClient c = ConsoleClient.signedIn(server, "Grace");
        long now = System.currentTimeMillis();
        var db = server.services.database();
        // as a process that died mid-load leaves it: "running", last written 31 s ago; beside it, a live one
        db.useWrite(tx -> roster.store.ConsoleLoads.start(tx, "abandoned-load", "acme", now - 31_000, 1000));
        db.useWrite(tx -> roster.store.ConsoleLoads.start(tx, "moving-load", "acme", now, 1000));
        db.useWrite(tx -> roster.store.ConsoleLoads.progress(tx, "moving-load", now, 400, 7));
        HttpResponse<String> abandoned = c.get("/console/load/abandoned-load/progress");
        assertThat(abandoned.statusCode()).isEqualTo(200);
        assertThat(abandoned.body()).doesNotContain("hx-trigger").contains("Nothing was loaded", "the process running the load stopped");
        assertThat(c.get("/console/load/moving-load/progress").body()).contains("hx-trigger", "value=\"40\"", "40% read, 7 users so far");
        // loads last updated over a day ago are forgotten when a new one starts
        db.useWrite(tx -> roster.store.ConsoleLoads.start(tx, "yesterdays-load", "acme", now - 25 * 3600 * 1000L, 1000));
        assertThat(c.get("/console/load/yesterdays-load/progress").statusCode()).isEqualTo(200);
        finished(c, upload(c, "{\"tenants\":[{\"id\":\"prune-trigger\"}]}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(c.get("/console/load/yesterdays-load/progress").statusCode()).isEqualTo(404);
        assertThat(c.get("/console/load/abandoned-load/progress").statusCode()).isEqualTo(200);
    }

    @Test
    void chineseByAcceptLanguageAndEnglishByTheSwitch() {
        ConsoleClient anonymous = new ConsoleClient(server.baseUrl);
        HttpResponse<String> zh = anonymous.get("/console/sign-in", Map.of("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5"));
        assertThat(zh.body()).contains("<html lang=\"zh-CN\">", "管理令牌", "登录");
        HttpResponse<String> en = anonymous.get("/console/sign-in", Map.of("Accept-Language", "en-GB,en;q=0.8"));
        assertThat(en.body()).contains("<html lang=\"en\">", "Admin token");
        assertThat(anonymous.get("/console/sign-in", Map.of("Accept-Language", "@@;q=x")).body()).contains("<html lang=\"en\">");
        HttpResponse<String> toEnglish = anonymous.get("/console/language?lang=en&back=/console/tenants", Map.of());
        assertThat(toEnglish.statusCode()).isEqualTo(303);
        assertThat(toEnglish.headers().firstValue("Location")).hasValue("/console/tenants");
        assertThat(ConsoleClient.cookie(toEnglish, Text.COOKIE)).isEqualTo("en");
        HttpResponse<String> chosen = anonymous.get("/console/sign-in", Map.of("Accept-Language", "zh-CN", "Cookie", Text.COOKIE + "=en"));
        assertThat(chosen.body()).contains("<html lang=\"en\">", "Admin token");
        // never an open redirect; an unknown language is bad input
        assertThat(anonymous.get("/console/language?lang=en&back=//evil.example/", Map.of()).headers().firstValue("Location")).hasValue("/console/");
        assertThat(anonymous.get("/console/language?lang=fr", Map.of()).statusCode()).isEqualTo(400);
        // every key of the English bundle has its Chinese
        assertThat(bundle("messages_zh_CN.properties").stringPropertyNames()).containsExactlyInAnyOrderElementsOf(bundle("messages.properties").stringPropertyNames());
    }

    @Test
    void customDataIsEditedAsAJsonObjectWithItsErrorBesideTheField() {
        ConsoleClient c = ConsoleClient.signedIn(server, "Grace");
        Map<String, String> form = ConsoleClient.formOf(c.get("/console/tenants/acme/users/u1004").body());
        form.put("custom_data", "[1, 2]");
        HttpResponse<String> notAnObject = c.post("/console/tenants/acme/users/u1004", form);
        assertThat(notAnObject.statusCode()).isEqualTo(400);
        assertThat(notAnObject.body()).contains("id=\"e-custom_data\"", "[1, 2]</textarea>");
        form.put("custom_data", "{\"cost_center\": ");
        assertThat(c.post("/console/tenants/acme/users/u1004", form).body()).contains("id=\"e-custom_data\"");
        form.put("custom_data", "{\"cost_center\": \"R&D\", \"floor\": 3}");
        assertThat(c.post("/console/tenants/acme/users/u1004", form).statusCode()).isEqualTo(200);
        var user = DemoApps.json(server.admin("GET", "/admin/v1/tenants/acme/users/u1004", null));
        assertThat(user.path("custom_data").path("cost_center").asText()).isEqualTo("R&D");
        assertThat(user.path("custom_data").path("floor").asInt()).isEqualTo(3);
        assertThat(c.get("/console/tenants/acme/users?q=u1004&columns=cost_center").body()).contains("<td>R&amp;D</td>");
    }

    @Test
    void wrongAdminTokensAreThrottledPerAddress() {
        // a server of its own: the throttle would refuse this test class's other sign-ins from the same address
        try (TestServer own = TestServer.start()) {
            ConsoleClient c = new ConsoleClient(own.baseUrl);
            List<Integer> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) statuses.add(c.signIn("Mallory", "guess-" + i, Map.of()).statusCode());
            assertThat(statuses.subList(0, 10)).containsOnly(401);
            assertThat(statuses.subList(10, 20)).containsOnly(429);
            // the right token too, this minute, from this address: the guesses are not checked at all
            HttpResponse<String> right = c.signIn("Grace", TestServer.ADMIN_TOKEN, Map.of());
            assertThat(right.statusCode()).isEqualTo(429);
            assertThat(right.headers().firstValue("Retry-After")).isPresent();
            assertThat(ConsoleClient.cookie(right, Console.COOKIE)).isNull();
            // another process of the same service counts the same failures
            try (TestServer second = own.alongside(settings -> settings)) {
                assertThat(new ConsoleClient(second.baseUrl).signIn("Grace", TestServer.ADMIN_TOKEN, Map.of()).statusCode()).isEqualTo(429);
            }
        }
    }

    private static java.util.Properties bundle(String name) {
        var properties = new java.util.Properties();
        try (var in = new java.io.InputStreamReader(ConsoleHttpTest.class.getResourceAsStream("/console/" + name), java.nio.charset.StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return properties;
    }

    private static HttpResponse<String> scimUsers(String token) throws Exception {
        return server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl + "/scim/v2/Users?count=1"))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    /** Uploads a fixture on the load page; returns the load's id from the redirect to its progress page. */
    private static String upload(ConsoleClient c, byte[] fixture) {
        c.get("/console/load");
        HttpResponse<String> answer = c.postFile("/console/load", "fixture", "fixture.json", fixture);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(303);
        String location = answer.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/console/load/");
        return location.substring("/console/load/".length());
    }

    /** Polls the load's progress as the page does, until it is done or refused (a minute at most). */
    private static String finished(ConsoleClient c, String id) {
        long until = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < until) {
            HttpResponse<String> progress = c.get("/console/load/" + id + "/progress");
            assertThat(progress.statusCode()).isEqualTo(200);
            if (!progress.body().contains("hx-trigger")) return progress.body();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the load did not finish in a minute");
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
