package kubefake.server.printers;

import static kubefake.server.printers.Columns.AGE;
import static kubefake.server.printers.Columns.NAME;
import static kubefake.server.printers.Columns.string;
import static kubefake.server.printers.Columns.wide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Nodes: Name, Status ({@code Ready}, {@code NotReady}, {@code Unknown}, plus
 * {@code ,SchedulingDisabled} when cordoned), Roles (from {@code node-role.kubernetes.io/<role>}
 * and {@code kubernetes.io/role} labels), Age, Version; wide: addresses and node info.
 */
final class NodePrinter implements TablePrinter {

    private static final String ADDRESSES_DESCRIPTION = "List of addresses reachable to the node. Queried from cloud"
            + " provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses"
            + " Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can"
            + " cause data corruption when it is merged. Callers should instead use a full-replacement patch. See"
            + " https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the"
            + " lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods"
            + " that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).";

    private static final List<Column> COLUMNS = List.of(
            NAME,
            string("Status", "The status of the node"),
            string("Roles", "The roles of the node"),
            AGE,
            string("Version", "Kubelet Version reported by the node."),
            wide("Internal-IP", ADDRESSES_DESCRIPTION),
            wide("External-IP", ADDRESSES_DESCRIPTION),
            wide("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
            wide("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
            wide("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API"
                    + " (e.g. containerd://1.4.2)."));

    private static final String ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";
    private static final String ROLE_LABEL = "kubernetes.io/role";

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ObjectNode node, Instant now) {
        JsonNode info = Fields.at(node, "status", "nodeInfo");
        return List.of(
                Fields.name(node),
                status(node),
                roles(node),
                Formats.age(node, now),
                Fields.text(info, "kubeletVersion"),
                address(node, "InternalIP"),
                address(node, "ExternalIP"),
                orUnknown(Fields.text(info, "osImage")),
                orUnknown(Fields.text(info, "kernelVersion")),
                orUnknown(Fields.text(info, "containerRuntimeVersion")));
    }

    private static String status(JsonNode node) {
        List<String> status = new ArrayList<>();
        // Only the Ready condition is shown; the last one of that type wins, as in a Go map.
        String ready = null;
        for (JsonNode condition : Fields.list(node, "status", "conditions")) {
            if (Fields.text(condition, "type").equals("Ready")) {
                ready = Fields.text(condition, "status");
            }
        }
        if (ready != null) {
            status.add(ready.equals("True") ? "Ready" : "NotReady");
        } else {
            status.add("Unknown");
        }
        if (Fields.bool(node, "spec", "unschedulable")) {
            status.add("SchedulingDisabled");
        }
        return String.join(",", status);
    }

    private static String roles(JsonNode node) {
        TreeSet<String> roles = new TreeSet<>();
        for (Map.Entry<String, String> label : Fields.stringMap(node, "metadata", "labels").entrySet()) {
            String key = label.getKey();
            if (key.startsWith(ROLE_LABEL_PREFIX)) {
                String role = key.substring(ROLE_LABEL_PREFIX.length());
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            } else if (key.equals(ROLE_LABEL) && !label.getValue().isEmpty()) {
                roles.add(label.getValue());
            }
        }
        return roles.isEmpty() ? Formats.NONE : String.join(",", roles);
    }

    private static String address(JsonNode node, String type) {
        for (JsonNode address : Fields.list(node, "status", "addresses")) {
            if (Fields.text(address, "type").equals(type)) {
                return Fields.text(address, "address");
            }
        }
        return Formats.NONE;
    }

    private static String orUnknown(String value) {
        return value.isEmpty() ? Formats.UNKNOWN : value;
    }
}
