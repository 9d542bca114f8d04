package kubefake.store.registry.defaulting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static kubefake.store.registry.defaulting.CoreDefaults.absent;
import static kubefake.store.registry.defaulting.CoreDefaults.object;
import static kubefake.store.registry.defaulting.CoreDefaults.objects;
import static kubefake.store.registry.defaulting.CoreDefaults.putIfAbsent;

/**
 * Service defaults ({@code SetDefaults_Service}): type ClusterIP, sessionAffinity None, port protocol TCP and
 * targetPort = port, traffic policies Cluster, ClientIP affinity timeout, LoadBalancer node ports; and the
 * single-stack IPv4 family fields the REST storage sets next to the IP allocation (the clusterIP and nodePorts
 * themselves are allocated by the registry).
 */
final class ServiceDefaulter {

    private ServiceDefaulter() {
    }

    static void apply(ObjectNode svc) {
        ObjectNode spec = object(svc, "spec");
        putIfAbsent(spec, "type", "ClusterIP");
        putIfAbsent(spec, "sessionAffinity", "None");
        String type = spec.path("type").asText();
        for (ObjectNode port : objects(spec, "ports")) {
            putIfAbsent(port, "protocol", "TCP");
            JsonNode target = port.get("targetPort");
            boolean unset = target == null || target.isNull() || (target.isNumber() && target.asLong() == 0)
                    || (target.isTextual() && target.asText().isEmpty());
            if (unset && port.has("port")) {
                port.set("targetPort", port.get("port").deepCopy());
            }
        }
        if (spec.path("sessionAffinity").asText().equals("ClientIP")) {
            ObjectNode clientIP = object(object(spec, "sessionAffinityConfig"), "clientIP");
            putIfAbsent(clientIP, "timeoutSeconds", 10800);
        }
        if (type.equals("NodePort") || type.equals("LoadBalancer")) {
            putIfAbsent(spec, "externalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer")) {
            putIfAbsent(spec, "allocateLoadBalancerNodePorts", true);
        }
        if (!type.equals("ExternalName")) {
            putIfAbsent(spec, "internalTrafficPolicy", "Cluster");
            boolean headlessWithoutSelector = "None".equals(spec.path("clusterIP").asText(""))
                    && spec.path("selector").size() == 0;
            putIfAbsent(spec, "ipFamilyPolicy", headlessWithoutSelector ? "RequireDualStack" : "SingleStack");
            if (absent(spec, "ipFamilies") || spec.get("ipFamilies").size() == 0) {
                spec.putArray("ipFamilies").add("IPv4");
            }
            String clusterIP = spec.path("clusterIP").asText("");
            if (!clusterIP.isEmpty() && (absent(spec, "clusterIPs") || spec.get("clusterIPs").size() == 0)) {
                spec.putArray("clusterIPs").add(clusterIP);
            }
        }
    }
}
