package kubefake.junit;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the Cluster handle does between and inside the tests of one class sharing a cluster. */
@KubefakeTest(workers = 2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterHandleTest {
    static Cluster cluster;
    static KubernetesClient client;

    @Test
    @Order(1)
    void parametersGetTheSameClusterAsTheFields(Cluster c, @KubeconfigFile Path kubeconfig) throws Exception {
        assertEquals(cluster, c);
        assertEquals(c.kubeconfig(), kubeconfig);
        assertTrue(Files.readString(kubeconfig).contains("server: " + c.serverUrl()));
        assertEquals(List.of("m-k8s", "w1-k8s", "w2-k8s"), c.nodes());
        assertEquals(List.of("m-k8s", "w1-k8s", "w2-k8s"),
                client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).sorted().toList());
    }

    @Test
    @Order(2)
    void aTestMakesObjectsAndStopsAKubelet() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("scratch").endMetadata().build()).create();
        client.configMaps().inNamespace("scratch").resource(new ConfigMapBuilder().withNewMetadata().withName("a").endMetadata().build()).create();
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("b").endMetadata().build()).create();
        cluster.stopKubelet("w1-k8s");
        assertFalse(cluster.kubeletRunning("w1-k8s"));
    }

    @Test
    @Order(3)
    void theNextTestFindsTheClusterAsBefore() {
        assertNull(client.namespaces().withName("scratch").get());
        assertNull(client.configMaps().inNamespace("default").withName("b").get());
        assertNotNull(client.namespaces().withName("default").get(), "what existed before the test is still there");
        assertNotNull(client.configMaps().inNamespace("default").withName("kube-root-ca.crt").get());
        assertTrue(cluster.kubeletRunning("w1-k8s"));
    }

    @Test
    @Order(4)
    void aStoppedKubeletsNodeTurnsNotReadyWhenTheClockPassesTheGracePeriod() {
        java.time.Instant before = cluster.now();
        cluster.stopKubelet("w2-k8s");
        cluster.advanceClock(Duration.ofMinutes(2));
        assertFalse(cluster.now().isBefore(before.plus(Duration.ofMinutes(2))));
        Node node = client.nodes().withName("w2-k8s").waitUntilCondition(n -> "Unknown".equals(ready(n)), 60, TimeUnit.SECONDS);
        assertEquals("NodeStatusUnknown", node.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow().getReason());
    }

    @Test
    @Order(5)
    void theResetStartedTheKubeletAgainAndTheNodeComesBack() {
        assertTrue(cluster.kubeletRunning("w2-k8s"));
        client.nodes().withName("w2-k8s").waitUntilCondition(n -> "True".equals(ready(n)), 60, TimeUnit.SECONDS);
    }

    private static String ready(Node n) {
        return n.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready"))
                .map(c -> c.getStatus()).findFirst().orElse(null);
    }
}
