package roster.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static roster.scim.ScimClient.assertError;
import static roster.scim.ScimClient.enc;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;

/** Groups over the raw wire: ETags from the stored group version, and cursor walks that survive deletions. */
class ScimGroupsTest {

    static final String PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
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
    void aGroupsVersionChangesWithItsNameOrMembersWhoeverChangesThem() {
        String id = scim.json("POST", "/Groups", "{\"displayName\":\"Night shift\",\"members\":[{\"value\":\"u1001\"}]}", 201).path("id").asText();
        HttpResponse<String> read = scim.get("/Groups/" + id);
        String v1 = read.headers().firstValue("ETag").orElseThrow();
        assertThat(v1).matches("W/\"\\d+\"").isEqualTo(DemoApps.json(read).path("meta").path("version").asText());
        assertThat(scim.get("/Groups/" + id, "If-None-Match", v1).statusCode()).isEqualTo(304);

        // a write that changes nothing keeps the version
        scim.json("PUT", "/Groups/" + id, "{\"displayName\":\"Night shift\",\"members\":[{\"value\":\"u1001\"}]}", 200);
        assertThat(etag(id)).isEqualTo(v1);

        // a member added through SCIM's Users (the Roster extension) is a change of the group
        scim.json("PATCH", "/Users/u1002", "{\"schemas\":[\"" + PATCH + "\"],\"Operations\":[{\"op\":\"add\",\"path\":\""
                + ScimUsersTest.ROSTER + ":accessGroups\",\"value\":[\"lab-doors\",\"" + id + "\"]}]}", 200);
        String v2 = etag(id);
        assertThat(v2).isNotEqualTo(v1);
        assertThat(scim.get("/Groups/" + id, "If-None-Match", v1).statusCode()).isEqualTo(200);

        // so is a member removed through the admin API, and a member deleted
        HttpResponse<String> admin = server.admin("PATCH", "/admin/v1/tenants/acme/users/u1002", "{\"acs\":{\"groups\":[\"lab-doors\"]}}");
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
        String v3 = etag(id);
        assertThat(v3).isNotIn(v1, v2);
        assertThat(scim.send("DELETE", "/Users/u1001", null).statusCode()).isEqualTo(204);
        String v4 = etag(id);
        assertThat(v4).isNotIn(v1, v2, v3);
        assertThat(scim.json("GET", "/Groups/" + id, null, 200).path("members").size()).isZero();

        // and a new name
        scim.json("PATCH", "/Groups/" + id, "{\"schemas\":[\"" + PATCH + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"Day shift\"}]}", 200);
        String v5 = etag(id);
        assertThat(v5).isNotIn(v1, v2, v3, v4);

        // the version is stored: a second process on the database answers with the same one
        try (TestServer other = server.alongside(UnaryOperator.identity())) {
            ScimClient there = ScimClient.basic(other, ScimClient.APP, ScimClient.SECRET);
            assertThat(there.get("/Groups/" + id).headers().firstValue("ETag")).contains(v5);
            assertThat(there.get("/Groups/" + id, "If-None-Match", v5).statusCode()).isEqualTo(304);
        }
    }

    @Test
    void ifMatchGuardsEveryWriteOfAGroup() {
        String id = scim.json("POST", "/Groups", "{\"displayName\":\"Guarded\"}", 201).path("id").asText();
        String tag = etag(id);
        String rename = "{\"schemas\":[\"" + PATCH + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"Renamed\"}]}";
        assertError(scim.send("PATCH", "/Groups/" + id, rename, "If-Match", "W/\"1\""), 412, null);
        assertError(scim.send("PUT", "/Groups/" + id, "{\"displayName\":\"Other\"}", "If-Match", "W/\"1\""), 412, null);
        assertError(scim.send("DELETE", "/Groups/" + id, null, "If-Match", "W/\"1\""), 412, null);
        assertThat(scim.json("GET", "/Groups/" + id, null, 200).path("displayName").asText()).isEqualTo("Guarded");

        HttpResponse<String> patched = scim.send("PATCH", "/Groups/" + id, rename, "If-Match", tag);
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        String newTag = patched.headers().firstValue("ETag").orElseThrow();
        assertThat(newTag).isNotEqualTo(tag).isEqualTo(DemoApps.json(patched).path("meta").path("version").asText()).isEqualTo(etag(id));
        assertError(scim.send("DELETE", "/Groups/" + id, null, "If-Match", tag), 412, null);
        assertThat(scim.send("DELETE", "/Groups/" + id, null, "If-Match", newTag).statusCode()).isEqualTo(204);
        assertError(scim.get("/Groups/" + id), 404, null);
        // a Bulk operation's version is its If-Match
        String bulk = scim.json("POST", "/Bulk", """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[
                 {"method":"PUT","path":"/Groups/hq-doors","version":"W/\\"1\\"","data":{"displayName":"HQ"}}]}""", 200).toString();
        assertThat(bulk).contains("\"status\":\"412\"");
    }

    @Test
    void aGroupCursorWalkSeesEveryGroupThatStaysExactlyOnce() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 12; i++) made.add(scim.json("POST", "/Groups", "{\"displayName\":\"walk " + i + "\"}", 201).path("id").asText());
        String filter = "&filter=" + enc("displayName sw \"walk \"");
        List<String> seen = new ArrayList<>();
        Set<String> deleted = new HashSet<>();
        JsonNode page = scim.json("GET", "/Groups?count=3&cursor=" + filter, null, 200);
        int pages = 0;
        while (true) {
            page.path("Resources").forEach(g -> seen.add(g.path("id").asText()));
            // between pages, a group already seen goes and a new one comes: neither may move the walk
            String gone = seen.get(seen.size() - 1);
            if (deleted.add(gone)) assertThat(scim.send("DELETE", "/Groups/" + gone, null).statusCode()).isEqualTo(204);
            scim.json("POST", "/Groups", "{\"displayName\":\"walk new " + pages + "\"}", 201);
            String next = page.path("nextCursor").asText(null);
            if (next == null || ++pages > 100) break;
            page = scim.json("GET", "/Groups?count=3&cursor=" + enc(next) + filter, null, 200);
        }
        assertThat(seen).doesNotHaveDuplicates().containsAll(made);
        assertError(scim.get("/Groups?count=3&cursor=" + enc(scim.json("GET", "/Groups?count=1&cursor=" + filter, null, 200)
                .path("nextCursor").asText())), 400, "invalidCursor"); // bound to its filter
        assertError(scim.get("/Groups?cursor=forged.Zm9v"), 400, "invalidCursor");
        assertError(scim.get("/Groups?cursor=&sortBy=displayName"), 400, "invalidValue");
    }

    private static String etag(String id) {
        return scim.get("/Groups/" + id).headers().firstValue("ETag").orElseThrow();
    }
}
