package roster.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.scim2.client.ScimService;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.messages.SortOrder;
import com.unboundid.scim2.common.types.Email;
import com.unboundid.scim2.common.types.EnterpriseUserExtension;
import com.unboundid.scim2.common.types.GroupResource;
import com.unboundid.scim2.common.types.Member;
import com.unboundid.scim2.common.types.Name;
import com.unboundid.scim2.common.types.ResourceTypeResource;
import com.unboundid.scim2.common.types.SchemaResource;
import com.unboundid.scim2.common.types.ServiceProviderConfigResource;
import com.unboundid.scim2.common.types.UserResource;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.glassfish.jersey.client.ClientConfig;
import org.glassfish.jersey.jnh.connector.JavaNetHttpConnectorProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.TestServer;

/**
 * The UnboundID/Ping SCIM 2 SDK client (5.0.0, which implements RFC 9865) against a real server, as a provisioning
 * client would use it: discovery, create, read, search (filter, sort, index pages, a cursor walk), PATCH, PUT,
 * delete, groups, and the errors it reads back as ScimException.
 */
class ScimSdkTest {

    static TestServer server;
    static Client client;
    static ScimService scim;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        ScimClient.demo(server);
        String token = ScimClient.oauthToken(server, ScimClient.APP, ScimClient.SECRET);
        // java.net.http under Jersey: the default connector cannot send PATCH
        client = ClientBuilder.newClient(new ClientConfig().connectorProvider(new JavaNetHttpConnectorProvider()));
        client.register((ClientRequestFilter) request -> request.getHeaders().putSingle("Authorization", "Bearer " + token));
        scim = new ScimService(client.target(server.baseUrl + "/scim/v2"));
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void discoveryTellsWhatIsSupported() throws ScimException {
        ServiceProviderConfigResource config = scim.getServiceProviderConfig();
        assertThat(config.getPatch().isSupported()).isTrue();
        assertThat(config.getBulk().isSupported()).isTrue();
        assertThat(config.getBulk().getMaxOperations()).isEqualTo(1000);
        assertThat(config.getSort().isSupported()).isTrue();
        assertThat(config.getEtag().isSupported()).isTrue();
        assertThat(config.getFilter().getMaxResults()).isEqualTo(1000);
        assertThat(config.getPagination().supportsCursorPagination()).isTrue();
        assertThat(config.getPagination().supportsIndexPagination()).isTrue();
        assertThat(config.getPagination().getMaxPageSize()).isEqualTo(1000);
        ListResponse<ResourceTypeResource> types = scim.getResourceTypes();
        assertThat(types.getResources()).extracting(ResourceTypeResource::getName).containsExactly("User", "Group");
        ListResponse<SchemaResource> schemas = scim.getSchemas();
        assertThat(schemas.getTotalResults()).isEqualTo(4);
        assertThat(scim.getSchema("urn:ietf:params:scim:schemas:core:2.0:User").getAttributes()).isNotEmpty();
    }

    @Test
    void usersThroughTheirWholeLife() throws Exception {
        UserResource user = new UserResource().setUserName("kgodel")
                .setName(new Name().setGivenName("Kurt").setFamilyName("Gödel"))
                .setDisplayName("Kurt Gödel").setActive(true)
                .setEmails(new Email().setValue("kurt@ias.example").setType("work").setPrimary(true));
        user.setExternalId("ext-kg");
        user.setExtension(new EnterpriseUserExtension().setEmployeeNumber("1906").setDepartment("Logic"));
        UserResource created = scim.create("Users", user);
        assertThat(created.getId()).isNotBlank();
        assertThat(created.getMeta().getVersion()).startsWith("W/");
        assertThat(created.getName().getGivenName()).isEqualTo("Kurt");
        assertThat(created.getExtension(EnterpriseUserExtension.class).getEmployeeNumber()).isEqualTo("1906");

        UserResource read = scim.retrieve("Users", created.getId(), UserResource.class);
        assertThat(read.getUserName()).isEqualTo("kgodel");
        assertThat(read.getEmails().get(0).getValue()).isEqualTo("kurt@ias.example");

        ListResponse<UserResource> found = scim.searchRequest("Users").filter("userName eq \"KGODEL\"").invoke(UserResource.class);
        assertThat(found.getTotalResults()).isEqualTo(1);
        assertThat(found.getResources().get(0).getId()).isEqualTo(created.getId());

        UserResource patched = scim.modifyRequest("Users", created.getId())
                .replaceValue("displayName", "K. Gödel")
                .replaceValue("emails[type eq \"work\"].value", "godel@ias.example")
                .ifMatch(read.getMeta().getVersion())
                .invoke(UserResource.class);
        assertThat(patched.getDisplayName()).isEqualTo("K. Gödel");
        assertThat(patched.getEmails().get(0).getValue()).isEqualTo("godel@ias.example");

        // a stale version: 412
        assertThatThrownBy(() -> scim.modifyRequest("Users", created.getId()).replaceValue("nickName", "x")
                .ifMatch(read.getMeta().getVersion()).invoke(UserResource.class))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.getScimError().getStatus()).isEqualTo(412));

        patched.setNickName("kg");
        UserResource replaced = scim.replaceRequest(patched).ifMatch().invoke();
        assertThat(replaced.getNickName()).isEqualTo("kg");
        assertThat(replaced.getMeta().getVersion()).isNotEqualTo(patched.getMeta().getVersion());

        scim.delete("Users", created.getId());
        assertThatThrownBy(() -> scim.retrieve("Users", created.getId(), UserResource.class))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.getScimError().getStatus()).isEqualTo(404));
    }

    @Test
    void searchesSortAndPageByIndexAndByCursor() throws Exception {
        ListResponse<UserResource> sorted = scim.searchRequest("Users").filter("userName pr")
                .sort("userName", SortOrder.ASCENDING).page(1, 2).invoke(UserResource.class);
        assertThat(sorted.getTotalResults()).isEqualTo(5);
        assertThat(sorted.getResources()).extracting(UserResource::getUserName).containsExactly("ada", "lisi");

        // RFC 9865: the first page by cursor, then nextCursor until there is none
        List<String> walked = new ArrayList<>();
        ListResponse<UserResource> page = scim.searchRequest("Users").firstPageCursorWithCount(2).invoke(UserResource.class);
        int pages = 1;
        walked.addAll(page.getResources().stream().map(UserResource::getId).toList());
        while (page.getNextCursor() != null) {
            page = scim.searchRequest("Users").pageWithCursor(page.getNextCursor(), 2).invoke(UserResource.class);
            walked.addAll(page.getResources().stream().map(UserResource::getId).toList());
            pages++;
        }
        assertThat(walked).containsExactly("u1001", "u1002", "u1003", "u1004", "u1005", "u1006");
        assertThat(pages).isEqualTo(3);

        // and back: previousCursor from the last page until there is none, each page in forward order
        List<String> back = new ArrayList<>(page.getResources().stream().map(UserResource::getId).toList());
        while (page.getPreviousCursor() != null) {
            page = scim.searchRequest("Users").pageWithCursor(page.getPreviousCursor(), 2).invoke(UserResource.class);
            back.addAll(0, page.getResources().stream().map(UserResource::getId).toList());
            assertThat(page.getNextCursor()).isNotNull();
        }
        assertThat(back).isEqualTo(walked);

        // the same through POST .search
        ListResponse<UserResource> posted = scim.searchRequest("Users").filter("active eq false").invokePost(UserResource.class);
        assertThat(posted.getResources()).extracting(UserResource::getId).containsExactly("u1003", "u1004");

        assertThatThrownBy(() -> scim.searchRequest("Users").filter("userName eq").invoke(UserResource.class))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.getScimError().getScimType()).isEqualTo("invalidFilter"));
        assertThatThrownBy(() -> scim.searchRequest("Users").pageWithCursor("not-a-cursor", 2).invoke(UserResource.class))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.getScimError().getScimType()).isEqualTo("invalidCursor"));
    }

    @Test
    void groupsAreAccessGroupsWithTheirMembers() throws Exception {
        GroupResource lab = scim.retrieve("Groups", "lab-doors", GroupResource.class);
        assertThat(lab.getDisplayName()).isEqualTo("Lab doors");
        assertThat(members(lab)).containsExactlyInAnyOrder("u1002", "u1005");

        GroupResource created = scim.create("Groups", new GroupResource().setDisplayName("Night shift")
                .setMembers(new Member().setValue("u1001"), new Member().setValue("u1003")));
        assertThat(members(created)).containsExactlyInAnyOrder("u1001", "u1003");
        assertThat(scim.retrieve("Users", "u1001", UserResource.class).getGroups()).extracting(g -> g.getValue()).contains(created.getId());

        scim.modifyRequest("Groups", created.getId())
                .addValues("members", new Member().setValue("u1005"))
                .removeValues("members[value eq \"u1001\"]")
                .invoke(GroupResource.class);
        GroupResource after = scim.retrieve("Groups", created.getId(), GroupResource.class);
        assertThat(members(after)).containsExactlyInAnyOrder("u1003", "u1005");

        ListResponse<GroupResource> byName = scim.searchRequest("Groups").filter("displayName eq \"night shift\"").invoke(GroupResource.class);
        assertThat(byName.getResources()).extracting(GroupResource::getId).containsExactly(created.getId());

        scim.delete("Groups", created.getId());
        assertThat(scim.retrieve("Users", "u1005", UserResource.class).getGroups()).extracting(g -> g.getValue())
                .containsExactlyInAnyOrder("hq-doors", "lab-doors");
    }

    private static Set<String> members(GroupResource g) {
        Set<String> ids = new HashSet<>();
        if (g.getMembers() != null) g.getMembers().forEach(m -> ids.add(m.getValue()));
        return ids;
    }
}
