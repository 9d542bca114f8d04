package kubefake.controllers.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.scheduling.Labels;
import kubefake.client.scheduling.Taint;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;

import java.util.List;
import java.util.Map;

/**
 * What deciding whether a node should run a daemon pod reads of one revision of a Node (its name, labels and taints),
 * read from its tree once: every sync of every DaemonSet looks at every node, while a node's revisions change seldom,
 * and the store keeps a revision's parsed tree only weakly (a sync over 5,000 nodes parsed them all again).
 */
record DaemonNode(String name, Map<String, String> labels, List<Taint> taints) {
    static DaemonNode of(StoredObject stored) {
        ObjectNode node = stored.tree(); // read only
        return new DaemonNode(Json.text(node.path("metadata"), "name"), Labels.of(node), List.copyOf(Taint.ofNode(node)));
    }
}
