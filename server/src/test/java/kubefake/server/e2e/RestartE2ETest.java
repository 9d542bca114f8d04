package kubefake.server.e2e;

import kubefake.nodesim.ClusterShape;
import kubefake.server.KubefakeCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * `kubefake up` on the same data directory brings the cluster back (issue 15): the objects with their uids and
 * resourceVersions, no duplicated bootstrap objects, nodes or ReplicaSets, the Deployment's pods Running again, and a
 * watch from a resourceVersion taken before the restart receives what changed after it. Then a restart after a write
 * torn in the middle of its log record: the store goes on from the last whole record.
 */
class RestartE2ETest {
    @TempDir
    Path dir;

    private KubefakeCluster start() throws IOException, InterruptedException {
        return KubefakeCluster.start(TestCluster.onLoopback(dir.resolve("data"))
                .withShape(ClusterShape.lab().withProfile("fast")));
    }

    private Kubectl kubectl(KubefakeCluster c) throws IOException {
        return new Kubectl("1.33", c.adminConf(), Files.createDirectories(dir.resolve("home")));
    }

    private static String ok(Kubectl.Result r) {
        assertEquals(0, r.exitCode(), r.toString());
        return r.out();
    }

    /** NAMESPACE/NAME UID RESOURCEVERSION of every object of the kinds, one line each, sorted. */
    private static String identities(Kubectl k, String kinds) {
        return ok(k.run("get", kinds, "-A", "--sort-by=.metadata.name", "-o",
                "custom-columns=KIND:.kind,NS:.metadata.namespace,NAME:.metadata.name,UID:.metadata.uid,RV:.metadata.resourceVersion"));
    }

    @Test
    void aRestartKeepsTheClusterAndItsHistory() throws Exception {
        String before;
        String nodesBefore;
        String podsBefore;
        String replicaSetsBefore;
        String watchFrom;
        String runningBefore;
        try (KubefakeCluster c = start()) {
            Kubectl k = kubectl(c);
            ok(k.run("create", "namespace", "shop"));
            ok(k.run("create", "deployment", "web", "--image=nginx", "--replicas=2", "-n", "shop"));
            ok(k.run("expose", "deployment", "web", "--port=80", "-n", "shop"));
            ok(k.run("create", "configmap", "settings", "--from-literal=color=blue", "-n", "shop"));
            ok(k.run("rollout", "status", "deployment/web", "-n", "shop", "--timeout=60s"));
            watchFrom = ok(k.run("get", "configmap", "settings", "-n", "shop", "-o", "jsonpath={.metadata.resourceVersion}"));
            before = identities(k, "namespaces,configmaps,services,deployments");
            nodesBefore = ok(k.run("get", "nodes", "-o", "custom-columns=NAME:.metadata.name,UID:.metadata.uid"))
                    + ok(k.run("get", "leases", "-n", "kube-node-lease", "-o", "custom-columns=NAME:.metadata.name,UID:.metadata.uid"));
            podsBefore = ok(k.run("get", "pods", "-A", "--sort-by=.metadata.name", "-o", "custom-columns=NS:.metadata.namespace,NAME:.metadata.name,UID:.metadata.uid"));
            replicaSetsBefore = ok(k.run("get", "replicasets", "-A", "-o", "custom-columns=NAME:.metadata.name,UID:.metadata.uid"));
            runningBefore = running(k);
        }

        try (KubefakeCluster c = start()) {
            Kubectl k = kubectl(c);
            // the Deployment's resourceVersion may move (its controller writes status again); the rest is as it was
            assertEquals(withoutDeploymentVersion(before), withoutDeploymentVersion(identities(k, "namespaces,configmaps,services,deployments")));
            assertEquals(nodesBefore, ok(k.run("get", "nodes", "-o", "custom-columns=NAME:.metadata.name,UID:.metadata.uid"))
                    + ok(k.run("get", "leases", "-n", "kube-node-lease", "-o", "custom-columns=NAME:.metadata.name,UID:.metadata.uid")));
            assertEquals(replicaSetsBefore, ok(k.run("get", "replicasets", "-A", "-o", "custom-columns=NAME:.metadata.name,UID:.metadata.uid")));
            // the kubelets take the running pods over as they are: same IP, start, container and Ready, nothing rewritten
            assertEquals(runningBefore, running(k));
            ok(k.run("wait", "--for=condition=Ready", "pods", "--all", "-n", "shop", "--timeout=60s"));
            ok(k.run("rollout", "status", "deployment/web", "-n", "shop", "--timeout=60s"));
            assertEquals(podsBefore, ok(k.run("get", "pods", "-A", "--sort-by=.metadata.name", "-o", "custom-columns=NS:.metadata.namespace,NAME:.metadata.name,UID:.metadata.uid")));
            assertTrue(ok(k.run("get", "nodes")).lines().skip(1).allMatch(l -> l.contains(" Ready ")), "nodes Ready again");

            ok(k.run("patch", "configmap", "settings", "-n", "shop", "-p", "{\"data\":{\"color\":\"green\"}}"));
            String events = ok(k.run("get", "--raw", "/api/v1/namespaces/shop/configmaps?watch=1&timeoutSeconds=1&resourceVersion=" + watchFrom));
            assertTrue(events.contains("\"type\":\"MODIFIED\"") && events.contains("\"color\":\"green\""), events);
            String rv = ok(k.run("get", "configmap", "settings", "-n", "shop", "-o", "jsonpath={.metadata.resourceVersion}"));
            assertTrue(Long.parseLong(rv) > Long.parseLong(watchFrom), rv + " after " + watchFrom);
        }
    }

    @Test
    void aWriteTornInTheLogIsDroppedAndTheClusterStarts() throws Exception {
        assumeFalse(TestCluster.onEtcd(), "the embedded store's write-ahead log: on etcd there is none");
        try (KubefakeCluster c = start()) {
            Kubectl k = kubectl(c);
            ok(k.run("create", "configmap", "kept", "--from-literal=a=b"));
            ok(k.run("create", "configmap", "later", "--from-literal=a=b")); // kept's record is not the last one
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir.resolve("data/store/wal"))) {
            segment = files.filter(f -> f.toString().endsWith(".wal")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 7); // the last record cut short, as a crash in the middle of its write leaves it
        }
        try (KubefakeCluster c = start()) {
            Kubectl k = kubectl(c);
            assertEquals("b", ok(k.run("get", "configmap", "kept", "-o", "jsonpath={.data.a}")));
            ok(k.run("create", "configmap", "after", "--from-literal=a=b"));
        }
        try (KubefakeCluster c = start()) {
            assertEquals(List.of("after", "kept"), ok(kubectl(c).run("get", "configmaps", "-o", "jsonpath={.items[*].metadata.name}"))
                    .lines().flatMap(l -> Stream.of(l.split(" "))).filter(n -> n.equals("after") || n.equals("kept")).sorted().toList());
        }
    }

    private static String running(Kubectl k) {
        return ok(k.run("get", "pods", "-n", "shop", "--sort-by=.metadata.name", "-o",
                "custom-columns=NAME:.metadata.name,PHASE:.status.phase,IP:.status.podIP,START:.status.startTime,"
                        + "CONTAINER:.status.containerStatuses[0].containerID,STARTED:.status.containerStatuses[0].state.running.startedAt,"
                        + "READY:.status.conditions[?(@.type==\"Ready\")].status"));
    }

    private static String withoutDeploymentVersion(String table) {
        return table.lines().map(l -> l.startsWith("Deployment") ? l.replaceAll("\\s+\\d+$", "") : l)
                .reduce("", (a, b) -> a + b + "\n");
    }
}
