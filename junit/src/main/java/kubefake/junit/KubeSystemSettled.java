package kubefake.junit;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.mvcc.KeyValue;
import kubefake.store.mvcc.ReadView;
import kubefake.store.registry.Json;

import java.time.Duration;
import java.util.List;

/**
 * Whether a fresh cluster's kube-system has come up: every DaemonSet and Deployment there has all its pods ready and
 * every pod there is Running. Read from the store, in this process.
 */
final class KubeSystemSettled {
    private KubeSystemSettled() {
    }

    /** Waits (looking every few milliseconds) until kube-system has settled; an IllegalStateException after timeout. */
    static void await(ReadView store, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!settled(store)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("kube-system's pods were not all Running " + timeout.toSeconds() + " s after the start");
            }
            Thread.sleep(5);
        }
    }

    static boolean settled(ReadView store) {
        List<JsonNode> daemonSets = objects(store, "/registry/apps/daemonsets/kube-system/");
        List<JsonNode> deployments = objects(store, "/registry/apps/deployments/kube-system/");
        List<JsonNode> pods = objects(store, "/registry/pods/kube-system/");
        if (pods.isEmpty()) return false;
        for (JsonNode d : daemonSets) {
            JsonNode s = d.path("status");
            if (s.path("desiredNumberScheduled").asInt() == 0 || s.path("numberReady").asInt() != s.path("desiredNumberScheduled").asInt()) return false;
        }
        for (JsonNode d : deployments) {
            if (d.path("status").path("readyReplicas").asInt() != d.path("spec").path("replicas").asInt(1)) return false;
        }
        return pods.stream().allMatch(p -> "Running".equals(p.path("status").path("phase").asText()));
    }

    private static List<JsonNode> objects(ReadView store, String prefix) {
        return store.range(prefix, ReadView.prefixEnd(prefix), 0, 0).kvs().stream()
                .map(KeyValue::value).map(v -> (JsonNode) Json.parseObject(v)).toList();
    }
}
