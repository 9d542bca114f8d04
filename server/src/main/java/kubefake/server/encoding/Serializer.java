package kubefake.server.encoding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kubefake.server.protobuf.ProtobufEncoder;
import kubefake.store.registry.Json;

/**
 * Writes an API object in a negotiated media type as the API server's serializers do: JSON as Go's
 * {@code json.Encoder} (compact, and a newline after it) or, pretty, as {@code json.MarshalIndent} (indented by two
 * spaces, no newline); YAML as {@code sigs.k8s.io/yaml} (keys sorted as go-yaml sorts them); Kubernetes protobuf.
 */
public final class Serializer {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    /** A serialized body and its Content-Type. */
    public record Encoded(String contentType, byte[] body) {
    }

    private Serializer() {
    }

    /** The object (with kind and apiVersion) in {@code media}; {@code pretty} applies to JSON. */
    public static Encoded encode(JsonNode object, MediaType media, boolean pretty) {
        return switch (media) {
            case JSON -> new Encoded(media.contentType(), json(Json.bytes(object), pretty));
            case YAML -> new Encoded(media.contentType(), yaml(object));
            case PROTOBUF -> new Encoded(media.contentType(), ProtobufEncoder.encode(object));
        };
    }

    /** An object's compact JSON as the response body: indented, or with the encoder's newline. */
    public static byte[] json(byte[] compact, boolean pretty) {
        return pretty ? GoJsonIndent.indent(compact) : withNewline(compact);
    }

    /** JSON written outside the serializers ({@code responsewriters.WriteRawJSON}): always indented, no newline. */
    public static byte[] rawJson(JsonNode object) {
        return GoJsonIndent.indent(Json.bytes(object));
    }

    public static byte[] withNewline(byte[] compact) {
        byte[] out = java.util.Arrays.copyOf(compact, compact.length + 1);
        out[compact.length] = '\n';
        return out;
    }

    /** YAML of the object with every mapping's keys in go-yaml's order. */
    public static byte[] yaml(JsonNode object) {
        try {
            return YAML.writeValueAsBytes(sortedKeys(object));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode sortedKeys(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(object.size());
            object.fields().forEachRemaining(entries::add);
            entries.sort((a, b) -> GoYamlKeyOrder.compare(a.getKey(), b.getKey()));
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : entries) {
                sorted.set(e.getKey(), sortedKeys(e.getValue()));
            }
            return sorted;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode(array.size());
            array.forEach(element -> out.add(sortedKeys(element)));
            return out;
        }
        return node;
    }
}
