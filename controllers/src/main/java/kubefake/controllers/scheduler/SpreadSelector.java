package kubefake.controllers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.client.informers.Informer;
import kubefake.client.informers.SharedInformers;
import kubefake.client.scheduling.Labels;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.selection.LabelRequirement;
import kubefake.store.registry.selection.LabelSelector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which pods count as a pod's siblings when spreading it ({@code helper.DefaultSelector}): the selectors of the
 * Services that select it, plus the selector of the ReplicationController, ReplicaSet or StatefulSet that controls
 * it. A pod with neither is not spread.
 */
final class SpreadSelector {
    private final Informer services;
    private final Informer replicationControllers;
    private final Informer replicaSets;
    private final Informer statefulSets;

    SpreadSelector(SharedInformers informers) {
        this.services = informers.informer("", "services");
        this.replicationControllers = informers.informer("", "replicationcontrollers");
        this.replicaSets = informers.informer("apps", "replicasets");
        this.statefulSets = informers.informer("apps", "statefulsets");
    }

    List<Informer> informers() {
        return List.of(services, replicationControllers, replicaSets, statefulSets);
    }

    /** The selector of the pod's siblings, or null when nothing selects it. */
    LabelSelector of(JsonNode pod, String namespace, Map<String, String> podLabels) {
        Map<String, String> labelSet = new TreeMap<>();
        for (StoredObject s : services.list(namespace)) {
            JsonNode selector = s.toNode().path("spec").get("selector");
            if (selector == null || !selector.isObject()) continue;
            Map<String, String> wanted = Labels.fromMap(selector);
            if (wanted.entrySet().stream().allMatch(e -> e.getValue().equals(podLabels.get(e.getKey())))) labelSet.putAll(wanted);
        }
        List<LabelRequirement> extra = new ArrayList<>();
        JsonNode owner = controllerOf(pod);
        if (owner != null) {
            String kind = Json.text(owner, "kind");
            String apiVersion = Json.text(owner, "apiVersion");
            String name = Json.text(owner, "name");
            if (kind.equals("ReplicationController") && apiVersion.equals("v1")) {
                find(replicationControllers, namespace, name)
                        .ifPresent(rc -> labelSet.putAll(Labels.fromMap(rc.path("spec").path("selector"))));
            } else if ((kind.equals("ReplicaSet") || kind.equals("StatefulSet")) && apiVersion.equals("apps/v1")) {
                find(kind.equals("ReplicaSet") ? replicaSets : statefulSets, namespace, name)
                        .ifPresent(o -> extra.addAll(requirements(o.path("spec").get("selector"))));
            }
        }
        List<LabelRequirement> all = new ArrayList<>();
        labelSet.forEach((k, v) -> all.add(new LabelRequirement(k, LabelRequirement.Operator.EQUALS, List.of(v))));
        all.addAll(extra);
        return all.isEmpty() ? null : LabelSelector.of(all);
    }

    private static List<LabelRequirement> requirements(JsonNode selector) {
        try {
            return LabelSelector.fromJson(selector).requirements();
        } catch (StatusException e) {
            return List.of(); // a malformed selector adds nothing, as LabelSelectorAsSelector's error is ignored
        }
    }

    private static Optional<JsonNode> find(Informer informer, String namespace, String name) {
        return informer.get(namespace, name).map(StoredObject::toNode);
    }

    private static JsonNode controllerOf(JsonNode pod) {
        for (JsonNode ref : pod.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) return ref;
        }
        return null;
    }
}
