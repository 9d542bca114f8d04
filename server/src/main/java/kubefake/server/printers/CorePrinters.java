package kubefake.server.printers;

import static kubefake.server.printers.Columns.AGE;
import static kubefake.server.printers.Columns.CONTAINERS_WIDE;
import static kubefake.server.printers.Columns.IMAGES_WIDE;
import static kubefake.server.printers.Columns.NAME;
import static kubefake.server.printers.Columns.integer;
import static kubefake.server.printers.Columns.string;
import static kubefake.server.printers.Columns.wide;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Printers of the core ({@code v1}) group, and events.k8s.io's events; pods, nodes, services and
 * events have classes of their own, persistent volumes and claims are with {@link StoragePrinters}.
 */
final class CorePrinters {

    private static final List<Column> NAMESPACES = List.of(
            NAME,
            string("Status", "The status of the namespace"),
            AGE);

    private static final List<Column> CONFIG_MAPS = List.of(
            NAME,
            string("Data", "Data contains the configuration data. Each key must consist of alphanumeric characters, "
                    + "'-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The "
                    + "keys stored in Data must not overlap with the keys in the BinaryData field, this is "
                    + "enforced during validation process."),
            AGE);

    private static final List<Column> SECRETS = List.of(
            NAME,
            string("Type", "Used to facilitate programmatic handling of secret data. More info: "
                    + "https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
            string("Data", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' "
                    + "or '.'. The serialized form of the secret data is a base64 encoded string, representing "
                    + "the arbitrary (possibly non-string) data value here. Described in "
                    + "https://tools.ietf.org/html/rfc4648#section-4"),
            AGE);

    private static final List<Column> SERVICE_ACCOUNTS = List.of(
            NAME,
            string("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this "
                    + "ServiceAccount are allowed to use. Pods are only limited to this list if this service "
                    + "account has a \"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". The "
                    + "\"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. Prefer "
                    + "separate namespaces to isolate access to mounted secrets. This field should not be used "
                    + "to find auto-generated service account token secrets for use outside of pods. Instead, "
                    + "tokens can be requested directly using the TokenRequest API, or service account token "
                    + "secrets can be manually created. More info: "
                    + "https://kubernetes.io/docs/concepts/configuration/secret"),
            AGE);

    private static final List<Column> ENDPOINTS = List.of(
            NAME,
            string("Endpoints", "The set of all endpoints is the union of all subsets. Addresses are placed into subsets "
                    + "according to the IPs they share. A single address with multiple ports, some of which are "
                    + "ready and some of which are not (because they come from different containers) will result "
                    + "in the address being displayed in different subsets for the different ports. No address "
                    + "will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses "
                    + "and ports that comprise a service."),
            AGE);

    private static final List<Column> RESOURCE_QUOTAS = List.of(
            NAME,
            string("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
            string("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of "
                    + "contention on the node."),
            AGE);

    private static final List<Column> REPLICATION_CONTROLLERS = List.of(
            NAME,
            integer("Desired", "Replicas is the number of desired replicas. This is a pointer to distinguish between "
                    + "explicit zero and unspecified. Defaults to 1. More info: "
                    + "https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller"),
            integer("Current", "Replicas is the most recently observed number of replicas. More info: "
                    + "https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller"),
            integer("Ready", "The number of ready replicas for this replication controller."),
            AGE,
            CONTAINERS_WIDE,
            IMAGES_WIDE,
            wide("Selector", "Selector is a label query over pods that should match the Replicas count. If Selector is "
                    + "empty, it is defaulted to the labels present on the Pod template. Label keys and values "
                    + "that must match in order to be controlled by this replication controller, if empty "
                    + "defaulted to labels on Pod template. More info: "
                    + "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"));

    private static final List<Column> POD_TEMPLATES = List.of(
            NAME,
            string("Containers", "Names of each container in the template."),
            string("Images", "Images referenced by each container in the template."),
            string("Pod Labels", "The labels for the pod template."));

    private static final List<Column> COMPONENT_STATUSES = List.of(
            NAME,
            string("Status", "Status of the component conditions"),
            string("Message", "Message of the component conditions"),
            string("Error", "Error of the component conditions"));

    private CorePrinters() {
    }

    static void register(TablePrinters.Registry registry) {
        registry.add("", "pods", new PodPrinter());
        registry.add("", "nodes", new NodePrinter());
        registry.add("", "services", new ServicePrinter());
        registry.add("", "events", EventPrinter.CORE);
        registry.add("events.k8s.io", "events", EventPrinter.EVENTS_V1);
        registry.add("", "namespaces", new SimplePrinter(NAMESPACES, (ns, now) -> List.of(
                Fields.name(ns), Fields.text(ns, "status", "phase"), Formats.age(ns, now))));
        registry.add("", "configmaps", new SimplePrinter(CONFIG_MAPS, (cm, now) -> List.of(
                Fields.name(cm), (long) (Fields.size(cm, "data") + Fields.size(cm, "binaryData")),
                Formats.age(cm, now))));
        registry.add("", "secrets", new SimplePrinter(SECRETS, (secret, now) -> List.of(
                Fields.name(secret), Fields.text(secret, "type"), (long) Fields.size(secret, "data"),
                Formats.age(secret, now))));
        registry.add("", "serviceaccounts", new SimplePrinter(SERVICE_ACCOUNTS, (sa, now) -> List.of(
                Fields.name(sa), (long) Fields.size(sa, "secrets"), Formats.age(sa, now))));
        registry.add("", "endpoints", new SimplePrinter(ENDPOINTS, (ep, now) -> List.of(
                Fields.name(ep), endpoints(ep), Formats.age(ep, now))));
        registry.add("", "resourcequotas", new SimplePrinter(RESOURCE_QUOTAS, (quota, now) -> {
            List<String> quotaColumns = resourceQuota(quota);
            return List.of(Fields.name(quota), quotaColumns.get(0), quotaColumns.get(1), Formats.age(quota, now));
        }));
        registry.add("", "replicationcontrollers", new SimplePrinter(REPLICATION_CONTROLLERS, (rc, now) -> {
            List<String> containers = Formats.containers(Fields.at(rc, "spec", "template", "spec"));
            return List.of(Fields.name(rc), WorkloadPrinters.desiredReplicas(rc),
                    Fields.number(rc, "status", "replicas"), Fields.number(rc, "status", "readyReplicas"),
                    Formats.age(rc, now), containers.get(0), containers.get(1),
                    Formats.labels(Fields.stringMap(rc, "spec", "selector")));
        }));
        registry.add("", "podtemplates", new SimplePrinter(POD_TEMPLATES, (template, now) -> {
            List<String> containers = Formats.containers(Fields.at(template, "template", "spec"));
            return List.of(Fields.name(template), containers.get(0), containers.get(1),
                    Formats.labels(Fields.stringMap(template, "template", "metadata", "labels")));
        }));
        registry.add("", "componentstatuses", new SimplePrinter(COMPONENT_STATUSES, (cs, now) -> {
            String status = "Unknown";
            String message = "";
            String error = "";
            for (JsonNode condition : Fields.list(cs, "conditions")) {
                if (Fields.text(condition, "type").equals("Healthy")) {
                    status = Fields.text(condition, "status").equals("True") ? "Healthy" : "Unhealthy";
                    message = Fields.text(condition, "message");
                    error = Fields.text(condition, "error");
                    break;
                }
            }
            return List.of(Fields.name(cs), status, message, error);
        }));
    }

    /**
     * Up to three {@code ip:port} endpoints over all subsets and ports, then {@code + N more...};
     * {@code <none>} without subsets.
     */
    static String endpoints(JsonNode endpoints) {
        List<JsonNode> subsets = Fields.list(endpoints, "subsets");
        if (subsets.isEmpty()) {
            return Formats.NONE;
        }
        final int max = 3;
        List<String> shown = new ArrayList<>();
        int count = 0;
        boolean more = false;
        for (JsonNode subset : subsets) {
            List<JsonNode> addresses = Fields.list(subset, "addresses");
            List<JsonNode> ports = Fields.list(subset, "ports");
            if (ports.isEmpty()) {
                // headless services may have no ports
                count += addresses.size();
                for (JsonNode address : addresses) {
                    if (shown.size() == max) {
                        more = true;
                        break;
                    }
                    shown.add(Fields.text(address, "ip"));
                }
                continue;
            }
            for (JsonNode port : ports) {
                count += addresses.size();
                for (JsonNode address : addresses) {
                    if (shown.size() == max) {
                        more = true;
                        break;
                    }
                    shown.add(hostPort(Fields.text(address, "ip"), Fields.number(port, "port")));
                }
            }
        }
        String joined = String.join(",", shown);
        return more ? joined + " + " + (count - max) + " more..." : joined;
    }

    /** Go's {@code net.JoinHostPort}: IPv6 addresses go in brackets. */
    private static String hostPort(String host, long port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The Request and Limit cells: {@code name: used/hard} for each hard limit, by resource name. */
    private static List<String> resourceQuota(JsonNode quota) {
        Map<String, String> hard = Fields.stringMap(quota, "status", "hard");
        Map<String, String> used = Fields.stringMap(quota, "status", "used");
        List<String> requests = new ArrayList<>();
        List<String> limits = new ArrayList<>();
        for (Map.Entry<String, String> limit : hard.entrySet()) {
            String resource = limit.getKey();
            String text = resource + ": " + used.getOrDefault(resource, "0") + "/" + limit.getValue();
            String[] pieces = resource.split("\\.", -1);
            (pieces.length > 1 && pieces[0].equals("limits") ? limits : requests).add(text);
        }
        return List.of(String.join(", ", requests), String.join(", ", limits));
    }
}
