package kubefake.controllers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.client.scheduling.Allocatable;
import kubefake.client.scheduling.Labels;
import kubefake.client.scheduling.Resources;
import kubefake.client.scheduling.Taint;
import kubefake.store.registry.Json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node as the scheduler sees it ({@code framework.NodeInfo}): what it offers (labels, taints, unschedulable,
 * allocatable) and what its pods take (requests, requests with the scoring floor, host ports). Pods may arrive
 * before their node: then the node part is missing and the node is not offered to pods. Guarded by the cache.
 */
final class NodeInfo {
    private final String name;
    private boolean known;
    private Map<String, String> labels = Map.of();
    private List<Taint> taints = List.of();
    private boolean unschedulable;
    private Allocatable allocatable = new Allocatable(new Resources(), 0);
    private final Map<String, PodInfo> pods = new LinkedHashMap<>();
    private final Resources requested = new Resources();
    private final Resources nonZeroRequested = new Resources();
    private final List<HostPort> usedPorts = new ArrayList<>(0);

    NodeInfo(String name) {
        this.name = name;
    }

    /** Takes what the scheduler needs from the Node object. */
    void setNode(JsonNode node) {
        known = true;
        labels = Labels.of(node);
        taints = Taint.ofNode(node);
        unschedulable = node.path("spec").path("unschedulable").asBoolean(false);
        allocatable = Allocatable.ofNode(node);
    }

    void removeNode() {
        known = false;
    }

    boolean known() {
        return known;
    }

    String name() {
        return name;
    }

    Map<String, String> labels() {
        return labels;
    }

    List<Taint> taints() {
        return taints;
    }

    boolean unschedulable() {
        return unschedulable;
    }

    Allocatable allocatable() {
        return allocatable;
    }

    Collection<PodInfo> pods() {
        return pods.values();
    }

    int podCount() {
        return pods.size();
    }

    Resources requested() {
        return requested;
    }

    Resources nonZeroRequested() {
        return nonZeroRequested;
    }

    List<HostPort> usedPorts() {
        return usedPorts;
    }

    void addPod(PodInfo pod) {
        PodInfo old = pods.put(pod.key(), pod);
        if (old != null) unaccount(old);
        requested.add(pod.requests());
        nonZeroRequested.add(pod.nonZeroRequests());
        usedPorts.addAll(pod.hostPorts());
    }

    void removePod(String key) {
        PodInfo old = pods.remove(key);
        if (old != null) unaccount(old);
    }

    private void unaccount(PodInfo pod) {
        requested.subtract(pod.requests());
        nonZeroRequested.subtract(pod.nonZeroRequests());
        for (HostPort p : pod.hostPorts()) usedPorts.remove(p);
    }

    boolean isEmpty() {
        return !known && pods.isEmpty();
    }

    /** A copy that can be changed (preemption's what-if) without touching the cache. */
    NodeInfo copy() {
        NodeInfo c = new NodeInfo(name);
        c.known = known;
        c.labels = labels;
        c.taints = taints;
        c.unschedulable = unschedulable;
        c.allocatable = allocatable;
        for (PodInfo p : pods.values()) c.addPod(p);
        return c;
    }

    @Override
    public String toString() {
        return "NodeInfo[" + name + ", " + pods.size() + " pods, requested " + requested + "]";
    }

    static String nameOf(JsonNode node) {
        return Json.text(node.path("metadata"), "name");
    }
}
