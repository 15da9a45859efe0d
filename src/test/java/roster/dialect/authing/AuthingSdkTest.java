package roster.dialect.authing;

import static org.assertj.core.api.Assertions.assertThat;

import cn.authing.sdk.java.client.ManagementClient;
import cn.authing.sdk.java.dto.CreateUserReqDto;
import cn.authing.sdk.java.dto.DeleteUsersBatchDto;
import cn.authing.sdk.java.dto.DeleteUsersBatchOptionsDto;
import cn.authing.sdk.java.dto.GetUserDto;
import cn.authing.sdk.java.dto.IsSuccessRespDto;
import cn.authing.sdk.java.dto.ListUsersAdvancedFilterItemDto;
import cn.authing.sdk.java.dto.ListUsersDto;
import cn.authing.sdk.java.dto.ListUsersOptionsDto;
import cn.authing.sdk.java.dto.ListUsersRequestDto;
import cn.authing.sdk.java.dto.PaginationDto;
import cn.authing.sdk.java.dto.SortingDto;
import cn.authing.sdk.java.dto.UpdateUserReqDto;
import cn.authing.sdk.java.dto.UserDto;
import cn.authing.sdk.java.dto.UserPaginatedRespDto;
import cn.authing.sdk.java.dto.UserSingleRespDto;
import cn.authing.sdk.java.model.ManagementClientOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.TestServer;

/** The official Java SDK (cn.authing:authing-java-sdk:3.1.9) against a running Roster with demo.json. */
class AuthingSdkTest {

    static TestServer server;
    static ManagementClient client;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.loadDemo();
        client = client("ak_demo_authing", "authing-demo-secret-0001");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ManagementClient client(String id, String secret) {
        ManagementClientOptions options = new ManagementClientOptions();
        options.setAccessKeyId(id);
        options.setAccessKeySecret(secret);
        options.setHost(server.baseUrl);
        return new ManagementClient(options);
    }

    @Test
    void listUsersLegacyListsTheWholePoolWithItsTotal() {
        ListUsersDto request = new ListUsersDto();
        request.setWithCustomData(true);
        request.setWithIdentities(true);
        request.setWithDepartmentIds(true);
        UserPaginatedRespDto page = client.listUsersLegacy(request);
        assertThat(page.getStatusCode()).isEqualTo(200);
        assertThat(page.getRequestId()).isNotBlank();
        assertThat(page.getData().getTotalCount()).isEqualTo(6);
        List<UserDto> users = page.getData().getList();
        assertThat(users).extracting(UserDto::getUserId).containsExactly("u1001", "u1002", "u1003", "u1004", "u1005", "u1006");

        UserDto zhang = users.get(0);
        assertThat(zhang.getUsername()).isEqualTo("zhangsan");
        assertThat(zhang.getName()).isEqualTo("张三");
        assertThat(zhang.getPhoneCountryCode()).isEqualTo("+86");
        assertThat(zhang.getPhoto()).isEqualTo("https://img.acme.example/u1001.png");
        assertThat(zhang.getGender()).isEqualTo(UserDto.Gender.M);
        assertThat(zhang.getStatus()).isEqualTo(UserDto.Status.ACTIVATED);
        assertThat(zhang.getBirthdate()).isEqualTo("1990-05-17");
        assertThat(zhang.getStreetAddress()).isEqualTo("文三路 100 号");
        assertThat(zhang.getExternalId()).isEqualTo("HR-1001");
        assertThat(zhang.getEmailVerified()).isTrue();
        assertThat(zhang.getDepartmentIds()).containsExactly("eng-platform");
        assertThat(zhang.getIdentities()).hasSize(1);
        assertThat(zhang.getIdentities().get(0).getUserIdInIdp()).isEqualTo("oj7Nq05R-RRaqak0_YlMLnnIwsvg");
        assertThat(zhang.getIdentities().get(0).getIdentityId()).matches("[0-9a-f]{24}");
        assertThat(((Map<?, ?>) zhang.getCustomData()).get("school")).isEqualTo("浙江大学");
        assertThat(zhang.getCreatedAt()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(users.get(1).getGender()).isEqualTo(UserDto.Gender.W);
        assertThat(users.get(5).getGender()).isEqualTo(UserDto.Gender.U);
    }

    @Test
    void listUsersLegacyPagesAndFiltersByStatus() {
        ListUsersDto request = new ListUsersDto();
        request.setPage(2);
        request.setLimit(4);
        UserPaginatedRespDto page = client.listUsersLegacy(request);
        assertThat(page.getData().getTotalCount()).isEqualTo(6);
        assertThat(page.getData().getList()).extracting(UserDto::getUserId).containsExactly("u1005", "u1006");
        assertThat(page.getData().getList().get(0).getDepartmentIds()).isNull(); // only when asked

        ListUsersDto suspended = new ListUsersDto();
        suspended.setStatus("Suspended");
        UserPaginatedRespDto s = client.listUsersLegacy(suspended);
        assertThat(s.getData().getTotalCount()).isEqualTo(1);
        assertThat(s.getData().getList().get(0).getUserId()).isEqualTo("u1003");
        assertThat(s.getData().getList().get(0).getStatus()).isEqualTo(UserDto.Status.SUSPENDED);

        ListUsersDto active = new ListUsersDto();
        active.setStatus("Activated");
        assertThat(client.listUsersLegacy(active).getData().getTotalCount()).isEqualTo(4);
    }

    @Test
    void listUsersLegacyTakesAnUpdatedAtWindowInSeconds() {
        ListUsersDto request = new ListUsersDto();
        request.setUpdatedAtStart((int) (System.currentTimeMillis() / 1000 + 3600));
        assertThat(client.listUsersLegacy(request).getData().getTotalCount()).isZero();
        request.setUpdatedAtStart((int) (System.currentTimeMillis() / 1000 - 3600));
        assertThat(client.listUsersLegacy(request).getData().getTotalCount()).isEqualTo(6);
    }

    @Test
    void listUsersTakesPaginationSortKeywordsAndAdvancedFilters() {
        ListUsersRequestDto request = new ListUsersRequestDto();
        ListUsersOptionsDto options = new ListUsersOptionsDto();
        PaginationDto pagination = new PaginationDto();
        pagination.setPage(1);
        pagination.setLimit(50);
        options.setPagination(pagination);
        options.setWithDepartmentIds(true);
        request.setOptions(options);
        UserPaginatedRespDto all = client.listUsers(request);
        assertThat(all.getData().getTotalCount()).isEqualTo(6);
        assertThat(all.getData().getList()).extracting(UserDto::getUserId).containsExactly("u1001", "u1002", "u1003", "u1004", "u1005", "u1006");

        // the same query on both forms: same order, same total
        ListUsersDto legacy = new ListUsersDto();
        legacy.setLimit(50);
        assertThat(client.listUsersLegacy(legacy).getData().getList()).extracting(UserDto::getUserId)
                .containsExactlyElementsOf(all.getData().getList().stream().map(UserDto::getUserId).toList());

        ListUsersRequestDto keywords = new ListUsersRequestDto();
        keywords.setKeywords("ACME.example");
        UserPaginatedRespDto byKeyword = client.listUsers(keywords);
        assertThat(byKeyword.getData().getList()).extracting(UserDto::getUserId).containsExactly("u1001", "u1002", "u1005");
        assertThat(byKeyword.getData().getTotalCount()).isEqualTo(3);

        ListUsersRequestDto filtered = new ListUsersRequestDto();
        ListUsersAdvancedFilterItemDto status = new ListUsersAdvancedFilterItemDto();
        status.setField("status");
        status.setOperator(ListUsersAdvancedFilterItemDto.Operator.IN);
        status.setValue(List.of("Activated", "Resigned"));
        ListUsersAdvancedFilterItemDto email = new ListUsersAdvancedFilterItemDto();
        email.setField("email");
        email.setOperator(ListUsersAdvancedFilterItemDto.Operator.NOT_NULL);
        filtered.setAdvancedFilter(List.of(status, email));
        UserPaginatedRespDto f = client.listUsers(filtered);
        assertThat(f.getData().getList()).extracting(UserDto::getUserId).containsExactly("u1001", "u1002", "u1005");

        ListUsersRequestDto sorted = new ListUsersRequestDto();
        ListUsersOptionsDto sortOptions = new ListUsersOptionsDto();
        SortingDto sort = new SortingDto();
        sort.setField(SortingDto.Field.CREATED_AT);
        sort.setOrder(SortingDto.Order.DESC);
        sortOptions.setSort(List.of(sort));
        sorted.setOptions(sortOptions);
        List<String> desc = client.listUsers(sorted).getData().getList().stream().map(UserDto::getUserId).toList();
        assertThat(desc).hasSize(6);
        assertThat(client.listUsers(sorted).getData().getList().stream().map(UserDto::getUserId).toList()).isEqualTo(desc);
    }

    @Test
    void getUserByEachIdType() {
        GetUserDto request = new GetUserDto();
        request.setUserId("u1005");
        request.setWithCustomData(true);
        UserSingleRespDto byId = client.getUser(request);
        assertThat(byId.getStatusCode()).isEqualTo(200);
        assertThat(byId.getData().getNickname()).isEqualTo("Ada");
        assertThat(byId.getData().getPhoneCountryCode()).isEqualTo("+1");
        assertThat(((Map<?, ?>) byId.getData().getCustomData()).get("level")).isEqualTo("P7");

        for (String[] typeAndValue : new String[][] {{"username", "ada"}, {"email", "ada@acme.example"}, {"phone", "2025550123"}}) {
            GetUserDto by = new GetUserDto();
            by.setUserIdType(typeAndValue[0]);
            by.setUserId(typeAndValue[1]);
            assertThat(client.getUser(by).getData().getUserId()).as(typeAndValue[0]).isEqualTo("u1005");
        }
        GetUserDto byExternal = new GetUserDto();
        byExternal.setUserIdType("external_id");
        byExternal.setUserId("HR-1001");
        assertThat(client.getUser(byExternal).getData().getUserId()).isEqualTo("u1001");

        GetUserDto missing = new GetUserDto();
        missing.setUserId("nobody");
        UserSingleRespDto none = client.getUser(missing);
        assertThat(none.getStatusCode()).isEqualTo(404);
        assertThat(none.getApiCode()).isEqualTo(2004);
        assertThat(none.getData()).isNull();
    }

    @Test
    void createUpdateAndDeleteShowInTheChangeFeedAndTheAdminApi() throws Exception {
        long before = lastSequence();
        CreateUserReqDto create = new CreateUserReqDto();
        create.setUsername("grace");
        create.setName("Grace Hopper");
        create.setEmail("grace@acme.example");
        create.setGender(CreateUserReqDto.Gender.F);
        create.setStatus(CreateUserReqDto.Status.ACTIVATED);
        create.setPassword("cobol forever 1959");
        create.setDepartmentIds(List.of("eng"));
        create.setCustomData(Map.of("rank", "admiral"));
        create.setCompany("US Navy"); // not kept by the canonical model, accepted
        UserSingleRespDto created = client.createUser(create);
        assertThat(created.getStatusCode()).as(created.getMessage()).isEqualTo(200);
        String id = created.getData().getUserId();
        assertThat(id).matches("[0-9a-f]{24}");
        assertThat(created.getData().getGender()).isEqualTo(UserDto.Gender.W);
        assertThat(created.getData().getDepartmentIds()).containsExactly("eng");

        JsonNode admin = JSON.readTree(server.admin("GET", "/admin/v1/tenants/acme/users/" + id, null).body());
        assertThat(admin.get("username").asText()).isEqualTo("grace");
        assertThat(admin.get("gender").asText()).isEqualTo("female");
        assertThat(admin.get("status").asText()).isEqualTo("active");
        assertThat(admin.get("departments").get(0).asText()).isEqualTo("eng");
        assertThat(admin.has("password")).isFalse();
        JsonNode changes = JSON.readTree(server.admin("GET", "/admin/v1/tenants/acme/changes?after=" + before, null).body());
        assertThat(changes.toString()).contains(id);

        UserSingleRespDto duplicate = client.createUser(create);
        assertThat(duplicate.getStatusCode()).isEqualTo(409);

        UpdateUserReqDto update = new UpdateUserReqDto();
        update.setUserId(id);
        update.setNickname("Amazing Grace");
        update.setStatus(UpdateUserReqDto.Status.SUSPENDED);
        UserSingleRespDto updated = client.updateUser(update);
        assertThat(updated.getStatusCode()).as(updated.getMessage()).isEqualTo(200);
        assertThat(updated.getData().getNickname()).isEqualTo("Amazing Grace");
        assertThat(updated.getData().getStatus()).isEqualTo(UserDto.Status.SUSPENDED);
        assertThat(updated.getData().getName()).isEqualTo("Grace Hopper");
        JsonNode afterUpdate = JSON.readTree(server.admin("GET", "/admin/v1/tenants/acme/users/" + id, null).body());
        assertThat(afterUpdate.get("status").asText()).isEqualTo("suspended");

        DeleteUsersBatchDto delete = new DeleteUsersBatchDto();
        delete.setUserIds(List.of("grace"));
        DeleteUsersBatchOptionsDto deleteOptions = new DeleteUsersBatchOptionsDto();
        deleteOptions.setUserIdType(DeleteUsersBatchOptionsDto.UserIdType.USERNAME);
        delete.setOptions(deleteOptions);
        IsSuccessRespDto deleted = client.deleteUsersBatch(delete);
        assertThat(deleted.getStatusCode()).isEqualTo(200);
        assertThat(deleted.getData().getSuccess()).isTrue();
        assertThat(server.admin("GET", "/admin/v1/tenants/acme/users/" + id, null).statusCode()).isEqualTo(404);
        JsonNode feed = JSON.readTree(server.admin("GET", "/admin/v1/tenants/acme/changes?after=" + before, null).body());
        assertThat(feed.toString()).contains("\"deleted\":true");
        assertThat(lastSequence()).isEqualTo(before + 3); // create, update, delete: three changes

        IsSuccessRespDto again = client.deleteUsersBatch(delete);
        assertThat(again.getStatusCode()).isEqualTo(404);
        assertThat(again.getApiCode()).isEqualTo(2004);
    }

    @Test
    void badCredentialsAndMissingScopeAreRefusedInTheEnvelope() {
        ManagementClient wrong = client("ak_demo_authing", "not-the-secret-at-all");
        try {
            wrong.listUsersLegacy(new ListUsersDto());
            throw new AssertionError("the SDK should have thrown on statusCode 401");
        } catch (RuntimeException e) {
            assertThat(e.getMessage()).contains("accessKeySecret is wrong");
        }
        ManagementClient feishu = client("cli_demo_feishu", "feishu-demo-secret-0001");
        try {
            feishu.listUsersLegacy(new ListUsersDto());
            throw new AssertionError("the SDK should have thrown on statusCode 403");
        } catch (RuntimeException e) {
            assertThat(e.getMessage()).contains("authing:management");
        }
    }

    private static long lastSequence() {
        return server.services.changes().lastSequence("acme");
    }
}
