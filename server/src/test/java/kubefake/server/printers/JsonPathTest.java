package kubefake.server.printers;

import static kubefake.server.printers.TestObjects.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonPathTest {

    private static final ObjectNode POD = json("{'metadata': {'name': 'web', 'labels': {'app.kubernetes.io/name': 'web'}},"
            + " 'spec': {'containers': [{'name': 'a', 'image': 'nginx', 'ports': [{'containerPort': 80}]},"
            + " {'name': 'b', 'image': 'busybox', 'ports': [{'containerPort': 9000}, {'containerPort': 9001}]}]},"
            + " 'status': {'conditions': [{'type': 'Initialized', 'status': 'True'}, {'type': 'Ready', 'status': 'False'}]}}");

    private static List<String> find(String path) {
        return JsonPath.compile(path).find(POD).stream().map(JsonNode::asText).toList();
    }

    @Test
    void fieldsIndexesSlicesAndWildcards() {
        assertEquals(List.of("web"), find(".metadata.name"));
        assertEquals(List.of("web"), find("{.metadata.name}"));
        assertEquals(List.of("busybox"), find(".spec.containers[1].image"));
        assertEquals(List.of("busybox"), find(".spec.containers[-1].image"));
        assertEquals(List.of("nginx", "busybox"), find(".spec.containers[*].image"));
        assertEquals(List.of("nginx"), find(".spec.containers[0:1].image"));
        assertEquals(List.of("80", "9000", "9001"), find(".spec.containers[*].ports[*].containerPort"));
        assertEquals(List.of("web"), find(".metadata.labels['app.kubernetes.io/name']"));
        assertEquals(List.of("web"), find(".metadata.labels.app\\.kubernetes\\.io/name"));
        assertEquals(List.of("80", "9000", "9001"), find("..containerPort"));
    }

    @Test
    void missingKeysAndIndexesMatchNothing() {
        assertEquals(List.of(), find(".status.podIP"));
        assertEquals(List.of(), find(".spec.containers[5].image"));
        assertEquals(List.of(), find(".spec.containers.image"));
    }

    @Test
    void filters() {
        assertEquals(List.of("False"), find(".status.conditions[?(@.type==\"Ready\")].status"));
        assertEquals(List.of("False"), find(".status.conditions[?(@.type=='Ready')].status"));
        assertEquals(List.of("Initialized"), find(".status.conditions[?(@.type!='Ready')].type"));
        assertEquals(List.of("b"), find(".spec.containers[?(@.ports[0].containerPort > 100)].name"));
        assertEquals(List.of("a", "b"), find(".spec.containers[?(@.image)].name"));
    }

    @Test
    void malformedPathsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> JsonPath.compile(".spec.containers[0"));
        assertThrows(IllegalArgumentException.class, () -> JsonPath.compile(".spec.containers[x]"));
        assertThrows(IllegalArgumentException.class, () -> JsonPath.compile(".spec..[?(type)]"));
    }
}
