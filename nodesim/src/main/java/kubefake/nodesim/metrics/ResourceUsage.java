package kubefake.nodesim.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.validation.Quantity;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the simulated containers and nodes use, as metrics-server would report it after scraping the kubelets.
 * <ul>
 *   <li>A running container uses its image's idle figures ({@link #IDLE}: nginx 1 millicore and 3 MiB, ...; 1m and
 *   8 MiB for images not listed), varied by up to a fifth per pod (steady for a pod: derived from its uid).</li>
 *   <li>A pod's annotations set its load: {@value #CPU_ANNOTATION} and {@value #MEMORY_ANNOTATION} (quantities such
 *   as {@code 400m} and {@code 64Mi}) are the usage of each of its containers, so a test or a user makes an HPA react
 *   with {@code kubectl annotate pod P kubefake.dev/cpu-usage=400m}.</li>
 *   <li>A container has figures once it has run for {@link #FIRST_SCRAPE} (metrics-server needs two scrapes 15 s
 *   apart): before that its pod has no PodMetrics, and {@code kubectl top pod} says metrics are not available yet.</li>
 *   <li>A node uses the sum of its running pods plus the system's share (kubelet, containerd, the OS):
 *   {@link #SYSTEM_CPU_MILLIS} millicores and {@link #SYSTEM_MEMORY} bytes.</li>
 * </ul>
 */
public final class ResourceUsage {
    public static final String CPU_ANNOTATION = "kubefake.dev/cpu-usage";
    public static final String MEMORY_ANNOTATION = "kubefake.dev/memory-usage";
    public static final Duration FIRST_SCRAPE = Duration.ofSeconds(15);
    public static final long SYSTEM_CPU_MILLIS = 40;
    public static final long SYSTEM_MEMORY = 300L << 20;

    /** Idle figures of the images the course runs (by the repository's last path segment): millicores, MiB. */
    static final Map<String, long[]> IDLE = Map.ofEntries(
            Map.entry("nginx", new long[] {1, 3}),
            Map.entry("busybox", new long[] {0, 1}),
            Map.entry("echo-hname", new long[] {1, 2}),
            Map.entry("pause", new long[] {0, 1}),
            Map.entry("kube-apiserver", new long[] {45, 260}),
            Map.entry("etcd", new long[] {20, 45}),
            Map.entry("kube-controller-manager", new long[] {15, 50}),
            Map.entry("kube-scheduler", new long[] {4, 20}),
            Map.entry("kube-proxy", new long[] {1, 15}),
            Map.entry("coredns", new long[] {2, 14}),
            Map.entry("node", new long[] {25, 110}),
            Map.entry("kube-controllers", new long[] {2, 16}));
    private static final long[] DEFAULT_IDLE = {1, 8};

    /** One container's usage: CPU in nanocores, memory in bytes. */
    public record Usage(long nanoCores, long memoryBytes) {
        public Usage plus(Usage o) {
            return new Usage(nanoCores + o.nanoCores, memoryBytes + o.memoryBytes);
        }
    }

    public record ContainerUsage(String name, Usage usage) {
    }

    /** The usage of a pod's running containers, or empty when the pod has none that has run for a first scrape. */
    public static Optional<List<ContainerUsage>> pod(JsonNode pod, Instant now) {
        if (!"Running".equals(pod.path("status").path("phase").asText())) return Optional.empty();
        Map<String, String> images = new java.util.HashMap<>();
        for (JsonNode c : pod.path("spec").path("containers")) images.put(c.path("name").asText(), c.path("image").asText());
        JsonNode annotations = pod.path("metadata").path("annotations");
        double variation = variation(pod.path("metadata").path("uid").asText(pod.path("metadata").path("name").asText()));
        List<ContainerUsage> out = new ArrayList<>();
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            String started = status.path("state").path("running").path("startedAt").asText("");
            if (started.isEmpty() || Instant.parse(started).plus(FIRST_SCRAPE).isAfter(now)) continue;
            String name = status.path("name").asText();
            long[] idle = IDLE.getOrDefault(lastSegment(images.getOrDefault(name, "")), DEFAULT_IDLE);
            long nanoCores = annotations.has(CPU_ANNOTATION)
                    ? quantity(annotations.path(CPU_ANNOTATION).asText(), 1_000_000_000L)
                    : Math.round(idle[0] * 1_000_000L * variation);
            long memory = annotations.has(MEMORY_ANNOTATION)
                    ? quantity(annotations.path(MEMORY_ANNOTATION).asText(), 1)
                    : Math.round((idle[1] << 20) * variation);
            out.add(new ContainerUsage(name, new Usage(nanoCores, memory)));
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    /** A node's usage: its pods' (as {@link #pod}) plus the system's share. */
    public static Usage node(List<? extends JsonNode> podsOnNode, Instant now) {
        Usage total = new Usage(SYSTEM_CPU_MILLIS * 1_000_000L, SYSTEM_MEMORY);
        for (JsonNode pod : podsOnNode) {
            for (ContainerUsage c : pod(pod, now).orElse(List.of())) total = total.plus(c.usage());
        }
        return total;
    }

    /** Between 0.8 and 1.2, steady for one pod. */
    private static double variation(String seed) {
        return 0.8 + Math.floorMod(seed.hashCode(), 401) / 1000.0;
    }

    private static String lastSegment(String image) {
        String repo = image;
        int at = repo.indexOf('@');
        if (at >= 0) repo = repo.substring(0, at);
        int colon = repo.lastIndexOf(':');
        if (colon > repo.lastIndexOf('/')) repo = repo.substring(0, colon);
        return repo.substring(repo.lastIndexOf('/') + 1);
    }

    /** A quantity in the given unit (nanocores: 1e9 per core; bytes: 1); an unreadable one counts as nothing. */
    private static long quantity(String text, long perUnit) {
        try {
            return Quantity.parse(text.trim()).value().multiply(BigDecimal.valueOf(perUnit)).longValue();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private ResourceUsage() {
    }
}
