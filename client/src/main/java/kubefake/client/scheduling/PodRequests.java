package kubefake.client.scheduling;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a pod asks of a node ({@code component-helpers/resource.PodRequests}): the sum of its containers' requests,
 * at least what any init container needs while it runs (sidecars, init containers with {@code restartPolicy:
 * Always}, keep running: they add to the sum and to what later init containers need), plus the pod's
 * {@code overhead}.
 */
public final class PodRequests {
    /** What the scheduler's scoring assumes for a container that requests no CPU ({@code DefaultMilliCPURequest}). */
    public static final long DEFAULT_MILLI_CPU = 100;
    /** ... and no memory ({@code DefaultMemoryRequest}, 200 MiB). */
    public static final long DEFAULT_MEMORY = 200L * 1024 * 1024;

    private PodRequests() {
    }

    /** The pod's requests. */
    public static Resources of(JsonNode pod) {
        return compute(pod.path("spec"), false);
    }

    /**
     * The requests with a floor for containers that ask for no CPU or memory (100m, 200Mi): what the scheduler's
     * scoring counts, so that pods without requests do not all pile onto one node.
     */
    public static Resources nonZero(JsonNode pod) {
        return compute(pod.path("spec"), true);
    }

    private static Resources compute(JsonNode spec, boolean nonZero) {
        Resources sum = new Resources();
        for (JsonNode c : spec.path("containers")) sum.add(containerRequests(c, nonZero));
        Resources sidecars = new Resources();
        Resources initMax = new Resources();
        for (JsonNode c : spec.path("initContainers")) {
            Resources r = containerRequests(c, nonZero);
            if ("Always".equals(c.path("restartPolicy").asText())) {
                sum.add(r);
                sidecars.add(r);
                initMax.max(sidecars);
            } else {
                initMax.max(r.add(sidecars));
            }
        }
        sum.max(initMax);
        JsonNode overhead = spec.get("overhead");
        if (overhead != null && overhead.isObject()) sum.add(Resources.fromList(overhead));
        return sum;
    }

    private static Resources containerRequests(JsonNode container, boolean nonZero) {
        JsonNode requests = container.path("resources").path("requests");
        Resources r = Resources.fromList(requests);
        if (nonZero) {
            if (!requests.has(Resources.CPU)) r.add(new Resources(DEFAULT_MILLI_CPU, 0));
            if (!requests.has(Resources.MEMORY)) r.add(new Resources(0, DEFAULT_MEMORY));
        }
        return r;
    }
}
