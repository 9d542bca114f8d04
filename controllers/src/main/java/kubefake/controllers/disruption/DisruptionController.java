package kubefake.controllers.disruption;

import com.fasterxml.jackson.databind.JsonNode;
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
import kubefake.client.workqueue.WorkQueue;
import kubefake.controllers.common.Meta;
import kubefake.controllers.common.OwnerReference;
import kubefake.controllers.common.Pods;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.resources.DisruptionAllowedCondition;
import kubefake.store.registry.selection.LabelSelector;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kube-controller-manager's disruption controller ({@code pkg/controller/disruption}): keeps each
 * PodDisruptionBudget's status, which the eviction subresource reads:
 * <ul>
 *   <li>{@code expectedPods}: the matching pods for an integer {@code minAvailable}, else the sum of the replicas of
 *   their controllers (Deployment through its ReplicaSet, ReplicaSet, StatefulSet, ReplicationController);</li>
 *   <li>{@code desiredHealthy}: {@code minAvailable} (a percentage of expectedPods, rounded up), or expectedPods less
 *   {@code maxUnavailable} (rounded up);</li>
 *   <li>{@code currentHealthy}: matching pods that are Ready, not being deleted, and not evicted in the last two
 *   minutes ({@code disruptedPods}, which the eviction subresource fills and this controller prunes);</li>
 *   <li>{@code disruptionsAllowed}: currentHealthy − desiredHealthy, 0 when negative or no pods are expected; the
 *   {@code DisruptionAllowed} condition; {@code observedGeneration}.</li>
 * </ul>
 * A status it cannot compute (a pod whose controller is unknown) is written as no disruption allowed with the
 * {@code SyncFailed} reason ({@code failSafe}).
 */
public final class DisruptionController implements AutoCloseable {
    public static final String NAME = "disruption-controller";
    /** {@code DeletionTimeout}: how long an evicted pod is not counted healthy while its deletion is awaited. */
    static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);
    private static final int WORKERS = 2;

    private final ClusterRuntime runtime;
    private final ResourceClient budgets;
    private final Informer budgetInformer;
    private final Informer podInformer;
    private final Informer replicaSetInformer;
    private final Informer deploymentInformer;
    private final Informer statefulSetInformer;
    private final Informer replicationControllerInformer;
    private final EventRecorder recorder;
    private final Controller<String> controller;

    /** @param client acting as the controller's service account ({@value #NAME}) */
    public DisruptionController(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.runtime = runtime;
        this.budgets = client.resource("policy", "poddisruptionbudgets");
        this.budgetInformer = informers.informer("policy", "poddisruptionbudgets");
        this.podInformer = informers.informer("", "pods");
        this.replicaSetInformer = informers.informer("apps", "replicasets");
        this.deploymentInformer = informers.informer("apps", "deployments");
        this.statefulSetInformer = informers.informer("apps", "statefulsets");
        this.replicationControllerInformer = informers.informer("", "replicationcontrollers");
        this.recorder = new EventRecorder(client, runtime, "controllermanager", "");
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("disruption", runtime), WORKERS, this::sync);
        budgetInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject budget) {
                controller.queue().add(ObjectKey.of(budget.toNode()));
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject current) {
                controller.queue().add(ObjectKey.of(current.toNode()));
            }

            @Override
            public void onDelete(StoredObject last) {
            }
        });
        podInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject pod) {
                enqueueBudgetsOf(pod.tree());
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject current) {
                enqueueBudgetsOf(current.tree());
            }

            @Override
            public void onDelete(StoredObject last) {
                enqueueBudgetsOf(last.tree());
            }
        });
    }

    public void start() {
        controller.start(budgetInformer.synced(), podInformer.synced(), replicaSetInformer.synced(),
                deploymentInformer.synced(), statefulSetInformer.synced(), replicationControllerInformer.synced());
    }

    @Override
    public void close() {
        controller.close();
    }

    WorkQueue<String> queue() {
        return controller.queue();
    }

    /** The budgets of the pod's namespace that select it ({@code GetPodPodDisruptionBudgets}). */
    private void enqueueBudgetsOf(JsonNode pod) {
        for (StoredObject b : budgetInformer.list(Meta.namespace(pod))) {
            if (selects(b.tree(), pod, false)) controller.queue().add(ObjectKey.of(b.tree()));
        }
    }

    /**
     * Whether the budget's selector selects the pod; an empty selector selects every pod of the namespace when
     * listing ({@code LabelSelectorAsSelector}) but no pod when looking up a pod's budgets.
     */
    private static boolean selects(JsonNode budget, JsonNode pod, boolean emptySelectsAll) {
        LabelSelector selector;
        try {
            selector = LabelSelector.fromJson(budget.path("spec").get("selector"));
        } catch (StatusException e) {
            return false;
        }
        if (selector.isNothing()) return false;
        if (selector.isEverything()) return emptySelectsAll;
        return selector.matches(pod.path("metadata").path("labels"));
    }

    Result sync(String key) {
        StoredObject stored = budgetInformer.get(key).orElse(null);
        if (stored == null) return Result.done();
        ObjectNode budget = stored.toNode();
        List<JsonNode> pods = new ArrayList<>();
        for (StoredObject p : podInformer.list(Meta.namespace(budget))) {
            if (selects(budget, p.tree(), true)) pods.add(p.tree());
        }
        if (pods.isEmpty()) recorder.event(stored, EventRecorder.NORMAL, "NoPods", "No matching pods found");
        Instant now = runtime.clock().instant();
        try {
            Expected expected = expected(budget, pods);
            if (!expected.unmanaged().isEmpty()) {
                recorder.event(stored, EventRecorder.WARNING, "UnmanagedPods", "Pods selected by this "
                        + "PodDisruptionBudget (selector: " + selectorText(budget) + ") were found to be unmanaged. As a "
                        + "result, the status of the PDB cannot be calculated correctly, which may result in undefined "
                        + "behavior. To account for these pods please set \".spec.minAvailable\" field of the PDB to an "
                        + "integer value.");
            }
            Map<String, String> disrupted = new LinkedHashMap<>();
            Instant recheck = disruptedPods(budget, pods, now, disrupted);
            long healthy = 0;
            for (JsonNode pod : pods) {
                if (Meta.isDeleting(pod) || disrupted.containsKey(Meta.name(pod))) continue;
                if (Pods.isReady(pod)) healthy++;
            }
            writeStatus(budget, healthy, expected, disrupted, now);
            return recheck == null ? Result.done() : Result.requeueAfter(Duration.between(now, recheck));
        } catch (CountFailed e) {
            recorder.event(stored, EventRecorder.WARNING, "CalculateExpectedPodCountFailed",
                    "Failed to calculate the number of expected pods: " + e.getMessage());
            failSafe(budget, e.getMessage(), now);
            return Result.done();
        }
    }

    private record Expected(long count, long desiredHealthy, List<String> unmanaged) {
    }

    /** A pod whose controller's scale cannot be found. */
    private static final class CountFailed extends Exception {
        private static final long serialVersionUID = 1L;

        CountFailed(String message) {
            super(message);
        }
    }

    /** {@code getExpectedPodCount}. */
    private Expected expected(JsonNode budget, List<JsonNode> pods) throws CountFailed {
        JsonNode spec = budget.path("spec");
        JsonNode maxUnavailable = spec.get("maxUnavailable");
        JsonNode minAvailable = spec.get("minAvailable");
        if (present(maxUnavailable)) {
            List<String> unmanaged = new ArrayList<>();
            long count = expectedScale(pods, unmanaged);
            long desired = count - scaled(maxUnavailable, count);
            return new Expected(count, Math.max(0, desired), unmanaged);
        }
        if (present(minAvailable)) {
            if (!minAvailable.isTextual()) return new Expected(pods.size(), minAvailable.asLong(), List.of());
            List<String> unmanaged = new ArrayList<>();
            long count = expectedScale(pods, unmanaged);
            return new Expected(count, scaled(minAvailable, count), unmanaged);
        }
        return new Expected(0, 0, List.of());
    }

    /** {@code intstr.GetScaledValueFromIntOrPercent(v, total, roundUp=true)}. */
    private static long scaled(JsonNode value, long total) throws CountFailed {
        if (!value.isTextual()) return value.asLong();
        String s = value.asText();
        if (!s.endsWith("%")) throw new CountFailed("invalid value for IntOrString: invalid type: string is not a percentage");
        long percent;
        try {
            percent = Long.parseLong(s.substring(0, s.length() - 1));
        } catch (NumberFormatException e) {
            throw new CountFailed("invalid value for IntOrString: invalid value \"" + s + "\": " + e.getMessage());
        }
        return (percent * total + 99) / 100;
    }

    /** {@code getExpectedScale}: the replicas of the pods' controllers, each counted once. */
    private long expectedScale(List<JsonNode> pods, List<String> unmanaged) throws CountFailed {
        Map<String, Long> scales = new LinkedHashMap<>();
        for (JsonNode pod : pods) {
            OwnerReference ref = OwnerReference.controllerOf(pod);
            if (ref == null) {
                unmanaged.add(Meta.name(pod));
                continue;
            }
            if (scales.containsKey(ref.uid())) continue;
            JsonNode owner = scaleOwner(ref, Meta.namespace(pod));
            if (owner == null) throw new CountFailed("found no controllers for pod \"" + Meta.name(pod) + "\"");
            scales.put(Meta.uid(owner), owner.path("spec").path("replicas").asLong(1));
        }
        long sum = 0;
        for (long s : scales.values()) sum += s;
        return sum;
    }

    /** The controller whose replicas count for a pod with this controller reference (the finders), or null. */
    private JsonNode scaleOwner(OwnerReference ref, String namespace) {
        switch (ref.kind()) {
            case "ReplicaSet" -> {
                JsonNode rs = owned(replicaSetInformer, namespace, ref);
                if (rs == null) return null;
                OwnerReference rsOwner = OwnerReference.controllerOf(rs);
                if (rsOwner != null && rsOwner.kind().equals("Deployment")) return owned(deploymentInformer, namespace, rsOwner);
                return rs;
            }
            case "StatefulSet" -> {
                return owned(statefulSetInformer, namespace, ref);
            }
            case "ReplicationController" -> {
                return owned(replicationControllerInformer, namespace, ref);
            }
            default -> {
                return null;
            }
        }
    }

    private static JsonNode owned(Informer informer, String namespace, OwnerReference ref) {
        return informer.get(namespace, ref.name()).map(StoredObject::tree)
                .filter(o -> Meta.uid(o).equals(ref.uid())).orElse(null);
    }

    /**
     * {@code buildDisruptedPodMap}: the evicted pods still awaited (not being deleted yet, evicted less than two
     * minutes ago), into {@code out}; returns when the earliest of them times out, or null.
     */
    private Instant disruptedPods(JsonNode budget, List<JsonNode> pods, Instant now, Map<String, String> out) {
        JsonNode recorded = budget.path("status").path("disruptedPods");
        Instant recheck = null;
        for (JsonNode pod : pods) {
            if (Meta.isDeleting(pod)) continue;
            JsonNode at = recorded.get(Meta.name(pod));
            if (at == null) continue;
            Instant expected = Meta.time(at).plus(DELETION_TIMEOUT);
            // due now counts as overdue: a recheck at exactly that time must not find it still awaited
            if (!expected.isAfter(now)) {
                // the real message names the budget's namespace twice
                recorder.event(podObject(pod), EventRecorder.WARNING, "NotDeleted", "Pod was expected by PDB "
                        + Meta.namespace(budget) + "/" + Meta.namespace(budget) + " to be deleted but it wasn't");
            } else {
                if (recheck == null || expected.isBefore(recheck)) recheck = expected;
                out.put(Meta.name(pod), at.asText());
            }
        }
        return recheck;
    }

    private StoredObject podObject(JsonNode pod) {
        return podInformer.get(Meta.namespace(pod), Meta.name(pod)).orElseThrow();
    }

    /** {@code updatePdbStatus}: written only when something changed. */
    private void writeStatus(ObjectNode budget, long healthy, Expected expected, Map<String, String> disrupted, Instant now) {
        long allowed = healthy - expected.desiredHealthy();
        if (expected.count() <= 0 || allowed <= 0) allowed = 0;
        long generation = Meta.generation(budget);
        ObjectNode status = Json.MAPPER.createObjectNode();
        status.put("observedGeneration", (int) generation);
        if (!disrupted.isEmpty()) {
            ObjectNode pods = status.putObject("disruptedPods");
            disrupted.forEach(pods::put);
        }
        // int32 fields, as the stored status reads them back
        status.put("disruptionsAllowed", (int) allowed).put("currentHealthy", (int) healthy)
                .put("desiredHealthy", (int) expected.desiredHealthy()).put("expectedPods", (int) expected.count());
        JsonNode conditions = budget.path("status").get("conditions");
        if (conditions != null && conditions.isArray()) status.set("conditions", conditions.deepCopy());
        DisruptionAllowedCondition.update(status, now);
        if (status.equals(budget.path("status"))) return;
        budget.set("status", status);
        update(budget);
    }

    /** {@code failSafe}: no disruption allowed, and why. */
    private void failSafe(ObjectNode budget, String error, Instant now) {
        ObjectNode status = budget.with("status");
        status.put("disruptionsAllowed", 0);
        DisruptionAllowedCondition.set(status, "False", "SyncFailed", error, now);
        update(budget);
    }

    private void update(ObjectNode budget) {
        try {
            budgets.updateStatus(budget);
        } catch (StatusException e) {
            // a newer budget is on its way to the informer (409), or it is gone (404): its event syncs again
            if (e.code() != 409 && e.code() != 404) throw e;
        }
    }

    /** The selector as Go's {@code %v} of the *metav1.LabelSelector prints it. */
    private static String selectorText(JsonNode budget) {
        JsonNode selector = budget.path("spec").path("selector");
        StringBuilder s = new StringBuilder("&LabelSelector{MatchLabels:map[string]string{");
        List<String> labels = new ArrayList<>();
        selector.path("matchLabels").properties().forEach(e -> labels.add(e.getKey() + ": " + e.getValue().asText()));
        labels.sort(null);
        s.append(String.join(",", labels)).append("},MatchExpressions:[]LabelSelectorRequirement{");
        List<String> expressions = new ArrayList<>();
        for (JsonNode e : selector.path("matchExpressions")) {
            List<String> values = new ArrayList<>();
            e.path("values").forEach(v -> values.add(v.asText()));
            expressions.add("LabelSelectorRequirement{Key:" + Json.text(e, "key") + ",Operator:" + Json.text(e, "operator")
                    + ",Values:[]string{" + String.join(",", values) + "},}");
        }
        return s.append(String.join(",", expressions)).append("},}").toString();
    }

    private static boolean present(JsonNode v) {
        return v != null && !v.isNull() && !v.isMissingNode();
    }
}
