package roster.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;

/**
 * The API description holds against the server: a valid OpenAPI 3.1 document (swagger-parser's judgement), every
 * route the server registers described and nothing described that it does not serve, and real answers of every
 * front end, success and refusal, valid against the schemas the document gives them.
 */
class ApiDocsTest {

    static TestServer server;
    static JsonNode doc;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        server.loadDemo();
        doc = JSON.readTree(server.send(DemoApps.request(server, "/openapi.json").GET().build()).body());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theDocumentIsValidOpenApi31() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(doc.toString(), null, options);
        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(result.getOpenAPI().getPaths()).containsKeys("/open-apis/acs/v1/users", "/api/v3/list-users",
                "/app-portal-service/v2.2/user/list", "/user/list", "/admin/v1/tenants/{tenant}/users");
    }

    @Test
    void everyRouteIsDescribedAndEveryDescriptionIsARoute() {
        Set<String> served = new TreeSet<>();
        for (String route : server.server.routes()) {
            if (route.contains("*")) continue; // catch-alls that answer "no such API" in a dialect's envelope
            // a page that answers HEAD as its GET (the console) is described by its GET
            served.add(route.startsWith("HEAD ") ? "GET " + route.substring(5) : route);
        }
        Set<String> described = new TreeSet<>();
        for (Iterator<String> paths = doc.path("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            for (String method : new String[] {"get", "post", "put", "patch", "delete"}) {
                if (doc.path("paths").path(path).has(method)) described.add(method.toUpperCase() + " " + path);
            }
        }
        assertThat(described).as("described but not served").isSubsetOf(served);
        assertThat(served).as("served but not described").isSubsetOf(described);
    }

    @Test
    void realAnswersMatchTheirSchemas() {
        String feishu = DemoApps.feishuToken(server, DemoApps.FEISHU_APP, DemoApps.FEISHU_SECRET);
        check("/open-apis/acs/v1/users", "get", DemoApps.feishuGet(server, feishu, "/open-apis/acs/v1/users?page_size=2"));
        check("/open-apis/acs/v1/users", "get", DemoApps.feishuGet(server, "t-forged", "/open-apis/acs/v1/users"));
        String authing = DemoApps.authingToken(server, DemoApps.AUTHING_APP, DemoApps.AUTHING_SECRET);
        check("/api/v3/list-users", "get", DemoApps.authingGet(server, authing, "/api/v3/list-users?withCustomData=true&withIdentities=true&withDepartmentIds=true"));
        check("/api/v3/get-user", "get", DemoApps.authingGet(server, authing, "/api/v3/get-user?userId=nobody"));
        String gateway = DemoApps.enosGatewayToken(server, DemoApps.ENOS_APP, DemoApps.ENOS_SECRET);
        check("/app-portal-service/v2.2/user/list", "post",
                DemoApps.enosPost(server, gateway, DemoApps.ENOS_SECRET, "/app-portal-service/v2.2/user/list", "{}", "enos-not-a-token"));
        String biz = DemoApps.bizToken(server, DemoApps.BIZ_APP, DemoApps.BIZ_SECRET);
        check("/user/list", "get", DemoApps.bizList(server, biz, DemoApps.BIZ_APP, "1"));
        check("/user/list", "get", DemoApps.bizList(server, biz, DemoApps.BIZ_APP, "999999"));
        check("/admin/v1/tenants/{tenant}/users", "get", server.admin("GET", "/admin/v1/tenants/acme/users?limit=2", null));
        check("/admin/v1/tenants/{tenant}/users", "get", server.admin("GET", "/admin/v1/tenants/acme/users?limit=0", null));
        check("/admin/v1/tenants/{tenant}/changes", "get", server.admin("GET", "/admin/v1/tenants/acme/changes?limit=3", null));
        check("/admin/v1/tenants/{tenant}/apps", "get", server.admin("GET", "/admin/v1/tenants/acme/apps", null));
        check("/readyz", "get", server.send(DemoApps.request(server, "/readyz").GET().build()));
    }

    @Test
    void theSchemasDoRefuseAWrongAnswer() {
        assertThat(errors("/open-apis/acs/v1/users", "get", 200, "{\"code\":\"zero\",\"msg\":\"ok\"}")).isNotEmpty();
        assertThat(errors("/user/list", "get", 200, "{\"code\":0,\"message\":\"ok\",\"status\":\"success\",\"data\":[{\"userId\":\"x\"}]}")).isNotEmpty();
        assertThat(errors("/admin/v1/tenants/{tenant}/users", "get", 400, "{\"error\":\"invalid_input\"}")).isNotEmpty();
    }

    private static void check(String path, String method, HttpResponse<String> answer) {
        assertThat(errors(path, method, answer.statusCode(), answer.body())).as(method + " " + path + " " + answer.statusCode() + ": " + answer.body()).isEmpty();
    }

    /** The body against the schema the document gives its status (or its default), with the whole document in scope for $refs. */
    private static Set<ValidationMessage> errors(String path, String method, int statusCode, String body) {
        JsonNode responses = doc.path("paths").path(path).path(method).path("responses");
        String status = String.valueOf(statusCode);
        String key = responses.has(status) ? status : "default";
        assertThat(responses.has(key)).as(method + " " + path + " documents status " + status).isTrue();
        JsonNode response = responses.get(key);
        if (response.has("$ref")) response = doc.at(response.get("$ref").asText().substring(1));
        JsonNode content = response.path("content").path("application/json").path("schema");
        assertThat(content.isMissingNode()).as(method + " " + path + " " + status + " has a JSON schema").isFalse();
        ObjectNode schema = doc.deepCopy();
        String pointer = "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method + "/responses/" + key;
        schema.put("$ref", response == responses.get(key) ? pointer + "/content/application~1json/schema"
                : responses.get(key).get("$ref").asText() + "/content/application~1json/schema");
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema).validate(readJson(body));
    }

    private static JsonNode readJson(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
