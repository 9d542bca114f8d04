package kubefake.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.workqueue.WorkQueues;
import kubefake.server.api.RequestInfo;
import kubefake.server.http.ApiRequest;
import kubefake.server.http.RequestObserver;
import kubefake.store.mvcc.KeyValue;
import kubefake.store.mvcc.ReadView;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.ResourceType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The API server's {@code /metrics}, in Prometheus' text format, under the names and labels a real kube-apiserver 1.33
 * exposes (k8s.io/apiserver's endpoints/metrics and storage metrics): {@code apiserver_request_total},
 * {@code apiserver_request_duration_seconds} (its buckets), {@code apiserver_current_inflight_requests},
 * {@code apiserver_storage_objects}; the JVM's {@code process_*} and {@code jvm_*} (the Prometheus client's collectors,
 * where a Go server has {@code go_*}); and kubefake's own under {@code kubefake_}.
 */
public final class ApiServerMetrics implements RequestObserver {
    /** apiserver_request_duration_seconds' buckets, as k8s.io/apiserver declares them. */
    private static final double[] DURATION_BUCKETS = {0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3,
            4, 5, 6, 8, 10, 15, 20, 30, 45, 60};
    private static final Set<String> CONNECT_SUBRESOURCES = Set.of("exec", "attach", "portforward", "proxy");
    /** The non-resource paths counted (with the path as subresource, as the real server's instrumented handlers do). */
    private static final Set<String> COUNTED_PATHS = Set.of("/healthz", "/livez", "/readyz", "/metrics", "/version",
            "/api", "/apis", "/openapi/v2", "/openapi/v3");
    private static final String COMPONENT = "apiserver";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Labels, Series> series = new ConcurrentHashMap<>();
    private boolean jvmCollectorsRegistered;
    private final Duration[] buckets;
    private final ReadView store;
    private final MultiGauge podsRunning;
    private final MultiGauge workQueueDepth;
    private volatile ClusterRuntime runtime;

    /**
     * @param store     where the objects are counted
     * @param resources the served resources ({@code apiserver_storage_objects} per stored resource)
     * @param inFlight  requests holding an in-flight slot now: argument true for the mutating ones
     */
    public ApiServerMetrics(ReadView store, List<ResourceStore> resources, java.util.function.Function<Boolean, Integer> inFlight) {
        this.store = store;
        buckets = new Duration[DURATION_BUCKETS.length];
        for (int i = 0; i < buckets.length; i++) buckets[i] = Duration.ofNanos((long) (DURATION_BUCKETS[i] * 1e9));
        Gauge.builder("apiserver_current_inflight_requests", () -> inFlight.apply(false))
                .description("Maximal number of currently used inflight request limit of this apiserver per request kind in last second.")
                .tag("request_kind", "readOnly").register(registry);
        Gauge.builder("apiserver_current_inflight_requests", () -> inFlight.apply(true))
                .description("Maximal number of currently used inflight request limit of this apiserver per request kind in last second.")
                .tag("request_kind", "mutating").register(registry);
        Map<String, String> prefixes = new LinkedHashMap<>();
        for (ResourceStore r : resources) {
            ResourceType.Storage s = r.type().storageOrSelf();
            String label = s.group().isEmpty() ? s.resource() : s.resource() + "." + s.group();
            prefixes.putIfAbsent(label, "/registry/" + (s.group().isEmpty() ? "" : s.group() + "/") + s.resource() + "/");
        }
        prefixes.forEach((label, prefix) -> Gauge.builder("apiserver_storage_objects", () -> count(prefix))
                .description("Number of stored objects at the time of last check split by kind. In case of a fetching error, the value will be -1.")
                .tag("resource", label).register(registry));
        podsRunning = MultiGauge.builder("kubefake_pods_running")
                .description("Pods whose phase is Running, per node their kubelet runs them on.").register(registry);
        workQueueDepth = MultiGauge.builder("kubefake_workqueue_depth")
                .description("Current depth of each controller's work queue (client-go's workqueue_depth), by queue name.")
                .register(registry);
    }

    /**
     * The process's and the JVM's collectors, registered at the first scrape: each reads its figures from the JVM when
     * scraped, so a scrape shows the same whenever they were registered, and their classes stay off the way to ready.
     */
    private synchronized void registerJvmCollectors() {
        if (jvmCollectorsRegistered) return;
        // the collectors one by one: JvmMetrics.register keeps every registry it was given (one per cluster an embedding
        // JVM starts), and its allocation metrics add GC listeners that are never removed
        var prometheus = registry.getPrometheusRegistry();
        ProcessMetrics.builder().register(prometheus);
        JvmMemoryMetrics.builder().register(prometheus);
        JvmThreadsMetrics.builder().register(prometheus);
        JvmGarbageCollectorMetrics.builder().register(prometheus);
        JvmClassLoadingMetrics.builder().register(prometheus);
        JvmRuntimeInfoMetric.builder().register(prometheus);
        jvmCollectorsRegistered = true;
    }

    private long count(String prefix) {
        try {
            return store.range(prefix, ReadView.prefixEnd(prefix), 0, 1).count();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void answered(ApiRequest request, Object routeInfo, int status, long elapsedNanos) {
        String method = request.method().name();
        // the router's reading of the path; read here only when routing failed (the same rule for ?watch)
        RequestInfo info = routeInfo instanceof RequestInfo routed ? routed
                : RequestInfo.parse(request.method(), request.path(), watchParameter(request));
        String group = "", version = "", resource = "", subresource = "", scope = "", verb = method;
        if (info != null) {
            group = info.group();
            version = info.version();
            resource = info.resource();
            subresource = info.subresource();
            scope = !info.name().isEmpty() || info.verb().equals("create") ? "resource"
                    : !info.namespace().isEmpty() ? "namespace" : "cluster";
            if ((method.equals("GET") || method.equals("HEAD")) && !scope.equals("resource")) verb = "LIST";
            if (method.equals("HEAD")) verb = scope.equals("resource") ? "GET" : "LIST";
            if (info.verb().equals("watch")) verb = "WATCH";
            if (method.equals("PATCH") && "application/apply-patch+yaml".equals(request.header("Content-Type"))) verb = "APPLY";
            if (CONNECT_SUBRESOURCES.contains(subresource)) verb = "CONNECT";
        } else {
            String path = request.path().length() > 1 && request.path().endsWith("/")
                    ? request.path().substring(0, request.path().length() - 1) : request.path();
            if (!COUNTED_PATHS.contains(path)) return;
            subresource = path;
            if (method.equals("HEAD")) verb = "GET";
        }
        List<String> dryRun = request.query().get("dryRun");
        Labels labels = new Labels(verb, dryRun == null ? "" : String.join(",", dryRun), group, version, resource,
                subresource, scope);
        Series s = series.computeIfAbsent(labels, l -> new Series(l.tags()));
        s.count(status).increment();
        s.duration.record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    /** A request's labels but its code: one latency histogram each, one counter per code. */
    private record Labels(String verb, String dryRun, String group, String version, String resource, String subresource,
                          String scope) {
        Tags tags() {
            return Tags.of("verb", verb, "dry_run", dryRun, "group", group, "version", version, "resource", resource,
                    "subresource", subresource, "scope", scope, "component", COMPONENT);
        }
    }

    /**
     * The meters of one set of labels, looked up once: finding a meter in Micrometer's registry builds and sorts its
     * tags each time, which cost more than the rest of a GET's routing.
     */
    private final class Series {
        private final Tags tags;
        final Timer duration;
        /** By HTTP status (100-599), made at its first answer. */
        private final AtomicReferenceArray<Counter> counts = new AtomicReferenceArray<>(600);

        Series(Tags tags) {
            this.tags = tags;
            duration = Timer.builder("apiserver_request_duration")
                    .description("Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.")
                    .serviceLevelObjectives(buckets).tags(tags).register(registry);
        }

        Counter count(int status) {
            boolean cached = status >= 0 && status < counts.length();
            Counter c = cached ? counts.get(status) : null;
            if (c == null) {
                // the registry gives the same counter to a racing second registration
                c = Counter.builder("apiserver_request")
                        .description("Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.")
                        .tags(tags).tag("code", Integer.toString(status)).register(registry);
                if (cached) counts.set(status, c);
            }
            return c;
        }
    }

    private static boolean watchParameter(ApiRequest request) {
        String w = request.param("watch");
        return w != null && !w.equals("0") && !w.equalsIgnoreCase("false");
    }

    /** Counts the work queues of the controllers on this runtime (which starts after the API server). */
    public void countWorkQueues(ClusterRuntime r) {
        runtime = r;
    }

    /** The text a scrape gets (Prometheus' text format 0.0.4). */
    public String scrape() {
        registerJvmCollectors();
        refreshPodsRunning();
        ClusterRuntime r = runtime;
        if (r != null) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            WorkQueues.depths(r).forEach((queue, depth) -> rows.add(MultiGauge.Row.of(Tags.of("name", queue), depth)));
            workQueueDepth.register(rows, true);
        }
        return registry.scrape();
    }

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private void refreshPodsRunning() {
        Map<String, Integer> perNode = new HashMap<>();
        for (KeyValue kv : store.range("/registry/nodes/", ReadView.prefixEnd("/registry/nodes/"), 0, 0).kvs()) {
            perNode.put(kv.key().substring("/registry/nodes/".length()), 0);
        }
        for (KeyValue kv : store.range("/registry/pods/", ReadView.prefixEnd("/registry/pods/"), 0, 0).kvs()) {
            var pod = Json.parseObject(kv.value());
            String node = pod.path("spec").path("nodeName").asText("");
            if (!node.isEmpty() && "Running".equals(pod.path("status").path("phase").asText())) perNode.merge(node, 1, Integer::sum);
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        perNode.forEach((node, n) -> rows.add(MultiGauge.Row.of(Tags.of("node", node), n)));
        podsRunning.register(rows, true);
    }
}
