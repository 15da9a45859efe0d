package roster.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The SCIM filter grammar of RFC 7644 §3.4.2.2 (eq ne co sw ew pr gt ge lt le, and or not, grouping, value paths
 * such as {@code emails[type eq "work"]}) and the PATCH path grammar of §3.5.2, parsed into a small tree. Attribute
 * names are case-insensitive, so paths are kept in lower case; the core schema's URN prefix is dropped, an
 * extension's is kept. The tree is translated for Users into the core's UserFilter (UserFilters) and evaluated
 * directly on JSON where the resource is in hand (Groups, PATCH value filters).
 */
final class ScimFilter {

    static final String CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    static final String ROSTER = "urn:roster:params:scim:schemas:extension:roster:2.0:User";
    private static final Set<String> CORE = Set.of(CORE_USER.toLowerCase(Locale.ROOT), CORE_GROUP.toLowerCase(Locale.ROOT));
    static final Set<String> EXTENSIONS = Set.of(ENTERPRISE.toLowerCase(Locale.ROOT), ROSTER.toLowerCase(Locale.ROOT));
    private static final int MAX_LENGTH = 4096;
    private static final int MAX_DEPTH = 32;

    /** An attribute path: an extension's URN (lower case, null for the core schema), the attribute, a sub-attribute. */
    record Path(String urn, String attr, String sub) {
        /** The path's name as the attribute tables key it: "emails.value", or "urn…:user:department". */
        String key() {
            String name = attr == null ? "" : sub == null ? attr : attr + "." + sub;
            return urn == null ? name : attr == null ? urn : urn + ":" + name;
        }
    }

    sealed interface Node {}
    record And(Node left, Node right) implements Node {}
    record Or(Node left, Node right) implements Node {}
    record Not(Node inner) implements Node {}
    record Present(Path path) implements Node {}
    record Compare(Path path, String op, JsonNode value) implements Node {}
    /** attr[inner]: some value of the multi-valued attribute satisfies inner, whose paths name its sub-attributes. */
    record ValuePath(Path path, Node inner) implements Node {}

    /** A PATCH path: attr, attr.sub, attr[filter] or attr[filter].sub. */
    record PatchPath(Path path, Node filter, String sub) {}

    private static final Set<String> OPS = Set.of("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le");

    private final List<String> tokens;
    private final boolean patchPath;
    private int at;
    private int depth;

    private ScimFilter(String text, boolean patchPath) {
        this.patchPath = patchPath;
        this.tokens = tokenize(text, patchPath);
    }

    static Node parse(String text) {
        if (text == null || text.isBlank()) throw ScimError.invalidFilter("the filter is empty");
        if (text.length() > MAX_LENGTH) throw ScimError.invalidFilter("the filter is longer than " + MAX_LENGTH + " characters");
        ScimFilter p = new ScimFilter(text, false);
        Node node = p.or();
        if (p.at < p.tokens.size()) throw ScimError.invalidFilter("unexpected '" + p.tokens.get(p.at) + "'");
        return node;
    }

    static PatchPath parsePatchPath(String text) {
        if (text == null || text.isBlank()) throw ScimError.invalidPath("the path is empty");
        if (text.length() > MAX_LENGTH) throw ScimError.invalidPath("the path is too long");
        try {
            ScimFilter p = new ScimFilter(text, true);
            Path path = path(p.next(), false);
            Node filter = null;
            String sub = null;
            if (p.peek("[")) {
                if (path.sub() != null) throw ScimError.invalidPath("a value filter follows an attribute, not a sub-attribute");
                p.next();
                filter = p.or();
                p.expect("]");
                if (p.at < p.tokens.size()) {
                    String rest = p.next();
                    if (!rest.startsWith(".") || rest.length() < 2) throw ScimError.invalidPath("unexpected '" + rest + "'");
                    sub = name(rest.substring(1), true);
                }
            }
            if (p.at < p.tokens.size()) throw ScimError.invalidPath("unexpected '" + p.tokens.get(p.at) + "'");
            return new PatchPath(path, filter, sub);
        } catch (ScimError e) {
            throw "invalidFilter".equals(e.scimType) ? ScimError.invalidPath(e.getMessage()) : e;
        }
    }

    // ---- grammar: or := and {"or" and}; and := unary {"and" unary}; unary := "not" "(" or ")" | "(" or ")" | attrExp

    private Node or() {
        Node left = and();
        while (peekWord("or")) {
            next();
            left = new Or(left, and());
        }
        return left;
    }

    private Node and() {
        Node left = unary();
        while (peekWord("and")) {
            next();
            left = new And(left, unary());
        }
        return left;
    }

    private Node unary() {
        if (++depth > MAX_DEPTH) throw ScimError.invalidFilter("the filter is nested too deeply");
        try {
            if (peekWord("not") && at + 1 < tokens.size() && tokens.get(at + 1).equals("(")) {
                next();
                next();
                Node inner = or();
                expect(")");
                return new Not(inner);
            }
            if (peek("(")) {
                next();
                Node inner = or();
                expect(")");
                return inner;
            }
            return attributeExpression();
        } finally {
            depth--;
        }
    }

    private Node attributeExpression() {
        Path path = path(next(), true);
        if (peek("[")) {
            if (path.sub() != null) throw ScimError.invalidFilter("a value filter follows an attribute, not a sub-attribute");
            next();
            Node inner = or();
            expect("]");
            return new ValuePath(path, inner);
        }
        String op = next().toLowerCase(Locale.ROOT);
        if (op.equals("pr")) return new Present(path);
        if (!OPS.contains(op)) throw ScimError.invalidFilter("unknown operator '" + op + "'");
        return new Compare(path, op, value(next()));
    }

    private static JsonNode value(String token) {
        if (token.startsWith("\"")) {
            try {
                return TextNode.valueOf(roster.model.CanonicalJson.MAPPER.readTree(token).asText());
            } catch (Exception e) {
                throw ScimError.invalidFilter("malformed string " + token);
            }
        }
        switch (token.toLowerCase(Locale.ROOT)) {
            case "true": return BooleanNode.TRUE;
            case "false": return BooleanNode.FALSE;
            case "null": return NullNode.instance;
            default:
        }
        if (token.matches("-?(0|[1-9][0-9]{0,17})")) return LongNode.valueOf(Long.parseLong(token));
        if (token.length() <= 64 && token.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]{1,3})?")) return DecimalNode.valueOf(new BigDecimal(token));
        throw ScimError.invalidFilter("a value must be a quoted string, a number, true, false or null, not '" + token + "'");
    }

    /** [urn:]attr[.sub], checked and lower-cased. */
    static Path path(String token, boolean inFilter) {
        String lower = token.toLowerCase(Locale.ROOT);
        if (EXTENSIONS.contains(lower)) return new Path(lower, null, null);
        String urn = null;
        String rest = token;
        int colon = token.lastIndexOf(':');
        if (colon >= 0) {
            urn = lower.substring(0, colon);
            rest = token.substring(colon + 1);
            if (CORE.contains(urn)) urn = null;
            else if (!EXTENSIONS.contains(urn)) {
                throw inFilter ? ScimError.invalidFilter("unknown schema " + token.substring(0, colon)) : ScimError.invalidPath("unknown schema " + token.substring(0, colon));
            }
        }
        String[] parts = rest.split("\\.", -1);
        if (parts.length > 2) throw bad(inFilter, "'" + token + "' is not an attribute path");
        return new Path(urn, name(parts[0], inFilter), parts.length == 2 ? name(parts[1], inFilter) : null);
    }

    private static String name(String text, boolean inFilter) {
        if (!text.matches("[A-Za-z$][A-Za-z0-9_$-]{0,127}")) throw bad(inFilter, "'" + text + "' is not an attribute name");
        return text.toLowerCase(Locale.ROOT);
    }

    private static ScimError bad(boolean inFilter, String detail) {
        return inFilter ? ScimError.invalidFilter(detail) : ScimError.invalidPath(detail);
    }

    // ---- tokens

    private String next() {
        if (at >= tokens.size()) throw ScimError.invalidFilter("the filter ends too early");
        return tokens.get(at++);
    }

    private boolean peek(String token) {
        return at < tokens.size() && tokens.get(at).equals(token);
    }

    private boolean peekWord(String word) {
        return at < tokens.size() && tokens.get(at).equalsIgnoreCase(word);
    }

    private void expect(String token) {
        if (!peek(token)) throw ScimError.invalidFilter("expected '" + token + "'" + (at < tokens.size() ? " before '" + tokens.get(at) + "'" : " at the end"));
        at++;
    }

    private static List<String> tokenize(String text, boolean patchPath) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
            } else if (c == '(' || c == ')' || c == '[' || c == ']') {
                out.add(String.valueOf(c));
                i++;
            } else if (c == '"') {
                int j = i + 1;
                while (j < n && text.charAt(j) != '"') j += text.charAt(j) == '\\' ? 2 : 1;
                if (j >= n) throw patchPath ? ScimError.invalidPath("a string is not closed") : ScimError.invalidFilter("a string is not closed");
                out.add(text.substring(i, j + 1));
                i = j + 1;
            } else {
                int j = i;
                while (j < n && " \t\n\r()[]\"".indexOf(text.charAt(j)) < 0) j++;
                out.add(text.substring(i, j));
                i = j;
            }
        }
        return out;
    }

    // ---- evaluation on JSON (Groups, PATCH value filters)

    /** Whether the resource (or a value of a multi-valued attribute) satisfies the filter; parent names that attribute. */
    static boolean matches(Node node, JsonNode resource, String parent) {
        if (node instanceof And a) return matches(a.left(), resource, parent) && matches(a.right(), resource, parent);
        if (node instanceof Or o) return matches(o.left(), resource, parent) || matches(o.right(), resource, parent);
        if (node instanceof Not n) return !matches(n.inner(), resource, parent);
        if (node instanceof Present p) {
            for (JsonNode v : values(resource, p.path())) if (!v.isNull() && !(v.isTextual() && v.asText().isEmpty()) && !(v.isArray() && v.isEmpty())) return true;
            return false;
        }
        if (node instanceof Compare c) {
            boolean exact = caseExact(parent, c.path());
            for (JsonNode v : values(resource, c.path())) if (compare(v, c.op(), c.value(), exact)) return true;
            return false;
        }
        ValuePath vp = (ValuePath) node;
        JsonNode container = field(resource, vp.path());
        if (container == null) return false;
        for (JsonNode element : container.isArray() ? container : List.of(container)) {
            if (matches(vp.inner(), element, vp.path().attr())) return true;
        }
        return false;
    }

    private static boolean caseExact(String parent, Path path) {
        String attr = path.sub() != null ? path.sub() : path.attr();
        return "id".equals(attr) || "externalid".equals(attr) || "$ref".equals(attr)
                || ("value".equals(attr) && ("members".equals(parent) || "members".equals(path.attr())));
    }

    /** The attribute's own node: case-insensitive lookup, in the extension's object when the path names one. */
    static JsonNode field(JsonNode resource, Path path) {
        JsonNode base = resource;
        if (path.urn() != null) base = get(resource, path.urn());
        return base == null || path.attr() == null ? base : get(base, path.attr());
    }

    static JsonNode get(JsonNode object, String lowerName) {
        if (object == null || !object.isObject()) return null;
        for (var it = object.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase(lowerName)) return e.getValue();
        }
        return null;
    }

    /** The leaf values a path names: a sub-attribute of each value of a multi-valued attribute, or "value" of each. */
    private static List<JsonNode> values(JsonNode resource, Path path) {
        JsonNode node = field(resource, path);
        List<JsonNode> out = new ArrayList<>();
        if (node == null) return out;
        for (JsonNode element : node.isArray() ? node : List.of(node)) {
            JsonNode leaf = path.sub() != null ? get(element, path.sub()) : element.isObject() ? get(element, "value") : element;
            if (leaf != null) out.add(leaf);
        }
        return out;
    }

    private static boolean compare(JsonNode actual, String op, JsonNode expected, boolean exact) {
        if (expected.isNull()) return op.equals("ne") ? !actual.isNull() : op.equals("eq") && actual.isNull();
        if (actual.isNull()) return op.equals("ne");
        if (expected.isBoolean() || actual.isBoolean()) {
            boolean same = actual.asText().equalsIgnoreCase(expected.asText());
            return op.equals("eq") ? same : op.equals("ne") && !same;
        }
        int order;
        if (expected.isNumber() && actual.isNumber()) {
            order = actual.decimalValue().compareTo(expected.decimalValue());
        } else {
            String a = exact ? actual.asText() : actual.asText().toLowerCase(Locale.ROOT);
            String b = exact ? expected.asText() : expected.asText().toLowerCase(Locale.ROOT);
            switch (op) {
                case "co": return a.contains(b);
                case "sw": return a.startsWith(b);
                case "ew": return a.endsWith(b);
                default:
            }
            order = a.compareTo(b);
        }
        return switch (op) {
            case "eq" -> order == 0;
            case "ne" -> order != 0;
            case "gt" -> order > 0;
            case "ge" -> order >= 0;
            case "lt" -> order < 0;
            case "le" -> order <= 0;
            default -> false;
        };
    }
}
