package roster.dialect.authing;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The text JavaScript makes of a JSON value, which is what authing-node-sdk signs: {@code `${v}`} for a
 * top-level value, {@code JSON.stringify(v)} for objects and arrays. A signature check must rebuild it from the
 * parsed body exactly; Jackson's own text differs (1.0E21 for 1e+21, -0.0 for 0, upper-case escapes, lone
 * surrogates written raw).
 */
final class JsText {

    private static final double EXACT_INTEGERS = 9007199254740992d; // 2^53

    private JsText() {}

    /** {@code `${v}`}: a string as it is, null as "null", a number as JavaScript prints it, objects as JSON. */
    static String of(JsonNode v) {
        if (v.isTextual()) return v.textValue();
        if (v.isNull()) return "null";
        if (v.isContainerNode()) return stringify(v);
        if (v.isNumber()) return number(v.doubleValue());
        return v.asText(); // true, false
    }

    /** {@code JSON.stringify(v)}. */
    static String stringify(JsonNode v) {
        StringBuilder out = new StringBuilder();
        write(v, out);
        return out.toString();
    }

    private static void write(JsonNode v, StringBuilder out) {
        if (v.isTextual()) {
            quote(v.textValue(), out);
        } else if (v.isNumber()) {
            double d = v.doubleValue();
            out.append(Double.isFinite(d) ? number(d) : "null");
        } else if (v.isArray()) {
            out.append('[');
            for (int i = 0; i < v.size(); i++) {
                if (i > 0) out.append(',');
                write(v.get(i), out);
            }
            out.append(']');
        } else if (v.isObject()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : jsOrder(v)) {
                if (!first) out.append(',');
                first = false;
                quote(e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else {
            out.append(v.isNull() ? "null" : v.asText());
        }
    }

    /** A JavaScript object's key order: array-index keys ("0", "7", "42") ascending first, then the rest as inserted. */
    private static List<Map.Entry<String, JsonNode>> jsOrder(JsonNode object) {
        List<Map.Entry<String, JsonNode>> indexes = new ArrayList<>();
        List<Map.Entry<String, JsonNode>> others = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            (arrayIndex(e.getKey()) >= 0 ? indexes : others).add(e);
        }
        indexes.sort((a, b) -> Long.compare(arrayIndex(a.getKey()), arrayIndex(b.getKey())));
        indexes.addAll(others);
        return indexes;
    }

    private static long arrayIndex(String key) {
        if (key.isEmpty() || key.length() > 10 || (key.length() > 1 && key.charAt(0) == '0')) return -1;
        for (int i = 0; i < key.length(); i++) if (key.charAt(i) < '0' || key.charAt(i) > '9') return -1;
        long n = Long.parseLong(key);
        return n <= 4294967294L ? n : -1;
    }

    /** JSON.stringify's quoting: short escapes, \\u00xx for other controls and lone surrogates, everything else as is. */
    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    boolean lone = Character.isHighSurrogate(c) ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                            : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || lone) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }

    /**
     * Number::toString (ECMA-262 6.1.6.1.20): the fewest significant digits that read back as the same double,
     * the closest of them when several do, written plainly from 1e-6 to below 1e21 and as d.ddde±n outside.
     */
    static String number(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        if (d == 0) return "0"; // -0 too
        if (d == Math.rint(d) && Math.abs(d) < EXACT_INTEGERS) return Long.toString((long) d);
        BigDecimal shortest = shortest(Math.abs(d)).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale(); // the value is 0.digits × 10^n
        String text;
        if (k <= n && n <= 21) text = digits + "0".repeat(n - k);
        else if (0 < n && n <= 21) text = digits.substring(0, n) + "." + digits.substring(n);
        else if (-6 < n && n <= 0) text = "0." + "0".repeat(-n) + digits;
        else text = (k == 1 ? digits : digits.charAt(0) + "." + digits.substring(1)) + "e" + (n - 1 >= 0 ? "+" : "-") + Math.abs(n - 1);
        return d < 0 ? "-" + text : text;
    }

    /**
     * Starts from Double.toString, which reads back but before Java 19 is not always the shortest (4.9E-324 for
     * 5e-324, 18 digits for 2.82879384806159E17) nor the closest. For each length, the decimals of that length
     * that read back lie in one run around the start: the first length with any, and the one of them closest to
     * the double, is the answer. Distinct decimals of up to 15 digits are distinct normal doubles (DBL_DIG), so
     * a normal double has at most one of them: it needs no search below 15 digits, nor any when the start has 15
     * or fewer. The exact value (up to 767 digits) is computed only to choose among several.
     */
    private static BigDecimal shortest(double positive) {
        BigDecimal start = new BigDecimal(Double.toString(positive));
        boolean normal = positive >= Double.MIN_NORMAL;
        if (normal && start.stripTrailingZeros().precision() <= 15) return start;
        int lead = start.precision() - start.scale() - 1; // 10^lead <= start < 10^(lead + 1)
        for (int length = normal ? 15 : 1; ; length++) {
            int scale = length - 1 - lead;
            BigDecimal unit = BigDecimal.valueOf(1, scale);
            BigDecimal below = start.setScale(scale, RoundingMode.FLOOR);
            BigDecimal above = start.setScale(scale, RoundingMode.CEILING);
            List<BigDecimal> reading = new ArrayList<>();
            for (BigDecimal c = below; readsAs(c, positive); c = c.subtract(unit)) reading.add(c);
            for (BigDecimal c = above.equals(below) ? above.add(unit) : above; readsAs(c, positive); c = c.add(unit)) reading.add(c);
            if (reading.size() == 1) return reading.get(0);
            if (!reading.isEmpty()) return closest(reading, new BigDecimal(positive));
        }
    }

    private static boolean readsAs(BigDecimal decimal, double value) {
        return Double.parseDouble(decimal.toString()) == value;
    }

    /** The candidate nearest the exact value; of two as near, the one with an even last digit, as V8 does. */
    private static BigDecimal closest(List<BigDecimal> candidates, BigDecimal exact) {
        BigDecimal best = null;
        BigDecimal bestDistance = null;
        for (BigDecimal c : candidates) {
            BigDecimal distance = c.subtract(exact).abs();
            int cmp = best == null ? -1 : distance.compareTo(bestDistance);
            if (cmp < 0 || (cmp == 0 && !c.unscaledValue().testBit(0))) {
                best = c;
                bestDistance = distance;
            }
        }
        return best;
    }
}
