package kubefake.controllers.podautoscaler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ObjectKey;
import kubefake.client.ResourceClient;
import kubefake.client.events.EventRecorder;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.workqueue.Controller;
import kubefake.client.workqueue.Result;
import kubefake.client.workqueue.SyncException;
import kubefake.client.workqueue.WorkQueue;
import kubefake.controllers.common.Meta;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.selection.LabelSelector;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * kube-controller-manager's horizontal pod autoscaler ({@code pkg/controller/podautoscaler/horizontal.go}): every
 * {@link #SYNC_PERIOD} of cluster time each HorizontalPodAutoscaler (autoscaling/v2) reads its target's scale
 * subresource, computes from the resource metrics API the replica count each metric asks for
 * ({@link ReplicaCalculator}), takes the largest, stabilizes and limits it ({@link ScalingHistory}), writes it to
 * the target's scale and records {@code SuccessfulRescale}; its status carries the current metrics, current and
 * desired replicas, the last scale time and the AbleToScale, ScalingActive and ScalingLimited conditions with the
 * real reasons and messages. Only Resource metrics are computed (no custom or external metrics API is served).
 */
public final class HorizontalController implements AutoCloseable {
    public static final String NAME = "horizontal-pod-autoscaler";
    /** --horizontal-pod-autoscaler-sync-period's default. */
    public static final Duration SYNC_PERIOD = Duration.ofSeconds(15);

    private final ClusterRuntime runtime;
    private final Client client;
    private final ResourceClient autoscalers;
    private final Informer hpaInformer;
    private final Informer podInformer;
    private final EventRecorder recorder;
    private final ReplicaCalculator calculator;
    private final ScalingHistory history = new ScalingHistory();
    private final Controller<String> controller;

    /** @param client acting as the controller's service account ({@value #NAME}) */
    public HorizontalController(Client client, SharedInformers informers, ClusterRuntime runtime, ResourceMetricsApi metrics) {
        this.runtime = runtime;
        this.client = client;
        this.autoscalers = client.resource("autoscaling", "horizontalpodautoscalers");
        this.hpaInformer = informers.informer("autoscaling", "horizontalpodautoscalers");
        this.podInformer = informers.informer("", "pods");
        this.recorder = new EventRecorder(client, runtime, NAME, "");
        this.calculator = new ReplicaCalculator(metrics, podInformer, () -> runtime.clock().instant());
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("horizontalpodautoscaler", runtime), 1, this::sync);
        hpaInformer.addHandler(new ResourceEventHandler() {
            // every autoscaler is synced once per period, a new or changed one too: requests wait a period in the queue
            @Override
            public void onAdd(StoredObject hpa) {
                controller.queue().addAfter(ObjectKey.of(hpa.tree()), SYNC_PERIOD);
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject current) {
                controller.queue().addAfter(ObjectKey.of(current.tree()), SYNC_PERIOD);
            }

            @Override
            public void onDelete(StoredObject last) {
                history.forget(ObjectKey.of(last.tree()));
            }
        });
    }

    public void start() {
        controller.start(hpaInformer.synced(), podInformer.synced());
    }

    @Override
    public void close() {
        controller.close();
    }

    Result sync(String key) {
        StoredObject stored = hpaInformer.get(key).orElse(null);
        if (stored == null) {
            history.forget(key);
            return Result.done();
        }
        try {
            reconcile(stored);
        } catch (SyncException e) {
            // reported in the status and events; the next period tries again
        }
        return Result.requeueAfter(SYNC_PERIOD);
    }

    /** {@code reconcileAutoscaler}. */
    private void reconcile(StoredObject stored) throws SyncException {
        ObjectNode hpa = stored.toNode();
        ObjectNode original = hpa.deepCopy();
        String key = ObjectKey.of(hpa);
        String namespace = Meta.namespace(hpa);
        Instant now = runtime.clock().instant();
        JsonNode spec = hpa.path("spec");
        JsonNode ref = spec.path("scaleTargetRef");
        String reference = ref.path("kind").asText() + "/" + namespace + "/" + ref.path("name").asText();
        ObjectNode status = hpa.with("status");

        ObjectNode scale;
        ResourceClient target;
        try {
            target = scaleTarget(ref);
            scale = target.getScale(namespace, ref.path("name").asText());
        } catch (StatusException | SyncException e) {
            recorder.event(stored, EventRecorder.WARNING, "FailedGetScale", e.getMessage());
            condition(status, "AbleToScale", "False", "FailedGetScale",
                    "the HPA controller was unable to get the target's current scale: " + e.getMessage(), now);
            writeStatus(original, hpa);
            throw new SyncException("failed to query scale subresource for " + reference + ": " + e.getMessage());
        }
        condition(status, "AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale", now);
        int current = scale.path("spec").path("replicas").asInt();
        int statusReplicas = scale.path("status").path("replicas").asInt();
        history.initialize(key, current, now);
        int min = spec.path("minReplicas").asInt(1);
        int max = spec.path("maxReplicas").asInt();

        int desired;
        String rescaleReason = "";
        ArrayNode metricStatuses = Json.MAPPER.createArrayNode();
        if (current == 0 && min != 0) {
            desired = 0;
            condition(status, "ScalingActive", "False", "ScalingDisabled",
                    "scaling is disabled since the replica count of the target is zero", now);
        } else if (current > max) {
            rescaleReason = "Current number of replicas above Spec.MaxReplicas";
            desired = max;
        } else if (current < min) {
            rescaleReason = "Current number of replicas below Spec.MinReplicas";
            desired = min;
        } else {
            Computed computed = computeReplicasForMetrics(stored, hpa, scale, current, metricStatuses, now);
            if (computed.replicas < 0) {
                status.put("currentReplicas", statusReplicas);
                status.set("currentMetrics", metricStatuses);
                writeStatus(original, hpa);
                recorder.event(stored, EventRecorder.WARNING, "FailedComputeMetricsReplicas", computed.error);
                throw new SyncException("failed to compute desired number of replicas based on listed metrics for "
                        + reference + ": " + computed.error);
            }
            JsonNode behavior = spec.get("behavior");
            ScalingHistory.Decision d = behavior == null || behavior.isNull()
                    ? history.normalize(key, current, computed.replicas, min, max, now)
                    : history.normalize(key, behavior, current, computed.replicas, min, max, now);
            condition(status, "AbleToScale", "True", d.stabilizedReason(), d.stabilizedMessage(), now);
            condition(status, "ScalingLimited", d.limited() ? "True" : "False", d.limitReason(), d.limitMessage(), now);
            desired = d.replicas();
            if (desired > current) rescaleReason = computed.metric + " above target";
            if (desired < current) rescaleReason = "All metrics below target";
        }

        boolean rescale = desired != current;
        if (rescale) {
            try {
                target.scale(namespace, ref.path("name").asText(), desired);
            } catch (StatusException e) {
                recorder.event(stored, EventRecorder.WARNING, "FailedRescale",
                        "New size: " + desired + "; reason: " + rescaleReason + "; error: " + e.getMessage());
                condition(status, "AbleToScale", "False", "FailedUpdateScale",
                        "the HPA controller was unable to update the target scale: " + e.getMessage(), now);
                status.put("currentReplicas", statusReplicas);
                status.set("currentMetrics", metricStatuses);
                writeStatus(original, hpa);
                throw new SyncException("failed to rescale " + reference + ": " + e.getMessage());
            }
            condition(status, "AbleToScale", "True", "SucceededRescale",
                    "the HPA controller was able to update the target scale to " + desired, now);
            recorder.event(stored, EventRecorder.NORMAL, "SuccessfulRescale", "New size: " + desired + "; reason: " + rescaleReason);
            history.recordScale(key, spec.get("behavior"), current, desired, now);
        } else {
            desired = current;
        }
        // setStatus: the current replicas are the target's status, as the real controller reports them
        ObjectNode next = Json.MAPPER.createObjectNode();
        if (status.has("observedGeneration")) next.set("observedGeneration", status.get("observedGeneration"));
        if (rescale) next.put("lastScaleTime", seconds(now));
        else if (status.has("lastScaleTime")) next.set("lastScaleTime", status.get("lastScaleTime"));
        next.put("currentReplicas", statusReplicas);
        next.put("desiredReplicas", desired);
        next.set("currentMetrics", metricStatuses);
        if (status.has("conditions")) next.set("conditions", status.get("conditions"));
        hpa.set("status", next);
        writeStatus(original, hpa);
    }

    private record Computed(int replicas, String metric, String error) {
    }

    /** {@code computeReplicasForMetrics}: the largest proposal; -1 when every metric failed (or some did and the rest would scale down). */
    private Computed computeReplicasForMetrics(StoredObject stored, ObjectNode hpa, ObjectNode scale, int current,
                                               ArrayNode statuses, Instant now) {
        ObjectNode status = (ObjectNode) hpa.get("status");
        String selectorText = scale.path("status").path("selector").asText("");
        if (selectorText.isEmpty()) {
            String message = "selector is required";
            recorder.event(stored, EventRecorder.WARNING, "SelectorRequired", message);
            condition(status, "ScalingActive", "False", "InvalidSelector", "the HPA target's scale is missing a selector", now);
            return new Computed(-1, "", message);
        }
        LabelSelector selector;
        try {
            selector = LabelSelector.parse(selectorText);
        } catch (StatusException | IllegalArgumentException e) {
            String message = "couldn't convert selector into a corresponding internal selector object: " + e.getMessage();
            recorder.event(stored, EventRecorder.WARNING, "InvalidSelector", message);
            condition(status, "ScalingActive", "False", "InvalidSelector", message, now);
            return new Computed(-1, "", message);
        }
        JsonNode metrics = hpa.path("spec").path("metrics");
        int replicas = 0;
        String metric = "";
        int invalid = 0;
        String firstError = null;
        String[] firstCondition = null;
        for (JsonNode spec : metrics) {
            ObjectNode metricStatus = statuses.addObject().put("type", "");
            try {
                Proposal p = computeReplicasForMetric(spec, current, selector, Meta.namespace(hpa), metricStatus);
                if (replicas == 0 || p.replicas > replicas) {
                    replicas = p.replicas;
                    metric = p.metric;
                }
            } catch (MetricFailure e) {
                recorder.event(stored, EventRecorder.WARNING, e.reason, e.getMessage());
                if (invalid == 0) {
                    firstError = e.getMessage();
                    firstCondition = new String[] {e.reason, "the HPA was unable to compute the replica count: " + e.getMessage()};
                }
                invalid++;
            }
        }
        String error = firstError == null ? null
                : "invalid metrics (" + invalid + " invalid out of " + metrics.size() + "), first error is: " + firstError;
        if (invalid > 0 && (invalid >= metrics.size() || replicas < current)) {
            condition(status, "ScalingActive", "False", firstCondition[0], firstCondition[1], now);
            return new Computed(-1, "", error);
        }
        condition(status, "ScalingActive", "True", "ValidMetricFound",
                "the HPA was able to successfully calculate a replica count from " + metric, now);
        return new Computed(replicas, metric, error);
    }

    private record Proposal(int replicas, String metric) {
    }

    /** A metric that could not be computed: the event's reason and the error. */
    private static final class MetricFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final String reason;

        MetricFailure(String reason, String message) {
            super(message);
            this.reason = reason;
        }
    }

    private Proposal computeReplicasForMetric(JsonNode spec, int current, LabelSelector selector, String namespace,
                                              ObjectNode status) throws MetricFailure {
        String type = spec.path("type").asText();
        switch (type) {
            case "Resource" -> {
                JsonNode source = spec.path("resource");
                String resource = source.path("name").asText();
                JsonNode target = source.path("target");
                try {
                    ObjectNode current0 = Json.MAPPER.createObjectNode();
                    String metric;
                    int replicas;
                    if (target.hasNonNull("averageValue")) {
                        ReplicaCalculator.Proposal p = calculator.averageValue(current,
                                ReplicaCalculator.milli(target.path("averageValue").asText()), resource, namespace, selector);
                        current0.put("averageValue", milliQuantity(p.rawMilli()));
                        metric = resource + " resource";
                        replicas = p.replicas();
                    } else if (target.hasNonNull("averageUtilization")) {
                        ReplicaCalculator.Proposal p = calculator.utilization(current, target.path("averageUtilization").asInt(),
                                resource, namespace, selector);
                        current0.put("averageUtilization", p.utilization()).put("averageValue", milliQuantity(p.rawMilli()));
                        metric = resource + " resource utilization (percentage of request)";
                        replicas = p.replicas();
                    } else {
                        throw new MetricFailure("FailedGetResourceMetric",
                                "invalid resource metric source: neither an average utilization target nor an average value (usage) target was set");
                    }
                    status.put("type", "Resource");
                    ObjectNode r = status.putObject("resource");
                    r.set("current", current0);
                    r.put("name", resource);
                    return new Proposal(replicas, metric);
                } catch (ReplicaCalculator.Failure e) {
                    String what = target.hasNonNull("averageValue") ? "usage" : "utilization";
                    throw new MetricFailure("FailedGetResourceMetric", "failed to get " + resource + " " + what + ": " + e.getMessage());
                }
            }
            case "Pods" -> throw new MetricFailure("FailedGetPodsMetric", "unable to get metric "
                    + spec.path("pods").path("metric").path("name").asText()
                    + ": unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered");
            case "Object" -> throw new MetricFailure("FailedGetObjectMetric", "unable to get metric "
                    + spec.path("object").path("metric").path("name").asText()
                    + ": unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered");
            case "External" -> throw new MetricFailure("FailedGetExternalMetric", "unable to get external metric "
                    + namespace + "/" + spec.path("external").path("metric").path("name").asText()
                    + ": unable to fetch metrics from external metrics API: no external metrics API (external.metrics.k8s.io) registered");
            case "ContainerResource" -> throw new MetricFailure("FailedGetContainerResourceMetric",
                    "container resource metrics are not computed by this cluster");
            default -> throw new MetricFailure("InvalidMetricSourceType", "unknown metric source type \"" + type + "\"");
        }
    }

    /** The scale subresource of the target's kind in its API group ({@code RESTMappings} of the group-kind). */
    private ResourceClient scaleTarget(JsonNode ref) throws SyncException {
        String apiVersion = ref.path("apiVersion").asText("");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String kind = ref.path("kind").asText();
        for (ResourceStore rs : client.registry().resources()) {
            ResourceType t = rs.type();
            if (t.group().equals(group) && t.kind().equals(kind) && t.hasSubresource("scale")) return client.resource(group, t.resource());
        }
        throw new SyncException("no matches for kind \"" + kind + "\" in group \"" + group + "\"");
    }

    /** {@code setCondition}: the transition time moves only when the status does. */
    private static void condition(ObjectNode status, String type, String value, String reason, String message, Instant now) {
        ArrayNode conditions = status.has("conditions") && status.get("conditions").isArray()
                ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
        ObjectNode existing = null;
        for (JsonNode c : conditions) {
            if (c.path("type").asText().equals(type)) existing = (ObjectNode) c;
        }
        if (existing == null) {
            existing = conditions.addObject().put("type", type);
            existing.put("status", value).put("lastTransitionTime", seconds(now));
        } else if (!existing.path("status").asText().equals(value)) {
            existing.put("status", value).put("lastTransitionTime", seconds(now));
        }
        existing.put("reason", reason).put("message", message);
    }

    /** {@code updateStatusIfNeeded}. */
    private void writeStatus(ObjectNode original, ObjectNode hpa) {
        if (original.path("status").equals(hpa.path("status"))) return;
        autoscalers.updateStatus(hpa);
    }

    private static String seconds(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** {@code resource.NewMilliQuantity(v, DecimalSI)} as Go writes it: "250m", "1", "1500m". */
    static String milliQuantity(long milli) {
        return kubefake.store.registry.validation.Quantity.parse(milli + "m").toString();
    }
}
