package kubefake.server.e2e;

import kubefake.nodesim.ClusterShape;
import kubefake.server.KubefakeCluster;
import kubefake.store.etcd.EtcdConnection;
import kubefake.testkit.EtcdServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static kubefake.server.e2e.Kubectl.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two API servers on one etcd (issue 15, acceptance 5), sharing the PKI: the first to start holds the
 * kube-controller-manager and kube-scheduler Leases and runs the controllers, scheduler and kubelets; the other
 * serves the API. A Deployment created through the follower rolls out (the leader's work, seen through the follower's
 * watches); the leader is killed; the follower takes both Leases once they expire and carries on: a new Deployment
 * rolls out, the nodes stay Ready, every object written before is there, resourceVersions keep increasing.
 */
class HighAvailabilityE2ETest {
    private static final Duration TAKEOVER_WAIT = Duration.ofSeconds(90); // 15 s of lease, and a loaded machine

    @TempDir
    Path dir;
    private KubefakeCluster first;
    private KubefakeCluster second;

    @AfterEach
    void stop() {
        if (second != null) second.close();
        if (first != null) first.close();
    }

    private KubefakeCluster start(Path dataDir, String prefix) throws IOException, InterruptedException {
        return KubefakeCluster.start(TestCluster.onLoopback(dataDir).withShape(ClusterShape.lab().withProfile("fast"))
                .withEtcd(new EtcdConnection(List.of(EtcdServer.shared().clientUrl()), null, null, null, prefix)));
    }

    /** The second server's data directory: the first's PKI, as a second control-plane node joined with its certificates. */
    private Path withSharedPki(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from.resolve("pki"))) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f));
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target);
            }
        }
        return to;
    }

    private static String holder(Kubectl k, String lease) {
        return ok(k.run("get", "lease", lease, "-n", "kube-system", "-o", "jsonpath={.spec.holderIdentity}")).out();
    }

    private static long resourceVersion(Kubectl k, String configMap) {
        return Long.parseLong(ok(k.run("get", "configmap", configMap, "-n", "shop", "-o", "jsonpath={.metadata.resourceVersion}")).out());
    }

    private static void assertNodesReady(Kubectl k) {
        String nodes = ok(k.run("get", "nodes", "--no-headers")).out();
        assertEquals(4, nodes.lines().filter(l -> l.matches("\\S+ +Ready +.*")).count(), nodes);
    }

    @Test
    void theFollowerTakesOverTheControllersAndNodesWhenTheLeaderIsKilled() throws Exception {
        String prefix = "/ha-" + UUID.randomUUID() + "/registry";
        first = start(dir.resolve("first"), prefix);
        second = start(withSharedPki(dir.resolve("first"), Files.createDirectories(dir.resolve("second"))), prefix);
        assertTrue(first.runsControllers() && first.runsScheduler());
        assertFalse(second.runsControllers() || second.runsScheduler());
        assertThrows(IllegalStateException.class, second::nodes, "the follower runs no kubelets");

        // everything through the follower (its admin.conf names it; the first's would work too: one PKI)
        Kubectl k = new Kubectl("1.33", second.adminConf(), Files.createDirectories(dir.resolve("home")));
        String leader = holder(k, "kube-controller-manager");
        assertTrue(leader.matches("[^_]+_[0-9a-f-]{36}"), leader);
        assertEquals(leader, holder(k, "kube-scheduler"));
        assertEquals(leader, second.controllerManagerLeaseHolder().orElseThrow());
        assertEquals(leader, first.controllerManagerLeaseHolder().orElseThrow());
        assertEquals("15", ok(k.run("get", "lease", "kube-controller-manager", "-n", "kube-system", "-o",
                "jsonpath={.spec.leaseDurationSeconds}")).out());

        ok(k.run("create", "namespace", "shop"));
        ok(k.run("create", "configmap", "before", "--from-literal=a=b", "-n", "shop"));
        ok(k.run("create", "deployment", "web", "--image=nginx", "--replicas=2", "-n", "shop"));
        ok(k.run("rollout", "status", "deployment/web", "-n", "shop", "--timeout=60s"));
        ok(k.run("wait", "--for=condition=Ready", "pods", "-l", "app=web", "-n", "shop", "--timeout=60s"));
        String podsBefore = ok(k.run("get", "pods", "-n", "shop", "-l", "app=web", "--sort-by=.metadata.name",
                "-o", "custom-columns=NAME:.metadata.name,UID:.metadata.uid,PHASE:.status.phase,IP:.status.podIP")).out();
        assertEquals(2, podsBefore.lines().filter(l -> l.endsWith("Running") || l.contains(" Running ")).count(), podsBefore);
        assertNodesReady(k);
        ok(k.run("patch", "configmap", "before", "-n", "shop", "-p", "{\"data\":{\"a\":\"last\"}}"));
        long before = resourceVersion(k, "before");

        first.halt(); // killed: its Leases stay as they were until they expire
        first = null;

        long deadline = System.nanoTime() + TAKEOVER_WAIT.toNanos();
        while (!(second.runsControllers() && second.runsScheduler()) && System.nanoTime() < deadline) Thread.sleep(100);
        assertTrue(second.runsControllers() && second.runsScheduler(), "the follower took the Leases over");
        String successor = holder(k, "kube-controller-manager");
        assertTrue(!successor.equals(leader) && successor.matches("[^_]+_[0-9a-f-]{36}"), successor);
        assertEquals(successor, holder(k, "kube-scheduler"));
        assertEquals("1", ok(k.run("get", "lease", "kube-controller-manager", "-n", "kube-system", "-o",
                "jsonpath={.spec.leaseTransitions}")).out());

        // its controllers, scheduler and kubelets carry on
        ok(k.run("create", "deployment", "api", "--image=nginx", "--replicas=2", "-n", "shop"));
        ok(k.run("rollout", "status", "deployment/api", "-n", "shop", "--timeout=60s"));
        ok(k.run("wait", "--for=condition=Ready", "pods", "-l", "app=api", "-n", "shop", "--timeout=60s"));
        ok(k.run("scale", "deployment", "web", "--replicas=3", "-n", "shop"));
        ok(k.run("rollout", "status", "deployment/web", "-n", "shop", "--timeout=60s"));
        assertNodesReady(k);

        // nothing acknowledged is lost: the pods run on, the same ones, and what was written is there
        String podsAfter = ok(k.run("get", "pods", "-n", "shop", "-l", "app=web", "--sort-by=.metadata.name",
                "-o", "custom-columns=NAME:.metadata.name,UID:.metadata.uid,PHASE:.status.phase,IP:.status.podIP")).out();
        for (String pod : podsBefore.lines().skip(1).toList()) assertTrue(podsAfter.contains(pod), podsAfter);
        assertEquals("last", ok(k.run("get", "configmap", "before", "-n", "shop", "-o", "jsonpath={.data.a}")).out());
        assertEquals(before, resourceVersion(k, "before"));
        ok(k.run("create", "configmap", "after", "--from-literal=a=c", "-n", "shop"));
        assertTrue(resourceVersion(k, "after") > before, "resourceVersions keep increasing");
    }
}
