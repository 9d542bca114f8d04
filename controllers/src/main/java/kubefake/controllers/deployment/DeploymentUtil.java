package kubefake.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.controllers.common.Meta;
import kubefake.store.registry.Json;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of {@code pkg/controller/deployment/util}: annotations, surge and unavailability bounds, replica counts,
 * conditions and the orders ReplicaSets are taken in. Deployments and ReplicaSets are trees as stored.
 */
final class DeploymentUtil {
    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    static final String POD_TEMPLATE_HASH = "pod-template-hash";
    /** Annotations of the Deployment not copied to its ReplicaSets. */
    private static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration", REVISION,
            REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to");
    /** The longest revision-history annotation kept. */
    static final int MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;
    static final long MAX_INT32 = Integer.MAX_VALUE;

    // condition reasons (deploymentutil)
    static final String NEW_RS_REASON = "NewReplicaSetCreated";
    static final String FOUND_NEW_RS_REASON = "FoundNewReplicaSet";
    static final String REPLICA_SET_UPDATED_REASON = "ReplicaSetUpdated";
    static final String NEW_RS_AVAILABLE_REASON = "NewReplicaSetAvailable";
    static final String TIMED_OUT_REASON = "ProgressDeadlineExceeded";
    static final String PAUSED_REASON = "DeploymentPaused";
    static final String RESUMED_REASON = "DeploymentResumed";
    static final String FAILED_RS_CREATE_REASON = "ReplicaSetCreateError";
    static final String MIN_AVAILABLE_REASON = "MinimumReplicasAvailable";
    static final String MIN_UNAVAILABLE_REASON = "MinimumReplicasUnavailable";

    private DeploymentUtil() {
    }

    // ------------------------------------------------------------------ spec

    static int replicas(JsonNode o) {
        return o.path("spec").path("replicas").asInt(1);
    }

    static void setReplicas(ObjectNode o, int replicas) {
        o.with("spec").put("replicas", replicas);
    }

    static boolean isRollingUpdate(JsonNode d) {
        return "RollingUpdate".equals(d.path("spec").path("strategy").path("type").asText("RollingUpdate"));
    }

    static boolean isRecreate(JsonNode d) {
        return "Recreate".equals(d.path("spec").path("strategy").path("type").asText());
    }

    static boolean isPaused(JsonNode d) {
        return d.path("spec").path("paused").asBoolean(false);
    }

    static long minReadySeconds(JsonNode o) {
        return o.path("spec").path("minReadySeconds").asLong(0);
    }

    static boolean hasProgressDeadline(JsonNode d) {
        JsonNode v = d.path("spec").get("progressDeadlineSeconds");
        return v != null && !v.isNull() && v.asLong() != MAX_INT32;
    }

    static long progressDeadlineSeconds(JsonNode d) {
        return d.path("spec").path("progressDeadlineSeconds").asLong(600);
    }

    static boolean hasRevisionHistoryLimit(JsonNode d) {
        JsonNode v = d.path("spec").get("revisionHistoryLimit");
        return v != null && !v.isNull() && v.asLong() != MAX_INT32;
    }

    /** {@code ResolveFenceposts}: surge rounded up, unavailable rounded down; never both zero. */
    static int[] resolveFenceposts(JsonNode d) {
        int desired = replicas(d);
        JsonNode ru = d.path("spec").path("strategy").path("rollingUpdate");
        int surge = IntOrPercent.scaled(ru.get("maxSurge"), 0, desired, true);
        int unavailable = IntOrPercent.scaled(ru.get("maxUnavailable"), 0, desired, false);
        if (surge == 0 && unavailable == 0) unavailable = 1;
        return new int[]{surge, unavailable};
    }

    static int maxSurge(JsonNode d) {
        return isRollingUpdate(d) ? resolveFenceposts(d)[0] : 0;
    }

    static int maxUnavailable(JsonNode d) {
        int replicas = replicas(d);
        if (!isRollingUpdate(d) || replicas == 0) return 0;
        return Math.min(resolveFenceposts(d)[1], replicas);
    }

    // ------------------------------------------------------------------ replica sets

    static long revision(JsonNode rs) {
        String v = Meta.annotation(rs, REVISION);
        if (v == null) return 0;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static long maxRevision(List<ObjectNode> rss) {
        long max = 0;
        for (ObjectNode rs : rss) max = Math.max(max, revision(rs));
        return max;
    }

    static int specReplicasSum(List<ObjectNode> rss) {
        int n = 0;
        for (ObjectNode rs : rss) if (rs != null) n += replicas(rs);
        return n;
    }

    static int statusSum(List<ObjectNode> rss, String field) {
        int n = 0;
        for (ObjectNode rs : rss) if (rs != null) n += rs.path("status").path(field).asInt(0);
        return n;
    }

    static List<ObjectNode> active(List<ObjectNode> rss) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode rs : rss) if (rs != null && replicas(rs) > 0) out.add(rs);
        return out;
    }

    static Comparator<ObjectNode> byCreationTimestamp() {
        return Comparator.comparing((ObjectNode rs) -> {
            Instant t = Meta.creationTimestamp(rs);
            return t == null ? Instant.MIN : t;
        }).thenComparing(Meta::name);
    }

    static Comparator<ObjectNode> byRevision() {
        return Comparator.<ObjectNode>comparingLong(DeploymentUtil::revision).thenComparing(byCreationTimestamp());
    }

    /** Larger first; of equal size the newer first ({@code ReplicaSetsBySizeNewer}). */
    static Comparator<ObjectNode> bySizeNewer() {
        return Comparator.<ObjectNode>comparingInt(DeploymentUtil::replicas).reversed().thenComparing(byCreationTimestamp().reversed());
    }

    /** Larger first; of equal size the older first ({@code ReplicaSetsBySizeOlder}). */
    static Comparator<ObjectNode> bySizeOlder() {
        return Comparator.<ObjectNode>comparingInt(DeploymentUtil::replicas).reversed().thenComparing(byCreationTimestamp());
    }

    /** The template without the pod-template-hash label (and without labels at all when that was the only one). */
    private static JsonNode withoutHash(JsonNode template) {
        ObjectNode t = template.deepCopy();
        JsonNode meta = t.get("metadata");
        if (meta instanceof ObjectNode m && m.get("labels") instanceof ObjectNode labels) {
            labels.remove(POD_TEMPLATE_HASH);
            if (labels.isEmpty()) m.remove("labels");
        }
        return t;
    }

    /** {@code EqualIgnoreHash}: the templates are the same but for the pod-template-hash label. */
    static boolean equalIgnoreHash(JsonNode a, JsonNode b) {
        return withoutHash(a).equals(withoutHash(b));
    }

    /** The oldest ReplicaSet whose template is the Deployment's ({@code FindNewReplicaSet}), or null. */
    static ObjectNode findNewReplicaSet(JsonNode d, List<ObjectNode> rsList) {
        List<ObjectNode> sorted = new ArrayList<>(rsList);
        sorted.sort(byCreationTimestamp());
        JsonNode template = d.path("spec").path("template");
        for (ObjectNode rs : sorted) {
            if (equalIgnoreHash(rs.path("spec").path("template"), template)) return rs;
        }
        return null;
    }

    // ------------------------------------------------------------------ annotations

    /** Copies the Deployment's annotations to the ReplicaSet (but for the skipped ones); true when something changed. */
    static boolean copyDeploymentAnnotations(JsonNode d, ObjectNode rs) {
        boolean changed = false;
        ObjectNode annotations = Meta.annotationsNode(rs);
        for (Map.Entry<String, String> e : Meta.annotations(d).entrySet()) {
            if (NOT_COPIED.contains(e.getKey())) continue;
            JsonNode have = annotations.get(e.getKey());
            if (have != null && have.asText().equals(e.getValue())) continue;
            annotations.put(e.getKey(), e.getValue());
            changed = true;
        }
        return changed;
    }

    /** {@code SetReplicasAnnotations}: desired-replicas and max-replicas; true when they changed. */
    static boolean setReplicasAnnotations(ObjectNode rs, int desired, int max) {
        ObjectNode annotations = Meta.annotationsNode(rs);
        boolean changed = false;
        if (!Integer.toString(desired).equals(annotations.path(DESIRED_REPLICAS).asText(null))) {
            annotations.put(DESIRED_REPLICAS, Integer.toString(desired));
            changed = true;
        }
        if (!Integer.toString(max).equals(annotations.path(MAX_REPLICAS).asText(null))) {
            annotations.put(MAX_REPLICAS, Integer.toString(max));
            changed = true;
        }
        return changed;
    }

    static boolean replicasAnnotationsNeedUpdate(JsonNode rs, int desired, int max) {
        return !Integer.toString(desired).equals(Meta.annotation(rs, DESIRED_REPLICAS))
                || !Integer.toString(max).equals(Meta.annotation(rs, MAX_REPLICAS));
    }

    /**
     * {@code SetNewReplicaSetAnnotations}: the Deployment's annotations, the revision (raised to newRevision, the old
     * one kept in revision-history when a rollback reuses this ReplicaSet), and for a ReplicaSet about to be created
     * the replicas annotations. True when something changed.
     */
    static boolean setNewReplicaSetAnnotations(JsonNode d, ObjectNode rs, long newRevision, boolean exists) {
        boolean changed = copyDeploymentAnnotations(d, rs);
        ObjectNode annotations = Meta.annotationsNode(rs);
        String oldRevision = annotations.has(REVISION) ? annotations.get(REVISION).asText() : null;
        long oldRevisionInt = 0;
        if (oldRevision != null && !oldRevision.isEmpty()) {
            try {
                oldRevisionInt = Long.parseLong(oldRevision);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (oldRevisionInt < newRevision) {
            annotations.put(REVISION, Long.toString(newRevision));
            changed = true;
            if (oldRevision != null) {
                String history = annotations.path(REVISION_HISTORY).asText("");
                if (history.isEmpty()) {
                    annotations.put(REVISION_HISTORY, oldRevision);
                } else {
                    List<String> old = new ArrayList<>(List.of(history.split(",", -1)));
                    int totalLen = history.length() + oldRevision.length() + 1;
                    int start = 0;
                    while (totalLen > MAX_REV_HISTORY_LENGTH_IN_CHARS && start < old.size()) {
                        totalLen -= old.get(start).length() + 1;
                        start++;
                    }
                    if (totalLen <= MAX_REV_HISTORY_LENGTH_IN_CHARS) {
                        List<String> kept = new ArrayList<>(old.subList(start, old.size()));
                        kept.add(oldRevision);
                        annotations.put(REVISION_HISTORY, String.join(",", kept));
                    }
                }
            }
        }
        if (!exists && setReplicasAnnotations(rs, replicas(d), replicas(d) + maxSurge(d))) changed = true;
        return changed;
    }

    /** {@code SetDeploymentRevision}; true when it changed. */
    static boolean setDeploymentRevision(ObjectNode d, String revision) {
        if (revision == null) revision = "";
        ObjectNode annotations = Meta.annotationsNode(d);
        if (annotations.has(REVISION) && annotations.get(REVISION).asText().equals(revision)) return false;
        annotations.put(REVISION, revision);
        return true;
    }

    /** The desired-replicas annotation, or null when missing or not a number. */
    static Integer desiredReplicasAnnotation(JsonNode rs) {
        return intAnnotation(rs, DESIRED_REPLICAS);
    }

    static Integer intAnnotation(JsonNode rs, String key) {
        String v = Meta.annotation(rs, key);
        if (v == null) return null;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ new replicas

    /** How many replicas the new ReplicaSet may have now ({@code NewRSNewReplicas}). */
    static int newRSNewReplicas(JsonNode d, List<ObjectNode> allRSs, JsonNode newRS) {
        if (isRecreate(d)) return replicas(d);
        int maxSurge = IntOrPercent.scaled(d.path("spec").path("strategy").path("rollingUpdate").get("maxSurge"), 0, replicas(d), true);
        int current = specReplicasSum(allRSs);
        int maxTotal = replicas(d) + maxSurge;
        if (current >= maxTotal) return replicas(newRS);
        int scaleUp = Math.min(maxTotal - current, replicas(d) - replicas(newRS));
        return replicas(newRS) + scaleUp;
    }

    /** {@code IsSaturated}: the new ReplicaSet has all the Deployment's replicas, available. */
    static boolean isSaturated(JsonNode d, JsonNode rs) {
        if (rs == null) return false;
        Integer desired = desiredReplicasAnnotation(rs);
        if (desired == null) return false;
        return replicas(rs) == replicas(d) && desired == replicas(d)
                && rs.path("status").path("availableReplicas").asInt(0) == replicas(d);
    }

    // ------------------------------------------------------------------ conditions

    static String timestamp(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    static ObjectNode newCondition(String type, String status, String reason, String message, Instant now) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.put("type", type).put("status", status).put("lastUpdateTime", timestamp(now)).put("lastTransitionTime", timestamp(now))
                .put("reason", reason).put("message", message);
        return c;
    }

    static ObjectNode condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(Json.text(c, "type"))) return (ObjectNode) c;
        }
        return null;
    }

    /**
     * {@code SetDeploymentCondition}: a condition of the same status and reason is left as it is; one of the same
     * status keeps its lastTransitionTime; the new one goes last.
     */
    static void setCondition(ObjectNode status, ObjectNode condition) {
        ObjectNode current = condition(status, Json.text(condition, "type"));
        if (current != null && Json.text(current, "status").equals(Json.text(condition, "status"))
                && Json.text(current, "reason").equals(Json.text(condition, "reason"))) {
            return;
        }
        if (current != null && Json.text(current, "status").equals(Json.text(condition, "status"))) {
            condition.set("lastTransitionTime", current.get("lastTransitionTime"));
        }
        removeCondition(status, Json.text(condition, "type"));
        status.withArray("conditions").add(condition);
    }

    static void removeCondition(ObjectNode status, String type) {
        JsonNode conditions = status.get("conditions");
        if (!(conditions instanceof ArrayNode a)) return;
        for (int i = a.size() - 1; i >= 0; i--) if (type.equals(Json.text(a.get(i), "type"))) a.remove(i);
        if (a.isEmpty()) status.remove("conditions");
    }

    /** {@code DeploymentComplete}: every replica updated and available, the latest generation observed. */
    static boolean deploymentComplete(JsonNode d, JsonNode status) {
        int replicas = replicas(d);
        return status.path("updatedReplicas").asInt(0) == replicas && status.path("replicas").asInt(0) == replicas
                && status.path("availableReplicas").asInt(0) == replicas
                && status.path("observedGeneration").asLong(0) >= Meta.generation(d);
    }

    /** {@code DeploymentProgressing}: more updated, fewer old, more ready or more available replicas than before. */
    static boolean deploymentProgressing(JsonNode d, JsonNode newStatus) {
        JsonNode old = d.path("status");
        int oldOld = old.path("replicas").asInt(0) - old.path("updatedReplicas").asInt(0);
        int newOld = newStatus.path("replicas").asInt(0) - newStatus.path("updatedReplicas").asInt(0);
        return newStatus.path("updatedReplicas").asInt(0) > old.path("updatedReplicas").asInt(0)
                || newOld < oldOld
                || newStatus.path("readyReplicas").asInt(0) > old.path("readyReplicas").asInt(0)
                || newStatus.path("availableReplicas").asInt(0) > old.path("availableReplicas").asInt(0);
    }

    /** {@code DeploymentTimedOut}: the Progressing condition was last updated longer than the deadline ago. */
    static boolean deploymentTimedOut(JsonNode d, JsonNode newStatus, Instant now) {
        if (!hasProgressDeadline(d)) return false;
        ObjectNode c = condition(newStatus, "Progressing");
        if (c == null) return false;
        String reason = Json.text(c, "reason");
        if (reason.equals(NEW_RS_AVAILABLE_REASON)) return false;
        if (reason.equals(TIMED_OUT_REASON)) return true;
        Instant from = Meta.time(c.get("lastUpdateTime"));
        if (from == null) return false;
        return from.plus(Duration.ofSeconds(progressDeadlineSeconds(d))).isBefore(now);
    }
}
