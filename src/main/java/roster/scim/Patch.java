package roster.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PATCH (RFC 7644 §3.5.2) applied to a resource's SCIM JSON: the caller renders the stored resource, this applies
 * the operations, and the caller reads the result back as a PUT would. Working on the wire form keeps one mapping
 * (UserMapping) and lets every path form through: attr, attr.sub, urn:…:attr, attr[filter], attr[filter].sub, and
 * operations without a path whose value object names attributes (what Entra ID sends, "op":"Replace" capitalised and
 * booleans as strings included).
 */
final class Patch {

    static final String SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final int MAX_OPERATIONS = 1000;

    private Patch() {}

    static ObjectNode apply(ObjectNode resource, JsonNode body) {
        if (body == null || !body.isObject()) throw ScimError.invalidSyntax("the body must be a PatchOp JSON object");
        JsonNode operations = UserMapping.field(body, "Operations");
        if (operations == null || !operations.isArray() || operations.isEmpty()) {
            throw ScimError.invalidSyntax("Operations must be a non-empty array");
        }
        if (operations.size() > MAX_OPERATIONS) throw new ScimError(400, "tooMany", "at most " + MAX_OPERATIONS + " operations");
        ObjectNode out = resource.deepCopy();
        for (JsonNode operation : operations) {
            if (!operation.isObject()) throw ScimError.invalidSyntax("each operation is an object");
            JsonNode opNode = UserMapping.field(operation, "op");
            if (opNode == null || !opNode.isTextual()) throw ScimError.invalidSyntax("each operation has an op");
            String op = opNode.asText().toLowerCase(Locale.ROOT);
            if (!op.equals("add") && !op.equals("replace") && !op.equals("remove")) {
                throw ScimError.invalidSyntax("op is add, replace or remove, not " + opNode.asText());
            }
            JsonNode pathNode = UserMapping.field(operation, "path");
            JsonNode value = UserMapping.field(operation, "value");
            if (pathNode == null || pathNode.isNull()) {
                if (op.equals("remove")) throw ScimError.noTarget("remove needs a path");
                if (value == null || !value.isObject()) throw ScimError.invalidValue("an operation without a path takes an object of attributes");
                applyObject(out, op, null, value);
            } else {
                if (!pathNode.isTextual()) throw ScimError.invalidPath("path must be a string");
                ScimFilter.PatchPath path = ScimFilter.parsePatchPath(pathNode.asText());
                if (path.path().attr() == null) {
                    if (op.equals("remove")) {
                        remove(out, path.path().urn());
                        continue;
                    }
                    if (value == null || !value.isObject()) throw ScimError.invalidValue("a schema's path takes an object of its attributes");
                    applyObject(out, op, path.path().urn(), value);
                } else {
                    applyOne(out, op, path, value);
                }
            }
        }
        return out;
    }

    /** Each key of the value is a path of its own (Entra ID writes "name.givenName" and URN-qualified keys there). */
    private static void applyObject(ObjectNode resource, String op, String urn, JsonNode value) {
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String lower = e.getKey().toLowerCase(Locale.ROOT);
            if (urn == null && ScimFilter.EXTENSIONS.contains(lower) && e.getValue().isObject()) {
                applyObject(resource, op, lower, e.getValue());
                continue;
            }
            if (urn == null && lower.equals("schemas")) continue; // a client echoing the resource's schemas changes nothing
            String path = urn == null ? e.getKey() : urn + ":" + e.getKey();
            applyOne(resource, op, ScimFilter.parsePatchPath(path), e.getValue());
        }
    }

    private static void applyOne(ObjectNode resource, String op, ScimFilter.PatchPath pp, JsonNode value) {
        ScimFilter.Path path = pp.path();
        if (path.urn() == null && (path.attr().equals("id") || path.attr().equals("meta") || path.attr().equals("schemas"))) {
            throw ScimError.mutability(path.attr() + " is read-only");
        }
        if (!op.equals("remove") && (value == null || value.isNull())) op = "remove"; // "value": null clears, as Okta sends it
        ObjectNode container = path.urn() == null ? resource : objectAt(resource, path.urn(), !op.equals("remove"));
        if (container == null) return;
        String attr = keyOf(container, path.attr());
        JsonNode existing = container.get(attr);
        if (pp.filter() == null) {
            if (path.sub() == null) {
                set(container, attr, existing, op, value);
                return;
            }
            if (existing != null && existing.isArray()) {
                if (existing.isEmpty() && !op.equals("remove")) ((ArrayNode) existing).addObject();
                for (JsonNode element : existing) if (element.isObject()) set((ObjectNode) element, keyOf(element, path.sub()), element.get(keyOf(element, path.sub())), op, value);
                return;
            }
            ObjectNode parent = existing instanceof ObjectNode o ? o : null;
            if (parent == null) {
                if (op.equals("remove")) return;
                parent = container.putObject(attr);
            }
            String sub = keyOf(parent, path.sub());
            set(parent, sub, parent.get(sub), op, value);
            return;
        }
        // attr[filter] or attr[filter].sub
        ArrayNode list = existing instanceof ArrayNode a ? a : null;
        List<ObjectNode> matched = new ArrayList<>();
        if (list != null) for (JsonNode element : list) if (element.isObject() && ScimFilter.matches(pp.filter(), element, path.attr())) matched.add((ObjectNode) element);
        if (op.equals("remove")) {
            if (list == null) return;
            for (ObjectNode element : matched) {
                if (pp.sub() == null) removeSame(list, element);
                else element.remove(keyOf(element, pp.sub()));
            }
            return;
        }
        if (matched.isEmpty()) {
            // Entra ID adds emails[type eq "work"].value to a user without one: make the value the filter describes
            ObjectNode created = describedBy(pp.filter());
            if (created == null) throw ScimError.noTarget("no value of " + path.attr() + " matches the filter");
            if (list == null) list = container.putArray(attr);
            list.add(created);
            matched.add(created);
        }
        for (ObjectNode element : matched) {
            if (pp.sub() != null) {
                element.set(keyOf(element, pp.sub()), value);
            } else if (!value.isObject()) {
                throw ScimError.invalidValue("a filtered path without a sub-attribute takes an object");
            } else if (op.equals("replace")) {
                element.removeAll();
                element.setAll((ObjectNode) value.deepCopy());
            } else {
                element.setAll((ObjectNode) value.deepCopy());
            }
        }
    }

    /** add, replace or remove one attribute of an object. */
    private static void set(ObjectNode container, String attr, JsonNode existing, String op, JsonNode value) {
        if (op.equals("remove")) {
            if (value != null && value.isArray() && existing instanceof ArrayNode list) {
                for (JsonNode v : value) removeSame(list, v); // remove these members, as Entra ID and Okta send it
            } else {
                container.remove(attr);
            }
            return;
        }
        if (op.equals("add") && existing instanceof ArrayNode list) {
            for (JsonNode v : value.isArray() ? value : List.of(value)) if (indexOfSame(list, v) < 0) list.add(v.deepCopy());
            return;
        }
        if (existing instanceof ObjectNode o && value.isObject()) {
            o.setAll((ObjectNode) value.deepCopy()); // sub-attributes given are set, the others kept (§3.5.2.1, §3.5.2.3)
            return;
        }
        container.set(attr, value.deepCopy());
    }

    /** The value a filter of equalities describes ({type eq "work"} → {"type": "work"}); null for any other filter. */
    private static ObjectNode describedBy(ScimFilter.Node filter) {
        ObjectNode out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        return collect(filter, out) ? out : null;
    }

    private static boolean collect(ScimFilter.Node node, ObjectNode out) {
        if (node instanceof ScimFilter.And a) return collect(a.left(), out) && collect(a.right(), out);
        if (node instanceof ScimFilter.Compare c && c.op().equals("eq") && c.path().urn() == null && c.path().sub() == null) {
            out.set(c.path().attr(), c.value());
            return true;
        }
        return false;
    }

    private static void removeSame(ArrayNode list, JsonNode v) {
        int i;
        while ((i = indexOfSame(list, v)) >= 0) list.remove(i);
    }

    /** Values of a multi-valued attribute are the same when their "value" is (members by id), else when equal. */
    private static int indexOfSame(ArrayNode list, JsonNode v) {
        JsonNode key = v.isObject() ? UserMapping.field(v, "value") : null;
        for (int i = 0; i < list.size(); i++) {
            JsonNode element = list.get(i);
            if (key != null && element.isObject() && key.equals(UserMapping.field(element, "value"))) return i;
            if (element.equals(v)) return i;
        }
        return -1;
    }

    private static ObjectNode objectAt(ObjectNode resource, String name, boolean create) {
        String key = keyOf(resource, name);
        JsonNode node = resource.get(key);
        if (node instanceof ObjectNode o) return o;
        return create ? resource.putObject(key) : null;
    }

    private static void remove(ObjectNode resource, String name) {
        resource.remove(keyOf(resource, name));
    }

    /** The object's own spelling of a case-insensitive name, or the name itself when it has none. */
    private static String keyOf(JsonNode object, String lowerName) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.equalsIgnoreCase(lowerName)) return k;
        }
        return lowerName;
    }
}
