package kubefake.controllers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.selection.LabelSelector;

/**
 * The two kinds one replica controller runs (kube-controller-manager's ReplicationManager is the ReplicaSet
 * controller over ReplicationControllers converted to ReplicaSets): where they live, how they are named in owner
 * references and events, and how their selector is written.
 */
public enum ReplicaSetKind {
    REPLICA_SET("apps", "replicasets", "apps/v1", "ReplicaSet", "replicaset-controller"),
    REPLICATION_CONTROLLER("", "replicationcontrollers", "v1", "ReplicationController", "replication-controller");

    private final String group;
    private final String resource;
    private final String apiVersion;
    private final String kind;
    private final String component;

    ReplicaSetKind(String group, String resource, String apiVersion, String kind, String component) {
        this.group = group;
        this.resource = resource;
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.component = component;
    }

    public String group() {
        return group;
    }

    public String resource() {
        return resource;
    }

    public String apiVersion() {
        return apiVersion;
    }

    public String kind() {
        return kind;
    }

    /** The controller's name: its event source and (with {@code -controller}) its service account. */
    public String component() {
        return component;
    }

    /**
     * The object's selector. A ReplicaSet's is a {@code metav1.LabelSelector}; a ReplicationController's a plain map
     * of labels, read as matchLabels.
     */
    public LabelSelector selector(JsonNode object) {
        JsonNode selector = object.path("spec").get("selector");
        if (this == REPLICA_SET) return LabelSelector.fromJson(selector);
        ObjectNode asLabelSelector = Json.MAPPER.createObjectNode();
        if (selector != null && selector.isObject()) asLabelSelector.set("matchLabels", selector.deepCopy());
        return LabelSelector.fromJson(asLabelSelector);
    }
}
