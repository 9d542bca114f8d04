package kubefake.controllers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.client.ObjectKey;
import kubefake.store.registry.Json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The scheduler's view of the cluster ({@code internal/cache}): every node with the pods assigned to it, including
 * pods the scheduler has chosen a node for but whose binding the informer has not shown yet ("assumed"), so the next
 * pod is placed knowing about them. Pods that finished no longer hold their node's resources. Thread-safe: informer
 * handlers write it while the scheduling cycle reads it.
 */
final class SchedulerCache {
    private final Map<String, NodeInfo> nodes = new LinkedHashMap<>();
    /** The nodes that exist, in the order they appeared (what a cycle walks). */
    private final List<NodeInfo> known = new ArrayList<>();
    /** Where each cached pod is counted. */
    private final Map<String, String> podNodes = new HashMap<>();
    /** Assumed pods: key → uid. */
    private final Map<String, String> assumed = new HashMap<>();

    synchronized void addOrUpdateNode(JsonNode node) {
        NodeInfo info = nodes.computeIfAbsent(NodeInfo.nameOf(node), NodeInfo::new);
        if (!info.known()) known.add(info);
        info.setNode(node);
    }

    synchronized void removeNode(String name) {
        NodeInfo info = nodes.get(name);
        if (info == null) return;
        info.removeNode();
        known.remove(info);
        if (info.isEmpty()) nodes.remove(name);
    }

    /** An assigned pod as the informer shows it: counted on its node unless it finished (then it is removed). */
    synchronized void addOrUpdatePod(JsonNode pod) {
        String key = ObjectKey.of(pod);
        String node = Json.text(pod.path("spec"), "nodeName");
        String uid = Json.text(pod.path("metadata"), "uid");
        if (uid.equals(assumed.get(key))) assumed.remove(key); // the binding arrived
        removeFromNode(key);
        if (node.isEmpty() || !PodInfo.holdsResources(pod)) return;
        place(PodInfo.of(pod));
    }

    synchronized void removePod(String key) {
        assumed.remove(key);
        removeFromNode(key);
    }

    /** Counts a pod on the node chosen for it before the binding is seen. */
    synchronized void assume(PodInfo pod) {
        assumed.put(pod.key(), pod.uid());
        removeFromNode(pod.key());
        place(pod);
    }

    /** Undoes {@link #assume} when the binding failed. */
    synchronized void forget(PodInfo pod) {
        if (assumed.remove(pod.key(), pod.uid())) removeFromNode(pod.key());
    }

    synchronized boolean isAssumed(String key, String uid) {
        return uid.equals(assumed.get(key));
    }

    /** Runs {@code cycle} over the existing nodes (in the order they appeared) with the cache held still. */
    synchronized <T> T withNodes(Function<List<NodeInfo>, T> cycle) {
        return cycle.apply(known);
    }

    synchronized NodeInfo node(String name) {
        NodeInfo n = nodes.get(name);
        return n != null && n.known() ? n : null;
    }

    private void place(PodInfo pod) {
        nodes.computeIfAbsent(pod.nodeName(), NodeInfo::new).addPod(pod);
        podNodes.put(pod.key(), pod.nodeName());
    }

    private void removeFromNode(String key) {
        String node = podNodes.remove(key);
        if (node == null) return;
        NodeInfo info = nodes.get(node);
        if (info == null) return;
        info.removePod(key);
        if (info.isEmpty()) nodes.remove(node);
    }
}
