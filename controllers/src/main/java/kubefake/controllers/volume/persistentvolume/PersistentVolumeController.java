package kubefake.controllers.volume.persistentvolume;

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
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.admission.DefaultStorageClass;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.selection.LabelSelector;
import kubefake.store.registry.validation.Quantity;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * kube-controller-manager's persistent volume binder ({@code pkg/controller/volume/persistentvolume}): a new PersistentVolume becomes {@code Available}; a pending claim is
 * bound to the smallest available volume that satisfies it (its class, volume mode, access modes, size and selector,
 * or the volume it names; a volume pre-bound to it first), both sides annotated and {@code Bound}; a claim nothing
 * satisfies stays {@code Pending}: without a class with a {@code FailedBinding} event, or, when the default class appeared
 * since, with that class (the retroactive assignment); of a WaitForFirstConsumer class until the scheduler names its
 * pod's node; else annotated for its class's external provisioner ({@code ExternalProvisioning}). A bound volume whose claim is deleted is
 * {@code Released} (Retain, and Delete when an external provisioner made it: that one deletes it), made {@code Available}
 * again (Recycle), or {@code Failed} (Delete of a volume no provisioner made); a bound claim whose volume is gone is {@code Lost}.
 */
public final class PersistentVolumeController implements AutoCloseable {
    public static final String NAME = "persistentvolume-binder-controller";
    /** The service account the controller manager runs it with. */
    public static final String SERVICE_ACCOUNT = "persistent-volume-binder";
    public static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
    static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
    /** The annotations telling external provisioners a claim is theirs (both are set, as the real controller does). */
    public static final String STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
    public static final String BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
    /** The node the scheduler chose for a WaitForFirstConsumer claim's first pod. */
    public static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
    /** Who provisioned a volume (its deleter, for reclaim policy Delete). */
    public static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
    private static final String CLAIM = "claim:";
    private static final String VOLUME = "volume:";

    private final ResourceClient volumesClient;
    private final ResourceClient claimsClient;
    private final Informer volumes;
    private final Informer claims;
    private final Informer classes;
    private final Informer pods;
    private final EventRecorder recorder;
    private final kubefake.client.runtime.ClusterClock clock;
    private final Controller<String> controller;

    public PersistentVolumeController(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.volumesClient = client.resource("", "persistentvolumes");
        this.claimsClient = client.resource("", "persistentvolumeclaims");
        this.volumes = informers.informer("", "persistentvolumes");
        this.claims = informers.informer("", "persistentvolumeclaims");
        this.classes = informers.informer("storage.k8s.io", "storageclasses");
        this.pods = informers.informer("", "pods");
        this.recorder = new EventRecorder(client, runtime, "persistentvolume-controller", "");
        this.clock = runtime.clock();
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("persistentvolume", runtime), 1, this::sync);
        volumes.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject volume) {
                volumeChanged(volume);
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject volume) {
                volumeChanged(volume);
            }

            @Override
            public void onDelete(StoredObject volume) {
                volumeChanged(volume);
            }
        });
        // a new or changed class may be the default a classless claim now gets, or the class a claim waited for
        classes.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject storageClass) {
                unboundClaimsAgain();
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject storageClass) {
                unboundClaimsAgain();
            }
        });
        // a pod waiting to be scheduled changes what a WaitForFirstConsumer claim says (the real binder sees it on its
        // 15 s resync)
        pods.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject pod) {
                podClaimsAgain(pod.tree());
            }
        });
        claims.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject claim) {
                claimChanged(claim);
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject claim) {
                claimChanged(claim);
            }

            @Override
            public void onDelete(StoredObject claim) {
                claimChanged(claim);
            }
        });
    }

    /** A volume changed: it, its claim, and (when it may now satisfy one) every pending claim, are looked at again. */
    private void volumeChanged(StoredObject volume) {
        JsonNode pv = volume.tree();
        controller.queue().add(VOLUME + Meta.name(pv));
        JsonNode ref = pv.path("spec").path("claimRef");
        if (ref.isObject()) controller.queue().add(CLAIM + ObjectKey.of(ref.path("namespace").asText(), ref.path("name").asText()));
        for (StoredObject c : claims.list()) {
            if (c.tree().path("spec").path("volumeName").asText("").isEmpty()) controller.queue().add(CLAIM + ObjectKey.of(c.tree()));
        }
    }

    private void podClaimsAgain(JsonNode pod) {
        if (!pod.path("spec").path("nodeName").asText("").isEmpty()) return;
        for (JsonNode v : pod.path("spec").path("volumes")) {
            String claim = v.path("persistentVolumeClaim").path("claimName").asText("");
            if (!claim.isEmpty()) controller.queue().add(CLAIM + ObjectKey.of(Meta.namespace(pod), claim));
        }
    }

    private void unboundClaimsAgain() {
        for (StoredObject c : claims.list()) {
            if (c.tree().path("spec").path("volumeName").asText("").isEmpty()) controller.queue().add(CLAIM + ObjectKey.of(c.tree()));
        }
    }

    private void claimChanged(StoredObject claim) {
        JsonNode pvc = claim.tree();
        controller.queue().add(CLAIM + ObjectKey.of(pvc));
        String volumeName = pvc.path("spec").path("volumeName").asText("");
        if (!volumeName.isEmpty()) controller.queue().add(VOLUME + volumeName);
        // a deleted claim frees the volume that named it
        for (StoredObject v : volumes.list()) {
            JsonNode ref = v.tree().path("spec").path("claimRef");
            if (ref.path("namespace").asText().equals(Meta.namespace(pvc)) && ref.path("name").asText().equals(Meta.name(pvc))) {
                controller.queue().add(VOLUME + Meta.name(v.tree()));
            }
        }
    }

    public void start() {
        controller.start(volumes.synced(), claims.synced(), classes.synced(), pods.synced());
    }

    private Result sync(String key) {
        if (key.startsWith(CLAIM)) {
            syncClaim(key.substring(CLAIM.length()));
        } else {
            syncVolume(key.substring(VOLUME.length()));
        }
        return Result.done();
    }

    // ------------------------------------------------------------------ claims

    private void syncClaim(String key) {
        StoredObject stored = claims.get(key).orElse(null);
        if (stored == null) return;
        JsonNode claim = stored.tree();
        if (Meta.isDeleting(claim)) return;
        String volumeName = claim.path("spec").path("volumeName").asText("");
        if (!volumeName.isEmpty() && claim.path("metadata").path("annotations").has(BIND_COMPLETED)) {
            // bound: it stays so while its volume exists
            StoredObject volume = volumes.get("", volumeName).orElse(null);
            if (volume == null) {
                setClaimPhase(claim, "Lost", null);
                recorder.event(stored, EventRecorder.WARNING, "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
            } else if (!"Bound".equals(claim.path("status").path("phase").asText())) {
                setClaimPhase(claim, "Bound", volume.tree());
            }
            return;
        }
        JsonNode match = null;
        if (!volumeName.isEmpty()) {
            // the user named the volume: only that one, if it is free for this claim
            StoredObject named = volumes.get("", volumeName).orElse(null);
            if (named == null) {
                pending(stored, claim, EventRecorder.NORMAL, "FailedBinding", "volume \"" + volumeName + "\" not found");
                return;
            }
            if (!freeFor(named.tree(), claim)) {
                pending(stored, claim, EventRecorder.WARNING, "FailedBinding", "volume \"" + volumeName + "\" already bound to a different claim.");
                return;
            }
            match = named.tree();
        } else {
            match = bestMatch(claim, delayBinding(claim));
        }
        if (match == null) {
            unmatched(stored, claim);
            return;
        }
        bind(match, claim);
    }

    // ------------------------------------------------------------------ claims no volume satisfies

    /**
     * {@code syncUnboundClaim} when no volume matches: a claim without class gets the default one if there is one
     * now (the retroactive assignment of 1.28+); a WaitForFirstConsumer claim waits for the scheduler to choose its
     * pod's node; a claim of a class is handed to the class's external provisioner; else it waits for a volume.
     */
    private void unmatched(StoredObject stored, JsonNode claim) {
        if (!DefaultStorageClass.hasClass(claim)) {
            List<JsonNode> all = new ArrayList<>();
            for (StoredObject c : classes.list()) all.add(c.tree());
            JsonNode chosen = DefaultStorageClass.choose(all);
            if (chosen != null) {
                patchClaim(claim, current -> {
                    ObjectNode spec = current.get("spec") instanceof ObjectNode sp ? sp : current.putObject("spec");
                    if (DefaultStorageClass.hasClass(current)) return null;
                    spec.put("storageClassName", Meta.name(chosen));
                    return current;
                });
                return;
            }
        }
        String className = classOf(claim);
        if (className.isEmpty()) {
            pending(stored, claim, EventRecorder.NORMAL, "FailedBinding", "no persistent volumes available for this claim and no storage class is set");
            return;
        }
        StoredObject storageClass = classes.get("", className).orElse(null);
        if (storageClass == null) {
            pending(stored, claim, EventRecorder.WARNING, "ProvisioningFailed", "storageclass.storage.k8s.io \"" + className + "\" not found");
            return;
        }
        if (delayBinding(claim) && Meta.annotationOrEmpty(claim, SELECTED_NODE).isEmpty()) {
            List<String> waiting = unscheduledPodsUsing(claim);
            if (waiting.isEmpty()) {
                pending(stored, claim, EventRecorder.NORMAL, "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
            } else if (waiting.size() == 1) {
                pending(stored, claim, EventRecorder.NORMAL, "WaitForPodScheduled", "waiting for pod " + waiting.get(0) + " to be scheduled");
            } else {
                pending(stored, claim, EventRecorder.NORMAL, "WaitForPodScheduled",
                        "waiting for pods " + String.join(",", waiting) + " to be scheduled");
            }
            return;
        }
        String provisioner = storageClass.tree().path("provisioner").asText("");
        String external = ExternalProvisioners.of(provisioner);
        if (external == null) {
            pending(stored, claim, EventRecorder.WARNING, "ProvisioningFailed", "no volume plugin matched name: " + provisioner);
            return;
        }
        StoredObject annotated = stored;
        if (!external.equals(Meta.annotationOrEmpty(claim, STORAGE_PROVISIONER)) || !external.equals(Meta.annotationOrEmpty(claim, BETA_STORAGE_PROVISIONER))) {
            annotated = patchClaim(claim, current -> {
                ObjectNode annotations = Meta.annotationsNode(current);
                annotations.put(BETA_STORAGE_PROVISIONER, external);
                annotations.put(STORAGE_PROVISIONER, external);
                return current;
            });
            if (annotated == null) return;
        }
        recorder.event(annotated, EventRecorder.NORMAL, "ExternalProvisioning", "Waiting for a volume to be created either by the "
                + "external provisioner '" + external + "' or manually by the system administrator. If volume creation is delayed, "
                + "please verify that the provisioner is running and correctly registered.");
    }

    /** The claim's class: the beta annotation's when present, else spec.storageClassName ("" for none). */
    public static String classOf(JsonNode claim) {
        String beta = Meta.annotationOrEmpty(claim, DefaultStorageClass.BETA_CLASS);
        return !beta.isEmpty() ? beta : claim.path("spec").path("storageClassName").asText("");
    }

    private boolean delayBinding(JsonNode claim) {
        return delaysBinding(claim, classes);
    }

    /** {@code IsDelayBindingMode}: whether the claim's class (of those known) binds only once a pod using it is scheduled. */
    public static boolean delaysBinding(JsonNode claim, Informer classes) {
        String className = classOf(claim);
        if (className.isEmpty()) return false;
        return classes.get("", className).map(c -> "WaitForFirstConsumer".equals(c.tree().path("volumeBindingMode").asText()))
                .orElse(false);
    }

    /** The names of the claim's namespace's pods that use it and are not scheduled yet. */
    private List<String> unscheduledPodsUsing(JsonNode claim) {
        List<String> names = new ArrayList<>();
        for (StoredObject p : pods.list()) {
            JsonNode pod = p.tree();
            if (!Meta.namespace(pod).equals(Meta.namespace(claim)) || !pod.path("spec").path("nodeName").asText("").isEmpty()) continue;
            for (JsonNode v : pod.path("spec").path("volumes")) {
                if (Meta.name(claim).equals(v.path("persistentVolumeClaim").path("claimName").asText())) {
                    names.add(Meta.name(pod));
                    break;
                }
            }
        }
        return names;
    }

    /** Null when the claim is gone (its deletion is synced on its own). */
    private StoredObject patchClaim(JsonNode claim, java.util.function.UnaryOperator<ObjectNode> change) {
        try {
            return claimsClient.patch(Meta.namespace(claim), Meta.name(claim), change);
        } catch (StatusException e) {
            if (e.code() != 404) throw e;
            return null;
        }
    }

    private void pending(StoredObject stored, JsonNode claim, String type, String reason, String message) {
        if (!"Pending".equals(claim.path("status").path("phase").asText())) setClaimPhase(claim, "Pending", null);
        recorder.event(stored, type, reason, message);
    }

    /** The smallest available volume satisfying the claim, one pre-bound to it first; null when none does. */
    private JsonNode bestMatch(JsonNode claim, boolean delayBinding) {
        JsonNode best = null;
        BigDecimal bestSize = null;
        for (StoredObject v : volumes.list()) {
            JsonNode pv = v.tree();
            if (!freeFor(pv, claim) || !satisfies(pv, claim)) continue;
            if (pv.path("spec").path("claimRef").isObject()) return pv; // pre-bound to this claim
            if (delayBinding) continue; // the scheduler's binder chooses, with the pod's node
            BigDecimal size = size(pv.path("spec").path("capacity").path("storage"));
            if (best == null || size.compareTo(bestSize) < 0) {
                best = pv;
                bestSize = size;
            }
        }
        return best;
    }

    /** Not being deleted, not Released or Failed, and not claimed by another claim. */
    private static boolean freeFor(JsonNode pv, JsonNode claim) {
        if (Meta.isDeleting(pv)) return false;
        JsonNode ref = pv.path("spec").path("claimRef");
        if (!ref.isObject()) return !"Released".equals(phase(pv)) && !"Failed".equals(phase(pv));
        if (!ref.path("namespace").asText().equals(Meta.namespace(claim)) || !ref.path("name").asText().equals(Meta.name(claim))) {
            return false;
        }
        String uid = ref.path("uid").asText("");
        return uid.isEmpty() || uid.equals(Meta.uid(claim));
    }

    private static boolean satisfies(JsonNode pv, JsonNode claim) {
        JsonNode spec = pv.path("spec");
        JsonNode want = claim.path("spec");
        if (!spec.path("storageClassName").asText("").equals(want.path("storageClassName").asText(""))) return false;
        if (!spec.path("volumeMode").asText("Filesystem").equals(want.path("volumeMode").asText("Filesystem"))) return false;
        Set<String> modes = new HashSet<>();
        spec.path("accessModes").forEach(m -> modes.add(m.asText()));
        for (JsonNode m : want.path("accessModes")) if (!modes.contains(m.asText())) return false;
        BigDecimal requested = size(want.path("resources").path("requests").path("storage"));
        if (size(spec.path("capacity").path("storage")).compareTo(requested) < 0) return false;
        JsonNode selector = want.get("selector");
        return selector == null || selector.isNull() || LabelSelector.fromJson(selector).matches(Meta.labels(pv));
    }

    private static BigDecimal size(JsonNode quantity) {
        return quantity.isMissingNode() || quantity.asText("").isEmpty() ? BigDecimal.ZERO : Quantity.parse(quantity.asText()).value();
    }

    private static String phase(JsonNode o) {
        return o.path("status").path("phase").asText("");
    }

    /** Volume first, then claim, as the real binder does: a crash in between leaves a volume a claim can still take. */
    private void bind(JsonNode volume, JsonNode claim) {
        String pvName = Meta.name(volume);
        boolean preBound = volume.path("spec").path("claimRef").isObject();
        try {
            StoredObject pv = volumesClient.patch("", pvName, current -> {
                ObjectNode spec = (ObjectNode) current.get("spec");
                ObjectNode ref = spec.putObject("claimRef");
                ref.put("kind", "PersistentVolumeClaim").put("namespace", Meta.namespace(claim)).put("name", Meta.name(claim))
                        .put("uid", Meta.uid(claim)).put("apiVersion", "v1").put("resourceVersion", Meta.resourceVersion(claim));
                if (!preBound) Meta.annotationsNode(current).put(BOUND_BY_CONTROLLER, "yes");
                return current;
            });
            volumesClient.patchStatus("", pvName, current -> {
                ((ObjectNode) statusOf(current)).put("phase", "Bound");
                return current;
            });
            boolean namedByUser = !claim.path("spec").path("volumeName").asText("").isEmpty();
            StoredObject boundClaim = claimsClient.patch(Meta.namespace(claim), Meta.name(claim), current -> {
                ((ObjectNode) current.get("spec")).put("volumeName", pvName);
                ObjectNode annotations = Meta.annotationsNode(current);
                annotations.put(BIND_COMPLETED, "yes");
                if (!namedByUser) annotations.put(BOUND_BY_CONTROLLER, "yes");
                return current;
            });
            setClaimPhase(boundClaim.tree(), "Bound", pv.tree());
        } catch (StatusException e) {
            if (e.code() != 404 && e.code() != 409) throw e;
            controller.queue().add(CLAIM + ObjectKey.of(claim)); // changed meanwhile: look again
        }
    }

    private void setClaimPhase(JsonNode claim, String phase, JsonNode volume) {
        try {
            claimsClient.patchStatus(Meta.namespace(claim), Meta.name(claim), current -> {
                ObjectNode status = (ObjectNode) statusOf(current);
                status.put("phase", phase);
                if (volume != null) {
                    status.set("accessModes", volume.path("spec").path("accessModes").deepCopy());
                    status.set("capacity", volume.path("spec").path("capacity").deepCopy());
                }
                return current;
            });
        } catch (StatusException e) {
            if (e.code() != 404) throw e;
        }
    }

    private static JsonNode statusOf(ObjectNode object) {
        return object.get("status") instanceof ObjectNode s ? s : object.putObject("status");
    }

    // ------------------------------------------------------------------ volumes

    private void syncVolume(String name) {
        StoredObject stored = volumes.get("", name).orElse(null);
        if (stored == null) return;
        JsonNode pv = stored.tree();
        if (Meta.isDeleting(pv)) return;
        JsonNode ref = pv.path("spec").path("claimRef");
        if (!ref.isObject()) {
            if (!"Available".equals(phase(pv)) && !"Failed".equals(phase(pv))) setVolumePhase(name, "Available", null);
            return;
        }
        StoredObject claim = claims.get(ObjectKey.of(ref.path("namespace").asText(), ref.path("name").asText())).orElse(null);
        boolean claimGone = claim == null || (!ref.path("uid").asText("").isEmpty() && !ref.path("uid").asText().equals(Meta.uid(claim.tree())));
        if (!claimGone) {
            boolean boundToThis = name.equals(claim.tree().path("spec").path("volumeName").asText(""));
            if (boundToThis && !"Bound".equals(phase(pv))) setVolumePhase(name, "Bound", null);
            if (!boundToThis && !"Available".equals(phase(pv)) && !"Bound".equals(phase(pv))) setVolumePhase(name, "Available", null);
            return;
        }
        if (ref.path("uid").asText("").isEmpty()) {
            // pre-bound by the user to a claim that does not exist yet: it waits for it
            if (!"Available".equals(phase(pv))) setVolumePhase(name, "Available", null);
            return;
        }
        if ("Released".equals(phase(pv)) || "Failed".equals(phase(pv))) return;
        String policy = pv.path("spec").path("persistentVolumeReclaimPolicy").asText("Retain");
        switch (policy) {
            case "Recycle" -> {
                volumesClient.patch("", name, current -> {
                    ((ObjectNode) current.get("spec")).remove("claimRef");
                    return current;
                });
                setVolumePhase(name, "Available", null);
                recorder.event(stored, EventRecorder.NORMAL, "VolumeRecycled", "Volume recycled");
            }
            case "Delete" -> {
                if (ExternalProvisioners.of(Meta.annotationOrEmpty(pv, PROVISIONED_BY)) != null) {
                    // its provisioner deletes it (and the volume behind it): the volume waits Released for that
                    setVolumePhase(name, "Released", null);
                    return;
                }
                String message = "error getting deleter volume plugin for volume \"" + name + "\": no deletable volume plugin matched";
                setVolumePhase(name, "Failed", message);
                recorder.event(stored, EventRecorder.WARNING, "VolumeFailedDelete", message);
            }
            default -> setVolumePhase(name, "Released", null);
        }
    }

    private void setVolumePhase(String name, String phase, String message) {
        try {
            volumesClient.patchStatus("", name, current -> {
                ObjectNode status = (ObjectNode) statusOf(current);
                if (!phase.equals(status.path("phase").asText())) {
                    status.put("lastPhaseTransitionTime", java.time.format.DateTimeFormatter.ISO_INSTANT.format(
                            clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
                }
                status.put("phase", phase);
                if (message == null) status.remove("message");
                else status.put("message", message);
                return current;
            });
        } catch (StatusException e) {
            if (e.code() != 404) throw e;
        }
    }

    @Override
    public void close() {
        controller.close();
    }
}
