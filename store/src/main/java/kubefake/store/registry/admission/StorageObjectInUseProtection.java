package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.request.Operation;

/**
 * StorageObjectInUseProtection (plugin/pkg/admission/storage/storageobjectinuseprotection): a new
 * PersistentVolumeClaim gets the {@code kubernetes.io/pvc-protection} finalizer and a new PersistentVolume
 * {@code kubernetes.io/pv-protection}, so that deleting one still in use leaves it {@code Terminating} until the
 * protection controllers see it free.
 */
public final class StorageObjectInUseProtection implements MutatingPlugin {
    public static final String PVC_FINALIZER = "kubernetes.io/pvc-protection";
    public static final String PV_FINALIZER = "kubernetes.io/pv-protection";

    @Override
    public String name() {
        return "StorageObjectInUseProtection";
    }

    @Override
    public void admit(AdmissionAttributes a) {
        if (a.operation() != Operation.CREATE || !a.subresource().isEmpty() || a.object() == null) return;
        String finalizer;
        if (a.isResource("", "persistentvolumeclaims")) {
            finalizer = PVC_FINALIZER;
        } else if (a.isResource("", "persistentvolumes")) {
            finalizer = PV_FINALIZER;
        } else {
            return;
        }
        ObjectNode meta = a.object().get("metadata") instanceof ObjectNode m ? m : a.object().putObject("metadata");
        ArrayNode finalizers = meta.get("finalizers") instanceof ArrayNode f ? f : meta.putArray("finalizers");
        for (var f : finalizers) if (f.asText().equals(finalizer)) return;
        finalizers.add(finalizer);
    }
}
