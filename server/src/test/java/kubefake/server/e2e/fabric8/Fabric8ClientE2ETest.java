package kubefake.server.e2e.fabric8;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fabric8 Kubernetes client against kubefake: what Java code under test does, answered as a real 1.33 cluster. */
class Fabric8ClientE2ETest {
    private static KubernetesClient client;

    @BeforeAll
    static void connect() {
        client = Fabric8Clients.admin();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void versionIs133() {
        VersionInfo v = client.getKubernetesVersion();
        assertEquals("1", v.getMajor());
        assertEquals("33", v.getMinor());
    }

    @Test
    void listsTheFourLabNodes() {
        List<String> names = client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).sorted().toList();
        assertEquals(List.of("m-k8s", "w1-k8s", "w2-k8s", "w3-k8s"), names);
    }
}
