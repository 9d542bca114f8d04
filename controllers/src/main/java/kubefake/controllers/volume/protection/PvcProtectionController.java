package kubefake.controllers.volume.protection;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.client.Client;
import kubefake.client.ObjectKey;
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
 * kube-controller-manager's PVC protection controller ({@code pkg/controller/volume/pvcprotection}): a deleted
 * PersistentVolumeClaim keeps its {@code kubernetes.io/pvc-protection} finalizer, and so stays {@code Terminating},
 * while a pod that has not finished uses it; the finalizer goes once none does.
 */
public final class PvcProtectionController implements AutoCloseable {
    public static final String NAME = "persistentvolumeclaim-protection-controller";
    public static final String SERVICE_ACCOUNT = "pvc-protection-controller";

    private final ResourceClient claimsClient;
    private final Informer claims;
    private final Informer pods;
    private final Controller<String> controller;

    public PvcProtectionController(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.claimsClient = client.resource("", "persistentvolumeclaims");
        this.claims = informers.informer("", "persistentvolumeclaims");
        this.pods = informers.informer("", "pods");
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("pvcprotection", runtime), 1, this::sync);
        claims.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject claim) {
                if (Meta.isDeleting(claim.tree())) controller.queue().add(ObjectKey.of(claim.tree()));
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject claim) {
                if (Meta.isDeleting(claim.tree())) controller.queue().add(ObjectKey.of(claim.tree()));
            }
        });
        pods.addHandler(new ResourceEventHandler() {
            @Override
            public void onUpdate(StoredObject old, StoredObject pod) {
                if (finished(pod.tree())) claimsOf(pod.tree());
            }

            @Override
            public void onDelete(StoredObject pod) {
                claimsOf(pod.tree());
            }
        });
    }

    private void claimsOf(JsonNode pod) {
        for (JsonNode v : pod.path("spec").path("volumes")) {
            String claim = v.path("persistentVolumeClaim").path("claimName").asText("");
            if (!claim.isEmpty()) controller.queue().add(ObjectKey.of(Meta.namespace(pod), claim));
        }
    }

    public void start() {
        controller.start(claims.synced(), pods.synced());
    }

    private Result sync(String key) {
        StoredObject stored = claims.get(key).orElse(null);
        if (stored == null || !Meta.isDeleting(stored.tree())
                || !Meta.hasFinalizer(stored.tree(), StorageObjectInUseProtection.PVC_FINALIZER)) {
            return Result.done();
        }
        String namespace = ObjectKey.namespace(key);
        String name = ObjectKey.name(key);
        for (StoredObject p : pods.list(namespace)) {
            JsonNode pod = p.tree();
            if (finished(pod)) continue;
            for (JsonNode v : pod.path("spec").path("volumes")) {
                if (name.equals(v.path("persistentVolumeClaim").path("claimName").asText(""))) return Result.done();
            }
        }
        try {
            claimsClient.patch(namespace, name, current -> Meta.removeFinalizer(current, StorageObjectInUseProtection.PVC_FINALIZER));
        } catch (StatusException e) {
            if (e.code() != 404) throw e;
        }
        return Result.done();
    }

    /** A pod that no longer runs (Succeeded or Failed) does not hold its claims. */
    private static boolean finished(JsonNode pod) {
        String phase = pod.path("status").path("phase").asText("");
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    @Override
    public void close() {
        controller.close();
    }
}
