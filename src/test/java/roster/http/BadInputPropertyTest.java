package roster.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeProperty;
import roster.DemoApps;
import roster.TestServer;

/**
 * Junk into every parameter and body of every endpoint of the four dialects and the admin API: each answer is
 * the dialect's own error envelope with its code, never a 5xx, a hang, a dropped connection or a stack trace,
 * and nothing is written. jqwik draws the inputs (an endpoint and a piece of junk) from generators, so each run
 * tries a different sample; the tries are bounded (junit-platform.properties) to keep the suite fast.
 */
class BadInputPropertyTest {

    private static TestServer server;
    private static String feishuToken;
    private static String authingToken;
    private static String enosGateway;
    private static String enosUser;
    private static String bizToken;
    /** Distinct inputs tried per dialect, reported at the end. */
    private static final Map<String, Set<String>> TRIED = new ConcurrentHashMap<>();
    private String stateBefore;

    @BeforeContainer
    static void start() {
        server = TestServer.start();
        server.loadDemo();
        feishuToken = DemoApps.feishuToken(server, DemoApps.FEISHU_APP, DemoApps.FEISHU_SECRET);
        authingToken = DemoApps.authingToken(server, DemoApps.AUTHING_APP, DemoApps.AUTHING_SECRET);
        enosGateway = DemoApps.enosGatewayToken(server, DemoApps.ENOS_APP, DemoApps.ENOS_SECRET);
        enosUser = DemoApps.enosLogin(server, enosGateway, DemoApps.ENOS_SECRET, "zhangsan", "correct horse battery staple");
        bizToken = DemoApps.bizToken(server, DemoApps.BIZ_APP, DemoApps.BIZ_SECRET);
    }

    @AfterContainer
    static void stop() {
        TRIED.forEach((dialect, inputs) -> System.out.println("bad inputs tried on " + dialect + ": " + inputs.size()));
        server.close();
    }

    /** What bad input must never change: the tenants, the demo tenant's parts and its change feed. */
    private static String state() {
        StringBuilder s = new StringBuilder();
        for (String path : List.of("/admin/v1/tenants", "/admin/v1/tenants/acme/departments", "/admin/v1/tenants/acme/access-groups",
                "/admin/v1/tenants/acme/apps", "/admin/v1/tenants/acme/changes?after=0&limit=1000")) {
            s.append(server.admin("GET", path, null).body());
        }
        return s.toString();
    }

    @BeforeProperty
    void remember() {
        stateBefore = state();
    }

    @AfterProperty
    void nothingWritten() {
        assertThat(state()).as("bad input changed the directory").isEqualTo(stateBefore);
    }

    // ---- junk

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }

    static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /** Text that is no valid value of any parameter: empty, negative, huge, non-numeric, injections, control and bidi characters, very long. */
    @Provide
    static Arbitrary<String> junkText() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "-1", "-0", "0", "-9223372036854775809", "9223372036854775808", "99999999999999999999999",
                        "1e309", "NaN", "Infinity", "0x10", "1.5", "+1", "1 000", "true", "null", "[]", "{}", "' OR '1'='1",
                        "'; DROP TABLE users; --", "\" OR \"\"=\"", "%00", "%", "%zz", "../../etc/passwd", "<script>alert(1)</script>",
                        "${jndi:ldap://x/a}", "\u0000", "nul\u0000byte", "\u202Eevil\u202C", "\uFEFF", "\uD800", "a\r\nX-Injected: 1",
                        "😀", "中文", "\t", "%2e%2e%2f", "Activ\u0430ted", "open_id\u0000", "OPEN_ID", "user_id ", "*", "%", "_"),
                Arbitraries.integers().lessOrEqual(-1).map(String::valueOf),
                Arbitraries.longs().greaterOrEqual(10_000_000_000L).map(String::valueOf),
                Arbitraries.strings().ofMaxLength(30).map(s -> "~" + s), // any characters, never a valid value
                Arbitraries.integers().between(1025, 20_000).map(n -> "y".repeat(n)));
    }

    /** A JSON value of the wrong type or out of range for any field: never a valid string id or a small non-negative integer. */
    @Provide
    /** Values the generators may draw that are in fact valid for the field: not junk, so left out. */
    static boolean isValidAuthingValue(String field, String json) {
        return (field.equals("emailVerified") && (json.equals("true") || json.equals("false")))
                || (field.equals("customData") && json.startsWith("{"));
    }

    static Arbitrary<String> junkJson() {
        return Arbitraries.oneOf(
                junkText().map(BadInputPropertyTest::quote),
                Arbitraries.of("null", "true", "false", "-1", "-2147483649", "2147483648", "1.5", "1e400", "-0.0",
                        "99999999999999999999999", "[]", "{}", "[1,2]", "[\"a\",null]", "{\"a\":{}}", "[[[]]]", nested(200), nested(5000)));
    }

    /** Bodies that are not what any endpoint takes: malformed, truncated, deeply nested, of another format. */
    @Provide
    static Arbitrary<String> junkBody() {
        String sample = "{\"a\":{\"b\":[1,2,{\"c\":\"d\"}]},\"e\":\"f\"}";
        return Arbitraries.oneOf(
                Arbitraries.of("", "{", "}", "[", "{\"a\":", "{\"a\" 1}", "null", "true", "1", "\"s\"", "[]", "[{}]", "{\"a\":1,}",
                        "{'a':1}", "\u0000", "\uFEFF{\"a\":1}", "{\"a\":\"\\ud800\"}", "{\"a\":1}{\"b\":2}", "<xml/>", "a=b&c=d",
                        "{\"a\":1e99999}", nested(100_000), "{\"a\":".repeat(3000), "x".repeat(100_000)),
                Arbitraries.integers().between(1, sample.length() - 1).map(n -> sample.substring(0, n)),
                junkJson().filter(j -> !j.equals("{}")));
    }

    @Provide
    static Arbitrary<String> contentType() {
        return Arbitraries.of("application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=xyz", "application/json; charset=ebcdic", "application/json; charset=\"", "garbage", ";;;");
    }

    /** Header values: the HTTP client refuses control characters in them, so those are left out. */
    static Arbitrary<String> junkHeader() {
        return junkText().map(s -> s.replaceAll("[\\x00-\\x1f\\x7f]", "").replaceAll("[^\\x20-\\x7e]", "?")).filter(s -> !s.isEmpty());
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---- calls

    /** One request, described by what it tries (jqwik reports it when a try fails). */
    record Call(String dialect, String label, HttpRequest request) {
        @Override
        public String toString() {
            return dialect + " " + label;
        }
    }

    static HttpRequest.Builder at(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl + pathAndQuery)).timeout(Duration.ofSeconds(20));
    }

    static HttpRequest.BodyPublisher body(String text) {
        return HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8);
    }

    static HttpResponse<String> send(Call call) {
        TRIED.computeIfAbsent(call.dialect(), d -> ConcurrentHashMap.newKeySet()).add(call.label());
        return server.send(call.request()); // a dropped connection or a timeout throws and fails the try
    }

    /**
     * A URI Jetty cannot route (an encoded "/" or NUL in the path, ".." segments) is refused by Jetty itself before
     * any dialect sees it: a 400 with {"code","msg","message","error"}, the one answer not in the dialect's envelope.
     */
    static boolean refusedByJetty(Call call, HttpResponse<String> r, JsonNode body) {
        return r.statusCode() == 400 && body.path("code").asInt() == 400 && body.has("msg") && body.has("error")
                && !body.has("request_id") && !body.has("status") && !r.headers().firstValue(RequestIds.HEADER).isPresent();
    }

    static void noStackTrace(HttpResponse<String> r) {
        assertThat(r.body()).doesNotContain("\tat ", "at roster.", "at java.", "Exception:", "org.eclipse.jetty", "Caused by");
    }

    // ---- feishu

    @Provide
    Arbitrary<Call> feishuCalls() {
        String users = "/open-apis/acs/v1/users";
        String token = "/open-apis/auth/v3/tenant_access_token/internal";
        return Arbitraries.oneOf(
                Combinators.combine(junkBody(), contentType()).as((b, t) -> new Call("feishu", "token body " + t + " " + b,
                        at(token).header("Content-Type", t).POST(body(b)).build())),
                Combinators.combine(junkJson(), junkJson()).as((a, s) -> new Call("feishu", "token fields " + a + " " + s,
                        at(token).POST(body("{\"app_id\":" + a + ",\"app_secret\":" + s + "}")).build())),
                Combinators.combine(Arbitraries.of("page_size", "page_token", "user_id_type"), junkText()).as((n, v) ->
                        new Call("feishu", "list " + n + "=" + v, at(users + "?" + n + "=" + enc(v)).header("Authorization", "Bearer " + feishuToken).GET().build())),
                Combinators.combine(junkText(), Arbitraries.of("get", "face")).as((id, what) -> new Call("feishu", what + " id " + id,
                        at(users + "/" + enc(id) + (what.equals("face") ? "/face" : "")).header("Authorization", "Bearer " + feishuToken).GET().build())),
                junkText().filter(v -> !v.isEmpty() && !v.equals("true") && !v.equals("false")) // u1001 has a face: those two are answered with it
                        .map(v -> new Call("feishu", "face is_cropped=" + v, at(users + "/u1001/face?user_id_type=user_id&is_cropped=" + enc(v))
                        .header("Authorization", "Bearer " + feishuToken).GET().build())),
                Combinators.combine(junkBody(), contentType()).as((b, t) -> new Call("feishu", "patch body " + t + " " + b,
                        at(users + "/u1001?user_id_type=user_id").header("Authorization", "Bearer " + feishuToken).header("Content-Type", t)
                                .method("PATCH", body(b)).build())),
                junkJson().map(c -> new Call("feishu", "patch card " + c, at(users + "/u1001?user_id_type=user_id")
                        .header("Authorization", "Bearer " + feishuToken).method("PATCH", body("{\"feature\":{\"card\":" + c + "}}")).build())),
                Combinators.combine(junkText(), junkText(), Arbitraries.of("", "not an image", "\u0089PNG\r\n", "\u00ff\u00d8\u00ff"))
                        .as((type, name, data) -> new Call("feishu", "face upload " + type + " " + name + " " + data.length(),
                                multipartFace(type, name, data))),
                Combinators.combine(junkBody(), contentType()).as((b, t) -> new Call("feishu", "face upload raw " + t + " " + b,
                        at(users + "/u1001/face?user_id_type=user_id").header("Authorization", "Bearer " + feishuToken)
                                .header("Content-Type", t).PUT(body(b)).build())),
                junkHeader().map(h -> new Call("feishu", "authorization " + h, at(users).header("Authorization", h).GET().build())),
                junkHeader().map(h -> new Call("feishu", "bearer " + h, at(users).header("Authorization", "Bearer " + h).GET().build())),
                junkText().map(p -> new Call("feishu", "path " + p, at("/open-apis/" + enc(p)).GET().build())));
    }

    static HttpRequest multipartFace(String fileType, String fileName, String data) {
        String boundary = "fuzzboundary";
        String text = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file_type\"\r\n\r\n" + fileType + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file_name\"\r\n\r\n" + fileName + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"x\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + data + "\r\n--" + boundary + (data.isEmpty() ? "" : "--\r\n");
        return at("/open-apis/acs/v1/users/u1001/face?user_id_type=user_id").header("Authorization", "Bearer " + feishuToken)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(text.getBytes(StandardCharsets.ISO_8859_1))).build();
    }

    @Property
    void feishuAnswersJunkWithItsCodes(@ForAll("feishuCalls") Call call) {
        HttpResponse<String> r = send(call);
        noStackTrace(r);
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 499);
        JsonNode body = DemoApps.json(r);
        if (refusedByJetty(call, r, body)) return;
        if (body.path("code").asInt() == 0 && call.label().startsWith("list ")) return; // an empty optional parameter: a read
        if (body.path("code").asInt() == 0 && call.request().uri().getPath().endsWith("/users/")) return; // an empty id: the list
        assertThat(body.path("code").isInt()).as(r.body()).isTrue();
        assertThat(body.path("code").asInt()).as(r.body()).isNotZero();
        assertThat(body.path("msg").isTextual()).isTrue();
        if (r.statusCode() == 200) assertThat(call.request().uri().getPath()).endsWith("tenant_access_token/internal");
        assertThat(r.headers().firstValue("X-Tt-Logid")).isPresent();
    }

    // ---- authing

    @Provide
    Arbitrary<Call> authingCalls() {
        Function<String, HttpRequest.Builder> api = path -> at("/api/v3/" + path).header("Authorization", authingToken);
        Arbitrary<String> nonBlank = junkText().filter(s -> !s.isBlank());
        return Arbitraries.oneOf(
                Combinators.combine(junkBody(), contentType()).as((b, t) -> new Call("authing", "token body " + t + " " + b,
                        at("/api/v3/get-management-token").header("Content-Type", t).POST(body(b)).build())),
                Combinators.combine(junkJson(), junkJson()).as((a, s) -> new Call("authing", "token fields " + a + " " + s,
                        at("/api/v3/get-management-token").POST(body("{\"accessKeyId\":" + a + ",\"accessKeySecret\":" + s + "}")).build())),
                Combinators.combine(Arbitraries.of("page", "limit", "status", "updatedAtStart", "updatedAtEnd", "withCustomData",
                        "withIdentities", "withDepartmentIds"), junkText()).as((n, v) -> new Call("authing", "list " + n + "=" + v,
                        api.apply("list-users?" + n + "=" + enc(v)).GET().build())),
                Combinators.combine(junkBody(), contentType()).as((b, t) -> new Call("authing", "list body " + t + " " + b,
                        api.apply("list-users").header("Content-Type", t).POST(body(b)).build())),
                Combinators.combine(Arbitraries.of("{\"options\":{\"pagination\":{\"page\":%s}}}", "{\"options\":{\"pagination\":{\"limit\":%s}}}",
                        "{\"options\":{\"pagination\":%s}}", "{\"options\":%s}", "{\"advancedFilter\":%s}", "{\"keywords\":%s}",
                        "{\"advancedFilter\":[{\"field\":%s,\"operator\":\"equal\",\"value\":[\"x\"]}]}",
                        "{\"advancedFilter\":[{\"field\":\"status\",\"operator\":%s,\"value\":[\"x\"]}]}",
                        "{\"advancedFilter\":[{\"field\":\"updatedAt\",\"operator\":\"between\",\"value\":%s}]}",
                        "{\"options\":{\"sort\":%s}}", "{\"options\":{\"sort\":[{\"field\":%s,\"order\":\"desc\"}]}}",
                        "{\"options\":{\"withCustomData\":%s}}"), junkJson()).as((f, j) -> new Call("authing", "list " + String.format(f, j),
                        api.apply("list-users").POST(body(String.format(f, j))).build())),
                Combinators.combine(junkText(), junkText()).as((id, type) -> new Call("authing", "get-user " + id + " " + type,
                        api.apply("get-user?userId=" + enc(id) + "&userIdType=" + enc(type)).GET().build())),
                Combinators.combine(junkBody(), Arbitraries.of("create-user", "update-user", "delete-users-batch")).as((b, p) ->
                        new Call("authing", p + " body " + b, api.apply(p).POST(body(b)).build())),
                Combinators.combine(Arbitraries.of("username", "email", "phone", "name", "password", "photo", "customData",
                        "departmentIds", "emailVerified", "identities"), junkJson().filter(j -> !j.startsWith("\"") && !j.equals("null")
                        && !j.equals("[]") && !j.equals("{}"))).filter((f, j) -> !isValidAuthingValue(f, j)).as((f, j) -> new Call("authing", "create " + f + "=" + j,
                        api.apply("create-user").POST(body("{\"username\":\"fuzz\"," + quote(f) + ":" + j + "}")).build())),
                Combinators.combine(Arbitraries.of("status", "gender", "birthdate"), nonBlank).as((f, v) -> new Call("authing",
                        "create " + f + "=" + v, api.apply("create-user").POST(body("{\"username\":\"fuzz\"," + quote(f) + ":" + quote(v) + "}")).build())),
                Combinators.combine(junkText(), junkJson()).as((id, v) -> new Call("authing", "update " + id + " " + v,
                        api.apply("update-user").POST(body("{\"userId\":" + quote(id) + ",\"name\":" + v + "}")).build())),
                nonBlank.map(t -> new Call("authing", "update type " + t, api.apply("update-user")
                        .POST(body("{\"userId\":\"u1002\",\"name\":\"x\",\"options\":{\"userIdType\":" + quote(t) + "}}")).build())),
                junkJson().filter(j -> !j.equals("[]") && !j.startsWith("[\"")).map(j -> new Call("authing", "delete " + j,
                        api.apply("delete-users-batch").POST(body("{\"userIds\":" + j + "}")).build())),
                junkText().map(id -> new Call("authing", "delete id " + id,
                        api.apply("delete-users-batch").POST(body("{\"userIds\":[\"u1002\"," + quote(id) + "]}")).build())),
                nonBlank.map(t -> new Call("authing", "delete type " + t, api.apply("delete-users-batch")
                        .POST(body("{\"userIds\":[\"u1002\"],\"options\":{\"userIdType\":" + quote(t) + "}}")).build())),
                junkHeader().map(h -> new Call("authing", "authorization " + h, at("/api/v3/list-users").header("Authorization", h).GET().build())),
                Combinators.combine(junkHeader(), junkHeader()).as((id, sig) -> new Call("authing", "signature " + id + ":" + sig,
                        at("/api/v3/list-users").header("Authorization", "authing " + id + ":" + sig).header("date", sig)
                                .header("x-authing-signature-nonce", id).GET().build())),
                junkText().map(p -> new Call("authing", "path " + p, api.apply(enc(p)).GET().build())));
    }

    @Property
    void authingAnswersJunkWithStatusCodeInItsEnvelope(@ForAll("authingCalls") Call call) {
        HttpResponse<String> r = send(call);
        noStackTrace(r);
        JsonNode body = DemoApps.json(r);
        if (refusedByJetty(call, r, body)) return;
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(body.path("statusCode").asInt()).as(r.body()).isIn(200, 400, 401, 403, 404);
        assertThat(body.path("message").isTextual()).isTrue();
        assertThat(body.path("requestId").isTextual()).isTrue();
        String path = call.request().uri().getPath();
        if (body.path("statusCode").asInt() == 200) assertThat(path).as(r.body()).endsWith("list-users");
    }

    // ---- enos

    static HttpRequest signed(String path, String body, String contentType, String userToken) {
        long timestamp = System.currentTimeMillis();
        HttpRequest.Builder b = at(path).header("Content-Type", contentType).header("apim-accesstoken", enosGateway)
                .header("apim-timestamp", String.valueOf(timestamp))
                .header("apim-signature", DemoApps.sha256Hex(enosGateway + body + timestamp + DemoApps.ENOS_SECRET))
                .POST(body(body));
        if (userToken != null) b.header("Authorization", "Bearer " + userToken);
        return b.build();
    }

    @Provide
    Arbitrary<Call> enosCalls() {
        String login = "/app-portal-service/v2.2/login";
        String list = "/app-portal-service/v2.2/user/list";
        String token = "/apim-token-service/v2.0/token/get";
        return Arbitraries.oneOf(
                Combinators.combine(junkBody(), contentType()).as((b, t) -> new Call("enos", "token body " + t + " " + b,
                        at(token).header("Content-Type", t).POST(body(b)).build())),
                Combinators.combine(junkJson(), junkJson(), junkJson()).as((k, e, t) -> new Call("enos", "token fields " + k + e + t,
                        at(token).POST(body("{\"appKey\":" + k + ",\"encryption\":" + e + ",\"timestamp\":" + t + "}")).build())),
                junkJson().map(t -> new Call("enos", "token timestamp " + t, at(token).POST(body("{\"appKey\":\"enos_demo_app\","
                        + "\"encryption\":\"00\",\"timestamp\":" + t + "}")).build())),
                Combinators.combine(junkBody(), contentType()).as((b, t) -> new Call("enos", "login body " + t + " " + b, signed(login, b, t, null))),
                Combinators.combine(junkJson(), junkJson()).as((a, p) -> new Call("enos", "login " + a + " " + p,
                        signed(login, "{\"account\":" + a + ",\"password\":" + p + "}", "application/json", null))),
                junkJson().map(p -> new Call("enos", "login password " + p,
                        signed(login, "{\"account\":\"zhangsan\",\"password\":" + p + "}", "application/json", null))),
                Combinators.combine(junkBody(), contentType()).as((b, t) -> new Call("enos", "list body " + t + " " + b, signed(list, b, t, enosUser))),
                Combinators.combine(Arbitraries.of("{\"pagination\":%s}", "{\"pagination\":{\"pageNo\":%s}}", "{\"pagination\":{\"pageSize\":%s}}"),
                        junkJson().filter(j -> !j.equals("null") && !j.startsWith("{"))).as((f, j) -> new Call("enos", "list " + String.format(f, j), signed(list, String.format(f, j), "application/json", enosUser))),
                Combinators.combine(Arbitraries.of("apim-accesstoken", "apim-timestamp", "apim-signature"), junkHeader()).as((h, v) -> {
                    HttpRequest valid = signed(list, "{}", "application/json", enosUser);
                    HttpRequest.Builder b = at(list).POST(body("{}")).header("Authorization", "Bearer " + enosUser);
                    valid.headers().map().forEach((name, values) -> {
                        if (name.startsWith("apim-") && !name.equals(h)) b.header(name, values.get(0));
                    });
                    return new Call("enos", "header " + h + "=" + v, b.header(h, v).build());
                }),
                junkHeader().map(v -> new Call("enos", "user token " + v, signed(list, "{}", "application/json", v))),
                junkText().map(p -> new Call("enos", "path " + p, at("/app-portal-service/" + enc(p)).POST(body("{}")).build())));
    }

    @Property
    void enosAnswersJunkInItsGatewayOrPortalEnvelope(@ForAll("enosCalls") Call call) {
        HttpResponse<String> r = send(call);
        noStackTrace(r);
        JsonNode body = DemoApps.json(r);
        if (refusedByJetty(call, r, body)) return;
        if (r.statusCode() == 200) { // the list ignores fields it does not know and pagination is optional: a read
            assertThat(call.label()).as(r.body()).startsWith("list body ");
            return;
        }
        assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
        if (body.has("business")) {
            assertThat(body.path("status").asInt()).as(r.body()).isNotZero();
            assertThat(body.path("msg").isTextual()).isTrue();
        } else {
            assertThat(body.path("code").asInt()).as(r.body()).isNotZero();
            assertThat(body.path("message").isTextual()).isTrue();
            assertThat(body.has("data")).isTrue();
        }
    }

    // ---- bizapi

    @Provide
    Arbitrary<Call> bizapiCalls() {
        String form = "application/x-www-form-urlencoded";
        return Arbitraries.oneOf(
                Combinators.combine(junkBody(), contentType()).as((b, t) -> new Call("bizapi", "token body " + t + " " + b,
                        at("/oauth2/token").header("Content-Type", t).POST(body(b)).build())),
                Combinators.combine(Arbitraries.of("grant_type", "client_id", "client_secret"), junkText()).as((n, v) -> {
                    Map<String, String> fields = new java.util.LinkedHashMap<>(Map.of("grant_type", "client_credentials",
                            "client_id", DemoApps.BIZ_APP, "client_secret", "wrong"));
                    fields.put(n, v);
                    StringBuilder text = new StringBuilder();
                    fields.forEach((k, value) -> text.append(text.length() == 0 ? "" : "&").append(k).append('=').append(enc(value)));
                    return new Call("bizapi", "token " + n + "=" + v, at("/oauth2/token").header("Content-Type", form).POST(body(text.toString())).build());
                }),
                junkText().map(v -> new Call("bizapi", "token basic " + v, at("/oauth2/token").header("Content-Type", form)
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)))
                        .POST(body("grant_type=client_credentials")).build())),
                junkHeader().map(v -> new Call("bizapi", "token authorization " + v, at("/oauth2/token").header("Content-Type", form)
                        .header("Authorization", "Basic " + v).POST(body("grant_type=client_credentials")).build())),
                Combinators.combine(Arbitraries.of("orgId", "lastSequence", "limit", "accessToken"), junkText()).as((n, v) -> {
                    Map<String, String> q = new java.util.LinkedHashMap<>(Map.of("accessToken", bizToken, "orgId", "1"));
                    q.put(n, v);
                    StringBuilder text = new StringBuilder();
                    q.forEach((k, value) -> text.append(text.length() == 0 ? "" : "&").append(k).append('=').append(enc(value)));
                    return new Call("bizapi", "list " + n + "=" + v, at("/user/list?" + text).header("X-App-Id", DemoApps.BIZ_APP).GET().build());
                }),
                junkHeader().map(v -> new Call("bizapi", "list X-App-Id " + v, at("/user/list?orgId=1&accessToken=" + enc(bizToken))
                        .header("X-App-Id", v).GET().build())));
    }

    @Property
    void bizapiAnswersJunkWithItsFailEnvelope(@ForAll("bizapiCalls") Call call) {
        HttpResponse<String> r = send(call);
        noStackTrace(r);
        JsonNode body = DemoApps.json(r);
        String path = call.request().uri().getPath();
        if (path.equals("/oauth2/token")) {
            assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
            assertThat(body.path("error").asText()).as(r.body()).isIn("invalid_request", "invalid_client", "unsupported_grant_type", "unauthorized_client");
            assertThat(body.path("error_description").isTextual()).isTrue();
        } else if (r.statusCode() != 200) {
            assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
            assertThat(body.path("code").asInt()).isEqualTo(r.statusCode());
            assertThat(body.path("status").asText()).isEqualTo("fail");
            assertThat(body.path("data").isObject()).isTrue();
        } else {
            assertThat(body.path("status").asText()).isEqualTo("success"); // e.g. a junk lastSequence that parses after trimming
        }
    }

    // ---- admin

    @Provide
    Arbitrary<Call> adminCalls() {
        Function<String, HttpRequest.Builder> admin = path -> at("/admin/v1/" + path).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN);
        Arbitrary<String> writePath = Arbitraries.of("POST tenants", "PUT tenants/acme", "PATCH tenants/acme", "POST tenants/acme/departments",
                "PATCH tenants/acme/departments/eng", "PUT tenants/acme/departments/eng", "POST tenants/acme/access-groups",
                "POST tenants/acme/apps", "PATCH tenants/acme/apps/biz_demo_app", "POST tenants/acme/users", "PUT tenants/acme/users/u1002",
                "PATCH tenants/acme/users/u1002", "POST load");
        Arbitrary<String> field = Arbitraries.of("num", "name", "status", "gender", "email", "departments", "acs", "custom_data",
                "parent", "visible_to", "scopes", "secret", "birthdate", "admin_of", "tenants", "users");
        return Arbitraries.oneOf(
                Combinators.combine(writePath, junkBody().filter(b -> !b.equals("{\"a\":1}{\"b\":2}"))).as((w, b) -> new Call("admin", w + " " + b,
                        admin.apply(w.substring(w.indexOf(' ') + 1)).header("Content-Type", "application/json")
                                .method(w.substring(0, w.indexOf(' ')), body(b)).build())),
                Combinators.combine(writePath.filter(w -> !w.endsWith("load")), field, junkJson().filter(j -> (j.startsWith("[") || j.startsWith("{")) && !j.equals("[]") && !j.equals("{}")))
                        .filter((w, f, j) -> !(f.equals("custom_data") && j.startsWith("{")))
                        .as((w, f, j) -> new Call("admin", w + " " + f + "=" + j, admin.apply(w.substring(w.indexOf(' ') + 1))
                                .method(w.substring(0, w.indexOf(' ')), body("{\"id\":\"fuzz\"," + quote(f) + ":" + j + "}")).build())),
                Combinators.combine(writePath, junkText()).as((w, k) -> new Call("admin", w + " unknown field " + k,
                        admin.apply(w.substring(w.indexOf(' ') + 1)).method(w.substring(0, w.indexOf(' ')),
                                body("{\"x-unknown" + quote(k).substring(1) + ":1}")).build())),
                Combinators.combine(Arbitraries.of("limit", "cursor", "status", "department", "access_group", "updated_after", "updated_before"),
                        junkText()).as((n, v) -> new Call("admin", "users " + n + "=" + v, admin.apply("tenants/acme/users?" + n + "=" + enc(v)).GET().build())),
                Combinators.combine(Arbitraries.of("after", "limit"), junkText()).as((n, v) -> new Call("admin", "changes " + n + "=" + v,
                        admin.apply("tenants/acme/changes?" + n + "=" + enc(v)).GET().build())),
                Combinators.combine(Arbitraries.of("GET", "DELETE"), Arbitraries.of("tenants/%s", "tenants/acme/users/%s", "tenants/acme/departments/%s",
                        "tenants/acme/apps/%s", "tenants/%s/users"), junkText().filter(s -> !s.isBlank() && !s.equals("*")))
                        .as((m, p, id) -> new Call("admin", m + " " + String.format(p, id), admin.apply(String.format(p, enc(id))).method(m, body("")).build())),
                junkHeader().map(h -> new Call("admin", "authorization " + h, at("/admin/v1/tenants").header("Authorization", h).GET().build())));
    }

    @Property
    void adminAnswersJunkWithItsErrorEnvelope(@ForAll("adminCalls") Call call) {
        HttpResponse<String> r = send(call);
        noStackTrace(r);
        JsonNode body = DemoApps.json(r);
        if (r.statusCode() == 200 && call.request().method().equals("GET")) return; // a junk filter value may simply match nothing
        assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
        assertThat(body.path("error").isTextual()).as(r.body()).isTrue();
        if (!refusedByJetty(call, r, body)) assertThat(body.path("request_id").isTextual()).isTrue();
    }
}
