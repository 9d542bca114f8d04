package kubefake.server.encoding;

import com.fasterxml.jackson.databind.ObjectMapper;
import kubefake.testkit.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Indenting compact JSON gives what the real server sent to curl (json.MarshalIndent): every recorded JSON body whose
 * Content-Length was recorded, written compact and indented again, is the recorded body byte for byte.
 */
class GoJsonIndentTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The recorded bodies whose length the real server told (the openapi documents are not API objects). */
    static List<String> recordedBodies() {
        return Reference.files("http", ".*\\.head").stream()
                .map(f -> f.substring("http/".length(), f.length() - ".head".length()))
                .filter(n -> !n.startsWith("openapi") && Reference.httpContentLength(n) != null)
                .filter(n -> Files.exists(Reference.root().resolve("http/" + n + ".json")) && Reference.httpBody(n).length > 0)
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordedBodies")
    void indentsAsMarshalIndent(String name) throws Exception {
        byte[] recorded = Reference.httpBody(name);
        byte[] compact = MAPPER.writeValueAsBytes(MAPPER.readTree(recorded));
        byte[] indented = GoJsonIndent.indent(compact);
        assertEquals(new String(recorded, StandardCharsets.UTF_8), new String(indented, StandardCharsets.UTF_8));
        assertEquals(Reference.httpContentLength(name), Integer.toString(indented.length));
    }

    @Test
    void emptyObjectsAndArraysStayOnTheirLineAndStringsAreCopiedAsTheyAre() {
        String compact = "{\"a\":{},\"b\":[],\"c\":[1,{\"d\":\"x,y:{[\\\"\"}],\"e\":null}";
        assertEquals("""
                {
                  "a": {},
                  "b": [],
                  "c": [
                    1,
                    {
                      "d": "x,y:{[\\""
                    }
                  ],
                  "e": null
                }""", new String(GoJsonIndent.indent(compact.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
    }
}
