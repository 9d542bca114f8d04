package kubefake.junit;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/** {@code ClusterScope.JVM}: the classes of a run share one cluster, reset between their tests. */
class SharedClusterTest {
    static final List<Cluster> SEEN = new ArrayList<>();

    @Test
    void classesOfARunShareOneClusterResetBetweenTests() {
        SEEN.clear();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request().selectors(selectClass(One.class), selectClass(Two.class)).build(), listener);
        listener.getSummary().getFailures().forEach(f -> f.getException().printStackTrace());
        assertEquals(2, listener.getSummary().getTestsSucceededCount());
        assertEquals(2, SEEN.size());
        assertSame(SEEN.get(0), SEEN.get(1));
    }

    /** Leaves a ConfigMap behind, or finds none: whichever class runs first, the other sees the cluster as it was. */
    static void leaveOne(Cluster cluster, KubernetesClient client) {
        SEEN.add(cluster);
        assertNull(client.configMaps().inNamespace("default").withName("left").get());
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("left").endMetadata().build()).create();
    }

    @KubefakeTest(scope = ClusterScope.JVM, workers = 1)
    static class One {
        @Test
        void leavesAConfigMap(Cluster cluster, KubernetesClient client) {
            leaveOne(cluster, client);
        }
    }

    @KubefakeTest(scope = ClusterScope.JVM, workers = 1)
    static class Two {
        @Test
        void leavesAConfigMap(Cluster cluster, KubernetesClient client) {
            leaveOne(cluster, client);
        }
    }
}
