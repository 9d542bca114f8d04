package kubefake.controllers.volume.expand;

import kubefake.client.Client;
import kubefake.client.events.EventRecorder;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.store.registry.StoredObject;

import static kubefake.store.registry.admission.PersistentVolumeClaimResize.requestedStorage;

/**
 * kube-controller-manager's volume expand controller ({@code pkg/controller/volume/expand}), as far as the lab's
 * volumes go: a bound claim asking for more storage whose volume no in-tree plugin can expand (NFS, the course's
 * provisioner's) gets its {@code ExternalExpanding} warning and stays as it is. CSI volumes, whose external resizer
 * would take over, are not modelled (the lab has no CSI driver).
 */
public final class ExpandController implements AutoCloseable {
    public static final String SERVICE_ACCOUNT = "expand-controller";
    static final String IGNORED = "Ignoring the PVC: didn't find a plugin capable of expanding the volume; waiting for an "
            + "external controller to process this PVC.";

    private final EventRecorder recorder;

    public ExpandController(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.recorder = new EventRecorder(client, runtime, "volume_expand", "");
        Informer claims = informers.informer("", "persistentvolumeclaims");
        Informer volumes = informers.informer("", "persistentvolumes");
        claims.addHandler(new ResourceEventHandler() {
            @Override
            public void onUpdate(StoredObject old, StoredObject claim) {
                if (requestedStorage(claim.tree()).compareTo(requestedStorage(old.tree())) <= 0) return;
                String volumeName = claim.tree().path("spec").path("volumeName").asText("");
                StoredObject volume = volumeName.isEmpty() ? null : volumes.get("", volumeName).orElse(null);
                if (volume == null || volume.tree().path("spec").has("csi")) return;
                recorder.event(claim, EventRecorder.WARNING, "ExternalExpanding", IGNORED);
            }
        });
    }

    @Override
    public void close() {
    }
}
