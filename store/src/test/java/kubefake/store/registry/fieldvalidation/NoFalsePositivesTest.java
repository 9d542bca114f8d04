package kubefake.store.registry.fieldvalidation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import kubefake.testkit.Reference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Objects the real server accepts and returns decode without any unknown or duplicate field. */
class NoFalsePositivesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> recordedObjects() throws Exception {
        List<Arguments> objects = new ArrayList<>();
        // every object the real server returned to `kubectl get -o yaml` in the recording (lists give their items)
        List<String> recordings = Reference.files("kubectl/1.33", "yaml-.*\\.out");
        assertTrue(recordings.size() >= 10, "recorded objects: " + recordings);
        for (String recording : recordings) {
            String name = recording.substring(recording.lastIndexOf('/') + 1);
            JsonNode tree = Reference.yaml(recording);
            if (tree.has("items")) {
                tree.get("items").forEach(item -> objects.add(Arguments.of(name, item)));
            } else {
                objects.add(Arguments.of(name, tree));
            }
        }
        objects.addAll(Samples.valid().stream().map(sample -> Arguments.of("sample", sample)).toList());
        return objects.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("recordedObjects")
    void decodesCleanly(String source, JsonNode object) throws Exception {
        String apiVersion = object.get("apiVersion").asText();
        String kind = object.get("kind").asText();
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        assertNotNull(FieldValidation.layoutOf(group, version, kind), "no schema for " + apiVersion + " " + kind);

        assertEquals(List.of(), FieldValidation.unknownFields(object, group, version, kind));
        byte[] json = JSON.writeValueAsBytes(object);
        FieldValidation.Decoded decoded = FieldValidation.decode(json, false, group, version, kind);
        assertEquals(List.of(), decoded.problems());
        assertEquals(object, decoded.object());
        byte[] yaml = YAML.writeValueAsString(object).getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(), FieldValidation.decode(yaml, true, group, version, kind).problems());
        assertTrue(FieldValidation.checkStrategicMergePatch("{}".getBytes(StandardCharsets.UTF_8), object,
                group, version, kind).problems().isEmpty());
    }
}
