package kubefake.store.registry.defaulting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * networking.k8s.io/v1 defaults ({@code pkg/apis/networking/v1/defaults.go}): a NetworkPolicy port's protocol is
 * TCP; a policy without policyTypes is an Ingress policy, and an Egress one too when it has egress rules; an
 * IngressClass's parameters are cluster-scoped unless they say otherwise.
 */
final class NetworkingDefaults {
    private NetworkingDefaults() {
    }

    static void networkPolicy(ObjectNode policy) {
        JsonNode spec = policy.get("spec");
        if (!(spec instanceof ObjectNode s)) return;
        for (String section : new String[]{"ingress", "egress"}) {
            for (JsonNode rule : s.path(section)) {
                for (JsonNode port : rule.path("ports")) {
                    if (port instanceof ObjectNode p && !p.hasNonNull("protocol")) p.put("protocol", "TCP");
                }
            }
        }
        if (s.path("policyTypes").isEmpty()) {
            ArrayNode types = s.putArray("policyTypes").add("Ingress");
            if (!s.path("egress").isEmpty()) types.add("Egress");
        }
    }

    static void ingressClass(ObjectNode ingressClass) {
        if (ingressClass.path("spec").get("parameters") instanceof ObjectNode params && !params.hasNonNull("scope")) {
            params.put("scope", "Cluster");
        }
    }
}
