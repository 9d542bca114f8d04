package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.KindRules;
import kubefake.store.registry.ResourceStrategy;

import java.util.List;

/**
 * core/v1 componentstatuses (deprecated since 1.19): never stored, answered on each read from the health of the
 * control plane's components as a kubeadm control-plane node's API server probes them. kubefake's controller manager,
 * scheduler and store run with the API server, so each is Healthy.
 */
public final class ComponentStatusStrategy implements ResourceStrategy {
    /** The warning every answer carries (the resource is marked deprecated in the API server's registry). */
    public static final String DEPRECATION = "v1 ComponentStatus is deprecated in v1.19+";
    private static final List<String> COMPONENTS = List.of("controller-manager", "scheduler", "etcd-0");
    private static final KindRules RULES = KindRules.metadataOnly(false);

    @Override
    public KindRules rules() { return RULES; }

    @Override
    public boolean persisted() { return false; }

    /** The components' statuses, in the real server's order. */
    public List<ObjectNode> statuses() {
        return COMPONENTS.stream().map(ComponentStatusStrategy::healthy).toList();
    }

    private static ObjectNode healthy(String name) {
        ObjectNode status = Json.MAPPER.createObjectNode();
        status.putObject("metadata").put("name", name).putNull("creationTimestamp");
        status.putArray("conditions").addObject().put("type", "Healthy").put("status", "True").put("message", "ok");
        return status;
    }
}
