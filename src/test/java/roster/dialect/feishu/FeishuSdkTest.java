package roster.dialect.feishu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static roster.dialect.feishu.FeishuFixtures.*;

import com.lark.oapi.Client;
import com.lark.oapi.core.exception.ObtainAccessTokenException;
import com.lark.oapi.service.acs.v1.model.Feature;
import com.lark.oapi.service.acs.v1.model.GetUserFaceReq;
import com.lark.oapi.service.acs.v1.model.GetUserFaceResp;
import com.lark.oapi.service.acs.v1.model.GetUserReq;
import com.lark.oapi.service.acs.v1.model.GetUserResp;
import com.lark.oapi.service.acs.v1.model.ListUserReq;
import com.lark.oapi.service.acs.v1.model.ListUserResp;
import com.lark.oapi.service.acs.v1.model.PatchUserReq;
import com.lark.oapi.service.acs.v1.model.PatchUserResp;
import com.lark.oapi.service.acs.v1.model.UpdateUserFaceReq;
import com.lark.oapi.service.acs.v1.model.UpdateUserFaceResp;
import com.lark.oapi.service.acs.v1.model.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import roster.TestServer;

/** The official Java SDK (oapi-sdk 2.5.3) against a running Roster: what a real ACS client sees. */
class FeishuSdkTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.loadDemo();
        server.load(bulkFixture());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Every page of the list, in order. */
    static List<User> listAll(Client client, String userIdType, int pageSize) throws Exception {
        List<User> all = new ArrayList<>();
        String token = null;
        for (int pages = 0; pages < 1000; pages++) {
            ListUserReq.Builder req = ListUserReq.newBuilder().pageSize(pageSize).userIdType(userIdType);
            if (token != null) req.pageToken(token);
            ListUserResp resp = client.acs().v1().user().list(req.build());
            assertThat(resp.success()).as(resp.getMsg()).isTrue();
            assertThat(resp.getRequestId()).isNotBlank();
            all.addAll(Arrays.asList(resp.getData().getItems()));
            if (!resp.getData().getHasMore()) {
                assertThat(resp.getData().getPageToken()).isNull();
                return all;
            }
            token = resp.getData().getPageToken();
            assertThat(token).isNotEmpty();
        }
        throw new AssertionError("the list never ended");
    }

    @Test
    void demoAppListsTheActiveUsersInAnAccessGroup() throws Exception {
        List<User> users = listAll(client(server, DEMO_APP, DEMO_SECRET), "user_id", 20);
        assertThat(users).extracting(User::getUserId).containsExactly("u1001", "u1002", "u1005");
        assertThat(users).extracting(u -> u.getFeature().getCard()).containsExactly(123456, null, Integer.MAX_VALUE);
        assertThat(users).extracting(u -> u.getFeature().getFaceUploaded()).containsExactly(true, false, false);
    }

    @Test
    void engineeringAppSeesTheEngineeringSubtreeOnly() throws Exception {
        Client eng = client(server, ENG_APP, ENG_SECRET);
        Client all = client(server, DEMO_APP, DEMO_SECRET);
        // a listed user outside engineering, so the subtree has something to leave out
        server.admin("PUT", "/admin/v1/tenants/acme/users/u2001",
                "{\"id\":\"u2001\",\"num\":2001,\"name\":\"Sales rep\",\"departments\":[\"sales\"],\"acs\":{\"groups\":[\"hq-doors\"]}}");
        try {
            List<User> engUsers = listAll(eng, "union_id", 2);
            List<User> allUsers = listAll(all, "union_id", 2);
            assertThat(allUsers).hasSize(4);
            // same vendor (acme-dev): the same union ids, in the same order
            assertThat(engUsers).extracting(User::getUserId).containsExactlyElementsOf(
                    allUsers.subList(0, 3).stream().map(User::getUserId).toList());
            List<String> ids = new ArrayList<>();
            for (User u : listAll(all, "user_id", 50)) ids.add(u.getUserId());
            assertThat(ids).containsExactly("u1001", "u1002", "u1005", "u2001");

            List<User> engOpen = listAll(eng, "open_id", 50);
            List<User> allOpen = listAll(all, "open_id", 50);
            assertThat(engOpen).extracting(User::getUserId).allMatch(id -> id.matches("ou_[0-9a-f]{32}"));
            // open ids differ between apps
            assertThat(new HashSet<>(engOpen.stream().map(User::getUserId).toList()))
                    .doesNotContainAnyElementsOf(allOpen.stream().map(User::getUserId).toList());
            // the engineering app cannot reach the sales user, even by the id another app was given
            GetUserResp outside = eng.acs().v1().user().get(GetUserReq.newBuilder().userId(allUsers.get(3).getUserId()).userIdType("union_id").build());
            assertThat(outside.getCode()).isEqualTo(1490101);
        } finally {
            server.admin("DELETE", "/admin/v1/tenants/acme/users/u2001", null);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"open_id", "union_id", "user_id"})
    void listsManyPagesInOneOrderWhateverTheIdType(String type) throws Exception {
        Client client = client(server, BULK_APP, BULK_SECRET);
        List<User> users = listAll(client, type, 7);
        List<Integer> expectedCards = IntStream.rangeClosed(1, BULK_USERS).filter(FeishuFixtures::bulkListed).boxed().toList();
        assertThat(users).extracting(u -> u.getFeature().getCard()).containsExactlyElementsOf(expectedCards);
        assertThat(new HashSet<>(users.stream().map(User::getUserId).toList())).hasSize(users.size());
        String pattern = switch (type) {
            case "open_id" -> "ou_[0-9a-f]{32}";
            case "union_id" -> "on_[0-9a-f]{32}";
            default -> "b[0-9]+";
        };
        assertThat(users).extracting(User::getUserId).allMatch(id -> id.matches(pattern));
        // stable: the same ids again, and each resolves back to its user
        assertThat(listAll(client, type, 50)).extracting(User::getUserId).containsExactlyElementsOf(users.stream().map(User::getUserId).toList());
        for (User u : users.subList(0, 5)) {
            GetUserResp one = client.acs().v1().user().get(GetUserReq.newBuilder().userId(u.getUserId()).userIdType(type).build());
            assertThat(one.success()).as(one.getMsg()).isTrue();
            assertThat(one.getData().getUser().getUserId()).isEqualTo(u.getUserId());
            assertThat(one.getData().getUser().getFeature().getCard()).isEqualTo(u.getFeature().getCard());
        }
    }

    @Test
    void defaultPageIsTwentyAndTheDefaultIdTypeIsOpenId() throws Exception {
        ListUserResp resp = client(server, BULK_APP, BULK_SECRET).acs().v1().user().list(ListUserReq.newBuilder().build());
        assertThat(resp.getData().getItems()).hasSize(20);
        assertThat(resp.getData().getHasMore()).isTrue();
        assertThat(resp.getData().getItems()[0].getUserId()).startsWith("ou_");
    }

    @Test
    void patchSetsTheCardOfTheCanonicalUser() throws Exception {
        Client client = client(server, DEMO_APP, DEMO_SECRET);
        String openId = listAll(client, "open_id", 50).get(1).getUserId(); // u1002, no card yet
        long seqBefore = changeSequenceOf("u1002");
        PatchUserResp patched = client.acs().v1().user().patch(PatchUserReq.newBuilder().userId(openId).userIdType("open_id")
                .user(User.newBuilder().feature(Feature.newBuilder().card(778899).build()).build()).build());
        assertThat(patched.success()).as(patched.getMsg()).isTrue();

        GetUserResp got = client.acs().v1().user().get(GetUserReq.newBuilder().userId("u1002").userIdType("user_id").build());
        assertThat(got.getData().getUser().getFeature().getCard()).isEqualTo(778899);
        assertThat(server.admin("GET", "/admin/v1/tenants/acme/users/u1002", null).body()).contains("\"card\":778899");
        assertThat(changeSequenceOf("u1002")).isGreaterThan(seqBefore);
    }

    private long changeSequenceOf(String userId) throws Exception {
        var tree = Wire.MAPPER.readTree(server.admin("GET", "/admin/v1/tenants/acme/users/" + userId, null).body());
        return tree.get("sequence").asLong();
    }

    @Test
    void faceUploadAndDownloadRoundTrip() throws Exception {
        Client client = client(server, BULK_APP, BULK_SECRET);
        byte[] png = pngBytes();
        Path file = Files.createTempFile("local-name-", ".bin"); // the SDK names the part after this file
        Files.write(file, png);
        try {
            UpdateUserFaceResp up = client.acs().v1().userFace().update(UpdateUserFaceReq.newBuilder().userId("b1").userIdType("user_id")
                    .file(com.lark.oapi.service.acs.v1.model.File.newBuilder().files(file.toFile()).fileType("png").fileName("me.png").build())
                    .build());
            assertThat(up.success()).as(up.getMsg()).isTrue();
        } finally {
            Files.deleteIfExists(file);
        }
        GetUserFaceResp down = client.acs().v1().userFace().get(GetUserFaceReq.newBuilder().userId("b1").userIdType("user_id").isCropped(false).build());
        assertThat(down.getData().toByteArray()).isEqualTo(png);
        assertThat(down.getFileName()).isEqualTo("face.png");
        GetUserResp got = client.acs().v1().user().get(GetUserReq.newBuilder().userId("b1").userIdType("user_id").build());
        assertThat(got.getData().getUser().getFeature().getFaceUploaded()).isTrue();
    }

    @Test
    void demoFaceDownloadsAsStored() throws Exception {
        Client client = client(server, DEMO_APP, DEMO_SECRET);
        GetUserFaceResp down = client.acs().v1().userFace().get(GetUserFaceReq.newBuilder().userId("u1001").userIdType("user_id").build());
        assertThat(down.getFileName()).isEqualTo("face.jpg");
        assertThat(down.getData().toByteArray()).startsWith((byte) 0xFF, (byte) 0xD8, (byte) 0xFF);
        // No face: a non-2xx answer, so the SDK does not take the error body for an image. (On Java 17 the SDK then
        // fails to read the error body itself: its Gson cannot reflect into ByteArrayOutputStream. The wire test
        // checks that body.)
        assertThatThrownBy(() -> client.acs().v1().userFace().get(GetUserFaceReq.newBuilder().userId("u1002").userIdType("user_id").build()))
                .isInstanceOf(com.google.gson.JsonIOException.class);
    }

    @Test
    void wrongSecretGetsNoToken() {
        Client client = client(server, DEMO_APP, "not-the-secret-at-all");
        assertThatThrownBy(() -> client.acs().v1().user().list(ListUserReq.newBuilder().build()))
                .isInstanceOf(ObtainAccessTokenException.class)
                .hasMessageContaining("10014");
    }

    @Test
    void appWithoutTheScopeIsRefused() throws Exception {
        ListUserResp resp = client(server, BULK_APP_NO_SCOPE, BULK_SECRET).acs().v1().user().list(ListUserReq.newBuilder().build());
        assertThat(resp.getCode()).isEqualTo(99991672);
        assertThat(resp.getError().getPermissionViolations()[0].getSubject()).isEqualTo("acs:users");
        assertThat(resp.getRequestId()).isNotBlank();
    }

    @Test
    void userIdNeedsTheEmployeeIdScope() throws Exception {
        Client eng = client(server, ENG_APP, ENG_SECRET);
        ListUserResp resp = eng.acs().v1().user().list(ListUserReq.newBuilder().userIdType("user_id").build());
        assertThat(resp.getCode()).isEqualTo(99991672);
        assertThat(resp.getError().getPermissionViolations()[0].getSubject()).isEqualTo("contact:user.employee_id:readonly");
        GetUserResp get = eng.acs().v1().user().get(GetUserReq.newBuilder().userId("u1001").userIdType("user_id").build());
        assertThat(get.getCode()).isEqualTo(99991672);
    }

    /** A 1×1 PNG. */
    static byte[] pngBytes() {
        return java.util.Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    }
}
