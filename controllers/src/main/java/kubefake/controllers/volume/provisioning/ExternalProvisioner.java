package kubefake.controllers.volume.provisioning;

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
import kubefake.controllers.volume.persistentvolume.PersistentVolumeController;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;

/**
 * An external dynamic provisioner as sig-storage-lib-external-provisioner runs one (its {@code ProvisionController}),
 * outside the controller manager: it takes the claims the persistent volume controller annotated with its name
 * ({@code volume.kubernetes.io/storage-provisioner}) and that have no volume yet, a WaitForFirstConsumer class's only
 * once the scheduler chose a node; makes each a volume {@code pvc-<claim uid>} through its {@link VolumePlugin},
 * pre-bound to the claim, with the class and {@code pv.kubernetes.io/provisioned-by}, which the binder then binds
 * (events {@code Provisioning} and {@code ProvisioningSucceeded} on the claim, from {@code <provisioner>_<identity>});
 * and deletes its volumes that were released with reclaim policy Delete.
 */
public final class ExternalProvisioner implements AutoCloseable {
    private static final String CLAIM = "claim:";
    private static final String VOLUME = "volume:";

    private final String name;
    private final VolumePlugin plugin;
    private final ResourceClient volumesClient;
    private final Informer volumes;
    private final Informer claims;
    private final Informer classes;
    private final EventRecorder recorder;
    private final Controller<String> controller;

    /**
     * @param name     the provisioner name its StorageClasses give ({@code provisioner})
     * @param identity what the library adds to the name for its events' source: the host (the provisioner pod's
     *                 name) and a unique id
     */
    public ExternalProvisioner(Client client, SharedInformers informers, ClusterRuntime runtime, String name, String identity,
                               VolumePlugin plugin) {
        this.name = name;
        this.plugin = plugin;
        this.volumesClient = client.resource("", "persistentvolumes");
        this.volumes = informers.informer("", "persistentvolumes");
        this.claims = informers.informer("", "persistentvolumeclaims");
        this.classes = informers.informer("storage.k8s.io", "storageclasses");
        this.recorder = new EventRecorder(client, runtime, name + "_" + identity, "");
        this.controller = new Controller<>("external-provisioner " + name, runtime,
                new WorkQueue<>("external-provisioner", runtime), 1, this::sync);
        claims.addHandler(handler(CLAIM));
        volumes.addHandler(handler(VOLUME));
    }

    private ResourceEventHandler handler(String prefix) {
        return new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject o) {
                controller.queue().add(prefix + ObjectKey.of(o.tree()));
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject o) {
                controller.queue().add(prefix + ObjectKey.of(o.tree()));
            }
        };
    }

    public void start() {
        controller.start(volumes.synced(), claims.synced(), classes.synced());
    }

    private Result sync(String key) {
        if (key.startsWith(CLAIM)) {
            claims.get(key.substring(CLAIM.length())).ifPresent(this::syncClaim);
        } else {
            volumes.get(key.substring(VOLUME.length())).ifPresent(this::syncVolume);
        }
        return Result.done();
    }

    /** {@code shouldProvision}, then {@code provisionClaimOperation}. */
    private void syncClaim(StoredObject stored) {
        JsonNode claim = stored.tree();
        if (Meta.isDeleting(claim) || !claim.path("spec").path("volumeName").asText("").isEmpty()) return;
        String requested = Meta.annotationOrEmpty(claim, PersistentVolumeController.STORAGE_PROVISIONER);
        if (requested.isEmpty()) requested = Meta.annotationOrEmpty(claim, PersistentVolumeController.BETA_STORAGE_PROVISIONER);
        if (!name.equals(requested)) return;
        String className = PersistentVolumeController.classOf(claim);
        StoredObject storageClass = classes.get("", className).orElse(null);
        if (storageClass == null || !name.equals(storageClass.tree().path("provisioner").asText())) return;
        if ("WaitForFirstConsumer".equals(storageClass.tree().path("volumeBindingMode").asText())
                && Meta.annotationOrEmpty(claim, PersistentVolumeController.SELECTED_NODE).isEmpty()) {
            return;
        }
        String pvName = "pvc-" + Meta.uid(claim);
        if (volumes.get("", pvName).isPresent()) return; // made already
        recorder.event(stored, EventRecorder.NORMAL, "Provisioning",
                "External provisioner is provisioning volume for claim \"" + ObjectKey.of(claim) + "\"");
        ObjectNode pv = plugin.provision(claim, storageClass.tree(), pvName);
        ObjectNode spec = (ObjectNode) pv.get("spec");
        spec.putObject("claimRef").put("kind", "PersistentVolumeClaim").put("namespace", Meta.namespace(claim))
                .put("name", Meta.name(claim)).put("uid", Meta.uid(claim)).put("apiVersion", "v1")
                .put("resourceVersion", Meta.resourceVersion(claim));
        spec.put("storageClassName", className);
        Meta.annotationsNode(pv).put(PersistentVolumeController.PROVISIONED_BY, name);
        try {
            volumesClient.create(pv);
        } catch (StatusException e) {
            if (e.code() == 409) return; // made meanwhile
            recorder.event(stored, EventRecorder.WARNING, "ProvisioningFailed", "failed to provision volume with StorageClass \""
                    + className + "\": " + e.getMessage());
            throw e;
        }
        recorder.event(stored, EventRecorder.NORMAL, "ProvisioningSucceeded", "Successfully provisioned volume " + pvName);
    }

    /** {@code shouldDelete}: a released volume it made, with reclaim policy Delete, not being deleted already. */
    private void syncVolume(StoredObject stored) {
        JsonNode pv = stored.tree();
        if (Meta.isDeleting(pv) || !"Released".equals(pv.path("status").path("phase").asText())
                || !"Delete".equals(pv.path("spec").path("persistentVolumeReclaimPolicy").asText())
                || !name.equals(Meta.annotationOrEmpty(pv, PersistentVolumeController.PROVISIONED_BY))) {
            return;
        }
        plugin.delete(pv);
        try {
            volumesClient.delete("", Meta.name(pv));
        } catch (StatusException e) {
            if (e.code() != 404) throw e;
        }
    }

    @Override
    public void close() {
        controller.close();
    }
}
