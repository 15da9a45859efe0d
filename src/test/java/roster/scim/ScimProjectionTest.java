package roster.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static roster.scim.ScimClient.enc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.TestServer;

/**
 * attributes / excludedAttributes are served by reads of what they need: a cursor page reads only the columns of a
 * few plain attributes, an index page or a single read the row without memberships unless groups are shown. Each
 * kind of read must show exactly what the whole user shows for the attributes asked.
 */
class ScimProjectionTest {

    static final String ENTERPRISE = ScimUsersTest.ENTERPRISE;
    static final String ROSTER = ScimUsersTest.ROSTER;
    static TestServer server;
    static ScimClient scim;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        scim = ScimClient.demo(server);
        // one user with every attribute the mapping has, the enterprise extension and stashed name parts included
        scim.json("POST", "/Users", """
                {"userName":"grace","externalId":"ext-grace","active":false,"title":"Rear Admiral",
                 "name":{"givenName":"Grace","familyName":"Hopper","formatted":"Grace Hopper"},"nickName":"Amazing Grace",
                 "emails":[{"value":"grace@navy.example","type":"work"}],"phoneNumbers":[{"value":"+1 555-0100"}],
                 "photos":[{"value":"https://img.example/grace.png"}],
                 "addresses":[{"streetAddress":"1 Navy Way","locality":"Arlington","region":"VA","postalCode":"22202","country":"US"}],
                 "%s":{"employeeNumber":"701","manager":{"value":"u1005"}},
                 "%s":{"departments":["eng"],"accessGroups":["lab-doors"],"card":4242,"gender":"female","customData":{"shoe":"9"}}}
                """.formatted(ENTERPRISE, ROSTER), 201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyKindOfReadShowsWhatTheWholeUserShows() {
        Map<String, JsonNode> whole = byId(scim.json("GET", "/Users?count=1000", null, 200));
        assertThat(whole).hasSize(7);
        for (String attributes : List.of("userName", "USERNAME", "emails,phoneNumbers,photos,addresses", "active,externalId,nickName,displayName",
                "name.formatted,meta.lastModified", "meta", "meta.created,meta.version", "name", "name.givenName,title", "groups",
                ROSTER + ":status," + ROSTER + ":gender," + ROSTER + ":card," + ROSTER + ":num", ROSTER + ":departments", ROSTER,
                ENTERPRISE, ENTERPRISE + ":manager", "id", "urn:ietf:params:scim:schemas:core:2.0:User:userName")) {
            String q = "attributes=" + enc(attributes);
            Map<String, JsonNode> cursor = byId(scim.json("GET", "/Users?cursor=&count=1000&" + q, null, 200));
            Map<String, JsonNode> index = byId(scim.json("GET", "/Users?count=1000&" + q, null, 200));
            assertThat(cursor).as(attributes).isEqualTo(index);
            for (JsonNode full : whole.values()) {
                String id = full.path("id").asText();
                JsonNode single = scim.json("GET", "/Users/" + id + "?" + q, null, 200);
                assertThat(single).as(attributes).isEqualTo(cursor.get(id));
                assertShowsOnlyWhatItAsked(single, full, attributes);
            }
        }
        // the Roster extension's ids come with a read of memberships
        JsonNode grace = byName(scim.json("GET", "/Users?cursor=&attributes=" + enc(ROSTER + ":accessGroups"), null, 200), "grace");
        assertThat(grace.path(ROSTER).path("accessGroups").toString()).isEqualTo("[\"lab-doors\"]");
        assertThat(grace.path("schemas").toString()).isEqualTo("[\"urn:ietf:params:scim:schemas:core:2.0:User\",\"" + ROSTER + "\"]");
        grace = byName(scim.json("GET", "/Users?cursor=&attributes=userName,emails", null, 200), "grace");
        assertThat(fieldNames(grace)).containsExactly("emails", "id", "schemas", "userName");
        assertThat(grace.path("emails").get(0).path("value").asText()).isEqualTo("grace@navy.example");
    }

    @Test
    void excludedAttributesAreTheWholeUserWithout() {
        Map<String, JsonNode> whole = byId(scim.json("GET", "/Users?count=1000", null, 200));
        for (String excluded : List.of("groups," + ROSTER, "groups," + ROSTER + ":departments," + ROSTER + ":accessGroups", "emails,meta", "groups")) {
            String q = "excludedAttributes=" + enc(excluded);
            Map<String, JsonNode> cursor = byId(scim.json("GET", "/Users?cursor=&count=1000&" + q, null, 200));
            Map<String, JsonNode> index = byId(scim.json("GET", "/Users?count=1000&" + q, null, 200));
            assertThat(cursor).as(excluded).isEqualTo(index);
            for (JsonNode full : whole.values()) {
                JsonNode shown = cursor.get(full.path("id").asText());
                for (String name : fieldNames(full)) {
                    if (shown.has(name)) assertContained(shown.get(name), full.get(name), excluded + " " + name);
                }
                assertThat(shown.has("groups")).isEqualTo(!excluded.contains("groups") && full.has("groups"));
                assertThat(shown.has("userName")).isEqualTo(full.has("userName"));
            }
        }
    }

    /** Every attribute shown is the whole user's (or its sub-attributes), and nothing else is shown. */
    private static void assertShowsOnlyWhatItAsked(JsonNode shown, JsonNode full, String attributes) {
        Set<String> asked = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String a : attributes.split(",")) {
            String name = a.startsWith("urn:ietf:params:scim:schemas:core") ? a.substring(a.lastIndexOf(':') + 1) : a;
            if (name.startsWith(ENTERPRISE)) name = ENTERPRISE;
            else if (name.startsWith(ROSTER)) name = ROSTER;
            else if (name.contains(".")) name = name.substring(0, name.indexOf('.'));
            asked.add(name);
        }
        for (String name : fieldNames(shown)) {
            if (name.equals("schemas")) continue;
            assertThat(asked.contains(name) || name.equals("id")).as(attributes + " shows " + name).isTrue();
            assertContained(shown.get(name), full.get(name), attributes + " " + name);
        }
        for (String name : asked) {
            if (full.has(name) && !attributes.contains(".") && !attributes.contains(ENTERPRISE + ":") && !attributes.contains(ROSTER + ":")) {
                assertThat(shown.get(name)).as(attributes + " " + name).isEqualTo(full.get(name));
            }
        }
    }

    private static void assertContained(JsonNode part, JsonNode whole, String what) {
        assertThat(whole).as(what).isNotNull();
        if (part.isObject()) {
            for (String name : fieldNames(part)) assertContained(part.get(name), whole.get(name), what + "." + name);
        } else {
            assertThat(part).as(what).isEqualTo(whole);
        }
    }

    private static Map<String, JsonNode> byId(JsonNode page) {
        Map<String, JsonNode> out = new HashMap<>();
        page.path("Resources").forEach(u -> out.put(u.path("id").asText(), u));
        return out;
    }

    private static JsonNode byName(JsonNode page, String userName) {
        for (JsonNode u : page.path("Resources")) {
            JsonNode full = scim.json("GET", "/Users/" + u.path("id").asText() + "?attributes=userName", null, 200);
            if (full.path("userName").asText().equals(userName)) return u;
        }
        throw new AssertionError("no " + userName);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> out = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }
}
