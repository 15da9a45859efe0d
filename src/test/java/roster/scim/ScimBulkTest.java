package roster.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static roster.scim.ScimClient.assertError;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.TestServer;

/** POST /Bulk (RFC 7644 §3.7): operations in order, bulkId references, each its own status, failOnErrors. */
class ScimBulkTest {

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
    void aGroupCreatedWithTheUsersCreatedBeforeIt() {
        JsonNode answer = scim.json("POST", "/Bulk", """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[
                 {"method":"POST","path":"/Users","bulkId":"u1","data":{"userName":"bulk-one"}},
                 {"method":"POST","path":"/Users","bulkId":"u2","data":{"userName":"bulk-two"}},
                 {"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"Bulk","members":[{"value":"bulkId:u1"},{"value":"bulkId:u2"}]}},
                 {"method":"PATCH","path":"/Users/bulkId:u2","data":{"Operations":[{"op":"replace","path":"nickName","value":"two"}]}},
                 {"method":"DELETE","path":"/Users/u1006"}]}""", 200);
        JsonNode ops = answer.path("Operations");
        assertThat(answer.path("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:BulkResponse");
        assertThat(ops.size()).isEqualTo(5);
        for (int i = 0; i < 3; i++) assertThat(ops.get(i).path("status").asText()).as(ops.get(i).toString()).isEqualTo("201");
        assertThat(ops.get(3).path("status").asText()).isEqualTo("200");
        assertThat(ops.get(3).path("version").asText()).startsWith("W/");
        assertThat(ops.get(4).path("status").asText()).isEqualTo("204");
        String groupUrl = ops.get(2).path("location").asText();
        String groupId = groupUrl.substring(groupUrl.lastIndexOf('/') + 1);
        JsonNode group = scim.json("GET", "/Groups/" + groupId, null, 200);
        Set<String> members = new HashSet<>();
        group.path("members").forEach(m -> members.add(m.path("value").asText()));
        String u1 = last(ops.get(0).path("location").asText());
        String u2 = last(ops.get(1).path("location").asText());
        assertThat(members).containsExactlyInAnyOrder(u1, u2);
        assertThat(scim.json("GET", "/Users/" + u2, null, 200).path("nickName").asText()).isEqualTo("two");
        assertError(scim.get("/Users/u1006"), 404, null);
    }

    @Test
    void eachFailureIsItsOwnAndFailOnErrorsStops() {
        JsonNode answer = scim.json("POST", "/Bulk", """
                {"failOnErrors":2,"Operations":[
                 {"method":"POST","path":"/Users","bulkId":"a","data":{"userName":"ada"}},
                 {"method":"PATCH","path":"/Users/bulkId:nope","data":{"Operations":[]}},
                 {"method":"POST","path":"/Users","bulkId":"c","data":{"userName":"never-written"}}]}""", 200);
        JsonNode ops = answer.path("Operations");
        assertThat(ops.size()).isEqualTo(2);
        assertThat(ops.get(0).path("status").asText()).isEqualTo("409");
        assertThat(ops.get(0).path("response").path("scimType").asText()).isEqualTo("uniqueness");
        assertThat(ops.get(1).path("status").asText()).isEqualTo("409");
        assertThat(ops.get(1).path("response").path("scimType").asText()).isEqualTo("invalidValue");
        assertThat(scim.json("GET", "/Users?filter=userName%20eq%20%22never-written%22", null, 200).path("totalResults").asInt()).isZero();

        assertError(scim.send("POST", "/Bulk", "{\"Operations\":{}}"), 400, "invalidSyntax");
        assertError(scim.send("POST", "/Bulk", "{\"failOnErrors\":0,\"Operations\":[]}"), 400, "invalidValue");
        JsonNode wrong = scim.json("POST", "/Bulk", "{\"Operations\":[{\"method\":\"GET\",\"path\":\"/Users/u1001\"},{\"method\":\"POST\",\"path\":\"/Users\",\"data\":{}}]}", 200);
        assertThat(wrong.path("Operations").get(0).path("status").asText()).isEqualTo("400");
        assertThat(wrong.path("Operations").get(1).path("response").path("scimType").asText()).isEqualTo("invalidSyntax");
    }

    private static String last(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
