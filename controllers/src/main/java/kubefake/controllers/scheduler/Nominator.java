package kubefake.controllers.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pending pods nominated to a node by an earlier preemption ({@code status.nominatedNodeName}; the scheduling
 * queue's {@code nominator}): the room their victims free is theirs, so filtering another pod on that node counts
 * the nominated pods of at least its priority as if they were there ({@code RunFilterPluginsWithNominatedPods}).
 * Thread-safe: informer handlers and the scheduling cycle both change it.
 */
final class Nominator {
    /** Pod key → the pod, with the nominated node as its nodeName. */
    private final Map<String, PodInfo> nominated = new HashMap<>();

    /** Records the pod's nomination ({@code node} non-empty) or forgets it. */
    synchronized void nominate(PodInfo pod, String node) {
        if (node == null || node.isEmpty()) nominated.remove(pod.key());
        else nominated.put(pod.key(), pod.onNode(node));
    }

    synchronized void remove(String key) {
        nominated.remove(key);
    }

    /** The pods nominated to the node, whatever their priority. */
    synchronized List<PodInfo> on(String node) {
        List<PodInfo> out = new ArrayList<>();
        for (PodInfo p : nominated.values()) if (p.nodeName().equals(node)) out.add(p);
        return out;
    }

    /**
     * The node as {@code pod} must see it: with the other pods nominated there of at least its priority, on a copy;
     * the node itself when there are none.
     */
    synchronized NodeInfo withNominated(PodContext pod, NodeInfo node) {
        if (nominated.isEmpty()) return node;
        NodeInfo copy = null;
        for (PodInfo p : nominated.values()) {
            if (!p.nodeName().equals(node.name()) || p.uid().equals(pod.info.uid()) || p.priority() < pod.info.priority()) continue;
            if (copy == null) copy = node.copy();
            copy.addPod(p);
        }
        return copy != null ? copy : node;
    }
}
