package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.admission.AdmissionAttributes;
import kubefake.store.registry.errors.Cause;
import kubefake.store.registry.errors.StatusDetails;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.Operation;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.selection.LabelSelector;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * pods/eviction, the real server's {@code EvictionREST}: a pod is deleted (gracefully, with the Eviction's
 * DeleteOptions) unless the one PodDisruptionBudget selecting it allows no disruption, which is a 429
 * {@code Cannot evict pod as it would violate the pod's disruption budget.} with a {@code DisruptionBudget} cause.
 * An allowed eviction takes one disruption from the budget's status and records the pod in
 * {@code status.disruptedPods} (so the disruption controller does not count it healthy until it is gone), then marks
 * the pod {@code DisruptionTarget=True} (EvictionByEvictionAPI) and deletes it. Pending and finished pods, and pods
 * being deleted, are deleted without asking a budget; an unready pod when the budget is met (or when its
 * {@code unhealthyPodEvictionPolicy} is AlwaysAllow) too, preconditioned on the pod's resourceVersion.
 */
public final class PodEviction {
    public static final String MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";
    /** {@code policyv1.DisruptionBudgetCause}. */
    public static final String CAUSE = "DisruptionBudget";
    private static final int MAX_DISRUPTED_POD_SIZE = 2000;

    private final Registry registry;

    public PodEviction(Registry registry) {
        this.registry = registry;
    }

    /**
     * Evicts the pod.
     *
     * @param eviction the policy/v1 (or v1beta1) Eviction of the request body
     * @param context  the create's context (its dry run is the eviction's)
     * @return the Status the create answers: Success, or the Failure of a pod with several budgets
     */
    public ObjectNode evict(String namespace, String name, ObjectNode eviction, RequestContext context) {
        if (!Json.text(eviction.path("metadata"), "name").equals(name)) {
            throw StatusException.badRequest("name in URL does not match name in Eviction object");
        }
        String bodyNamespace = Json.text(eviction.path("metadata"), "namespace");
        if (!bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) throw StatusException.namespaceMismatch();
        DeleteOptions options = deleteOptions(eviction.path("deleteOptions"), context.dryRun());
        ResourceStore pods = registry.resource("", "pods");
        RequestContext create = context.withSubresource("eviction").withOperation(Operation.CREATE);
        AdmissionAttributes admission = new AdmissionAttributes(pods.type(), namespace, name, eviction, null, create);
        registry.admission().admit(admission);
        registry.admission().validate(admission);

        ObjectNode pod = pods.get(namespace, name).toNode();
        if (canIgnoreBudget(pod)) {
            DeleteOptions delete = options;
            if (enforceResourceVersion(pod) && options.preconditionResourceVersion() == null) {
                delete = withResourceVersion(options, Json.text(Json.metadata(pod), "resourceVersion"));
            }
            markAndDelete(pods, pod, delete, context);
            return success();
        }
        List<ObjectNode> budgets = budgetsOf(pod);
        if (budgets.size() > 1) {
            ObjectNode status = Json.MAPPER.createObjectNode();
            status.put("kind", "Status").put("apiVersion", "v1");
            status.putObject("metadata");
            status.put("status", "Failure")
                    .put("message", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.")
                    .put("code", 500);
            return status;
        }
        boolean unreadyWithinBudget = false;
        String budgetName = "";
        if (budgets.size() == 1) {
            ObjectNode budget = budgets.get(0);
            budgetName = Json.text(Json.metadata(budget), "name");
            JsonNode budgetStatus = budget.path("status");
            if (!isReady(pod)) {
                long current = budgetStatus.path("currentHealthy").asLong();
                long desired = budgetStatus.path("desiredHealthy").asLong();
                unreadyWithinBudget = (current >= desired && desired > 0)
                        || "AlwaysAllow".equals(Json.text(budget.path("spec"), "unhealthyPodEvictionPolicy"));
            }
            if (!unreadyWithinBudget) takeDisruption(namespace, name, budgetName, options.dryRun(), context);
        }
        DeleteOptions delete = options;
        if (unreadyWithinBudget) delete = withResourceVersion(options, Json.text(Json.metadata(pod), "resourceVersion"));
        try {
            markAndDelete(pods, pod, delete, context);
        } catch (StatusException e) {
            if (e.code() == 409 && unreadyWithinBudget && options.preconditionResourceVersion() == null) {
                throw stillProcessing(budgetName);
            }
            throw e;
        }
        return success();
    }

    /** {@code canIgnorePDB}: pending or finished pods, and pods being deleted. */
    private static boolean canIgnoreBudget(ObjectNode pod) {
        String phase = Json.text(pod.path("status"), "phase");
        return phase.equals("Succeeded") || phase.equals("Failed") || phase.equals("Pending")
                || Json.metadata(pod).hasNonNull("deletionTimestamp");
    }

    private static boolean enforceResourceVersion(ObjectNode pod) {
        String phase = Json.text(pod.path("status"), "phase");
        return !phase.equals("Succeeded") && !phase.equals("Failed") && !Json.metadata(pod).hasNonNull("deletionTimestamp");
    }

    /** The budgets of the pod's namespace whose selector is set, not empty, and matches the pod's labels. */
    private List<ObjectNode> budgetsOf(ObjectNode pod) {
        List<ObjectNode> out = new ArrayList<>();
        ObjectNode meta = Json.metadata(pod);
        ResourceStore budgets = registry.resource("policy", "poddisruptionbudgets");
        for (StoredObject o : budgets.list(Json.text(meta, "namespace"), ListOptions.ALL).items()) {
            ObjectNode budget = o.toNode();
            LabelSelector selector = BudgetSelector.of(budget);
            if (!selector.isNothing() && selector.matches(meta.path("labels"))) out.add(budget);
        }
        return out;
    }

    /** {@code checkAndDecrement}, retried on conflicting writes of the budget. */
    private void takeDisruption(String namespace, String podName, String budgetName, boolean dryRun, RequestContext context) {
        ResourceStore budgets = registry.resource("policy", "poddisruptionbudgets");
        for (int attempt = 0; ; attempt++) {
            ObjectNode budget = budgets.get(namespace, budgetName).toNode();
            ObjectNode status = budget.with("status");
            if (status.path("observedGeneration").asLong() < Json.metadata(budget).path("generation").asLong()) {
                throw stillProcessing(budgetName);
            }
            long allowed = status.path("disruptionsAllowed").asLong();
            if (allowed < 0) {
                throw StatusException.forbidden("policy", "poddisruptionbudget", budgetName, "pdb disruptions allowed is negative");
            }
            if (status.path("disruptedPods").size() > MAX_DISRUPTED_POD_SIZE) {
                throw StatusException.forbidden("policy", "poddisruptionbudget", budgetName,
                        "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
            }
            if (allowed == 0) {
                throw tooManyRequests(0, "The disruption budget " + budgetName + " needs "
                        + status.path("desiredHealthy").asLong() + " healthy pods and has "
                        + status.path("currentHealthy").asLong() + " currently");
            }
            status.put("disruptionsAllowed", (int) (allowed - 1));
            if (allowed - 1 == 0) DisruptionAllowedCondition.update(status, registry.clock().instant());
            if (dryRun) return;
            status.with("disruptedPods").put(podName, timestamp(registry.clock().instant()));
            try {
                budgets.update(namespace, budgetName, budget, context.withSubresource("status").withOperation(Operation.UPDATE));
                return;
            } catch (StatusException e) {
                if (e.code() != 409 || attempt >= 20) throw e;
            }
        }
    }

    /** Marks the pod {@code DisruptionTarget} (not on a dry run), then deletes it. */
    private void markAndDelete(ResourceStore pods, ObjectNode pod, DeleteOptions options, RequestContext context) {
        ObjectNode meta = Json.metadata(pod);
        String namespace = Json.text(meta, "namespace");
        String name = Json.text(meta, "name");
        DeleteOptions delete = options;
        if (!options.dryRun()) {
            Instant now = registry.clock().instant();
            StoredObject marked = pods.patch(namespace, name, current -> {
                PodConditions.update(current, "DisruptionTarget", "True", "EvictionByEvictionAPI", "Eviction API: evicting", now);
                return current;
            }, context.withSubresource("status").withOperation(Operation.UPDATE));
            // the condition's write is ours: a resourceVersion precondition moves on with it
            if (options.preconditionResourceVersion() != null) {
                delete = withResourceVersion(options, Long.toString(marked.resourceVersion()));
            }
        }
        pods.delete(namespace, name, delete, context.withSubresource(null).withOperation(Operation.DELETE));
    }

    /** The Eviction's {@code deleteOptions}; a dry run of the request is the delete's. */
    private static DeleteOptions deleteOptions(JsonNode options, boolean dryRun) {
        JsonNode grace = options.get("gracePeriodSeconds");
        JsonNode preconditions = options.path("preconditions");
        boolean optionsDryRun = options.path("dryRun").size() > 0;
        return new DeleteOptions(present(grace) ? grace.asLong() : null,
                present(preconditions.get("uid")) ? preconditions.get("uid").asText() : null,
                present(preconditions.get("resourceVersion")) ? preconditions.get("resourceVersion").asText() : null,
                present(options.get("propagationPolicy")) ? options.get("propagationPolicy").asText() : null,
                dryRun || optionsDryRun);
    }

    private static DeleteOptions withResourceVersion(DeleteOptions o, String resourceVersion) {
        return new DeleteOptions(o.gracePeriodSeconds(), o.preconditionUid(), resourceVersion, o.propagationPolicy(), o.dryRun());
    }

    /** {@code createTooManyRequestsError}: the budget's status is behind its spec, retry in 10 s. */
    private static StatusException stillProcessing(String budgetName) {
        return tooManyRequests(10, "The disruption budget " + budgetName + " is still being processed by the server.");
    }

    private static StatusException tooManyRequests(int retryAfterSeconds, String cause) {
        return new StatusException(429, "TooManyRequests", MESSAGE,
                new StatusDetails("", "", "", "", List.of(new Cause(CAUSE, cause, "")), retryAfterSeconds));
    }

    private static ObjectNode success() {
        ObjectNode status = Json.MAPPER.createObjectNode();
        status.put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Success").put("code", 201);
        return status;
    }

    private static String timestamp(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** {@code podutil.IsPodReady}: the Ready condition is True. */
    private static boolean isReady(ObjectNode pod) {
        JsonNode ready = PodConditions.get(pod, "Ready");
        return ready != null && "True".equals(Json.text(ready, "status"));
    }

    private static boolean present(JsonNode v) {
        return v != null && !v.isNull() && !v.isMissingNode();
    }
}
