package kubefake.server.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every captured kubectl 1.33 protobuf body decodes to the JSON kubectl 1.31 sent for the same command. */
class ProtobufFixturesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> protobufFixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(ProtobufFixturesTest.class.getResource("/protobuf/README.md").toURI()).getParent();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pb")).sorted().toList();
        }
    }

    @Test
    void theFixturesCoverTheCommandsThatSendProtobuf() throws Exception {
        List<String> names = protobufFixtures().stream().map(f -> f.getFileName().toString()).toList();
        for (String command : List.of("configmap", "secret-generic", "namespace", "deployment-replicas-0",
                "deployment-replicas-3-port-80", "service-nodeport", "serviceaccount", "job", "role",
                "priorityclass-value-0", "auth-can-i", "auth-whoami", "token")) {
            assertTrue(names.contains(command + ".pb"), "missing fixture " + command + ".pb");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protobufFixtures")
    void decodesToTheJsonOfKubectl131(Path protobuf) throws Exception {
        Path json = protobuf.resolveSibling(protobuf.getFileName().toString().replace(".pb", ".json"));
        JsonNode expected = GoJson.withoutNulls(JSON.readTree(json.toFile()));
        assertEquals(expected, ProtobufDecoder.decode(Files.readAllBytes(protobuf)));
    }
}
