package roster.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import roster.model.Failure;
import roster.model.TenantApp;

/**
 * POST /Bulk (RFC 7644 §3.7): the operations in the order given, each its own write (as the RFC allows: a bulk
 * request is not atomic), each answered with its own status. A POST's bulkId names the resource it creates, and
 * "bulkId:ID" anywhere in a later operation's path or data stands for that resource's id (a group created with
 * the users created before it). failOnErrors stops after that many failures.
 */
final class Bulk {

    static final String REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
    static final String RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";
    static final int MAX_OPERATIONS = 1000;
    private static final Pattern ONE = Pattern.compile("/(Users|Groups)/([^/]+)");

    private final ScimApi users;
    private final GroupResource groups;
    private final Map<String, String> created = new HashMap<>();

    Bulk(ScimApi users, GroupResource groups) {
        this.users = users;
        this.groups = groups;
    }

    ObjectNode run(TenantApp app, String base, JsonNode body) {
        JsonNode operations = UserMapping.field(body, "Operations");
        if (operations == null || !operations.isArray()) throw ScimError.invalidSyntax("Operations must be an array");
        if (operations.size() > MAX_OPERATIONS) throw new ScimError(413, null, "at most " + MAX_OPERATIONS + " operations in one bulk request");
        JsonNode failOn = UserMapping.field(body, "failOnErrors");
        if (failOn != null && !failOn.isNull() && (!failOn.isIntegralNumber() || failOn.asLong() < 1)) {
            throw ScimError.invalidValue("failOnErrors is a whole number of at least 1");
        }
        long failOnErrors = failOn == null || failOn.isNull() ? Long.MAX_VALUE : failOn.asLong();
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.putArray("schemas").add(RESPONSE);
        ArrayNode results = response.putArray("Operations");
        long errors = 0;
        for (JsonNode operation : operations) {
            if (errors >= failOnErrors) break;
            ObjectNode result = results.addObject();
            try {
                perform(app, base, operation, result);
            } catch (RuntimeException e) {
                ScimError error = e instanceof ScimError s ? s : ScimApi.errorFor(Failure.of(e), null);
                if (error.status >= 500 && !(e instanceof ScimError) && !(e instanceof Failure f && f.kind() == Failure.Kind.BUSY)) throw e;
                result.put("status", String.valueOf(error.status));
                result.set("response", ScimApi.envelope(error));
                errors++;
            }
        }
        return response;
    }

    private void perform(TenantApp app, String base, JsonNode operation, ObjectNode result) {
        if (!operation.isObject()) throw ScimError.invalidSyntax("each operation is an object");
        String method = text(operation, "method");
        String bulkId = text(operation, "bulkId");
        if (method == null) throw ScimError.invalidSyntax("each operation has a method");
        method = method.toUpperCase(Locale.ROOT);
        result.put("method", method);
        if (bulkId != null) result.put("bulkId", bulkId);
        String path = resolve(text(operation, "path"));
        if (path == null) throw ScimError.invalidSyntax("each operation has a path");
        JsonNode data = resolve(UserMapping.field(operation, "data"));
        String version = text(operation, "version");
        ScimApi.Outcome outcome;
        Matcher one = ONE.matcher(path);
        if (method.equals("POST")) {
            if (bulkId == null) throw ScimError.invalidSyntax("a POST needs a bulkId");
            if (path.equals("/Users")) outcome = users.createUser(app, base, object(data));
            else if (path.equals("/Groups")) outcome = groups.create(app, base, object(data));
            else throw ScimError.invalidPath("POST goes to /Users or /Groups, not " + path);
            created.put(bulkId, outcome.resource().path("id").asText());
        } else if (one.matches()) {
            boolean user = one.group(1).equals("Users");
            String id = one.group(2);
            outcome = switch (method) {
                case "PUT" -> user ? users.replaceUser(app, base, id, object(data), version) : groups.replace(app, base, id, object(data), version);
                case "PATCH" -> user ? users.patchUser(app, base, id, object(data), version) : groups.patch(app, base, id, object(data), false, version);
                case "DELETE" -> user ? users.deleteUser(app, id, version) : groups.delete(app, id, version);
                default -> throw ScimError.invalidSyntax("method is POST, PUT, PATCH or DELETE, not " + method);
            };
            if (outcome.location() == null) result.put("location", base + path);
        } else {
            throw ScimError.invalidPath("no resource at " + path);
        }
        if (outcome.location() != null) result.put("location", outcome.location());
        if (outcome.version() != null) result.put("version", outcome.version());
        result.put("status", String.valueOf(outcome.status()));
    }

    /** "bulkId:ID" replaced by the id of the resource that POST created; unknown ones are refused. */
    private String resolve(String text) {
        if (text == null || !text.contains("bulkId:")) return text;
        Matcher m = Pattern.compile("bulkId:([A-Za-z0-9._~-]+)").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(idOf(m.group(1))));
        m.appendTail(out);
        return out.toString();
    }

    private JsonNode resolve(JsonNode node) {
        if (node == null) return null;
        if (node.isTextual()) return node.asText().startsWith("bulkId:") ? TextNode.valueOf(idOf(node.asText().substring(7))) : node;
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(v -> out.add(resolve(v)));
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), resolve(e.getValue()));
            }
            return out;
        }
        return node;
    }

    private String idOf(String bulkId) {
        String id = created.get(bulkId);
        if (id == null) throw new ScimError(409, "invalidValue", "bulkId " + bulkId + " names no resource created before this operation");
        return id;
    }

    private static JsonNode object(JsonNode data) {
        if (data == null || !data.isObject()) throw ScimError.invalidSyntax("data must be an object");
        return data;
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = UserMapping.field(node, name);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw ScimError.invalidSyntax(name + " must be a string");
        return v.asText();
    }
}
