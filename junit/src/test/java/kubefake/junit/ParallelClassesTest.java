package kubefake.junit;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two test classes run at the same time by JUnit's parallel execution each get a cluster of their own: their own port
 * and data directory, and neither sees what the other makes; per-test clusters are new for each test.
 */
class ParallelClassesTest {
    /** What each class saw: its cluster. */
    static final Map<String, Cluster> SEEN = new ConcurrentHashMap<>();
    /** Both classes are inside a test at once before either checks what it sees. */
    static CountDownLatch bothRunning;

    @Test
    void parallelClassesHaveClustersOfTheirOwn() {
        bothRunning = new CountDownLatch(2);
        SEEN.clear();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request().selectors(selectClass(First.class), selectClass(Second.class))
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2")
                .build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        summary.getFailures().forEach(f -> f.getException().printStackTrace());
        assertEquals(2, summary.getTestsSucceededCount(), "both classes' tests passed");
        Cluster first = SEEN.get("first");
        Cluster second = SEEN.get("second");
        assertNotEquals(first.port(), second.port());
        assertNotEquals(first.dataDir(), second.dataDir());
    }

    /** Makes a ConfigMap named after itself, waits for the other class to be running, then finds only its own. */
    abstract static class Isolated {
        static void check(String self, String other, Cluster cluster, KubernetesClient client) throws InterruptedException {
            SEEN.put(self, cluster);
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName(self)
                    .endMetadata().build()).create();
            bothRunning.countDown();
            assertTrue(bothRunning.await(120, TimeUnit.SECONDS), "the other class ran at the same time");
            assertNull(client.configMaps().inNamespace("default").withName(other).get());
            assertEquals(self, client.configMaps().inNamespace("default").withName(self).get().getMetadata().getName());
        }
    }

    @KubefakeTest(workers = 1)
    static class First extends Isolated {
        @Test
        void seesOnlyItsOwnObjects(Cluster cluster, KubernetesClient client) throws Exception {
            check("first", "second", cluster, client);
        }
    }

    @KubefakeTest(workers = 1)
    static class Second extends Isolated {
        @Test
        void seesOnlyItsOwnObjects(Cluster cluster, KubernetesClient client) throws Exception {
            check("second", "first", cluster, client);
        }
    }
}
