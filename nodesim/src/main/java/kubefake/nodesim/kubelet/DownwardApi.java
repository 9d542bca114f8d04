package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.validation.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The downward API as the kubelet resolves it for env values and volume files: a pod's fields ({@code fieldRef}) and
 * a container's resources ({@code resourceFieldRef}, limits not set being the node's allocatable).
 */
final class DownwardApi {
    private static final Pattern SUBSCRIPT = Pattern.compile("^metadata\\.(labels|annotations)\\['(.*)'\\]$");

    private DownwardApi() {
    }

    /**
     * A {@code fieldRef.fieldPath}'s value; null for a path the downward API does not offer. Whole label and annotation
     * maps (volumes only) are {@code key="value"} lines sorted by key, as the kubelet's formatMap writes them.
     */
    static String field(JsonNode pod, String path) {
        JsonNode meta = pod.path("metadata");
        Matcher m = SUBSCRIPT.matcher(path);
        if (m.matches()) return meta.path(m.group(1)).path(m.group(2)).asText("");
        return switch (path) {
            case "metadata.name" -> meta.path("name").asText("");
            case "metadata.namespace" -> meta.path("namespace").asText("");
            case "metadata.uid" -> meta.path("uid").asText("");
            case "metadata.labels", "metadata.annotations" -> formatMap(meta.path(path.substring("metadata.".length())));
            case "spec.nodeName" -> pod.path("spec").path("nodeName").asText("");
            case "spec.serviceAccountName" -> pod.path("spec").path("serviceAccountName").asText("");
            case "status.hostIP" -> pod.path("status").path("hostIP").asText("");
            case "status.podIP" -> pod.path("status").path("podIP").asText("");
            case "status.hostIPs" -> ips(pod.path("status").path("hostIPs"));
            case "status.podIPs" -> ips(pod.path("status").path("podIPs"));
            default -> null;
        };
    }

    private static String ips(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode ip : list) out.add(ip.path("ip").asText());
        return String.join(",", out);
    }

    private static String formatMap(JsonNode map) {
        Map<String, String> sorted = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            sorted.put(e.getKey(), e.getValue().asText());
        }
        StringBuilder b = new StringBuilder();
        sorted.forEach((k, v) -> {
            if (b.length() > 0) b.append('\n');
            b.append(k).append('=').append(goQuote(v));
        });
        return b.toString();
    }

    /** Go's %q of a string: double quotes, with backslash escapes for quotes, backslashes and control characters. */
    private static String goQuote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) b.append(String.format("\\x%02x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * A {@code resourceFieldRef}'s value for {@code container}: the request or limit divided by the divisor, rounded up
     * (CPU in cores by default, memory in bytes); an unset limit is the node's allocatable; null for an unknown resource.
     */
    static String resource(JsonNode container, JsonNode ref, JsonNode nodeAllocatable) {
        String resource = ref.path("resource").asText("");
        int dot = resource.indexOf('.');
        if (dot < 0) return null;
        String kind = resource.substring(0, dot);
        String name = resource.substring(dot + 1);
        if (!kind.equals("limits") && !kind.equals("requests")) return null;
        JsonNode resources = container.path("resources");
        String quantity = resources.path(kind).path(name).asText("");
        if (quantity.isEmpty() && kind.equals("requests")) quantity = resources.path("limits").path(name).asText("");
        if (quantity.isEmpty()) quantity = kind.equals("limits") ? nodeAllocatable.path(name).asText("0") : "0";
        BigDecimal divisor = ref.hasNonNull("divisor") ? Quantity.parse(ref.path("divisor").asText()).value() : BigDecimal.ONE;
        if (divisor.signum() == 0) divisor = BigDecimal.ONE;
        BigDecimal value = Quantity.parse(quantity).value().divide(divisor, 0, RoundingMode.CEILING);
        return value.toPlainString();
    }

    /** The allocatable resources of the pod's node (what an unset limit means), empty before it is scheduled. */
    static JsonNode nodeAllocatable(Registry registry, JsonNode pod) {
        String node = pod.path("spec").path("nodeName").asText("");
        StoredObject n = node.isEmpty() ? null : registry.resource("", "nodes").find("", node);
        return n == null ? Json.MAPPER.createObjectNode() : n.tree().path("status").path("allocatable");
    }
}
