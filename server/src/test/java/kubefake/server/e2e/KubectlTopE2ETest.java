package kubefake.server.e2e;

import kubefake.server.KubefakeCluster;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * metrics.k8s.io with the real {@code kubectl top}, in a cluster whose clock the test moves: a new pod has no metrics
 * yet (kubectl's own "metrics not available yet"), then its idle figures; its load set by annotation shows in
 * {@code top pod} and adds to its node's {@code top node}; discovery lists the group as metrics-server does.
 */
class KubectlTopE2ETest {
    @TempDir
    static Path dir;
    @RegisterExtension
    static final LabCluster lab = LabCluster.clocked(Duration.ofMillis(10));

    private static void advance(Duration step) throws InterruptedException {
        lab.advance(step);
    }

    private static String podField(String ns, String name, String pointer) {
        try {
            return lab.cluster().registry().resource("", "pods").get(ns, name).toNode().at(pointer).asText();
        } catch (kubefake.store.registry.errors.StatusException e) {
            return "";
        }
    }

    private static void advanceUntilRunning(String ns, String name) throws InterruptedException {
        // bounded by real time: how long the cluster's threads need for each step on a loaded machine is not known
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!podField(ns, name, "/status/phase").equals("Running")) {
            if (System.nanoTime() > end) throw new AssertionError(ns + "/" + name + " not Running within 60 s");
            advance(Duration.ofMillis(500));
        }
    }

    private static String namespace(Kubectl k, String v) {
        String ns = "top-" + v.replace('.', '-');
        Kubectl.ok(k.run("create", "namespace", ns));
        k.runUntil(Duration.ofSeconds(10), r -> r.exitCode() == 0, "-n", ns, "get", "serviceaccount", "default");
        return ns;
    }

    /** A figure of {@code top}'s output: "250m" as 250, "64Mi" as 64. */
    private static long figure(String text) {
        return Long.parseLong(text.replaceAll("[^0-9]", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void topShowsIdleFiguresThenTheLoadSetOnAPod(String v) throws Exception {
        Path home = Files.createTempDirectory(dir, "home");
        Kubectl k = new Kubectl(v, lab.cluster().adminConf(), home);
        String ns = namespace(k, v);
        Kubectl.ok(k.run("-n", ns, "run", "web", "--image=nginx", "--restart=Never"));
        advanceUntilRunning(ns, "web");

        // metrics-server has not scraped the new container twice yet: no PodMetrics (its NotFound names the pod as
        // namespace/name), and for a list kubectl says why
        Kubectl.Result early = k.run("-n", ns, "top", "pod", "web");
        assertEquals(1, early.exitCode(), early::toString);
        assertEquals("Error from server (NotFound): podmetrics.metrics.k8s.io \"" + ns + "/web\" not found\n", early.err());
        Kubectl.Result earlyList = k.run("-n", ns, "top", "pods");
        assertEquals("error: metrics not available yet\n", earlyList.err(), earlyList::toString);

        advance(Duration.ofSeconds(16));
        String idle = Kubectl.ok(k.run("-n", ns, "top", "pod", "web")).out();
        // idle nginx: about 1 millicore (kubectl rounds up) and 3 MiB (the usage model varies figures by up to a fifth per pod)
        assertTrue(Pattern.compile("^NAME +CPU\\(cores\\) +MEMORY\\(bytes\\) +\nweb +[12]m +[234]Mi +\n$").matcher(idle).matches(), idle);

        String node = podField(ns, "web", "/spec/nodeName");
        long nodeCpuBefore = nodeCpu(k, node);
        Kubectl.ok(k.run("-n", ns, "annotate", "pod", "web", "kubefake.dev/cpu-usage=250m", "kubefake.dev/memory-usage=64Mi"));
        String loaded = Kubectl.ok(k.run("-n", ns, "top", "pod", "web")).out();
        assertEquals(("NAME   CPU(cores)   MEMORY(bytes)   \n" + "web    250m         64Mi            \n"), loaded);
        String containers = Kubectl.ok(k.run("-n", ns, "top", "pod", "web", "--containers")).out();
        assertEquals("POD   NAME   CPU(cores)   MEMORY(bytes)   \n" + "web   web    250m         64Mi            \n", containers);
        // the node's usage is its pods' plus the system's: about 249 millicores more than with the idle pod
        long added = nodeCpu(k, node) - nodeCpuBefore;
        assertTrue(added >= 248 && added <= 250, "node CPU grew by " + added + "m");

        Kubectl.ok(k.run("-n", ns, "run", "quiet", "--image=nginx", "--restart=Never"));
        advanceUntilRunning(ns, "quiet");
        advance(Duration.ofSeconds(16));
        String sorted = Kubectl.ok(k.run("-n", ns, "top", "pods", "--sort-by=cpu", "--no-headers")).out();
        assertTrue(sorted.startsWith("web ") && sorted.contains("\nquiet "), sorted);
        String all = Kubectl.ok(k.run("top", "pods", "-A")).out();
        assertTrue(all.startsWith("NAMESPACE     NAME "), all);
        assertTrue(Pattern.compile("^" + ns + " +web +250m +64Mi +$", Pattern.MULTILINE).matcher(all).find(), all);
        assertTrue(Pattern.compile("^kube-system +kube-apiserver-m-k8s +\\d+m +\\d+Mi +$", Pattern.MULTILINE).matcher(all).find(), all);

        Kubectl.Result missing = k.run("-n", ns, "top", "pod", "nope");
        assertEquals("Error from server (NotFound): pods \"nope\" not found\n", missing.err(), missing::toString);
        Kubectl.ok(k.run("delete", "namespace", ns, "--wait=false"));
    }

    /** The node's CPU(cores) in millicores, from {@code kubectl top node NAME}. */
    private static long nodeCpu(Kubectl k, String node) {
        String out = Kubectl.ok(k.run("top", "node", node, "--no-headers")).out();
        Matcher m = Pattern.compile("^" + node + " +(\\d+)m +(\\d+)% +(\\d+)Mi +(\\d+)% +\n$").matcher(out);
        assertTrue(m.matches(), out);
        return figure(m.group(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void topNodesListsEveryReadyNodeWithItsShareOfAllocatable(String v) throws Exception {
        Kubectl k = new Kubectl(v, lab.cluster().adminConf(), Files.createTempDirectory(dir, "home"));
        String out = Kubectl.ok(k.run("top", "nodes")).out();
        // kubectl 1.29 heads the percentages CPU% and MEMORY%, 1.33 CPU(%) and MEMORY(%)
        String header = v.equals("1.29") ? "NAME     CPU(cores)   CPU%   MEMORY(bytes)   MEMORY%   \n"
                : "NAME     CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   \n";
        assertTrue(out.startsWith(header), out);
        for (String node : new String[] {"m-k8s", "w1-k8s", "w2-k8s", "w3-k8s"}) {
            assertTrue(Pattern.compile("^" + node + " +\\d+m +\\d+% +\\d+Mi +\\d+% +$", Pattern.MULTILINE).matcher(out).find(), out);
        }
        String resources = Kubectl.ok(k.run("api-resources", "--api-group=metrics.k8s.io")).out();
        assertEquals("""
                NAME    SHORTNAMES   APIVERSION               NAMESPACED   KIND
                nodes                metrics.k8s.io/v1beta1   false        NodeMetrics
                pods                 metrics.k8s.io/v1beta1   true         PodMetrics
                """, resources);
    }

    /**
     * The aggregator publishes metrics-server's OpenAPI v3 document at /openapi/v3/apis/metrics.k8s.io/v1beta1, so
     * {@code kubectl explain} describes the metrics kinds (from the comments of k8s.io/metrics' types).
     */
    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void explainDescribesTheMetricsKinds(String v) throws Exception {
        Kubectl k = new Kubectl(v, lab.cluster().adminConf(), Files.createTempDirectory(dir, "home"));
        String nodes = Kubectl.ok(k.run("explain", "nodemetrics")).out();
        assertTrue(nodes.startsWith("GROUP:      metrics.k8s.io\nKIND:       NodeMetrics\nVERSION:    v1beta1\n\n"
                + "DESCRIPTION:\n    NodeMetrics sets resource usage metrics of a node.\n"), nodes);
        assertTrue(nodes.contains("""
                  timestamp\t<string> -required-
                    The following fields define time interval from which metrics were collected
                    from the interval [Timestamp-Window, Timestamp].

                  usage\t<map[string]Quantity> -required-
                    The memory usage is the memory working set.

                  window\t<string> -required-
                """), nodes);
        String containers = Kubectl.ok(k.run("explain", "podmetrics.containers")).out();
        assertTrue(containers.contains("KIND:       PodMetrics\n"), containers);
        assertTrue(containers.contains("FIELD: containers <[]ContainerMetrics>\n"), containers);
        assertTrue(containers.contains("  name\t<string> -required-\n    Container name corresponding to the one from pod.spec.containers.\n"),
                containers);
    }

    /**
     * kube-aggregator merges metrics-server's OpenAPI v2 document into /openapi/v2, which kubectl 1.27 and 1.28 load
     * before every explain and read for {@code --output plaintext-openapiv2}: the metrics kinds are described there too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void explainFromOpenApiV2DescribesTheMetricsKinds(String v) throws Exception {
        Kubectl k = new Kubectl(v, lab.cluster().adminConf(), Files.createTempDirectory(dir, "home"));
        String nodes = Kubectl.ok(k.run("explain", "nodemetrics", "--output", "plaintext-openapiv2")).out();
        assertTrue(nodes.startsWith("""
                KIND:     NodeMetrics
                VERSION:  metrics.k8s.io/v1beta1

                DESCRIPTION:
                     NodeMetrics sets resource usage metrics of a node.

                FIELDS:
                   apiVersion\t<string>
                """), nodes);
        assertTrue(nodes.contains("""
                   timestamp\t<string> -required-
                     The following fields define time interval from which metrics were collected
                     from the interval [Timestamp-Window, Timestamp].
                """), nodes);
        String containers = Kubectl.ok(k.run("explain", "podmetrics.containers", "--recursive", "--output",
                "plaintext-openapiv2")).out();
        assertTrue(containers.startsWith("KIND:     PodMetrics\nVERSION:  metrics.k8s.io/v1beta1\n\nRESOURCE: containers"
                + " <[]Object>\n"), containers);
        assertTrue(containers.endsWith("DESCRIPTION:\n     Metrics for all containers are collected within the same time window.\n\n"
                + "     ContainerMetrics sets resource usage metrics of a container.\n\n"
                + "FIELDS:\n   name\t<string>\n   usage\t<map[string]string>\n"), containers);
        if (v.equals("1.27")) {
            String plain = Kubectl.ok(k.run("explain", "podmetrics")).out(); // 1.27 reads v3 here, after loading v2
            assertTrue(plain.startsWith("GROUP:      metrics.k8s.io\nKIND:       PodMetrics\nVERSION:    v1beta1\n"), plain);
        }
    }

    /** {@code up --no-metrics-server}: a fresh kubeadm cluster, where kubectl finds no Metrics API in discovery. */
    @org.junit.jupiter.api.Test
    void withoutMetricsServerTopSaysTheMetricsApiIsNotAvailable() throws Exception {
        try (KubefakeCluster bare = KubefakeCluster.start(TestCluster.onLoopback(dir.resolve("bare")).withMetricsServer(false))) {
            for (String v : new String[] {"1.29", "1.33"}) {
                Kubectl k = new Kubectl(v, bare.adminConf(), Files.createTempDirectory(dir, "home"));
                Kubectl.Result nodes = k.run("top", "nodes");
                assertEquals(1, nodes.exitCode(), nodes::toString);
                assertEquals("error: Metrics API not available\n", nodes.err());
                Kubectl.Result pods = k.run("top", "pods", "-A");
                assertEquals("error: Metrics API not available\n", pods.err(), pods::toString);
                Kubectl.Result raw = k.run("get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes");
                assertEquals("Error from server (NotFound): the server could not find the requested resource\n", raw.err(), raw::toString);
            }
        }
    }
}
