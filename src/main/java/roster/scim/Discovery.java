package roster.scim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the service provider says about itself (RFC 7644 §4, RFC 9865 §4): /ServiceProviderConfig, /ResourceTypes
 * and /Schemas. They tell the truth: PATCH, filter (up to 1000 results a page), sort, ETags and both kinds of
 * pagination and Bulk are supported; password change (a separate operation) is not. Readable without credentials, as §4 allows.
 */
final class Discovery {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";
    private static final String RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    private static final String SPC = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

    private Discovery() {}

    static boolean isDiscovery(String path) {
        return path.startsWith(ScimApi.BASE + "/ServiceProviderConfig") || path.startsWith(ScimApi.BASE + "/ResourceTypes")
                || path.startsWith(ScimApi.BASE + "/Schemas");
    }

    static void register(Javalin app, ScimApi api) {
        app.get(ScimApi.BASE + "/ServiceProviderConfig", ctx -> ScimApi.write(ctx, 200, serviceProviderConfig(ctx)));
        app.get(ScimApi.BASE + "/ResourceTypes", ctx -> ScimApi.write(ctx, 200, list(List.copyOf(resourceTypes(ctx).values()))));
        app.get(ScimApi.BASE + "/ResourceTypes/{id}", ctx -> ScimApi.write(ctx, 200, one(resourceTypes(ctx), ctx.pathParam("id"), "ResourceType")));
        app.get(ScimApi.BASE + "/Schemas", ctx -> ScimApi.write(ctx, 200, list(List.copyOf(schemas(ctx).values()))));
        app.get(ScimApi.BASE + "/Schemas/{id}", ctx -> ScimApi.write(ctx, 200, one(schemas(ctx), ctx.pathParam("id"), "Schema")));
    }

    private static ObjectNode one(Map<String, ObjectNode> all, String id, String what) {
        for (Map.Entry<String, ObjectNode> e : all.entrySet()) if (e.getKey().equalsIgnoreCase(id)) return e.getValue();
        throw ScimError.notFound("no " + what + " " + id);
    }

    private static ObjectNode list(List<ObjectNode> items) {
        ObjectNode body = ScimApi.listResponse();
        body.put("totalResults", items.size()).put("startIndex", 1).put("itemsPerPage", items.size());
        ArrayNode resources = body.putArray("Resources");
        items.forEach(resources::add);
        return body;
    }

    private static String base(Context ctx) {
        return ctx.scheme() + "://" + ctx.host() + ScimApi.BASE;
    }

    static ObjectNode serviceProviderConfig(Context ctx) {
        ObjectNode c = JSON.objectNode();
        c.putArray("schemas").add(SPC);
        c.put("documentationUri", "https://github.com/roster/roster#scim-20");
        c.putObject("patch").put("supported", true);
        c.putObject("bulk").put("supported", true).put("maxOperations", Bulk.MAX_OPERATIONS).put("maxPayloadSize", 10 * 1024 * 1024);
        c.putObject("filter").put("supported", true).put("maxResults", ScimApi.MAX_COUNT);
        c.putObject("changePassword").put("supported", false);
        c.putObject("sort").put("supported", true);
        c.putObject("etag").put("supported", true);
        // RFC 9865 §4: both kinds of paging; cursors carry no server state and never time out (no cursorTimeout).
        // The block has no field for previousCursor: list responses carry one whenever users lie before the page
        c.putObject("pagination").put("cursor", true).put("index", true).put("defaultPaginationMethod", "index")
                .put("defaultPageSize", ScimApi.DEFAULT_COUNT).put("maxPageSize", ScimApi.MAX_COUNT);
        ArrayNode schemes = c.putArray("authenticationSchemes");
        schemes.addObject().put("type", "oauthbearertoken").put("name", "OAuth Bearer Token").put("primary", true)
                .put("description", "a token of POST /oauth2/token (client credentials), or a long-lived token minted by the admin");
        schemes.addObject().put("type", "httpbasic").put("name", "HTTP Basic")
                .put("description", "the app id and secret of an app with scope scim");
        c.putObject("meta").put("resourceType", "ServiceProviderConfig").put("location", base(ctx) + "/ServiceProviderConfig");
        return c;
    }

    static Map<String, ObjectNode> resourceTypes(Context ctx) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        ObjectNode user = resourceType(ctx, "User", "/Users", ScimFilter.CORE_USER, "a person of the directory (a canonical user)");
        ArrayNode ext = user.putArray("schemaExtensions");
        ext.addObject().put("schema", ScimFilter.ENTERPRISE).put("required", false);
        ext.addObject().put("schema", ScimFilter.ROSTER).put("required", false);
        out.put("User", user);
        out.put("Group", resourceType(ctx, "Group", "/Groups", ScimFilter.CORE_GROUP, "an access group; members are users"));
        return out;
    }

    private static ObjectNode resourceType(Context ctx, String name, String endpoint, String schema, String description) {
        ObjectNode t = JSON.objectNode();
        t.putArray("schemas").add(RESOURCE_TYPE);
        t.put("id", name).put("name", name).put("endpoint", endpoint).put("description", description).put("schema", schema);
        t.putObject("meta").put("resourceType", "ResourceType").put("location", base(ctx) + "/ResourceTypes/" + name);
        return t;
    }

    // ---- schemas (RFC 7643 §7), written as the attributes Roster keeps

    static Map<String, ObjectNode> schemas(Context ctx) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        ObjectNode multi = attr("value", "string", false, false);
        out.put(ScimFilter.CORE_USER, schema(ctx, ScimFilter.CORE_USER, "User", "User Account", List.of(
                attr("userName", "string", false, true).put("uniqueness", "server"),
                complex("name", false, attr("formatted", "string", false, false), attr("familyName", "string", false, false),
                        attr("givenName", "string", false, false), attr("middleName", "string", false, false),
                        attr("honorificPrefix", "string", false, false), attr("honorificSuffix", "string", false, false)),
                attr("displayName", "string", false, false), attr("nickName", "string", false, false),
                attr("profileUrl", "reference", false, false), attr("title", "string", false, false),
                attr("userType", "string", false, false), attr("preferredLanguage", "string", false, false),
                attr("locale", "string", false, false), attr("timezone", "string", false, false),
                attr("active", "boolean", false, false),
                attr("password", "string", false, false).put("mutability", "writeOnly").put("returned", "never"),
                complex("emails", true, multi.deepCopy(), attr("type", "string", false, false), attr("primary", "boolean", false, false)),
                complex("phoneNumbers", true, multi.deepCopy(), attr("type", "string", false, false), attr("primary", "boolean", false, false)),
                complex("photos", true, multi.deepCopy().put("type", "reference"), attr("type", "string", false, false), attr("primary", "boolean", false, false)),
                complex("addresses", true, attr("formatted", "string", false, false), attr("streetAddress", "string", false, false),
                        attr("locality", "string", false, false), attr("region", "string", false, false),
                        attr("postalCode", "string", false, false), attr("country", "string", false, false),
                        attr("type", "string", false, false), attr("primary", "boolean", false, false)),
                complex("groups", true, multi.deepCopy(), attr("$ref", "reference", false, false), attr("type", "string", false, false))
                        .put("mutability", "readOnly"))));
        out.put(ScimFilter.ENTERPRISE, schema(ctx, ScimFilter.ENTERPRISE, "EnterpriseUser", "Enterprise User", List.of(
                attr("employeeNumber", "string", false, false), attr("costCenter", "string", false, false),
                attr("organization", "string", false, false), attr("division", "string", false, false),
                attr("department", "string", false, false), complex("manager", false, attr("value", "string", false, false)))));
        out.put(ScimFilter.ROSTER, schema(ctx, ScimFilter.ROSTER, "RosterUser", "What Roster keeps that SCIM has no place for", List.of(
                attr("num", "integer", false, false).put("mutability", "readOnly"),
                attr("status", "string", false, false).put("description", "active, suspended, resigned, archived or deactivated"),
                attr("gender", "string", false, false).put("description", "male, female or unknown"),
                attr("departments", "string", true, false).put("description", "department ids"),
                attr("accessGroups", "string", true, false).put("description", "access group ids (the Groups)"),
                attr("card", "integer", false, false),
                attr("customData", "complex", false, false).put("description", "the user's custom data, any JSON object"))));
        out.put(ScimFilter.CORE_GROUP, schema(ctx, ScimFilter.CORE_GROUP, "Group", "Group (an access group)", List.of(
                attr("displayName", "string", false, true),
                complex("members", true, multi.deepCopy().put("caseExact", true), attr("$ref", "reference", false, false),
                        attr("type", "string", false, false)))));
        return out;
    }

    private static ObjectNode schema(Context ctx, String id, String name, String description, List<ObjectNode> attributes) {
        ObjectNode s = JSON.objectNode();
        s.putArray("schemas").add(SCHEMA);
        s.put("id", id).put("name", name).put("description", description);
        ArrayNode list = s.putArray("attributes");
        attributes.forEach(list::add);
        s.putObject("meta").put("resourceType", "Schema").put("location", base(ctx) + "/Schemas/" + id);
        return s;
    }

    private static ObjectNode attr(String name, String type, boolean multiValued, boolean required) {
        return JSON.objectNode().put("name", name).put("type", type).put("multiValued", multiValued).put("required", required)
                .put("caseExact", false).put("mutability", "readWrite").put("returned", "default").put("uniqueness", "none");
    }

    private static ObjectNode complex(String name, boolean multiValued, ObjectNode... subAttributes) {
        ObjectNode a = attr(name, "complex", multiValued, false);
        ArrayNode subs = a.putArray("subAttributes");
        for (ObjectNode sub : subAttributes) subs.add(sub);
        return a;
    }
}
