package kubefake.server.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * What the printers' tests take from the recording of a real Kubernetes 1.33 API server
 * ({@link kubefake.testkit.Reference}): its {@code as=Table} answers and the objects kubectl printed with
 * {@code -o yaml}.
 */
final class Reference {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One recorded Table: which resource it lists and the server's answer. */
    record RecordedTable(String file, String group, String resource, JsonNode table) {
        @Override
        public String toString() {
            return file;
        }
    }

    private Reference() {
    }

    /** Every recorded {@code table-*.json}. */
    static List<RecordedTable> tables() {
        return kubefake.testkit.Reference.files("http", "table-.*\\.json").stream().map(Reference::readTable).toList();
    }

    /**
     * {@code table-api_v1-pods.json} lists core pods, {@code table-apis_apps_v1-deployments.json}
     * apps deployments; {@code table-nodes} and {@code table-pods-all-namespaces} are core too.
     */
    private static RecordedTable readTable(String file) {
        String fileName = file.substring(file.lastIndexOf('/') + 1);
        String name = fileName.replaceFirst("^table-", "").replaceFirst("\\.json$", "");
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
        return new RecordedTable(fileName, group, resource, kubefake.testkit.Reference.json(file));
    }

    /** Every object of the recorded {@code kubectl get -o yaml} outputs, by uid. */
    static Map<String, ObjectNode> yamlObjectsByUid() {
        Map<String, ObjectNode> objects = new HashMap<>();
        for (String file : kubefake.testkit.Reference.files("kubectl/1.33", "yaml-.*\\.out")) {
            JsonNode document = kubefake.testkit.Reference.yaml(file);
            List<JsonNode> items = document.path("kind").asText().equals("List")
                    ? iterable(document.path("items")) : List.of(document);
            for (JsonNode item : items) {
                objects.put(item.path("metadata").path("uid").asText(), (ObjectNode) item);
            }
        }
        return objects;
    }

    private static List<JsonNode> iterable(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }
}
