package kubefake.store.registry.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.testkit.Reference;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bootstrap policy against what a real kubeadm 1.33 cluster lists (the recording's clusterroles and
 * clusterrolebindings tables): the same ClusterRoles with the same labels and annotations, the same
 * ClusterRoleBindings with the same role and subjects.
 */
class BootstrapPolicyTest {

    @Test
    void theClusterRolesAreARealClustersWithTheirLabelsAndAnnotations() {
        Map<String, String> recorded = new TreeMap<>();
        for (JsonNode row : Reference.http("table-apis_rbac.authorization.k8s.io_v1-clusterroles").path("rows")) {
            JsonNode meta = row.path("object").path("metadata");
            recorded.put(meta.path("name").asText(), meta.path("labels").toString() + " " + meta.path("annotations"));
        }
        Map<String, String> ours = new TreeMap<>();
        for (BootstrapPolicy.Entry e : BootstrapPolicy.entries()) {
            if (!e.resource().equals("clusterroles")) continue;
            ObjectNode meta = Json.metadata(e.object());
            ours.put(e.name(), meta.path("labels").toString() + " " + meta.path("annotations"));
        }
        assertEquals(recorded, ours);
    }

    @Test
    void theClusterRoleBindingsBindTheSameRolesToTheSameSubjects() {
        Map<String, List<String>> recorded = new TreeMap<>();
        for (JsonNode row : Reference.http("table-apis_rbac.authorization.k8s.io_v1-clusterrolebindings").path("rows")) {
            JsonNode cells = row.path("cells");
            JsonNode meta = row.path("object").path("metadata");
            recorded.put(cells.get(0).asText(), List.of(cells.get(1).asText(), cells.get(3).asText(), cells.get(4).asText(),
                    cells.get(5).asText(), meta.path("labels").toString()));
        }
        Map<String, List<String>> ours = new TreeMap<>();
        for (BootstrapPolicy.Entry e : BootstrapPolicy.entries()) {
            if (!e.resource().equals("clusterrolebindings")) continue;
            ObjectNode b = e.object();
            Map<String, List<String>> subjects = new LinkedHashMap<>();
            for (String kind : List.of("User", "Group", "ServiceAccount")) subjects.put(kind, new ArrayList<>());
            for (JsonNode s : b.path("subjects")) {
                String name = s.path("kind").asText().equals("ServiceAccount")
                        ? s.path("namespace").asText() + "/" + s.path("name").asText() : s.path("name").asText();
                subjects.get(s.path("kind").asText()).add(name);
            }
            ours.put(e.name(), List.of(b.path("roleRef").path("kind").asText() + "/" + b.path("roleRef").path("name").asText(),
                    String.join(", ", subjects.get("User")), String.join(", ", subjects.get("Group")),
                    String.join(", ", subjects.get("ServiceAccount")), Json.metadata(b).path("labels").toString()));
        }
        assertEquals(recorded, ours);
    }
}
