package kubefake.server.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The recording of a real Kubernetes 1.33 API server ({@code shared/reference/k8s-1.33}): its
 * {@code as=Table} answers and the objects kubectl printed with {@code -o yaml}. Found through the
 * {@code kubefake.reference} system property, else by looking for {@code shared/reference/k8s-1.33}
 * in the working directory and its parents.
 */
final class Reference {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One recorded Table: which resource it lists and the server's answer. */
    record RecordedTable(String file, String group, String resource, JsonNode table) {
        @Override
        public String toString() {
            return file;
        }
    }

    private Reference() {
    }

    static Path root() {
        String configured = System.getProperty("kubefake.reference");
        if (configured != null) {
            return Paths.get(configured);
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/reference/k8s-1.33");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("the Kubernetes 1.33 recording (shared/reference/k8s-1.33) was not found;"
                + " set -Dkubefake.reference=<dir>");
    }

    /** Every recorded {@code table-*.json}. */
    static List<RecordedTable> tables() {
        try (Stream<Path> files = Files.list(root().resolve("http"))) {
            return files.filter(f -> f.getFileName().toString().matches("table-.*\\.json"))
                    .sorted()
                    .map(Reference::readTable)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code table-api_v1-pods.json} lists core pods, {@code table-apis_apps_v1-deployments.json}
     * apps deployments; {@code table-nodes} and {@code table-pods-all-namespaces} are core too.
     */
    private static RecordedTable readTable(Path file) {
        String name = file.getFileName().toString().replaceFirst("^table-", "").replaceFirst("\\.json$", "");
        String group;
        String resource;
        if (name.startsWith("api_")) {
            group = "";
            resource = name.substring(name.lastIndexOf('-') + 1);
        } else if (name.startsWith("apis_")) {
            String[] parts = name.substring("apis_".length()).split("_", 2);
            group = parts[0];
            resource = parts[1].substring(parts[1].indexOf('-') + 1);
        } else {
            group = "";
            resource = name.split("-")[0];
        }
        return new RecordedTable(file.getFileName().toString(), group, resource, readJson(file));
    }

    /** Every object of the recorded {@code kubectl get -o yaml} outputs, by uid. */
    static Map<String, ObjectNode> yamlObjectsByUid() {
        Map<String, ObjectNode> objects = new HashMap<>();
        try (Stream<Path> files = Files.list(root().resolve("kubectl/1.33"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("yaml-.*\\.out")).toList()) {
                JsonNode document = YAML.readTree(file.toFile());
                List<JsonNode> items = document.path("kind").asText().equals("List")
                        ? iterable(document.path("items")) : List.of(document);
                for (JsonNode item : items) {
                    objects.put(item.path("metadata").path("uid").asText(), (ObjectNode) item);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> iterable(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).toList();
    }
}
