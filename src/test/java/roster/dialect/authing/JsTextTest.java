package roster.dialect.authing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The text the Node SDK signs for each JSON value; every expectation is what node 20 prints for `${v}` or JSON.stringify(v). */
class JsTextTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "0.1|0.1", "1e21|1e+21", "1e+21|1e+21", "-0|0", "-0.0|0", "123456789012345680000|123456789012345680000",
            "12345678901234567890|12345678901234567000", "1e-7|1e-7", "0.000001|0.000001", "5e-324|5e-324",
            "1.7976931348623157e308|1.7976931348623157e+308", "2.5|2.5", "-1.5e-10|-1.5e-10", "100|100", "100.0|100",
            "9007199254740993|9007199254740992", "1152921504606846976|1152921504606847000", "0.30000000000000004|0.30000000000000004",
            "123e-20|1.23e-18", "1e300|1e+300", "4.35|4.35", "0.1e1|1", "true|true", "false|false", "null|null", "\"\"|''",
            "2.82879384806159e17|282879384806159000", "1e23|1e+23", "1.5e-323|1.5e-323", "3.4720144139222934e25|3.4720144139222934e+25",
            "2.2250738585072014e-308|2.2250738585072014e-308", "2.225073858507201e-308|2.225073858507201e-308", "8.41e21|8.41e+21",
            "5e-7|5e-7", "123456.789e-12|1.23456789e-7", "999999999999999999999|1e+21", "9.999999999999999e20|999999999999999900000",
            "\"é/\\u0001\"|'é/\u0001'", "\"+ & = ?\"|+ & = ?",
            "{\"b\":1,\"10\":2,\"2\":3,\"a\":[1,null,1e-7,\"\\u2028\"],\"c\":{\"\":-0}}|{\"2\":3,\"10\":2,\"b\":1,\"a\":[1,null,1e-7,\"\u2028\"],\"c\":{\"\":0}}",
            "[]|[]", "{}|{}", "[\"\\ud83d\\ude00\",\"\\udc00\",\"\\b\\f\\n\\r\\t\\\"\\\\/\\u007f\"]|[\"\uD83D\uDE00\",\"\\udc00\",\"\\b\\f\\n\\r\\t\\\"\\\\/\u007f\"]",
            "{\"4294967295\":1,\"4294967294\":2,\"01\":3,\"1\":4}|{\"1\":4,\"4294967294\":2,\"4294967295\":1,\"01\":3}",
    })
    void writesWhatJavaScriptWrites(String json, String expected) throws Exception {
        JsonNode value = AuthingJson.MAPPER.readTree(json);
        assertThat(JsText.of(value)).isEqualTo(expected);
    }

    /** 300,000 doubles of every kind were checked against node 20 once; here is what holds without node. */
    @Test
    void numbersReadBackAsTheSameDoubleInNoMoreDigitsThanJavaWrites() {
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 30_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(d)) continue;
            String text = JsText.number(d);
            assertThat(Double.parseDouble(text)).as(text).isEqualTo(d == 0 ? 0d : d);
            assertThat(digits(text)).as(text).isLessThanOrEqualTo(digits(Double.toString(d)));
        }
    }

    private static int digits(String number) {
        String mantissa = number.split("[eE]")[0].replace("-", "").replace(".", "").replaceFirst("^0+", "");
        return mantissa.replaceFirst("0+$", "").length();
    }
}
