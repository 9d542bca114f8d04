package kubefake.controllers.podautoscaler;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.client.informers.Informer;
import kubefake.controllers.common.Meta;
import kubefake.controllers.common.Pods;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.selection.LabelSelector;
import kubefake.store.registry.validation.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The replica count a resource metric asks for ({@code pkg/controller/podautoscaler/replica_calculator.go}): the
 * selected pods' usage from the resource metrics API against their requests (utilization) or a raw average.
 * Pods being deleted or failed are ignored; pending pods, and for CPU pods not ready or whose sample predates their
 * readiness, are left out, and pods without a sample count as using their request (when scaling down) or nothing
 * (when scaling up), so neither direction overshoots; a ratio within the tolerance leaves the count as it is.
 */
final class ReplicaCalculator {
    /** kube-controller-manager's defaults: --horizontal-pod-autoscaler-tolerance and the CPU readiness settings. */
    static final double TOLERANCE = 0.1;
    static final Duration CPU_INITIALIZATION_PERIOD = Duration.ofMinutes(5);
    static final Duration DELAY_OF_INITIAL_READINESS_STATUS = Duration.ofSeconds(30);

    /** A replica count with the figures behind it (utilization in percent or -1, the raw average in milli-units). */
    record Proposal(int replicas, int utilization, long rawMilli, Instant timestamp) {
    }

    /** One pod's sample: the sum of its containers' usage in milli-units. */
    private record Sample(long milli, Instant timestamp, Duration window) {
    }

    /** Why no count could be computed: the message the real controller reports. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    private final ResourceMetricsApi metricsApi;
    private final Informer pods;
    private final Supplier<Instant> now;

    ReplicaCalculator(ResourceMetricsApi metricsApi, Informer pods, Supplier<Instant> now) {
        this.metricsApi = metricsApi;
        this.pods = pods;
        this.now = now;
    }

    /** {@code GetResourceReplicas}: a target utilization in percent of the pods' requests. */
    Proposal utilization(int currentReplicas, int targetUtilization, String resource, String namespace, LabelSelector selector)
            throws Failure {
        Observed o = observe(resource, namespace, selector);
        Map<String, Long> requests = requests(o.pods, resource);
        Ratio ratio = utilizationRatio(o.metrics, requests, targetUtilization);
        Proposal unchanged = new Proposal(currentReplicas, ratio.utilization, ratio.raw, o.timestamp);
        if (o.complete(ratio.value)) {
            if (withinTolerance(ratio.value)) return unchanged;
            return new Proposal((int) Math.ceil(ratio.value * o.groups.ready), ratio.utilization, ratio.raw, o.timestamp);
        }
        o.assume(ratio.value, pod -> requests.getOrDefault(pod, 0L));
        double newRatio = utilizationRatio(o.metrics, requests, targetUtilization).value;
        return rebalanced(currentReplicas, ratio.value, newRatio, o.metrics.size(), unchanged);
    }

    /** {@code GetRawResourceReplicas}: a target average usage per pod, in milli-units. */
    Proposal averageValue(int currentReplicas, long targetMilli, String resource, String namespace, LabelSelector selector)
            throws Failure {
        Observed o = observe(resource, namespace, selector);
        long average = sum(o.metrics) / o.metrics.size();
        double ratio = (double) average / targetMilli;
        Proposal unchanged = new Proposal(currentReplicas, -1, average, o.timestamp);
        if (o.complete(ratio)) {
            if (withinTolerance(ratio)) return unchanged;
            return new Proposal((int) Math.ceil(ratio * o.groups.ready), -1, average, o.timestamp);
        }
        o.assume(ratio, pod -> targetMilli);
        double newRatio = (double) (sum(o.metrics) / o.metrics.size()) / targetMilli;
        return rebalanced(currentReplicas, ratio, newRatio, o.metrics.size(), unchanged);
    }

    /** The selected pods, how they group, and the samples that count (of ready pods), as both calculations start. */
    private record Observed(List<JsonNode> pods, Groups groups, Map<String, Long> metrics, Instant timestamp) {

        /** Whether every pod's sample counts: nothing to assume (unready pods matter only when scaling up). */
        boolean complete(double ratio) {
            return !scaleUpWithUnready(ratio) && groups.missing.isEmpty();
        }

        private boolean scaleUpWithUnready(double ratio) {
            return !groups.unready.isEmpty() && ratio > 1.0;
        }

        /** Pods without a sample use {@code assumed} when scaling down, nothing when scaling up; unready ones nothing. */
        void assume(double ratio, java.util.function.ToLongFunction<String> assumed) {
            for (String pod : groups.missing) metrics.put(pod, ratio < 1.0 ? assumed.applyAsLong(pod) : 0L);
            if (scaleUpWithUnready(ratio)) for (String pod : groups.unready) metrics.put(pod, 0L);
        }
    }

    private Observed observe(String resource, String namespace, LabelSelector selector) throws Failure {
        Fetched fetched = fetch(resource, namespace, selector);
        List<JsonNode> podList = selected(namespace, selector);
        if (podList.isEmpty()) throw new Failure("no pods returned by selector while calculating replica count");
        Groups groups = group(podList, fetched.samples, resource);
        Map<String, Long> metrics = usable(fetched.samples, groups);
        if (metrics.isEmpty()) throw new Failure("did not receive metrics for targeted pods (pods might be unready)");
        return new Observed(podList, groups, metrics, fetched.timestamp);
    }

    /** The count once the pods without samples are assumed, unless that reverses or cancels the direction. */
    private static Proposal rebalanced(int currentReplicas, double ratio, double newRatio, int samples, Proposal unchanged) {
        if (withinTolerance(newRatio) || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0)) return unchanged;
        int replicas = (int) Math.ceil(newRatio * samples);
        if ((newRatio < 1.0 && replicas > currentReplicas) || (newRatio > 1.0 && replicas < currentReplicas)) return unchanged;
        return new Proposal(replicas, unchanged.utilization(), unchanged.rawMilli(), unchanged.timestamp());
    }

    private static boolean withinTolerance(double ratio) {
        return 1.0 - TOLERANCE <= ratio && ratio <= 1.0 + TOLERANCE;
    }

    private record Fetched(Map<String, Sample> samples, Instant timestamp) {
    }

    /** The metrics client's {@code GetResourceMetric}: pods whose every container reports the resource. */
    private Fetched fetch(String resource, String namespace, LabelSelector selector) throws Failure {
        List<JsonNode> items;
        try {
            items = metricsApi.listPodMetrics(namespace, selector.toString());
        } catch (ResourceMetricsApi.Unavailable e) {
            throw new Failure("unable to get metrics for resource " + resource
                    + ": unable to fetch metrics from resource metrics API: " + e.getMessage());
        }
        if (items.isEmpty()) {
            throw new Failure("unable to get metrics for resource " + resource + ": no metrics returned from resource metrics API");
        }
        Map<String, Sample> samples = new HashMap<>();
        for (JsonNode m : items) {
            JsonNode containers = m.path("containers");
            boolean missing = containers.isEmpty();
            long sum = 0;
            for (JsonNode c : containers) {
                JsonNode usage = c.path("usage").get(resource);
                if (usage == null) {
                    missing = true;
                    break;
                }
                sum += milli(usage.asText());
            }
            if (!missing) samples.put(Meta.name(m), new Sample(sum, time(m.path("timestamp").asText()), window(m.path("window").asText())));
        }
        return new Fetched(samples, time(items.get(0).path("timestamp").asText()));
    }

    private List<JsonNode> selected(String namespace, LabelSelector selector) {
        List<JsonNode> out = new ArrayList<>();
        for (StoredObject p : pods.list(namespace)) {
            if (selector.matches(p.tree().path("metadata").path("labels"))) out.add(p.tree());
        }
        return out;
    }

    private static final class Groups {
        int ready;
        final Set<String> unready = new LinkedHashSet<>();
        final Set<String> missing = new LinkedHashSet<>();
        final Set<String> ignored = new LinkedHashSet<>();
    }

    /** {@code groupPods}. */
    private Groups group(List<JsonNode> podList, Map<String, Sample> samples, String resource) {
        Groups g = new Groups();
        Instant now = this.now.get();
        for (JsonNode pod : podList) {
            String name = Meta.name(pod);
            String phase = Pods.phase(pod);
            if (Meta.isDeleting(pod) || phase.equals("Failed")) {
                g.ignored.add(name);
                continue;
            }
            if (phase.equals("Pending")) {
                g.unready.add(name);
                continue;
            }
            Sample sample = samples.get(name);
            if (sample == null) {
                g.missing.add(name);
                continue;
            }
            if (resource.equals("cpu") && cpuUnready(pod, sample, now)) {
                g.unready.add(name);
                continue;
            }
            g.ready++;
        }
        return g;
    }

    /** A CPU sample is not trusted from a pod that is not ready, or that was taken before its readiness settled. */
    private static boolean cpuUnready(JsonNode pod, Sample sample, Instant now) {
        JsonNode ready = Pods.condition(pod, "Ready");
        String startTime = pod.path("status").path("startTime").asText("");
        if (ready == null || startTime.isEmpty()) return true;
        Instant start = time(startTime);
        Instant transition = time(ready.path("lastTransitionTime").asText(""));
        boolean notReady = ready.path("status").asText().equals("False");
        if (start.plus(CPU_INITIALIZATION_PERIOD).isAfter(now)) {
            return notReady || sample.timestamp.isBefore(transition.plus(sample.window));
        }
        return notReady && start.plus(DELAY_OF_INITIAL_READINESS_STATUS).isAfter(transition);
    }

    private static Map<String, Long> usable(Map<String, Sample> samples, Groups groups) {
        Map<String, Long> out = new HashMap<>();
        samples.forEach((pod, s) -> {
            if (!groups.ignored.contains(pod) && !groups.unready.contains(pod)) out.put(pod, s.milli);
        });
        return out;
    }

    /** {@code calculatePodRequests}: every container (sidecars too) must request the resource. */
    private static Map<String, Long> requests(List<JsonNode> podList, String resource) throws Failure {
        Map<String, Long> out = new HashMap<>();
        for (JsonNode pod : podList) {
            long sum = 0;
            List<JsonNode> containers = new ArrayList<>();
            // sidecars (restartable init containers) run beside the app containers and count with them
            for (JsonNode c : pod.path("spec").path("initContainers")) {
                if (c.path("restartPolicy").asText().equals("Always")) containers.add(c);
            }
            pod.path("spec").path("containers").forEach(containers::add);
            for (JsonNode c : containers) {
                JsonNode request = c.path("resources").path("requests").get(resource);
                if (request == null) {
                    throw new Failure("missing request for " + resource + " in container " + c.path("name").asText()
                            + " of Pod " + Meta.name(pod));
                }
                sum += milli(request.asText());
            }
            out.put(Meta.name(pod), sum);
        }
        return out;
    }

    private record Ratio(double value, int utilization, long raw) {
    }

    /** {@code GetResourceUtilizationRatio}. */
    private static Ratio utilizationRatio(Map<String, Long> metrics, Map<String, Long> requests, int targetUtilization)
            throws Failure {
        long metricsTotal = 0;
        long requestsTotal = 0;
        int entities = 0;
        for (var e : metrics.entrySet()) {
            Long request = requests.get(e.getKey());
            if (request == null) continue;
            metricsTotal += e.getValue();
            requestsTotal += request;
            entities++;
        }
        if (requestsTotal == 0) throw new Failure("no metrics returned matched known pods");
        int utilization = (int) (metricsTotal * 100 / requestsTotal);
        return new Ratio((double) utilization / targetUtilization, utilization, metricsTotal / entities);
    }

    private static long sum(Map<String, Long> metrics) {
        long s = 0;
        for (long v : metrics.values()) s += v;
        return s;
    }

    /** A quantity in milli-units, rounded up as Go's {@code MilliValue}. */
    static long milli(String quantity) {
        try {
            return Quantity.parse(quantity).value().movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
        } catch (IllegalArgumentException | ArithmeticException e) {
            return 0;
        }
    }

    private static Instant time(String text) {
        try {
            return text.isEmpty() ? Instant.EPOCH : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    /** A Go duration as metrics-server writes a window ({@code 15.012s}). */
    private static Duration window(String text) {
        if (!text.endsWith("s")) return Duration.ZERO;
        try {
            return Duration.ofNanos(new BigDecimal(text.substring(0, text.length() - 1)).movePointRight(9).longValue());
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }
}
