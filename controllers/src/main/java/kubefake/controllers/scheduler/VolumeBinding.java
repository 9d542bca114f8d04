package kubefake.controllers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.client.Client;
import kubefake.client.ObjectKey;
import kubefake.client.ResourceClient;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.controllers.common.Meta;
import kubefake.controllers.volume.persistentvolume.PersistentVolumeController;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default profile's VolumeBinding plugin, for the pod's PersistentVolumeClaims: PreFilter refuses a pod whose claim
 * is missing, lost, being deleted, or not bound while its class binds at once (the claim is the binder's, not the
 * pod's, to fix: UnschedulableAndUnresolvable); PreBind gives the claims of WaitForFirstConsumer classes the chosen
 * node ({@code volume.kubernetes.io/selected-node}, for the provisioner) and holds the pod back until they are bound.
 * A claim, volume or class that changes sends the waiting pods back to the queue.
 */
final class VolumeBinding {
    static final String UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";

    private final ResourceClient claimsClient;
    private final Informer claims;
    private final Informer volumes;
    private final Informer classes;
    /** The pods PreBind holds back, by uid, and the node their claims are being bound for. */
    private final Map<String, String> held = new ConcurrentHashMap<>();

    /** @param changed what to do when a claim, volume or class changes (move the unschedulable pods back) */
    VolumeBinding(Client client, SharedInformers informers, Runnable changed) {
        this.claimsClient = client.resource("", "persistentvolumeclaims");
        this.claims = informers.informer("", "persistentvolumeclaims");
        this.volumes = informers.informer("", "persistentvolumes");
        this.classes = informers.informer("storage.k8s.io", "storageclasses");
        ResourceEventHandler handler = new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject object) {
                changed.run();
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject object) {
                changed.run();
            }
        };
        claims.addHandler(handler);
        volumes.addHandler(handler);
        classes.addHandler(handler);
    }

    List<Informer> informers() {
        return List.of(claims, volumes, classes);
    }

    /** PreFilter: null when the pod's claims let it be scheduled, else why not (for every node alike). */
    String preFilter(JsonNode pod) {
        String namespace = Meta.namespace(pod);
        boolean unboundImmediate = false;
        for (String name : claimNames(pod)) {
            StoredObject stored = claims.get(ObjectKey.of(namespace, name)).orElse(null);
            if (stored == null) return "persistentvolumeclaim \"" + name + "\" not found";
            JsonNode claim = stored.tree();
            if ("Lost".equals(claim.path("status").path("phase").asText())) {
                return "persistentvolumeclaim \"" + name + "\" bound to non-existent persistentvolume \""
                        + claim.path("spec").path("volumeName").asText("") + "\"";
            }
            if (Meta.isDeleting(claim)) return "persistentvolumeclaim \"" + name + "\" is being deleted";
            if (!bound(claim) && !delayBinding(claim)) unboundImmediate = true;
        }
        return unboundImmediate ? UNBOUND_IMMEDIATE : null;
    }

    /**
     * The node a pod held back by PreBind waits for (it stays assumed there, as the real scheduler's binding cycle
     * keeps it), or null.
     */
    String heldNode(JsonNode pod) {
        return held.get(Meta.uid(pod));
    }

    /**
     * PreBind: whether every claim of the pod is bound, so that the pod may be bound to {@code node}; the unbound
     * ones (of WaitForFirstConsumer classes) are given that node first, and the pod is held for it meanwhile.
     */
    boolean preBind(JsonNode pod, String node) {
        boolean allBound = preBindClaims(pod, node);
        if (allBound) held.remove(Meta.uid(pod));
        else held.put(Meta.uid(pod), node);
        return allBound;
    }

    /** Forgets a pod that is gone. */
    void forget(JsonNode pod) {
        held.remove(Meta.uid(pod));
    }

    private boolean preBindClaims(JsonNode pod, String node) {
        boolean allBound = true;
        for (String name : claimNames(pod)) {
            StoredObject stored = claims.get(ObjectKey.of(Meta.namespace(pod), name)).orElse(null);
            if (stored == null) return false;
            JsonNode claim = stored.tree();
            if (bound(claim)) continue;
            allBound = false;
            if (node.equals(Meta.annotationOrEmpty(claim, PersistentVolumeController.SELECTED_NODE))) continue;
            try {
                claimsClient.patch(Meta.namespace(claim), name, current -> {
                    if (!current.path("spec").path("volumeName").asText("").isEmpty()) return null;
                    Meta.annotationsNode(current).put(PersistentVolumeController.SELECTED_NODE, node);
                    return current;
                });
            } catch (StatusException e) {
                if (e.code() != 404) throw e;
            }
        }
        return allBound;
    }

    /** The claims the pod's volumes name (generic ephemeral volumes' claims are {@code <pod>-<volume>}). */
    private static List<String> claimNames(JsonNode pod) {
        List<String> names = new ArrayList<>();
        for (JsonNode v : pod.path("spec").path("volumes")) {
            if (v.has("persistentVolumeClaim")) names.add(v.path("persistentVolumeClaim").path("claimName").asText(""));
            else if (v.has("ephemeral")) names.add(Meta.name(pod) + "-" + v.path("name").asText(""));
        }
        return names;
    }

    /** {@code isPVCFullyBound}: it names its volume and the binder finished. */
    private static boolean bound(JsonNode claim) {
        return !claim.path("spec").path("volumeName").asText("").isEmpty() && claim.path("metadata").path("annotations").has(PersistentVolumeController.BIND_COMPLETED);
    }

    private boolean delayBinding(JsonNode claim) {
        return PersistentVolumeController.delaysBinding(claim, classes);
    }
}
