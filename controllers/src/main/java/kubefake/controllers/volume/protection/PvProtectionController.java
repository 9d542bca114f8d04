package kubefake.controllers.volume.protection;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.workqueue.Controller;
import kubefake.client.workqueue.Result;
import kubefake.client.workqueue.WorkQueue;
import kubefake.controllers.common.Meta;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.admission.StorageObjectInUseProtection;
import kubefake.store.registry.errors.StatusException;

/**
 * kube-controller-manager's PV protection controller ({@code pkg/controller/volume/pvprotection}): a deleted
 * PersistentVolume keeps its {@code kubernetes.io/pv-protection} finalizer while it is {@code Bound} to a claim; the
 * finalizer goes once it is not.
 */
public final class PvProtectionController implements AutoCloseable {
    public static final String NAME = "persistentvolume-protection-controller";
    public static final String SERVICE_ACCOUNT = "pv-protection-controller";

    private final ResourceClient volumesClient;
    private final Informer volumes;
    private final Controller<String> controller;

    public PvProtectionController(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.volumesClient = client.resource("", "persistentvolumes");
        this.volumes = informers.informer("", "persistentvolumes");
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("pvprotection", runtime), 1, this::sync);
        volumes.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject volume) {
                if (Meta.isDeleting(volume.tree())) controller.queue().add(Meta.name(volume.tree()));
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject volume) {
                if (Meta.isDeleting(volume.tree())) controller.queue().add(Meta.name(volume.tree()));
            }
        });
    }

    public void start() {
        controller.start(volumes.synced());
    }

    private Result sync(String name) {
        StoredObject stored = volumes.get("", name).orElse(null);
        if (stored == null) return Result.done();
        JsonNode pv = stored.tree();
        if (!Meta.isDeleting(pv) || "Bound".equals(pv.path("status").path("phase").asText())) return Result.done();
        if (!Meta.hasFinalizer(pv, StorageObjectInUseProtection.PV_FINALIZER)) return Result.done();
        try {
            volumesClient.patch("", name, current -> Meta.removeFinalizer(current, StorageObjectInUseProtection.PV_FINALIZER));
        } catch (StatusException e) {
            if (e.code() != 404) throw e;
        }
        return Result.done();
    }

    @Override
    public void close() {
        controller.close();
    }
}
