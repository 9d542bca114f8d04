package kubefake.store.registry.defaulting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** storage.k8s.io/v1's scheme defaults ({@code pkg/apis/storage/v1/defaults.go}). */
final class StorageDefaults {

    private StorageDefaults() {
    }

    /** StorageClass: reclaimPolicy Delete, volumeBindingMode Immediate. */
    static void storageClass(ObjectNode sc) {
        putIfAbsent(sc, "reclaimPolicy", "Delete");
        putIfAbsent(sc, "volumeBindingMode", "Immediate");
    }

    /**
     * CSIDriver: an attach step, no pod info on mount, no capacity tracking, no republishing, fsGroup applied for
     * ReadWriteOnce volumes with a file system type, persistent volumes only, no SELinux mount option.
     */
    static void csiDriver(ObjectNode driver) {
        ObjectNode spec = CoreDefaults.object(driver, "spec");
        if (!present(spec.get("attachRequired"))) spec.put("attachRequired", true);
        if (!present(spec.get("podInfoOnMount"))) spec.put("podInfoOnMount", false);
        if (!present(spec.get("storageCapacity"))) spec.put("storageCapacity", false);
        if (!present(spec.get("requiresRepublish"))) spec.put("requiresRepublish", false);
        if (!present(spec.get("seLinuxMount"))) spec.put("seLinuxMount", false);
        putIfAbsent(spec, "fsGroupPolicy", "ReadWriteOnceWithFSType");
        if (!present(spec.get("volumeLifecycleModes")) || spec.get("volumeLifecycleModes").isEmpty()) {
            spec.putArray("volumeLifecycleModes").add("Persistent");
        }
    }

    private static void putIfAbsent(ObjectNode o, String field, String value) {
        if (!present(o.get(field))) o.put(field, value); // a pointer in Go: only nil is defaulted
    }

    private static boolean present(JsonNode n) {
        return n != null && !n.isNull() && !n.isMissingNode();
    }
}
