package roster.scim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import roster.DemoApps;
import roster.TestServer;

/**
 * Generated SCIM input (filters built from the grammar's own words in any order, PATCH operations with any op, path
 * and value, User bodies with any attribute and value, list parameters, credentials): every answer is a success or
 * the SCIM error envelope with a 4xx, never a 5xx or a stack trace.
 */
class ScimBadInputPropertyTest {

    private static TestServer server;
    private static ScimClient scim;

    @BeforeContainer
    static void start() {
        server = TestServer.start();
        scim = ScimClient.demo(server);
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    private static final List<String> WORDS = List.of("userName", "UserName", "emails", "emails.value", "emails[type eq \"work\"]",
            "name.givenName", "meta.created", "meta.lastModified", "active", "id", "externalId", "groups", "members", "x",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
            "urn:roster:params:scim:schemas:extension:roster:2.0:User:departments", "urn:nope:x", "eq", "ne", "co", "sw", "ew",
            "pr", "gt", "ge", "lt", "le", "xx", "and", "or", "not", "(", ")", "[", "]", "\"a\"", "\"\"", "\"2026-01-01T00:00:00Z\"",
            "\"\\u0000\"", "\"unterminated", "1", "-1", "1.5", "1e999", "true", "false", "null", ".value", "\\", "'", "%");

    @Provide
    static Arbitrary<String> filters() {
        return Arbitraries.oneOf(
                Arbitraries.of(WORDS).list().ofMinSize(1).ofMaxSize(12).map(l -> String.join(" ", l)),
                Arbitraries.of(WORDS).list().ofMinSize(1).ofMaxSize(8).map(l -> String.join("", l)),
                junkText());
    }

    @Provide
    static Arbitrary<String> paths() {
        return Arbitraries.oneOf(filters(), Arbitraries.of("userName", "emails[type eq \"work\"].value", "name.familyName", "id", "meta",
                "members[value eq \"u1001\"]", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
                "urn:roster:params:scim:schemas:extension:roster:2.0:User", "addresses[type eq \"work\"].locality", "active"));
    }

    @Provide
    static Arbitrary<String> values() {
        return Arbitraries.oneOf(junkJson(), Arbitraries.of("\"x\"", "\"False\"", "[{\"value\":\"u1001\"}]",
                "{\"value\":\"v\"}", "{\"displayName\":\"d\",\"name.givenName\":1}", "[{\"value\":null}]", "{\"active\":\"maybe\"}"));
    }

    @Provide
    static Arbitrary<String> ops() {
        return Arbitraries.of("add", "Replace", "REMOVE", "remove", "move", "", "null");
    }

    @Property(tries = 100)
    void anyFilter(@ForAll("filters") String filter, @ForAll("resources") String resource) {
        check(scim.get("/" + resource + "?filter=" + ScimClient.enc(filter)));
        check(scim.send("POST", "/" + resource + "/.search", "{\"filter\":" + quote(filter) + "}"));
    }

    @Property(tries = 100)
    void anyPatch(@ForAll("ops") String op, @ForAll("paths") String path, @ForAll("values") String value, @ForAll boolean withPath) {
        String operation = withPath ? "{\"op\":\"" + op + "\",\"path\":" + quote(path) + ",\"value\":" + value + "}"
                : "{\"op\":\"" + op + "\",\"value\":" + value + "}";
        check(scim.send("PATCH", "/Users/u1006", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[" + operation + "]}"));
        check(scim.send("PATCH", "/Groups/hq-doors", "{\"Operations\":[" + operation + "]}"));
    }

    @Property(tries = 100)
    void anyUserBody(@ForAll("attributes") String attribute, @ForAll("values") String value, @ForAll("bodies") String body) {
        check(scim.send("PUT", "/Users/u1006", "{\"userName\":\"nobody6\"," + quote(attribute) + ":" + value + "}"));
        check(scim.send("POST", "/Users", body));
        check(scim.send("POST", "/Groups", body));
    }

    @Property(tries = 100)
    void anyListParameter(@ForAll("parameters") String name, @ForAll("junk") String junk, @ForAll("resources") String resource) {
        check(scim.get("/" + resource + "?" + name + "=" + ScimClient.enc(junk)));
        check(scim.get("/Users/u1001?" + name + "=" + ScimClient.enc(junk)));
    }

    @Property(tries = 100)
    void anyCredentials(@ForAll("junk") String junk) {
        for (String scheme : List.of("Bearer ", "Basic ", "", "bearer AT-", "Basic " + java.util.Base64.getEncoder().encodeToString(junk.getBytes()))) {
            HttpResponse<String> r = server.send(DemoApps.request(server, "/scim/v2/Users").header("Authorization", scheme + junk.replaceAll("[^\\x20-\\x7e]", "")).GET().build());
            check(r);
            assertThat(r.statusCode()).isIn(400, 401);
        }
    }

    @Provide
    static Arbitrary<String> resources() {
        return Arbitraries.of("Users", "Groups");
    }

    @Provide
    static Arbitrary<String> attributes() {
        return Arbitraries.of("emails", "phoneNumbers", "name", "active", "addresses", "photos", "externalId", "password",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "urn:roster:params:scim:schemas:extension:roster:2.0:User", "displayName");
    }

    @Provide
    static Arbitrary<String> bodies() {
        return Arbitraries.oneOf(junkBody(), junkJson());
    }

    @Provide
    static Arbitrary<String> parameters() {
        return Arbitraries.of("startIndex", "count", "cursor", "sortBy", "sortOrder", "attributes", "excludedAttributes");
    }

    @Provide
    static Arbitrary<String> junk() {
        return junkText();
    }

    // ---- junk of every kind (as http/BadInputPropertyTest draws it for the dialects)

    static Arbitrary<String> junkText() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "-1", "0", "-9223372036854775809", "99999999999999999999999", "1e309", "NaN", "1.5", "true",
                        "null", "[]", "{}", "' OR '1'='1", "'; DROP TABLE users; --", "%00", "%zz", "../../etc/passwd",
                        "<script>alert(1)</script>", "${jndi:ldap://x/a}", "nul\u0000byte", "\u202Eevil\u202C", "\uFEFF", "\uD800",
                        "😀", "中文", "*", "_", "W/\"1\"", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
                Arbitraries.integers().lessOrEqual(-1).map(String::valueOf),
                Arbitraries.strings().ofMaxLength(30).map(s -> "~" + s),
                Arbitraries.integers().between(1025, 20_000).map(n -> "y".repeat(n)));
    }

    static Arbitrary<String> junkJson() {
        return Arbitraries.oneOf(junkText().map(ScimBadInputPropertyTest::quote),
                Arbitraries.of("null", "true", "false", "-1", "2147483648", "1.5", "1e400", "[]", "{}", "[1,2]", "[\"a\",null]",
                        "{\"a\":{}}", "[[[]]]", "[".repeat(200) + "]".repeat(200)));
    }

    static Arbitrary<String> junkBody() {
        return Arbitraries.of("", "{", "}", "[", "{\"a\":", "null", "1", "\"s\"", "[]", "{\"a\":1,}", "{'a':1}", "\u0000",
                "{\"a\":1}{\"b\":2}", "<xml/>", "a=b&c=d", "[".repeat(100_000), "{\"userName\":".repeat(3000), "x".repeat(100_000),
                "{\"userName\":null}", "{\"userName\":[]}", "{\"userName\":\"\\u0000\"}", "{\"displayName\":{}}",
                "{\"displayName\":\"g\",\"members\":[{\"value\":\"nobody\"}]}", "{\"displayName\":\"g\",\"members\":\"u1001\"}");
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }

    /** A success, or the SCIM error envelope with a 4xx (501 for Bulk aside): never a 5xx, never a stack trace. */
    private static void check(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isLessThan(500);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        if (r.statusCode() >= 400) {
            JsonNode body = DemoApps.json(r);
            assertThat(body.path("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
            assertThat(body.path("status").asText()).isEqualTo(String.valueOf(r.statusCode()));
        }
    }
}
