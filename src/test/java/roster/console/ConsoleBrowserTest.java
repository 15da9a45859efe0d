package roster.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import roster.DemoApps;
import roster.TestServer;

/**
 * The console in a real browser: Playwright for Java driving Debian's Chromium (never a downloaded one), against
 * a real server holding the demo directory and a tenant of 10,000 users. Skipped only where /usr/bin/chromium is
 * absent (.ci/run installs it). On a failure, screenshots of the page and of each main page go to
 * target/console-screenshots/.
 */
class ConsoleBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path SHOTS = Path.of("target", "console-screenshots");
    static final int BIG = 10_000;

    static TestServer server;
    static Playwright playwright;
    static Browser browser;
    BrowserContext context;
    Page page;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed (apt-get install chromium)");
        server = TestServer.start();
        server.loadDemo();
        server.load(bigTenant());
        playwright = Playwright.create();
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (playwright != null) playwright.close();
        if (server != null) server.close();
    }

    @BeforeEach
    void open() {
        context = browser.newContext();
        page = context.newPage();
    }

    @AfterEach
    void close() {
        context.close();
    }

    /** A failed test leaves screenshots: the page it was on, then each main page (taken before @AfterEach closes it). */
    @RegisterExtension
    final AfterTestExecutionCallback screenshots = new AfterTestExecutionCallback() {
        @Override
        public void afterTestExecution(ExtensionContext ctx) {
            if (ctx.getExecutionException().isEmpty() || page == null || page.isClosed()) return;
            String name = ctx.getRequiredTestMethod().getName();
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + "-failed.png")).setFullPage(true));
            for (String main : List.of("tenants", "tenants/acme/users", "tenants/acme/departments", "tenants/acme/apps", "tenants/acme/changes")) {
                page.navigate(server.baseUrl + "/console/" + main);
                page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + "-" + main.replace('/', '-') + ".png")).setFullPage(true));
            }
        }
    };

    @Test
    void signInFindAUserAmongTenThousandEditAndSeeTheChangeInTheAuditAndTheFeishuApi() {
        signIn("Grace");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Tenants"))).isVisible();

        // a tenant of 10,000: typing part of a name narrows the list from the server, page by page
        page.navigate(server.baseUrl + "/console/tenants/big/users");
        assertThat(page.locator("#results tbody tr")).hasCount(25);
        page.getByLabel("Search").pressSequentially("son 0987", new com.microsoft.playwright.Locator.PressSequentiallyOptions().setDelay(20));
        assertThat(page.locator("#results tbody tr")).hasCount(10); // Person 09870 … Person 09879
        assertThat(page.locator("#results")).containsText("big-09876");
        saveShot("users");
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*q=son(\\+|%20)0987.*"));
        page.getByLabel("Search").fill("");
        // filtered by a department with its subtree (root holds half, which holds the other half)
        // (a searchable picker: the server offers one page of matches as the person types)
        page.getByLabel("Department").pressSequentially("hal");
        assertThat(page.locator("#dl-department option[value=half]")).hasCount(1);
        page.getByLabel("Department").fill("half");
        page.getByLabel("Department").dispatchEvent("change");
        assertThat(page.locator("#results")).not().containsText("big-00001");
        assertThat(page.locator("#results")).containsText("big-00002");
        page.getByLabel("Department").fill("");
        page.getByLabel("Department").dispatchEvent("change");
        assertThat(page.locator("#results")).containsText("big-00001");
        page.getByLabel("Per page").selectOption("10");
        assertThat(page.locator("#results tbody tr")).hasCount(10);
        String first = page.locator("#results tbody tr td").first().textContent();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Next page")).click();
        assertThat(page.locator("#results tbody tr")).hasCount(10);
        assertThat(page.locator("#results tbody tr td").first()).not().hasText(first);

        // edit a user of the demo directory and save
        page.navigate(server.baseUrl + "/console/tenants/acme/users");
        page.getByLabel("Search").pressSequentially("Lovel");
        assertThat(page.locator("#results tbody tr")).hasCount(1);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("u1005")).click();
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Ada King");
        page.getByLabel("Card number").fill("4242");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).hasText("Saved.");
        saveShot("user");

        // a face image uploaded, then shown
        page.getByLabel("Upload a face image").setInputFiles(new com.microsoft.playwright.options.FilePayload("face.png", "image/png", png()));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload face")).click();
        assertThat(page.getByAltText("Face image of u1005")).isVisible();
        // visible is not yet decoded: wait for the image itself, then check it is the 8×8 one uploaded
        page.waitForFunction("() => { const i = document.querySelector('img.face'); return i && i.complete && i.naturalWidth > 0; }");
        assertThat(page.getByAltText("Face image of u1005").evaluate("img => img.naturalWidth")).isEqualTo(8);

        // the audit view: who changed which field
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("History of this user")).click();
        assertThat(page.locator("tbody tr").first()).containsText("Grace (console)");
        assertThat(page.locator("tbody tr").first().locator("td").last()).hasText("acs.face");
        assertThat(page.locator("tbody tr").nth(1)).containsText("Grace (console)");
        assertThat(page.locator("tbody tr").nth(1).locator("td").last()).hasText("acs.card, name");

        // the same change through a dialect (feishu's access-control user carries the card)
        String token = DemoApps.feishuToken(server, DemoApps.FEISHU_APP, DemoApps.FEISHU_SECRET);
        assertThat(DemoApps.feishuGet(server, token, "/open-apis/acs/v1/users/u1005?user_id_type=user_id").body()).contains("\"card\":4242", "\"face_uploaded\":true");
        assertThat(DemoApps.json(server.admin("GET", "/admin/v1/tenants/acme/users/u1005", null)).path("name").asText()).isEqualTo("Ada King");
    }

    @Test
    void moveADepartmentAndRotateAnAppSecret() {
        signIn("Grace");
        page.navigate(server.baseUrl + "/console/tenants/acme/departments");
        saveShot("departments");
        // the new parent through the picker: typed, offered by the server, chosen
        page.locator("#parent-sales").fill("");
        page.locator("#parent-sales").pressSequentially("en");
        assertThat(page.locator("#dl-parent option[value=eng]")).hasCount(1);
        page.locator("#parent-sales").fill("eng");
        page.locator("form:has(#parent-sales)").getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Save")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).hasText("Saved department sales.");
        assertThat(DemoApps.json(server.admin("GET", "/admin/v1/tenants/acme/departments/sales", null)).path("parent").asText()).isEqualTo("eng");
        assertThat(page.locator("li:has(#parent-eng) a")).containsText("users");

        page.navigate(server.baseUrl + "/console/tenants/acme/apps");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Rotate the secret of cli_demo_feishu_eng")).click();
        String secret = page.locator("#new-secret").textContent().trim();
        assertThat(secret).isNotBlank();
        DemoApps.feishuToken(server, "cli_demo_feishu_eng", secret); // works with the new secret
        var old = DemoApps.postJson(server, "/open-apis/auth/v3/tenant_access_token/internal",
                "{\"app_id\":\"cli_demo_feishu_eng\",\"app_secret\":\"feishu-demo-secret-0002\"}");
        assertThat(DemoApps.json(old).path("code").asInt()).isNotZero();
        // shown once: the page opened again shows it no more
        page.navigate(server.baseUrl + "/console/tenants/acme/apps");
        assertThat(page.locator("#new-secret")).hasCount(0);
    }

    @Test
    void aCsrfLessPostIsRefusedAndAConcurrentEditToo() {
        signIn("Grace");
        Object status = page.evaluate("() => fetch('/console/tenants', {method: 'POST', body: new URLSearchParams({id: 'from-script'})}).then(r => r.status)");
        assertThat(status).isEqualTo(403);
        assertThat(server.admin("GET", "/admin/v1/tenants/from-script", null).statusCode()).isEqualTo(404);

        Page other = context.newPage();
        page.navigate(server.baseUrl + "/console/tenants/acme/users/u1003");
        other.navigate(server.baseUrl + "/console/tenants/acme/users/u1003");
        page.getByLabel("Nickname").fill("first");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).hasText("Saved.");
        other.getByLabel("Nickname").fill("second");
        other.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
        assertThat(other.getByRole(AriaRole.STATUS)).containsText("Someone else saved this user");
        assertThat(other.locator("aside")).containsText("version");
        assertThat(DemoApps.json(server.admin("GET", "/admin/v1/tenants/acme/users/u1003", null)).path("nickname").asText()).isEqualTo("first");
    }

    @Test
    void createAnAppPickWhoItSeesMintATokenThatScimTakesAndRevokeIt() throws Exception {
        signIn("Grace");
        page.navigate(server.baseUrl + "/console/tenants/acme/apps");
        page.locator("#app-id").fill("browser_scim");
        page.locator("#app-scopes").fill("scim");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create app")).click();
        assertThat(page.locator("#new-secret")).isVisible();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Open app browser_scim")).click();

        // visible_to through the pickers: type part of a name, the server offers matches, pick one
        page.getByLabel("only these departments").check();
        page.locator("#pick-departments").pressSequentially("platf");
        assertThat(page.locator("#dl-pick-departments option[value=eng-platform]")).hasCount(1);
        page.locator("#pick-departments").fill("eng-platform");
        page.locator("#pick-users").pressSequentially("Lovel");
        assertThat(page.locator("#dl-pick-users option[value=u1005]")).hasCount(1);
        page.locator("#pick-users").fill("u1005");
        page.locator("form:has(#pick-users)").getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Save")).click();
        assertThat(page.getByLabel("eng-platform")).isChecked();
        assertThat(page.getByLabel("u1005")).isChecked();
        var app = DemoApps.json(server.admin("GET", "/admin/v1/tenants/acme/apps/browser_scim", null));
        assertThat(app.path("visible_to").path("departments").toString()).isEqualTo("[\"eng-platform\"]");

        // a long-lived token, shown once, taken by SCIM, then revoked
        page.getByLabel("Valid for (days)").fill("7");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Mint a token")).click();
        String token = page.locator("#new-token").textContent().trim();
        saveShot("app");
        var scim = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl + "/scim/v2/Users"))
                .header("Authorization", "Bearer " + token).GET().build();
        var answer = server.send(scim);
        assertThat(answer.statusCode()).isEqualTo(200);
        // what visible_to lets it see: eng-platform's member and the one user picked
        assertThat(answer.body()).contains("\"totalResults\":2", "\"id\":\"u1001\"", "\"id\":\"u1005\"");
        page.navigate(server.baseUrl + "/console/tenants/acme/apps/browser_scim");
        assertThat(page.locator("#new-token")).hasCount(0);
        page.locator("button[aria-label^='Revoke token']").click();
        assertThat(page.getByText("No live token.")).isVisible();
        assertThat(server.send(scim).statusCode()).isEqualTo(401);
    }

    @Test
    void switchToChineseAndBack() {
        signIn("Grace");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("中文")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("租户").setExact(true))).isVisible();
        assertThat(page.locator("html")).hasAttribute("lang", "zh-CN");
        page.navigate(server.baseUrl + "/console/tenants/acme/users/u1002");
        assertThat(page.getByLabel("卡号")).isVisible();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("English")).click();
        assertThat(page.getByLabel("Card number")).isVisible();
        assertThat(page.locator("html")).hasAttribute("lang", "en");
    }

    @Test
    void aChineseBrowserIsAnsweredInChinese() {
        BrowserContext chinese = browser.newContext(new Browser.NewContextOptions().setLocale("zh-CN"));
        try {
            Page p = chinese.newPage();
            p.navigate(server.baseUrl + "/console/");
            assertThat(p.getByLabel("管理令牌")).isVisible();
            assertThat(p.locator("html")).hasAttribute("lang", "zh-CN");
        } finally {
            chinese.close();
        }
    }

    @Test
    void uploadAFixtureWatchItLoadAndSeeItsUsersThenPickTheirDepartment() {
        signIn("Grace");
        page.navigate(server.baseUrl + "/console/load");
        String fixture = "{\"tenants\":[{\"id\":\"uploaded\",\"name\":\"Uploaded\",\"departments\":[{\"id\":\"ops\",\"name\":\"Operations\"}],"
                + "\"users\":[{\"id\":\"up-1\",\"name\":\"Uma Upload\"},{\"id\":\"up-2\",\"name\":\"Ulf Upload\"}]}]}";
        page.getByLabel("Fixture file (JSON)").setInputFiles(new com.microsoft.playwright.options.FilePayload("f.json", "application/json",
                fixture.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Load").setExact(true)).click();
        assertThat(page.locator("#load-progress")).containsText("Loaded: 2 users created");
        assertThat(page.locator("#load-bar")).hasAttribute("value", "100");
        page.navigate(server.baseUrl + "/console/tenants/uploaded/users");
        assertThat(page.locator("#results tbody tr")).hasCount(2);

        // the user form's department picker
        page.navigate(server.baseUrl + "/console/tenants/uploaded/users/up-1");
        page.locator("#pick-departments").pressSequentially("Opera");
        assertThat(page.locator("#dl-pick-departments option[value=ops]")).hasCount(1);
        page.locator("#pick-departments").fill("ops");
        page.getByLabel("Custom data").fill("{\"desk\": 12}");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).hasText("Saved.");
        assertThat(page.getByLabel("ops")).isChecked();
        var user = DemoApps.json(server.admin("GET", "/admin/v1/tenants/uploaded/users/up-1", null));
        assertThat(user.path("departments").toString()).isEqualTo("[\"ops\"]");
        assertThat(user.path("custom_data").path("desk").asInt()).isEqualTo(12);

        // a bad fixture: nothing loaded, the first bad value named by its JSON path
        page.navigate(server.baseUrl + "/console/load");
        page.getByLabel("Fixture file (JSON)").setInputFiles(new com.microsoft.playwright.options.FilePayload("bad.json", "application/json",
                "{\"tenants\":[{\"id\":\"nope\",\"users\":[{\"id\":\"x\",\"status\":\"sleeping\"}]}]}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Load").setExact(true)).click();
        assertThat(page.locator("#load-path")).hasText("$.tenants[0].users[0].status");
        assertThat(server.admin("GET", "/admin/v1/tenants/nope", null).statusCode()).isEqualTo(404);
    }

    private void signIn(String name) {
        page.navigate(server.baseUrl + "/console/");
        page.getByLabel("Your name").fill(name);
        page.getByLabel("Admin token").fill(TestServer.ADMIN_TOKEN);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        saveShot("tenants");
    }

    private void saveShot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
    }

    /** A small PNG (8×8), as a camera's face image would be. */
    static byte[] png() {
        try {
            var image = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
            image.setRGB(3, 3, 0xff8800);
            var out = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A tenant of 10,000 users named Person 00000 … Person 09999, in two departments. */
    static String bigTenant() {
        StringBuilder b = new StringBuilder("{\"tenants\":[{\"id\":\"big\",\"name\":\"Big\",\"departments\":[{\"id\":\"root\",\"name\":\"Root\"},"
                + "{\"id\":\"half\",\"name\":\"Half\",\"parent\":\"root\"}],\"users\":[");
        for (int i = 0; i < BIG; i++) {
            if (i > 0) b.append(',');
            String n = String.format(Locale.ROOT, "%05d", i);
            b.append("{\"id\":\"big-").append(n).append("\",\"name\":\"Person ").append(n).append("\",\"username\":\"p").append(n)
                    .append("\",\"departments\":[\"").append(i % 2 == 0 ? "half" : "root").append("\"]}");
        }
        return b.append("]}]}").toString();
    }
}
