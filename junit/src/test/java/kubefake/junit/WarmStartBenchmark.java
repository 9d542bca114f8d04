package kubefake.junit;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test class waits for in a JVM that has started clusters before: {@link Cluster#start} (the lab, fast
 * profile, store in memory) until it serves, then until kube-system's pods are Running, and {@link Cluster#reset} after a test that made a namespace with 50 ConfigMaps and 50 in
 * default. Run by junit/bench/warm-start.sh; figures in docs/benchmarks/junit.md. Not a test: nothing is asserted.
 *
 * <p>Arguments: [STARTS] (default 10), the first of which is the cold one.
 */
public final class WarmStartBenchmark {
    public static void main(String[] args) {
        int starts = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<Long> warm = new ArrayList<>();
        List<Long> warmCpu = new ArrayList<>();
        List<Long> settled = new ArrayList<>();
        List<Long> resets = new ArrayList<>();
        for (int i = 0; i < starts; i++) {
            long cpu0 = cpuMillis();
            long t0 = System.nanoTime();
            Cluster cluster = Cluster.start(3, "fast");
            long startMs = (System.nanoTime() - t0) / 1_000_000;
            long startCpuMs = cpuMillis() - cpu0;
            cluster.awaitKubeSystem();
            long settledMs = (System.nanoTime() - t0) / 1_000_000;
            long settledCpuMs = cpuMillis() - cpu0;
            KubernetesClient client = cluster.client(KubernetesClient.class);
            Cluster.Mark mark = cluster.mark();
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("t").endMetadata().build()).create();
            for (int j = 0; j < 50; j++) {
                for (String ns : List.of("t", "default")) {
                    client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + j)
                            .endMetadata().addToData("k", "v").build()).create();
                }
            }
            long r0 = System.nanoTime();
            int deleted = cluster.reset(mark);
            long resetUs = (System.nanoTime() - r0) / 1_000;
            long c0 = System.nanoTime();
            cluster.close();
            long closeMs = (System.nanoTime() - c0) / 1_000_000;
            System.out.printf("start %2d: serving %5d ms (CPU %4d ms), kube-system Running %5d ms (CPU %4d ms)   reset (%d objects): %6.2f ms   close: %4d ms%n", i + 1, startMs, startCpuMs, settledMs, settledCpuMs, deleted,
                    resetUs / 1000.0, closeMs);
            if (i > 0) {
                warm.add(startMs);
                warmCpu.add(startCpuMs);
                settled.add(settledMs);
            }
            resets.add(resetUs);
        }
        if (!warm.isEmpty()) {
            System.out.printf("warm starts: median %d ms, min %d ms, max %d ms (%d runs)%n", median(warm),
                    warm.stream().mapToLong(Long::longValue).min().orElse(0), warm.stream().mapToLong(Long::longValue).max().orElse(0), warm.size());
            System.out.printf("warm starts' process CPU time: median %d ms; until kube-system's pods Running: median %d ms%n",
                    median(warmCpu), median(settled));
        }
        System.out.printf("resets: median %.2f ms%n", median(resets) / 1000.0);
        System.exit(0);
    }

    /** CPU time of every thread of the process so far (the start's own work, and whatever else ran meanwhile). */
    private static long cpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
