package kubefake.store.registry.fieldvalidation;

import static kubefake.store.registry.fieldvalidation.Bodies.bytes;
import static kubefake.store.registry.fieldvalidation.Bodies.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Repeated keys, and strict decoding of whole request bodies. */
class DuplicateFieldsTest {

    @Test
    void schemaLessParsingKeepsTheLastValueAndNamesEveryRepeatedKey() {
        List<String> duplicates = new ArrayList<>();
        JsonNode parsed = FieldValidation.parseCheckingDuplicates(
                bytes("{'a':1,'b':{'c':1,'c':2},'a':{'x':[{'y':1,'y':2}]}}"), duplicates);
        assertEquals(tree("{'a':{'x':[{'y':2}]},'b':{'c':2}}"), parsed);
        assertEquals(List.of("b.c", "a", "a.x[0].y"), duplicates);
    }

    @Test
    void malformedJsonIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> FieldValidation.parseCheckingDuplicates(bytes("{'a':"), new ArrayList<>()));
        assertThrows(IllegalArgumentException.class,
                () -> FieldValidation.parseCheckingDuplicates(bytes("{} {}"), new ArrayList<>()));
    }

    @Test
    void decodeInterleavesUnknownAndDuplicateFieldsInDocumentOrder() {
        FieldValidation.Decoded decoded = FieldValidation.decode(bytes("""
                {'apiVersion':'v1','kind':'ConfigMap','foo':1,
                 'metadata':{'name':'a','labels':{'x':'1','x':'2'},'name':'b'},
                 'data':{'k':'v'},'bar':2,'foo':3}"""), false, "", "v1", "ConfigMap");
        assertEquals(List.of("unknown field \"foo\"", "duplicate field \"metadata.labels.x\"",
                "duplicate field \"metadata.name\"", "unknown field \"bar\""), decoded.problems());
        assertEquals("b", decoded.object().at("/metadata/name").asText());
        assertEquals("2", decoded.object().at("/metadata/labels/x").asText());
    }

    @Test
    void unknownFieldsAreNotDuplicatesAndNothingInsideThemIsReported() {
        FieldValidation.Decoded decoded = FieldValidation.decode(
                bytes("{'kind':'ConfigMap','spec':{'a':1,'a':2},'spec':{}}"), false, "", "v1", "ConfigMap");
        assertEquals(List.of("unknown field \"spec\""), decoded.problems());
    }

    @Test
    void aRepeatedObjectIsDecodedIntoTheEarlierStructLikeGo() {
        FieldValidation.Decoded decoded = FieldValidation.decode(bytes("""
                {'kind':'Pod','metadata':{'name':'p'},'metadata':{'namespace':'n'},
                 'spec':{'containers':[{'name':'a','image':'i'}],'containers':[{'image':'j'}]}}"""),
                false, "", "v1", "Pod");
        assertEquals(List.of("duplicate field \"metadata\"", "duplicate field \"spec.containers\""),
                decoded.problems());
        assertEquals(tree("{'name':'p','namespace':'n'}"), decoded.object().get("metadata"));
        assertEquals(tree("[{'name':'a','image':'j'}]"), decoded.object().at("/spec/containers"));
    }

    @Test
    void mapValuesAndSelfDecodingValuesAreReplacedNotMerged() {
        FieldValidation.Decoded decoded = FieldValidation.decode(bytes("""
                {'kind':'ControllerRevision','data':{'a':1},'data':{'b':2}}"""), false, "apps", "v1",
                "ControllerRevision");
        assertEquals(List.of("duplicate field \"data\""), decoded.problems());
        assertEquals(tree("{'b':2}"), decoded.object().get("data"));
    }

    @Test
    void kindsWithoutSchemaStillReportDuplicatesAtAnyDepth() {
        FieldValidation.Decoded decoded = FieldValidation.decode(
                bytes("{'spec':{'x':[{'a':1,'a':2}]},'foo':1}"), false, "stable.example.com", "v1", "CronTab");
        assertEquals(List.of("duplicate field \"spec.x[0].a\""), decoded.problems());
    }

    @Test
    void atMostOneHundredProblemsEachOnce() {
        StringBuilder body = new StringBuilder("{\"kind\":\"ConfigMap\"");
        for (int i = 0; i < 150; i++) {
            body.append(",\"f").append(i).append("\":1,\"f").append(i).append("\":2");
        }
        body.append('}');
        List<String> problems = FieldValidation.decode(body.toString().getBytes(StandardCharsets.UTF_8), false,
                "", "v1", "ConfigMap").problems();
        assertEquals(100, problems.size());
        assertEquals("unknown field \"f0\"", problems.get(0));
        assertEquals("unknown field \"f99\"", problems.get(99));
    }

    @Test
    void yamlBodiesReportRepeatedKeysByLineFirstThenUnknownFieldsInKeyOrder() {
        String yaml = """
                apiVersion: v1
                kind: ConfigMap
                zeta: 1
                metadata:
                  name: a
                  name: b
                data:
                  k: v
                alpha: 2
                data:
                  k: w
                """;
        FieldValidation.Decoded decoded = FieldValidation.decode(yaml.getBytes(StandardCharsets.UTF_8), true,
                "", "v1", "ConfigMap");
        assertEquals(List.of("yaml: unmarshal errors:\n  line 6: key \"name\" already set in map\n"
                        + "  line 11: key \"data\" already set in map",
                "unknown field \"alpha\"", "unknown field \"zeta\""), decoded.problems());
        assertEquals("b", decoded.object().at("/metadata/name").asText());
        assertEquals(tree("{'k':'w'}"), decoded.object().get("data"));
        assertEquals(List.of("line 6: key \"name\" already set in map", "line 11: key \"data\" already set in map",
                "unknown field \"alpha\"", "unknown field \"zeta\""), FieldValidation.warnings(decoded.problems()));
    }
}
