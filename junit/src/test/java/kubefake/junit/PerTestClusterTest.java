package kubefake.junit;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ClusterScope.TEST} through the builder: each test has a new cluster, which is gone after it. */
class PerTestClusterTest {
    @RegisterExtension
    static KubefakeExtension kubefake = KubefakeExtension.builder().scope(ClusterScope.TEST).workers(1).build();

    private static final Set<Path> DATA_DIRS = ConcurrentHashMap.newKeySet();

    KubernetesClient client;

    @RepeatedTest(2)
    void eachTestHasAClusterOfItsOwn(Cluster cluster) {
        assertTrue(DATA_DIRS.add(cluster.dataDir()), "a new cluster");
        DATA_DIRS.forEach(d -> assertTrue(d.equals(cluster.dataDir()) || !d.toFile().exists(), "the previous test's cluster was removed"));
        assertNull(client.configMaps().inNamespace("default").withName("left-behind").get());
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("left-behind").endMetadata().build()).create();
    }
}
