package kubefake.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.ResourceClient;
import kubefake.client.events.EventRecorder;
import kubefake.controllers.common.Meta;
import kubefake.controllers.common.OwnerReference;
import kubefake.controllers.common.PodControl;
import kubefake.controllers.common.PodTemplateHash;
import kubefake.controllers.common.Pods;
import kubefake.controllers.common.Trees;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static kubefake.controllers.deployment.DeploymentUtil.*;

/**
 * One sync of one Deployment ({@code pkg/controller/deployment}: sync.go, rolling.go, recreate.go, progress.go):
 * finds or creates the new ReplicaSet, scales it and the old ones as the strategy allows, cleans up old revisions and
 * writes the status with its conditions. Works on a copy of the Deployment and of its ReplicaSets; every write goes
 * through the registry and the copy takes the written state back.
 */
final class Rollout {
    private final ObjectNode d;
    private final List<ObjectNode> rsList;
    private final Map<String, List<ObjectNode>> podMap;
    private final ResourceClient deployments;
    private final ResourceClient replicaSets;
    private final EventRecorder recorder;
    private final Instant now;
    private final Consumer<Duration> requeueAfter;
    private final Runnable requeueRateLimited;

    Rollout(ObjectNode d, List<ObjectNode> rsList, Map<String, List<ObjectNode>> podMap, ResourceClient deployments,
            ResourceClient replicaSets, EventRecorder recorder, Instant now, Consumer<Duration> requeueAfter,
            Runnable requeueRateLimited) {
        this.d = d;
        this.rsList = new ArrayList<>(rsList);
        this.podMap = podMap;
        this.deployments = deployments;
        this.replicaSets = replicaSets;
        this.recorder = recorder;
        this.now = now;
        this.requeueAfter = requeueAfter;
        this.requeueRateLimited = requeueRateLimited;
    }

    private record AllReplicaSets(ObjectNode newRS, List<ObjectNode> oldRSs) {
        List<ObjectNode> all() {
            List<ObjectNode> out = new ArrayList<>(oldRSs);
            if (newRS != null) out.add(newRS);
            return out;
        }
    }

    // ------------------------------------------------------------------ entry points (syncDeployment)

    /** A Deployment being deleted: only its status is kept current. */
    void syncStatusOnly() {
        AllReplicaSets all = getAllReplicaSetsAndSyncRevision(false);
        syncDeploymentStatus(all.all(), all.newRS());
    }

    /** Writes the Progressing condition of pausing or resuming ({@code checkPausedConditions}). */
    void checkPausedConditions() {
        if (!hasProgressDeadline(d)) return;
        ObjectNode status = d.with("status");
        ObjectNode cond = condition(status, "Progressing");
        if (cond != null && TIMED_OUT_REASON.equals(Json.text(cond, "reason"))) return;
        boolean pausedCondExists = cond != null && PAUSED_REASON.equals(Json.text(cond, "reason"));
        if (isPaused(d) && !pausedCondExists) {
            setCondition(status, newCondition("Progressing", "Unknown", PAUSED_REASON, "Deployment is paused", now));
        } else if (!isPaused(d) && pausedCondExists) {
            setCondition(status, newCondition("Progressing", "Unknown", RESUMED_REASON, "Deployment is resumed", now));
        } else {
            return;
        }
        writeStatus();
    }

    /** Whether the replicas of the Deployment changed since its ReplicaSets were last annotated ({@code isScalingEvent}). */
    boolean isScalingEvent() {
        AllReplicaSets all = getAllReplicaSetsAndSyncRevision(false);
        for (ObjectNode rs : active(all.all())) {
            Integer desired = desiredReplicasAnnotation(rs);
            if (desired == null) continue;
            if (desired != replicas(d)) return true;
        }
        return false;
    }

    /** A scaling event, or a paused Deployment: scale proportionally, no rollout ({@code sync}). */
    void sync() {
        AllReplicaSets all = getAllReplicaSetsAndSyncRevision(false);
        scale(all.newRS(), all.oldRSs());
        if (isPaused(d)) cleanupDeployment(all.oldRSs());
        syncDeploymentStatus(all.all(), all.newRS());
    }

    /** {@code rolloutRolling}. */
    void rolloutRolling() {
        AllReplicaSets all = getAllReplicaSetsAndSyncRevision(true);
        List<ObjectNode> allRSs = all.all();
        if (reconcileNewReplicaSet(allRSs, all.newRS())) {
            syncRolloutStatus(allRSs, all.newRS());
            return;
        }
        if (reconcileOldReplicaSets(allRSs, active(all.oldRSs()), all.newRS())) {
            syncRolloutStatus(all.all(), all.newRS());
            return;
        }
        if (deploymentComplete(d, d.path("status"))) cleanupDeployment(all.oldRSs());
        syncRolloutStatus(all.all(), all.newRS());
    }

    /** {@code rolloutRecreate}: every old pod gone before the new ReplicaSet is scaled up. */
    void rolloutRecreate() {
        AllReplicaSets all = getAllReplicaSetsAndSyncRevision(false);
        ObjectNode newRS = all.newRS();
        List<ObjectNode> oldRSs = all.oldRSs();
        boolean scaledDown = false;
        for (ObjectNode rs : active(oldRSs)) {
            if (replicas(rs) == 0) continue;
            if (scaleReplicaSetAndRecordEvent(rs, 0)) scaledDown = true;
        }
        if (scaledDown) {
            syncRolloutStatus(all.all(), newRS);
            return;
        }
        if (oldPodsRunning(newRS, oldRSs)) {
            syncRolloutStatus(all.all(), newRS);
            return;
        }
        if (newRS == null) {
            all = getAllReplicaSetsAndSyncRevision(true);
            newRS = all.newRS();
            oldRSs = all.oldRSs();
        }
        scaleReplicaSetAndRecordEvent(newRS, replicas(d));
        if (deploymentComplete(d, d.path("status"))) cleanupDeployment(oldRSs);
        syncRolloutStatus(all.all(), newRS);
    }

    // ------------------------------------------------------------------ the new replica set (sync.go)

    private AllReplicaSets getAllReplicaSetsAndSyncRevision(boolean createIfNotExisted) {
        ObjectNode existingNew = findNewReplicaSet(d, rsList);
        List<ObjectNode> oldRSs = new ArrayList<>();
        for (ObjectNode rs : rsList) if (existingNew == null || !Meta.uid(rs).equals(Meta.uid(existingNew))) oldRSs.add(rs);
        ObjectNode newRS = getNewReplicaSet(existingNew, oldRSs, createIfNotExisted);
        return new AllReplicaSets(newRS, oldRSs);
    }

    private ObjectNode getNewReplicaSet(ObjectNode existing, List<ObjectNode> oldRSs, boolean createIfNotExisted) {
        long newRevision = maxRevision(oldRSs) + 1;
        if (existing != null) {
            ObjectNode rsCopy = existing.deepCopy();
            boolean annotationsUpdated = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
            boolean minReadySecondsNeedsUpdate = minReadySeconds(rsCopy) != minReadySeconds(d);
            if (annotationsUpdated || minReadySecondsNeedsUpdate) {
                setMinReadySeconds(rsCopy, minReadySeconds(d));
                return updateReplicaSet(rsCopy);
            }
            boolean needsUpdate = setDeploymentRevision(d, Meta.annotation(rsCopy, REVISION));
            ObjectNode status = d.with("status");
            if (hasProgressDeadline(d) && condition(status, "Progressing") == null) {
                setCondition(status, newCondition("Progressing", "True", FOUND_NEW_RS_REASON,
                        "Found new replica set \"" + Meta.name(rsCopy) + "\"", now));
                needsUpdate = true;
            }
            if (needsUpdate) writeStatus();
            return rsCopy;
        }
        if (!createIfNotExisted) return null;

        JsonNode dTemplate = d.path("spec").path("template");
        Integer collisionCount = d.path("status").has("collisionCount") ? d.path("status").path("collisionCount").asInt() : null;
        String hash = PodTemplateHash.compute(dTemplate, collisionCount);
        ObjectNode template = dTemplate.deepCopy();
        template.with("metadata").with("labels").put(POD_TEMPLATE_HASH, hash);
        ObjectNode selector = d.path("spec").path("selector").deepCopy();
        selector.with("matchLabels").put(POD_TEMPLATE_HASH, hash);

        ObjectNode newRS = Json.MAPPER.createObjectNode();
        newRS.put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
        ObjectNode meta = newRS.putObject("metadata");
        meta.put("name", Meta.name(d) + "-" + hash).put("namespace", Meta.namespace(d));
        meta.set("labels", template.path("metadata").path("labels").deepCopy());
        meta.putArray("ownerReferences").add(OwnerReference.controllerRef(d, "apps/v1", "Deployment").toJson());
        ObjectNode spec = newRS.putObject("spec");
        spec.put("replicas", 0);
        Trees.putNonZero(spec, "minReadySeconds", minReadySeconds(d));
        spec.set("selector", selector);
        spec.set("template", template);
        List<ObjectNode> allRSs = new ArrayList<>(oldRSs);
        allRSs.add(newRS);
        int newReplicasCount = newRSNewReplicas(d, allRSs, newRS);
        spec.put("replicas", newReplicasCount);
        setNewReplicaSetAnnotations(d, newRS, newRevision, false);

        boolean alreadyExists = false;
        ObjectNode created;
        try {
            created = replicaSets.create(tidy(newRS)).toNode();
        } catch (StatusException e) {
            if (e.code() == 409 && "AlreadyExists".equals(e.reason())) {
                // a slow cache, or a hash collision: the ReplicaSet of that name is ours only if it has our template
                ObjectNode rs = replicaSets.find(Meta.namespace(d), Meta.name(newRS)).map(StoredObject::toNode).orElse(null);
                if (rs == null) throw e;
                OwnerReference ref = OwnerReference.controllerOf(rs);
                if (ref != null && ref.uid().equals(Meta.uid(d)) && equalIgnoreHash(dTemplate, rs.path("spec").path("template"))) {
                    alreadyExists = true;
                    created = rs;
                } else {
                    ObjectNode status = d.with("status");
                    status.put("collisionCount", (collisionCount == null ? 0 : collisionCount) + 1);
                    writeStatus();
                    throw e;
                }
            } else if (PodControl.isNamespaceTerminating(e)) {
                throw e;
            } else {
                String msg = "Failed to create new replica set \"" + Meta.name(newRS) + "\": " + e.getMessage();
                if (hasProgressDeadline(d)) {
                    setCondition(d.with("status"), newCondition("Progressing", "False", FAILED_RS_CREATE_REASON, msg, now));
                    try {
                        writeStatus();
                    } catch (StatusException ignored) {
                        // the bigger problem is reported below
                    }
                }
                recorder.event(stored(d), EventRecorder.WARNING, FAILED_RS_CREATE_REASON, msg);
                throw e;
            }
        }
        rsList.add(created);
        if (!alreadyExists && newReplicasCount > 0) {
            recorder.event(stored(d), EventRecorder.NORMAL, "ScalingReplicaSet",
                    "Scaled up replica set " + Meta.name(created) + " from 0 to " + newReplicasCount);
        }
        boolean needsUpdate = setDeploymentRevision(d, Long.toString(newRevision));
        if (!alreadyExists && hasProgressDeadline(d)) {
            setCondition(d.with("status"), newCondition("Progressing", "True", NEW_RS_REASON,
                    "Created new replica set \"" + Meta.name(created) + "\"", now));
            needsUpdate = true;
        }
        if (needsUpdate) writeStatus();
        return created;
    }

    private static void setMinReadySeconds(ObjectNode rs, long seconds) {
        if (seconds == 0) rs.with("spec").remove("minReadySeconds");
        else Trees.putNumber(rs.with("spec"), "minReadySeconds", seconds);
    }

    // ------------------------------------------------------------------ rolling update (rolling.go)

    private boolean reconcileNewReplicaSet(List<ObjectNode> allRSs, ObjectNode newRS) {
        if (replicas(newRS) == replicas(d)) return false;
        if (replicas(newRS) > replicas(d)) return scaleReplicaSetAndRecordEvent(newRS, replicas(d));
        return scaleReplicaSetAndRecordEvent(newRS, newRSNewReplicas(d, allRSs, newRS));
    }

    private boolean reconcileOldReplicaSets(List<ObjectNode> allRSs, List<ObjectNode> oldRSs, ObjectNode newRS) {
        int oldPodsCount = specReplicasSum(oldRSs);
        if (oldPodsCount == 0) return false;
        int allPodsCount = specReplicasSum(allRSs);
        int minAvailable = replicas(d) - maxUnavailable(d);
        int newRSUnavailable = replicas(newRS) - newRS.path("status").path("availableReplicas").asInt(0);
        int maxScaledDown = allPodsCount - minAvailable - newRSUnavailable;
        if (maxScaledDown <= 0) return false;
        int cleaned = cleanupUnhealthyReplicas(oldRSs, maxScaledDown);
        List<ObjectNode> all = new ArrayList<>(oldRSs);
        all.add(newRS);
        int scaledDown = scaleDownOldReplicaSetsForRollingUpdate(all, oldRSs);
        return cleaned + scaledDown > 0;
    }

    /** Scales down old ReplicaSets' unavailable pods first, oldest first, at most maxCleanupCount. */
    private int cleanupUnhealthyReplicas(List<ObjectNode> oldRSs, int maxCleanupCount) {
        oldRSs.sort(byCreationTimestamp());
        int total = 0;
        for (ObjectNode rs : oldRSs) {
            if (total >= maxCleanupCount) break;
            int available = rs.path("status").path("availableReplicas").asInt(0);
            if (replicas(rs) == 0 || replicas(rs) == available) continue;
            int count = Math.min(maxCleanupCount - total, replicas(rs) - available);
            scaleReplicaSetAndRecordEvent(rs, replicas(rs) - count);
            total += count;
        }
        return total;
    }

    /** Scales down old ReplicaSets as far as availability allows, oldest first. */
    private int scaleDownOldReplicaSetsForRollingUpdate(List<ObjectNode> allRSs, List<ObjectNode> oldRSs) {
        int minAvailable = replicas(d) - maxUnavailable(d);
        int available = statusSum(allRSs, "availableReplicas");
        if (available <= minAvailable) return 0;
        oldRSs.sort(byCreationTimestamp());
        int total = 0;
        int toScaleDown = available - minAvailable;
        for (ObjectNode rs : oldRSs) {
            if (total >= toScaleDown) break;
            if (replicas(rs) == 0) continue;
            int count = Math.min(replicas(rs), toScaleDown - total);
            scaleReplicaSetAndRecordEvent(rs, replicas(rs) - count);
            total += count;
        }
        return total;
    }

    // ------------------------------------------------------------------ recreate (recreate.go)

    /** Whether old pods still run, or an old ReplicaSet thinks it has some. */
    private boolean oldPodsRunning(ObjectNode newRS, List<ObjectNode> oldRSs) {
        if (statusSum(oldRSs, "replicas") > 0) return true;
        for (Map.Entry<String, List<ObjectNode>> e : podMap.entrySet()) {
            if (newRS != null && Meta.uid(newRS).equals(e.getKey())) continue;
            for (ObjectNode pod : e.getValue()) {
                String phase = Pods.phase(pod);
                if (!phase.equals("Failed") && !phase.equals("Succeeded")) return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ scaling

    /** {@code scale}: one active ReplicaSet takes all replicas; otherwise the change is shared in proportion. */
    private void scale(ObjectNode newRS, List<ObjectNode> oldRSs) {
        ObjectNode activeOrLatest = findActiveOrLatest(newRS, oldRSs);
        if (activeOrLatest != null) {
            if (replicas(activeOrLatest) != replicas(d)) scaleReplicaSetAndRecordEvent(activeOrLatest, replicas(d));
            return;
        }
        if (isSaturated(d, newRS)) {
            for (ObjectNode old : active(oldRSs)) scaleReplicaSetAndRecordEvent(old, 0);
            return;
        }
        if (!isRollingUpdate(d)) return;
        List<ObjectNode> with = new ArrayList<>(oldRSs);
        if (newRS != null) with.add(newRS);
        List<ObjectNode> allRSs = active(with);
        int allRSsReplicas = specReplicasSum(allRSs);
        int allowedSize = replicas(d) > 0 ? replicas(d) + maxSurge(d) : 0;
        int toAdd = allowedSize - allRSsReplicas;
        if (toAdd > 0) allRSs.sort(bySizeNewer());
        else if (toAdd < 0) allRSs.sort(bySizeOlder());
        int added = 0;
        Map<String, Integer> nameToSize = new HashMap<>();
        for (ObjectNode rs : allRSs) {
            if (toAdd != 0) {
                int proportion = replicaSetProportion(rs, toAdd, added);
                nameToSize.put(Meta.name(rs), replicas(rs) + proportion);
                added += proportion;
            } else {
                nameToSize.put(Meta.name(rs), replicas(rs));
            }
        }
        for (int i = 0; i < allRSs.size(); i++) {
            ObjectNode rs = allRSs.get(i);
            if (i == 0 && toAdd != 0) {
                int leftover = toAdd - added;
                nameToSize.put(Meta.name(rs), Math.max(0, nameToSize.get(Meta.name(rs)) + leftover));
            }
            scaleReplicaSet(rs, nameToSize.get(Meta.name(rs)));
        }
    }

    private static ObjectNode findActiveOrLatest(ObjectNode newRS, List<ObjectNode> oldRSs) {
        if (newRS == null && oldRSs.isEmpty()) return null;
        List<ObjectNode> sortedOld = new ArrayList<>(oldRSs);
        sortedOld.sort(byCreationTimestamp().reversed());
        List<ObjectNode> with = new ArrayList<>(sortedOld);
        if (newRS != null) with.add(newRS);
        List<ObjectNode> activeRSs = active(with);
        if (activeRSs.isEmpty()) return newRS != null ? newRS : sortedOld.get(0);
        return activeRSs.size() == 1 ? activeRSs.get(0) : null;
    }

    /** {@code GetReplicaSetProportion}. */
    private int replicaSetProportion(ObjectNode rs, int toAdd, int added) {
        if (replicas(rs) == 0 || toAdd == 0 || toAdd == added) return 0;
        int fraction = replicaSetFraction(rs);
        int allowed = toAdd - added;
        return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
    }

    private int replicaSetFraction(ObjectNode rs) {
        if (replicas(d) == 0) return -replicas(rs);
        int deploymentMaxReplicas = replicas(d) + maxSurge(d);
        Integer annotated = intAnnotation(rs, MAX_REPLICAS);
        int before = annotated == null || annotated == 0 ? d.path("status").path("replicas").asInt(0) : annotated;
        if (before == 0) return 0;
        double newSize = (double) replicas(rs) * deploymentMaxReplicas / before;
        return (int) Math.round(newSize) - replicas(rs); // Go's math.Round: halves away from zero, as Java's for positives
    }

    /** {@code scaleReplicaSetAndRecordEvent}: true when the size changed. */
    private boolean scaleReplicaSetAndRecordEvent(ObjectNode rs, int newScale) {
        if (replicas(rs) == newScale) return false;
        return scaleReplicaSet(rs, newScale);
    }

    /** Sets the size and the replicas annotations; records ScalingReplicaSet when the size changed. */
    private boolean scaleReplicaSet(ObjectNode rs, int newScale) {
        int oldScale = replicas(rs);
        boolean sizeNeedsUpdate = oldScale != newScale;
        int max = replicas(d) + maxSurge(d);
        boolean annotationsNeedUpdate = replicasAnnotationsNeedUpdate(rs, replicas(d), max);
        if (!sizeNeedsUpdate && !annotationsNeedUpdate) return false;
        ObjectNode copy = rs.deepCopy();
        setReplicas(copy, newScale);
        setReplicasAnnotations(copy, replicas(d), max);
        ObjectNode updated = updateReplicaSet(copy);
        replaceInPlace(rs, updated);
        if (!sizeNeedsUpdate) return false;
        String direction = oldScale < newScale ? "up" : "down";
        recorder.event(stored(d), EventRecorder.NORMAL, "ScalingReplicaSet",
                "Scaled " + direction + " replica set " + Meta.name(updated) + " from " + oldScale + " to " + newScale);
        return true;
    }

    /** The caller's tree becomes the written state, so that later steps of this sync see it. */
    private static void replaceInPlace(ObjectNode target, ObjectNode source) {
        target.removeAll();
        target.setAll(source);
    }

    private ObjectNode updateReplicaSet(ObjectNode rs) {
        ObjectNode updated = replicaSets.update(tidy(rs)).toNode();
        for (ObjectNode known : rsList) {
            if (Meta.uid(known).equals(Meta.uid(updated)) && known != rs) replaceInPlace(known, updated);
        }
        replaceInPlace(rs, updated);
        return rs;
    }

    // ------------------------------------------------------------------ clean-up

    /** Deletes the oldest old ReplicaSets beyond revisionHistoryLimit, if they are scaled to zero and settled. */
    private void cleanupDeployment(List<ObjectNode> oldRSs) {
        if (!hasRevisionHistoryLimit(d)) return;
        List<ObjectNode> cleanable = new ArrayList<>();
        for (ObjectNode rs : oldRSs) if (rs != null && !Meta.isDeleting(rs)) cleanable.add(rs);
        long diff = cleanable.size() - d.path("spec").path("revisionHistoryLimit").asLong();
        if (diff <= 0) return;
        cleanable.sort(byRevision());
        for (int i = 0; i < diff; i++) {
            ObjectNode rs = cleanable.get(i);
            if (rs.path("status").path("replicas").asInt(0) != 0 || replicas(rs) != 0
                    || Meta.generation(rs) > rs.path("status").path("observedGeneration").asLong(0) || Meta.isDeleting(rs)) {
                continue;
            }
            try {
                replicaSets.delete(Meta.namespace(rs), Meta.name(rs));
            } catch (StatusException e) {
                if (e.code() != 404) throw e;
            }
        }
    }

    // ------------------------------------------------------------------ status (sync.go, progress.go)

    /** {@code calculateStatus}. */
    private ObjectNode calculateStatus(List<ObjectNode> allRSs, ObjectNode newRS) {
        int available = statusSum(allRSs, "availableReplicas");
        int total = specReplicasSum(allRSs);
        int unavailable = Math.max(0, total - available);
        ObjectNode status = Json.MAPPER.createObjectNode();
        Trees.putNonZero(status, "observedGeneration", Meta.generation(d));
        Trees.putNonZero(status, "replicas", statusSum(allRSs, "replicas"));
        Trees.putNonZero(status, "updatedReplicas", newRS == null ? 0 : statusSum(List.of(newRS), "replicas"));
        Trees.putNonZero(status, "readyReplicas", statusSum(allRSs, "readyReplicas"));
        Trees.putNonZero(status, "availableReplicas", available);
        Trees.putNonZero(status, "unavailableReplicas", unavailable);
        JsonNode conditions = d.path("status").get("conditions");
        if (conditions instanceof ArrayNode a && !a.isEmpty()) status.set("conditions", a.deepCopy());
        if (available >= replicas(d) - maxUnavailable(d)) {
            setCondition(status, newCondition("Available", "True", MIN_AVAILABLE_REASON, "Deployment has minimum availability.", now));
        } else {
            setCondition(status, newCondition("Available", "False", MIN_UNAVAILABLE_REASON, "Deployment does not have minimum availability.", now));
        }
        JsonNode collisionCount = d.path("status").get("collisionCount");
        if (collisionCount != null && !collisionCount.isNull()) status.set("collisionCount", collisionCount);
        return status;
    }

    private void syncDeploymentStatus(List<ObjectNode> allRSs, ObjectNode newRS) {
        ObjectNode newStatus = calculateStatus(allRSs, newRS);
        if (sameStatus(newStatus)) return;
        d.set("status", newStatus);
        writeStatus();
    }

    /** {@code syncRolloutStatus}: the status with the Progressing condition of where the rollout stands. */
    private void syncRolloutStatus(List<ObjectNode> allRSs, ObjectNode newRS) {
        ObjectNode newStatus = calculateStatus(allRSs, newRS);
        if (!hasProgressDeadline(d)) removeCondition(newStatus, "Progressing");
        ObjectNode currentCond = condition(d.path("status"), "Progressing");
        boolean isCompleteDeployment = newStatus.path("replicas").asInt(0) == newStatus.path("updatedReplicas").asInt(0)
                && currentCond != null && NEW_RS_AVAILABLE_REASON.equals(Json.text(currentCond, "reason"));
        if (hasProgressDeadline(d) && !isCompleteDeployment) {
            if (deploymentComplete(d, newStatus)) {
                String msg = newRS != null ? "ReplicaSet \"" + Meta.name(newRS) + "\" has successfully progressed."
                        : "Deployment \"" + Meta.name(d) + "\" has successfully progressed.";
                setCondition(newStatus, newCondition("Progressing", "True", NEW_RS_AVAILABLE_REASON, msg, now));
            } else if (deploymentProgressing(d, newStatus)) {
                String msg = newRS != null ? "ReplicaSet \"" + Meta.name(newRS) + "\" is progressing."
                        : "Deployment \"" + Meta.name(d) + "\" is progressing.";
                ObjectNode condition = newCondition("Progressing", "True", REPLICA_SET_UPDATED_REASON, msg, now);
                if (currentCond != null) {
                    if ("True".equals(Json.text(currentCond, "status"))) condition.set("lastTransitionTime", currentCond.get("lastTransitionTime"));
                    removeCondition(newStatus, "Progressing");
                }
                setCondition(newStatus, condition);
            } else if (deploymentTimedOut(d, newStatus, now)) {
                String msg = newRS != null ? "ReplicaSet \"" + Meta.name(newRS) + "\" has timed out progressing."
                        : "Deployment \"" + Meta.name(d) + "\" has timed out progressing.";
                setCondition(newStatus, newCondition("Progressing", "False", TIMED_OUT_REASON, msg, now));
            }
        }
        ObjectNode failure = replicaFailure(allRSs, newRS);
        if (failure != null) setCondition(newStatus, failure);
        else removeCondition(newStatus, "ReplicaFailure");
        if (sameStatus(newStatus)) {
            requeueStuckDeployment(newStatus);
            return;
        }
        d.set("status", newStatus);
        writeStatus();
    }

    /** The ReplicaFailure condition of the new ReplicaSet, else of an old one with replicas, as the Deployment's. */
    private static ObjectNode replicaFailure(List<ObjectNode> allRSs, ObjectNode newRS) {
        List<ObjectNode> order = new ArrayList<>();
        if (newRS != null) order.add(newRS);
        for (ObjectNode rs : allRSs) if (rs != newRS && replicas(rs) > 0) order.add(rs);
        for (ObjectNode rs : order) {
            ObjectNode c = condition(rs.path("status"), "ReplicaFailure");
            if (c == null) continue;
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.put("type", "ReplicaFailure").put("status", Json.text(c, "status"));
            out.set("lastUpdateTime", c.get("lastTransitionTime"));
            out.set("lastTransitionTime", c.get("lastTransitionTime"));
            out.put("reason", Json.text(c, "reason")).put("message", Json.text(c, "message"));
            return out;
        }
        return null;
    }

    /** A rollout with no progress is looked at again when its deadline passes ({@code requeueStuckDeployment}). */
    private void requeueStuckDeployment(ObjectNode newStatus) {
        ObjectNode currentCond = condition(d.path("status"), "Progressing");
        if (!hasProgressDeadline(d) || currentCond == null) return;
        if (deploymentComplete(d, newStatus) || TIMED_OUT_REASON.equals(Json.text(currentCond, "reason"))) return;
        Instant lastUpdate = Meta.time(currentCond.get("lastUpdateTime"));
        if (lastUpdate == null) return;
        Duration after = Duration.between(now, lastUpdate.plusSeconds(progressDeadlineSeconds(d)));
        if (after.compareTo(Duration.ofSeconds(1)) < 0) requeueRateLimited.run();
        else requeueAfter.accept(after.plusSeconds(1));
    }

    private boolean sameStatus(ObjectNode newStatus) {
        JsonNode current = d.get("status");
        if (current == null || current.isNull()) current = Json.MAPPER.createObjectNode();
        return current.equals(newStatus);
    }

    // ------------------------------------------------------------------ writes

    /** Writes the Deployment's status (and annotations, as its status subresource allows); the copy follows. */
    private void writeStatus() {
        ObjectNode updated = deployments.updateStatus(tidy(d.deepCopy())).toNode();
        replaceInPlace(d, updated);
    }

    /** Labels and annotations as Go's encoder writes maps: sorted by key, left out when empty. */
    private static ObjectNode tidy(ObjectNode o) {
        ObjectNode meta = Json.metadata(o);
        for (String f : List.of("labels", "annotations")) {
            if (!(meta.get(f) instanceof ObjectNode m)) continue;
            if (m.isEmpty()) {
                meta.remove(f);
                continue;
            }
            ObjectNode sorted = Json.MAPPER.createObjectNode();
            m.properties().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sorted.set(e.getKey(), e.getValue()));
            meta.set(f, sorted);
        }
        return o;
    }

    /** What events about the Deployment refer to: its current state. */
    private StoredObject stored(ObjectNode o) {
        return new StoredObject(deployments.type(), Json.bytes(o), 0);
    }
}
