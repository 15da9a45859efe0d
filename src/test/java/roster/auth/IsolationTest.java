package roster.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import roster.DemoApps;
import roster.TestServer;

/**
 * Two tenants side by side (demo.json's acme and a second one, globex, whose user and department reuse acme's
 * nums): an app sees only its own tenant and its visible_to in every dialect, and a token, page token or open id
 * of one app counts for nothing with another. Tokens forged or revoked are refused; no secret, password or
 * token shows in the log.
 */
class IsolationTest {

    private static final String GLOBEX = """
            {"tenants":[{"id":"globex","name":"Globex",
              "departments":[{"id":"g-root","num":1,"name":"Globex"},{"id":"g-eng","num":10,"name":"Eng","parent":"g-root"}],
              "access_groups":[{"id":"g-doors","name":"Doors"}],
              "users":[{"id":"g1","num":1001,"username":"hank","name":"Hank","email":"hank@globex.example","status":"active",
                        "departments":["g-eng"],"password":"globex-password-1","admin_of":["*"],"acs":{"groups":["g-doors"],"card":777}}],
              "apps":[{"id":"cli_globex","secret":"globex-feishu-secret-01","scopes":["acs:users","contact:user.employee_id:readonly"],"visible_to":"all"},
                      {"id":"ak_globex","secret":"globex-authing-secret-1","scopes":["authing:management"],"visible_to":"all"},
                      {"id":"biz_globex","secret":"globex-bizapi-secret-1","scopes":["bizapi:org-users"],"visible_to":"all"}]}]}
            """;
    private static final List<String> SECRETS = List.of("globex-feishu-secret-01", "globex-authing-secret-1", "globex-bizapi-secret-1",
            "globex-password-1", DemoApps.FEISHU_SECRET, DemoApps.AUTHING_SECRET, DemoApps.BIZ_SECRET, DemoApps.ENOS_SECRET,
            "correct horse battery staple");
    private static TestServer server;
    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
    private static final List<String> TOKENS = new ArrayList<>();

    @BeforeAll
    static void start() {
        LOG.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOG);
        server = TestServer.start();
        server.loadDemo();
        server.load(GLOBEX);
    }

    @AfterAll
    static void stop() {
        server.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOG);
    }

    private static String token(String t) {
        TOKENS.add(t);
        return t;
    }

    @Test
    void feishuSeesOnlyItsTenant() {
        String acme = token(DemoApps.feishuToken(server, DemoApps.FEISHU_APP, DemoApps.FEISHU_SECRET));
        String globex = token(DemoApps.feishuToken(server, "cli_globex", "globex-feishu-secret-01"));
        String users = "/open-apis/acs/v1/users";
        // get, patch, face of the other tenant's user: not found
        assertThat(DemoApps.json(DemoApps.feishuGet(server, acme, users + "/g1?user_id_type=user_id")).path("code").asInt()).isEqualTo(1490101);
        assertThat(DemoApps.json(DemoApps.feishuGet(server, globex, users + "/u1001?user_id_type=user_id")).path("code").asInt()).isEqualTo(1490101);
        HttpResponse<String> face = DemoApps.feishuGet(server, acme, users + "/g1/face?user_id_type=user_id");
        assertThat(face.statusCode()).isEqualTo(400);
        assertThat(DemoApps.json(face).path("code").asInt()).isEqualTo(1490101);
        HttpResponse<String> patch = server.send(DemoApps.request(server, users + "/g1?user_id_type=user_id").header("Authorization", "Bearer " + acme)
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"feature\":{\"card\":1}}")).build());
        assertThat(DemoApps.json(patch).path("code").asInt()).isEqualTo(1490101);
        // the list: globex sees its one user, acme none of globex's
        JsonNode globexList = DemoApps.json(DemoApps.feishuGet(server, globex, users + "?user_id_type=user_id"));
        assertThat(globexList.path("data").path("items").findValuesAsText("user_id")).containsExactly("g1");
        JsonNode acmePage = DemoApps.json(DemoApps.feishuGet(server, acme, users + "?user_id_type=user_id&page_size=1"));
        assertThat(acmePage.path("data").path("items").findValuesAsText("user_id")).doesNotContain("g1");
        // acme's page token and open id are nothing to globex's app
        String pageToken = acmePage.path("data").path("page_token").asText();
        assertThat(DemoApps.json(DemoApps.feishuGet(server, globex, users + "?page_size=1&page_token=" + DemoApps.encode(pageToken)))
                .path("code").asInt()).isEqualTo(1490018);
        String acmeOpenId = DemoApps.json(DemoApps.feishuGet(server, acme, users + "?page_size=1")).path("data").path("items").get(0).path("user_id").asText();
        assertThat(DemoApps.json(DemoApps.feishuGet(server, acme, users + "/" + acmeOpenId)).path("code").asInt()).isZero();
        assertThat(DemoApps.json(DemoApps.feishuGet(server, globex, users + "/" + acmeOpenId)).path("code").asInt()).isEqualTo(1490101);
        // the engineering-only app of acme does not see sales
        String eng = token(DemoApps.feishuToken(server, "cli_demo_feishu_eng", "feishu-demo-secret-0002"));
        assertThat(DemoApps.json(DemoApps.feishuGet(server, eng, users + "/u1003?user_id_type=user_id")).path("code").asInt()).isIn(1490101, 99991672);
    }

    @Test
    void authingSeesOnlyItsTenant() {
        String acme = token(DemoApps.authingToken(server, DemoApps.AUTHING_APP, DemoApps.AUTHING_SECRET));
        String globex = token(DemoApps.authingToken(server, "ak_globex", "globex-authing-secret-1"));
        assertThat(DemoApps.json(DemoApps.authingGet(server, acme, "/api/v3/get-user?userId=g1")).path("apiCode").asInt()).isEqualTo(2004);
        assertThat(DemoApps.json(DemoApps.authingGet(server, acme, "/api/v3/get-user?userId=hank&userIdType=username")).path("apiCode").asInt()).isEqualTo(2004);
        assertThat(DemoApps.json(DemoApps.authingPost(server, acme, "/api/v3/update-user", "{\"userId\":\"g1\",\"name\":\"x\"}")).path("apiCode").asInt()).isEqualTo(2004);
        assertThat(DemoApps.json(DemoApps.authingPost(server, acme, "/api/v3/delete-users-batch", "{\"userIds\":[\"g1\"]}")).path("apiCode").asInt()).isEqualTo(2004);
        JsonNode list = DemoApps.json(DemoApps.authingGet(server, globex, "/api/v3/list-users?limit=50"));
        assertThat(list.path("data").path("list").findValuesAsText("userId")).containsExactly("g1");
        assertThat(DemoApps.json(DemoApps.authingGet(server, acme, "/api/v3/list-users?limit=50")).path("data").path("list")
                .findValuesAsText("userId")).doesNotContain("g1");
        // globex's user is still there, unchanged
        assertThat(DemoApps.json(DemoApps.authingGet(server, globex, "/api/v3/get-user?userId=g1")).path("data").path("name").asText()).isEqualTo("Hank");
    }

    @Test
    void bizapiSeesOnlyItsTenantsOrgs() {
        String acme = token(DemoApps.bizToken(server, DemoApps.BIZ_APP, DemoApps.BIZ_SECRET));
        String globex = token(DemoApps.bizToken(server, "biz_globex", "globex-bizapi-secret-1"));
        // org num 10 exists in both tenants: each app gets its own tenant's users
        JsonNode acmeUsers = DemoApps.json(DemoApps.bizList(server, acme, DemoApps.BIZ_APP, "10"));
        JsonNode globexUsers = DemoApps.json(DemoApps.bizList(server, globex, "biz_globex", "10"));
        assertThat(globexUsers.path("data").findValuesAsText("account")).containsExactly("hank");
        assertThat(acmeUsers.path("data").findValuesAsText("account")).isNotEmpty().doesNotContain("hank");
        // a token counts only with its own app's X-App-Id
        assertThat(DemoApps.bizList(server, acme, "biz_globex", "10").statusCode()).isEqualTo(401);
        assertThat(DemoApps.bizList(server, globex, DemoApps.BIZ_APP, "10").statusCode()).isEqualTo(401);
    }

    @Test
    void enosSignsInOnlyItsTenantsUsers() {
        String gateway = token(DemoApps.enosGatewayToken(server, DemoApps.ENOS_APP, DemoApps.ENOS_SECRET));
        HttpResponse<String> login = DemoApps.enosPost(server, gateway, DemoApps.ENOS_SECRET, "/app-portal-service/v2.2/login",
                "{\"account\":\"hank\",\"password\":\"globex-password-1\"}", null);
        assertThat(DemoApps.json(login).path("code").asInt()).isEqualTo(31401);
        String user = token(DemoApps.enosLogin(server, gateway, DemoApps.ENOS_SECRET, "zhangsan", "correct horse battery staple"));
        JsonNode list = DemoApps.json(DemoApps.enosPost(server, gateway, DemoApps.ENOS_SECRET, "/app-portal-service/v2.2/user/list", "{}", user));
        assertThat(list.path("data").path("users").findValuesAsText("userId")).isNotEmpty().doesNotContain("g1");
    }

    @Test
    void tokensOfAnotherKindForgedOrRevokedAreRefused() {
        String feishu = token(DemoApps.feishuToken(server, "cli_globex", "globex-feishu-secret-01"));
        String authing = token(DemoApps.authingToken(server, "ak_globex", "globex-authing-secret-1"));
        // another dialect's token, or a forged one
        assertThat(DemoApps.json(DemoApps.feishuGet(server, "t-" + authing, "/open-apis/acs/v1/users")).path("code").asInt()).isEqualTo(99991663);
        assertThat(DemoApps.json(DemoApps.authingGet(server, feishu, "/api/v3/list-users")).path("statusCode").asInt()).isEqualTo(401);
        String forged = "t-" + feishu.substring(2, 24) + "0".repeat(32);
        assertThat(DemoApps.json(DemoApps.feishuGet(server, forged, "/open-apis/acs/v1/users")).path("code").asInt()).isEqualTo(99991663);
        String[] jwt = authing.split("\\.");
        String tampered = jwt[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"scoped_userpool_id\":\"acme\",\"jti\":\"x\",\"exp\":9999999999}".getBytes()) + "." + jwt[2];
        assertThat(DemoApps.json(DemoApps.authingGet(server, tampered, "/api/v3/list-users")).path("statusCode").asInt()).isEqualTo(401);
        // a new secret revokes the app's tokens
        assertThat(server.admin("PATCH", "/admin/v1/tenants/globex/apps/cli_globex", "{\"secret\":\"globex-feishu-secret-02\"}").statusCode()).isEqualTo(200);
        assertThat(DemoApps.json(DemoApps.feishuGet(server, feishu, "/open-apis/acs/v1/users")).path("code").asInt()).isEqualTo(99991663);
        assertThat(DemoApps.json(DemoApps.postJson(server, "/open-apis/auth/v3/tenant_access_token/internal",
                "{\"app_id\":\"cli_globex\",\"app_secret\":\"globex-feishu-secret-01\"}")).path("code").asInt()).isEqualTo(10014);
        token(DemoApps.feishuToken(server, "cli_globex", "globex-feishu-secret-02"));
        server.admin("PATCH", "/admin/v1/tenants/globex/apps/cli_globex", "{\"secret\":\"globex-feishu-secret-01\"}");
    }

    @Test
    void secretsStayOutOfAnswersAndLogs() {
        String apps = server.admin("GET", "/admin/v1/tenants/globex/apps", null).body()
                + server.admin("GET", "/admin/v1/tenants/globex/users/g1", null).body();
        for (String secret : SECRETS) assertThat(apps).doesNotContain(secret);
        // wrong credentials: refused without echoing them
        HttpResponse<String> wrong = DemoApps.postJson(server, "/api/v3/get-management-token",
                "{\"accessKeyId\":\"ak_globex\",\"accessKeySecret\":\"globex-authing-secret-1x\"}");
        assertThat(wrong.body()).doesNotContain("globex-authing-secret-1");
        DemoApps.bizToken(server, "biz_globex", "globex-bizapi-secret-1");
        // every log line so far (this class's calls included): no secret, password or token
        List<String> lines = LOG.list.stream().map(e -> e.getFormattedMessage() + e.getMDCPropertyMap()
                + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).toList();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            for (String secret : SECRETS) assertThat(line).doesNotContain(secret);
            for (String token : TOKENS) assertThat(line).doesNotContain(token.length() > 30 ? token.substring(token.length() - 30) : token);
        }
    }
}
