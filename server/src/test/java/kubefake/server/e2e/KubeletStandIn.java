package kubefake.server.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.client.UserInfo;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.server.KubefakeCluster;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Test-only stand-in for the two things the end-to-end tests need from kubelets until the simulated kubelets of
 * {@code nodesim} run in the cluster: each node's Lease renewed every 10 s (so the node lifecycle controller keeps the
 * lab's nodes Ready) and a deleted pod on a node finishing its deletion (so {@code kubectl delete pod} returns).
 * Remove it when the cluster starts its own kubelets.
 */
final class KubeletStandIn {
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private KubeletStandIn() {
    }

    static void start(KubefakeCluster cluster) {
        ResourceClient leases = new Client(cluster.registry(), UserInfo.node("m-k8s"), "kubelet").resource("coordination.k8s.io", "leases");
        ResourceClient pods = new Client(cluster.registry(), UserInfo.node("m-k8s"), "kubelet").resource("", "pods");
        cluster.runtime().every(Duration.ofSeconds(10), () -> {
            String now = MICRO_TIME.format(cluster.runtime().clock().instant());
            for (StoredObject lease : leases.list("kube-node-lease")) {
                String name = Json.text(lease.toNode().path("metadata"), "name");
                try {
                    leases.patch("kube-node-lease", name, l -> {
                        l.with("spec").put("renewTime", now);
                        return l;
                    });
                } catch (StatusException e) {
                    // a node deleted meanwhile
                }
            }
        });
        cluster.informers().informer("", "pods").addHandler(new ResourceEventHandler() {
            @Override
            public void onUpdate(StoredObject old, StoredObject current) {
                ObjectNode pod = current.toNode();
                if (!pod.path("metadata").hasNonNull("deletionTimestamp") || Json.text(pod.path("spec"), "nodeName").isEmpty()) return;
                try {
                    pods.delete(Json.text(pod.path("metadata"), "namespace"), Json.text(pod.path("metadata"), "name"),
                            new DeleteOptions(0L, Json.text(pod.path("metadata"), "uid"), null, null, false));
                } catch (StatusException e) {
                    // gone already, or replaced by a pod of the same name
                }
            }
        });
    }
}
