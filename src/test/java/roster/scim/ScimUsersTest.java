package roster.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static roster.scim.ScimClient.assertError;
import static roster.scim.ScimClient.enc;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;

/** Users over the raw wire: the mapping both ways, filters, sorting, paging, ETags, PATCH as Entra ID and Okta send it. */
class ScimUsersTest {

    static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    static final String ROSTER = "urn:roster:params:scim:schemas:extension:roster:2.0:User";
    static TestServer server;
    static ScimClient scim;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        scim = ScimClient.demo(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aCanonicalUserReadsAsAScimUser() {
        JsonNode ada = scim.json("GET", "/Users/u1005", null, 200);
        assertThat(ada.path("id").asText()).isEqualTo("u1005");
        assertThat(ada.path("userName").asText()).isEqualTo("ada");
        assertThat(ada.path("active").asBoolean()).isTrue();
        assertThat(ada.path("emails").get(0).path("value").asText()).isEqualTo("ada@acme.example");
        assertThat(ada.path("emails").get(0).path("primary").asBoolean()).isTrue();
        assertThat(ada.path(ROSTER).path("departments").toString()).isEqualTo("[\"eng\"]");
        assertThat(ada.path(ROSTER).path("accessGroups").toString()).isEqualTo("[\"hq-doors\",\"lab-doors\"]");
        assertThat(ada.path("groups").size()).isEqualTo(2);
        assertThat(ada.path("meta").path("resourceType").asText()).isEqualTo("User");
        assertThat(ada.path("meta").path("version").asText()).matches("W/\"\\d+\"");
        assertThat(ada.path("meta").path("location").asText()).endsWith("/scim/v2/Users/u1005");
        assertThat(ada.has("password")).isFalse();

        JsonNode resigned = scim.json("GET", "/Users/u1004", null, 200);
        assertThat(resigned.path("active").asBoolean()).isFalse();
        assertThat(resigned.path(ROSTER).path("status").asText()).isEqualTo("resigned");
    }

    @Test
    void createReadReplaceDeleteKeepsEveryMappedAttribute() {
        String body = """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","%s"],
                 "userName":"grace","externalId":"ext-grace","active":true,
                 "name":{"givenName":"Grace","familyName":"Hopper","formatted":"Grace Hopper"},
                 "displayName":"Grace Hopper","nickName":"Amazing Grace","title":"Rear Admiral",
                 "emails":[{"value":"old@navy.example","type":"home"},{"value":"grace@navy.example","type":"work","primary":true}],
                 "phoneNumbers":[{"value":"+1 555-0100","type":"work"}],
                 "photos":[{"value":"https://img.example/grace.png","type":"photo"}],
                 "addresses":[{"streetAddress":"1 Navy Way","locality":"Arlington","region":"VA","postalCode":"22202","country":"US","type":"work"}],
                 "password":"correct horse battery",
                 "%s":{"employeeNumber":"701","department":"Navy","organization":"USN","manager":{"value":"u1005"}},
                 "%s":{"departments":["eng"],"accessGroups":["lab-doors"],"card":4242,"customData":{"shoe":"9"}}}
                """.formatted(ENTERPRISE, ENTERPRISE, ROSTER);
        HttpResponse<String> created = scim.send("POST", "/Users", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode grace = DemoApps.json(created);
        String id = grace.path("id").asText();
        assertThat(created.headers().firstValue("Location").orElseThrow()).endsWith("/scim/v2/Users/" + id);
        assertThat(created.headers().firstValue("ETag").orElseThrow()).isEqualTo(grace.path("meta").path("version").asText());
        assertThat(grace.path("name").path("givenName").asText()).isEqualTo("Grace");
        assertThat(grace.path("name").path("familyName").asText()).isEqualTo("Hopper");
        assertThat(grace.path("displayName").asText()).isEqualTo("Grace Hopper");
        assertThat(grace.path("title").asText()).isEqualTo("Rear Admiral");
        assertThat(grace.path("emails").size()).isEqualTo(1);
        assertThat(grace.path("emails").get(0).path("value").asText()).isEqualTo("grace@navy.example");
        assertThat(grace.path("phoneNumbers").get(0).path("value").asText()).isEqualTo("+1 555-0100");
        assertThat(grace.path("addresses").get(0).path("locality").asText()).isEqualTo("Arlington");
        assertThat(grace.path(ENTERPRISE).path("employeeNumber").asText()).isEqualTo("701");
        assertThat(grace.path(ENTERPRISE).path("manager").path("value").asText()).isEqualTo("u1005");
        assertThat(grace.path(ROSTER).path("card").asInt()).isEqualTo(4242);
        assertThat(grace.path(ROSTER).path("customData").path("shoe").asText()).isEqualTo("9");
        assertThat(grace.has("password")).isFalse();

        // the canonical user, as the admin API shows it
        JsonNode canonical = DemoApps.json(server.admin("GET", "/admin/v1/tenants/acme/users/" + id, null));
        assertThat(canonical.path("username").asText()).isEqualTo("grace");
        assertThat(canonical.path("name").asText()).isEqualTo("Grace Hopper");
        assertThat(canonical.path("phone_country_code").asText()).isEqualTo("+1");
        assertThat(canonical.path("phone").asText()).isEqualTo("555-0100");
        assertThat(canonical.path("city").asText()).isEqualTo("Arlington");
        assertThat(canonical.path("custom_data").path("shoe").asText()).isEqualTo("9");
        assertThat(canonical.path("custom_data").path("scim").path("givenName").asText()).isEqualTo("Grace");
        assertThat(canonical.has("password_hash")).isFalse();

        // PUT replaces the core attributes; the Roster extension left out is kept; active=false suspends
        JsonNode replaced = scim.json("PUT", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"grace","active":false,
                 "name":{"givenName":"Grace","familyName":"Hopper"}}""", 200);
        assertThat(replaced.has("emails")).isFalse();
        assertThat(replaced.has("title")).isFalse();
        assertThat(replaced.path("displayName").asText()).isEqualTo("Grace Hopper");
        assertThat(replaced.path("active").asBoolean()).isFalse();
        assertThat(replaced.path(ROSTER).path("status").asText()).isEqualTo("suspended");
        assertThat(replaced.path(ROSTER).path("accessGroups").toString()).isEqualTo("[\"lab-doors\"]");
        assertThat(replaced.path(ROSTER).path("card").asInt()).isEqualTo(4242);

        assertThat(scim.send("DELETE", "/Users/" + id, null).statusCode()).isEqualTo(204);
        assertError(scim.get("/Users/" + id), 404, null);
        // the deletion is a change like any other: a tombstone in the change feed
        JsonNode feed = DemoApps.json(server.admin("GET", "/admin/v1/tenants/acme/changes?limit=1000", null));
        List<String> tombstones = new ArrayList<>();
        feed.path("changes").forEach(c -> { if (c.path("deleted").asBoolean()) tombstones.add(c.path("user_id").asText()); });
        assertThat(tombstones).contains(id);
    }

    @Test
    void filtersAreTranslatedForTheCoreAndCaseRulesHold() {
        assertThat(ids("userName eq \"ADA\"")).containsExactly("u1005");
        assertThat(ids("UserName Eq \"ada\"")).containsExactly("u1005");
        assertThat(ids("emails[type eq \"work\" and value co \"LISI\"]")).containsExactly("u1002");
        assertThat(ids("emails.value ew \"@acme.example\" and not (userName sw \"z\")")).containsExactly("u1002", "u1005");
        assertThat(ids("active eq false")).containsExactly("u1003", "u1004");
        assertThat(ids("id eq \"u1001\" or id eq \"u1006\"")).containsExactly("u1001", "u1006");
        assertThat(ids("id eq \"U1001\"")).isEmpty(); // id is caseExact
        assertThat(ids("emails pr and " + ROSTER + ":departments eq \"eng\"")).containsExactly("u1001", "u1002", "u1005");
        assertThat(ids("groups eq \"lab-doors\"")).containsExactly("u1002", "u1005");
        assertThat(ids("meta.created gt \"2000-01-01T00:00:00Z\" and userName pr")).hasSize(5);
        assertThat(ids(ROSTER + ":status eq \"resigned\"")).containsExactly("u1004");
        assertThat(ids("not (" + ROSTER + ":departments pr)")).containsExactly("u1006");
    }

    @Test
    void badFiltersAreInvalidFilter() {
        for (String bad : List.of("userName eq", "userName xx \"a\"", "(userName eq \"a\"", "userName eq \"a", "foo eq \"a\"",
                "userName eq ada", "meta.created gt \"yesterday\"", "emails[type eq \"work\"", "not userName eq \"a\"",
                "urn:nope:thing eq \"a\"", "((((((((((((((((((((((((((((((((((userName pr))))))))))))))))))))))))))))))))))")) {
            assertError(scim.get("/Users?filter=" + enc(bad)), 400, "invalidFilter");
        }
    }

    @Test
    void indexPagesHaveExactTotalsAndSortWorks() {
        JsonNode page = scim.json("GET", "/Users?startIndex=2&count=2", null, 200);
        assertThat(page.path("totalResults").asInt()).isEqualTo(6);
        assertThat(page.path("startIndex").asInt()).isEqualTo(2);
        assertThat(page.path("itemsPerPage").asInt()).isEqualTo(2);
        assertThat(page.path("Resources").get(0).path("id").asText()).isEqualTo("u1002");
        JsonNode sorted = scim.json("GET", "/Users?filter=" + enc("userName pr") + "&sortBy=userName&sortOrder=descending", null, 200);
        List<String> names = new ArrayList<>();
        sorted.path("Resources").forEach(u -> names.add(u.path("userName").asText()));
        assertThat(names).containsExactly("zhaoliu", "zhangsan", "wangwu", "lisi", "ada");
        assertError(scim.get("/Users?sortBy=nickName"), 400, "invalidValue");
        assertError(scim.get("/Users?count=ten"), 400, "invalidValue");
        assertThat(scim.json("GET", "/Users?count=0", null, 200).path("Resources").size()).isZero();
        JsonNode only = scim.json("GET", "/Users/u1005?attributes=userName,name.givenName", null, 200);
        assertThat(only.has("emails")).isFalse();
        assertThat(only.path("userName").asText()).isEqualTo("ada");
        JsonNode without = scim.json("GET", "/Users/u1005?excludedAttributes=emails," + ROSTER, null, 200);
        assertThat(without.has("emails")).isFalse();
        assertThat(without.has(ROSTER)).isFalse();
        assertThat(without.has("userName")).isTrue();
        JsonNode searched = scim.json("POST", "/Users/.search", """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"userName eq \\"lisi\\"","count":5}""", 200);
        assertThat(searched.path("Resources").get(0).path("id").asText()).isEqualTo("u1002");
    }

    @Test
    void etagsGuardWrites() {
        HttpResponse<String> read = scim.get("/Users/u1001");
        String etag = read.headers().firstValue("ETag").orElseThrow();
        assertThat(scim.get("/Users/u1001", "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(scim.get("/Users/u1001", "If-None-Match", "W/\"999999\"").statusCode()).isEqualTo(200);
        String patch = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"nickName\",\"value\":\"zs\"}]}";
        assertError(scim.send("PATCH", "/Users/u1001", patch, "If-Match", "W/\"999999\""), 412, null);
        HttpResponse<String> patched = scim.send("PATCH", "/Users/u1001", patch, "If-Match", etag);
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        String newTag = patched.headers().firstValue("ETag").orElseThrow();
        assertThat(newTag).isNotEqualTo(etag);
        assertError(scim.send("DELETE", "/Users/u1001", null, "If-Match", etag), 412, null);
        assertThat(scim.get("/Users/u1001").statusCode()).isEqualTo(200);
    }

    @Test
    void patchAsEntraIdSendsIt() {
        String id = scim.json("POST", "/Users", "{\"userName\":\"lisi2\",\"displayName\":\"Li\"}", 201).path("id").asText();
        // Entra ID: capitalised ops, string booleans, value filters that create the value, URN-qualified paths
        JsonNode u = scim.json("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
                 {"op":"Replace","path":"active","value":"False"},
                 {"op":"Add","path":"emails[type eq \\"work\\"].value","value":"li.si@acme.example"},
                 {"op":"Replace","path":"name.givenName","value":"Si"},
                 {"op":"Add","path":"phoneNumbers[type eq \\"mobile\\"].value","value":"+86 13800000000"},
                 {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"1002"},
                 {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"u1005"},
                 {"op":"Replace","value":{"displayName":"Li Si","nickName":"ls"}}]}""", 200);
        assertThat(u.path("active").asBoolean()).as(u.toString()).isFalse();
        assertThat(u.path("emails").get(0).path("value").asText()).isEqualTo("li.si@acme.example");
        assertThat(u.path("name").path("givenName").asText()).isEqualTo("Si");
        assertThat(u.path("displayName").asText()).isEqualTo("Li Si");
        assertThat(u.path("phoneNumbers").get(0).path("value").asText()).isEqualTo("+86 13800000000");
        assertThat(u.path(ENTERPRISE).path("employeeNumber").asText()).isEqualTo("1002");
        assertThat(u.path(ENTERPRISE).path("manager").path("value").asText()).isEqualTo("u1005");
        // Okta: replace without a path, active as a boolean
        JsonNode back = scim.json("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":true}}]}""", 200);
        assertThat(back.path("active").asBoolean()).isTrue();
        JsonNode removed = scim.json("PATCH", "/Users/" + id, """
                {"Operations":[{"op":"remove","path":"emails[value eq \\"LI.SI@acme.example\\"]"},{"op":"remove","path":"name.givenName"}]}""", 200);
        assertThat(removed.has("emails")).isFalse();
        assertThat(removed.path("name").has("givenName")).isFalse();
        assertThat(scim.send("DELETE", "/Users/" + id, null).statusCode()).isEqualTo(204);
    }

    @Test
    void refusalsAreScimErrors() {
        assertError(scim.send("PATCH", "/Users/u1005", "{\"Operations\":[{\"op\":\"replace\",\"path\":\"id\",\"value\":\"x\"}]}"), 400, "mutability");
        assertError(scim.send("PATCH", "/Users/u1005", "{\"Operations\":[{\"op\":\"replace\",\"path\":\"emails[type eq\",\"value\":\"x\"}]}"), 400, "invalidPath");
        assertError(scim.send("PATCH", "/Users/u1005", "{\"Operations\":[{\"op\":\"move\",\"path\":\"nickName\"}]}"), 400, "invalidSyntax");
        assertError(scim.send("PATCH", "/Users/u1005", "{\"Operations\":[{\"op\":\"remove\"}]}"), 400, "noTarget");
        assertError(scim.send("PATCH", "/Users/u1005", "{\"Operations\":[{\"op\":\"replace\",\"path\":\"emails[value sw \\\"x\\\"].value\",\"value\":\"a@b\"}]}"), 400, "noTarget");
        assertError(scim.send("POST", "/Users", "{\"userName\":\"ada\"}"), 409, "uniqueness");
        assertError(scim.send("POST", "/Users", "{\"userName\":\"someone\",\"emails\":[{\"value\":\"not an email\"}]}"), 400, "invalidValue");
        assertError(scim.send("POST", "/Users", "{\"displayName\":\"no user name\"}"), 400, "invalidValue");
        assertError(scim.send("POST", "/Users", "{\"userName\":"), 400, "invalidSyntax");
        assertError(scim.send("POST", "/Users", "[1,2]"), 400, "invalidSyntax");
        assertError(scim.send("PUT", "/Users/u1005", "{\"userName\":\"ada\",\"active\":\"maybe\"}"), 400, "invalidValue");
        assertError(scim.get("/Users/nobody"), 404, null);
        assertError(scim.get("/Nothing"), 404, null);
        assertError(scim.send("POST", "/Bulk", "{}"), 400, "invalidSyntax");
        assertError(scim.get("/Users?cursor=forged"), 400, "invalidCursor");
        assertError(scim.get("/Users?cursor=&startIndex=1"), 400, "invalidValue");
        assertThat(scim.get("/Users/u1005").statusCode()).isEqualTo(200);
    }

    @Test
    void callersAreCheckedBeforeAnything() {
        assertError(ScimClient.bearer(server, "nonsense").get("/Users"), 401, null);
        assertError(ScimClient.basic(server, ScimClient.APP, "wrong").get("/Users"), 401, null);
        assertError(new ScimClientNoAuth().get("/Users"), 401, null);
        // an app without scope scim
        assertError(ScimClient.basic(server, DemoApps.FEISHU_APP, DemoApps.FEISHU_SECRET).get("/Users"), 403, null);
        // the discovery endpoints need no credentials
        assertThat(new ScimClientNoAuth().get("/ServiceProviderConfig").statusCode()).isEqualTo(200);

        // a token of POST /oauth2/token
        String token = ScimClient.oauthToken(server, ScimClient.APP, ScimClient.SECRET);
        assertThat(ScimClient.bearer(server, token).get("/Users/u1005").statusCode()).isEqualTo(200);

        // a long-lived token: minted, listed without its value, stored hashed, revoked
        JsonNode minted = ScimClient.mint(server, ScimClient.APP);
        String value = minted.path("token").asText();
        assertThat(ScimClient.bearer(server, value).get("/Users/u1005").statusCode()).isEqualTo(200);
        String listed = server.admin("GET", "/admin/v1/tenants/acme/apps/" + ScimClient.APP + "/tokens", null).body();
        assertThat(listed).contains(minted.path("id").asText()).doesNotContain(value);
        assertThat(server.sql("SELECT COUNT(*) FROM tokens WHERE id = '" + value + "'")).isEqualTo("0");
        assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/apps/" + ScimClient.APP + "/tokens/" + minted.path("id").asText(), null).statusCode()).isEqualTo(204);
        assertError(ScimClient.bearer(server, value).get("/Users/u1005"), 401, null);
        assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/apps/" + ScimClient.APP + "/tokens/" + minted.path("id").asText(), null).statusCode()).isEqualTo(404);
    }

    /** Without any Authorization header. */
    private static final class ScimClientNoAuth {
        HttpResponse<String> get(String path) {
            return server.send(DemoApps.request(server, "/scim/v2" + path).GET().build());
        }
    }

    private static List<String> ids(String filter) {
        JsonNode page = scim.json("GET", "/Users?count=1000&filter=" + enc(filter), null, 200);
        List<String> ids = new ArrayList<>();
        page.path("Resources").forEach(u -> ids.add(u.path("id").asText()));
        assertThat(page.path("totalResults").asInt()).isEqualTo(ids.size());
        return ids;
    }
}
