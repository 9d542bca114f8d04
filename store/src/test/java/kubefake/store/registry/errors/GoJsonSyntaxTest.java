package kubefake.store.registry.errors;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** encoding/json's syntax errors, as json.Unmarshal reports them for each document. */
class GoJsonSyntaxTest {

    private static String error(String doc) {
        return GoJsonSyntax.error(doc.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void wellFormedDocuments() {
        for (String doc : new String[] {"{}", " [ ] ", "null", "-0.5e+10", "\"\\u00e9\\n\"", "{\"a\":[1,{\"b\":true}]}", "0"}) {
            assertNull(error(doc), doc);
        }
    }

    @Test
    void goMessages() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("", "unexpected end of JSON input"),
                Map.entry("{", "unexpected end of JSON input"),
                Map.entry("{\"a\"", "unexpected end of JSON input"),
                Map.entry("x", "invalid character 'x' looking for beginning of value"),
                Map.entry("{x}", "invalid character 'x' looking for beginning of object key string"),
                Map.entry("{\"a\" 1}", "invalid character '1' after object key"),
                Map.entry("{\"a\":1 \"b\"}", "invalid character '\"' after object key:value pair"),
                Map.entry("[1 2]", "invalid character '2' after array element"),
                Map.entry("{} {}", "invalid character '{' after top-level value"),
                Map.entry("01", "invalid character '1' after top-level value"),
                Map.entry("-x", "invalid character 'x' in numeric literal"),
                Map.entry("1.x", "invalid character 'x' after decimal point in numeric literal"),
                Map.entry("1ex", "invalid character 'x' in exponent of numeric literal"),
                Map.entry("tru", "unexpected end of JSON input"),
                Map.entry("trUe", "invalid character 'U' in literal true (expecting 'u')"),
                Map.entry("nul1", "invalid character '1' in literal null (expecting 'l')"),
                Map.entry("\"a\tb\"", "invalid character '\\t' in string literal"),
                Map.entry("\"\\x\"", "invalid character 'x' in string escape code"),
                Map.entry("\"\\u12g4\"", "invalid character 'g' in \\u hexadecimal character escape"),
                Map.entry("[']", "invalid character '\\'' looking for beginning of value"),
                Map.entry("\u00e9", "invalid character 'Ã' looking for beginning of value"));
        cases.forEach((doc, message) -> assertEquals(message, error(doc), doc));
    }
}
