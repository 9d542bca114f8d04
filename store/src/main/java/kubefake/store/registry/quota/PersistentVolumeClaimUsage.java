package kubefake.store.registry.quota;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.validation.Quantity;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * PersistentVolumeClaims (evaluator/core/persistent_volume_claims.go): each counts once and charges its requested
 * storage, also under its storage class ({@code gold.storageclass.storage.k8s.io/requests.storage}).
 */
final class PersistentVolumeClaimUsage implements UsageEvaluator {
    private static final String CLASS_SUFFIX = ".storageclass.storage.k8s.io/";

    @Override
    public String group() {
        return "";
    }

    @Override
    public String resource() {
        return "persistentvolumeclaims";
    }

    @Override
    public Set<String> matchingResources(Collection<String> hard) {
        Set<String> r = new TreeSet<>();
        for (String n : hard) {
            if (n.equals("persistentvolumeclaims") || n.equals("count/persistentvolumeclaims") || n.equals("requests.storage")
                    || n.endsWith(CLASS_SUFFIX + "persistentvolumeclaims") || n.endsWith(CLASS_SUFFIX + "requests.storage")) {
                r.add(n);
            }
        }
        return r;
    }

    @Override
    public boolean chargesUpdates() {
        return true;
    }

    @Override
    public ResourceList usage(JsonNode claim, Instant now) {
        Quantity one = Quantity.parse("1");
        ResourceList r = new ResourceList().put("persistentvolumeclaims", one).put("count/persistentvolumeclaims", one);
        String storageClass = claim.path("spec").path("storageClassName").asText("");
        if (!storageClass.isEmpty()) r.put(storageClass + CLASS_SUFFIX + "persistentvolumeclaims", one);
        Quantity storage = storage(claim);
        if (storage != null) {
            r.put("requests.storage", storage);
            if (!storageClass.isEmpty()) r.put(storageClass + CLASS_SUFFIX + "requests.storage", storage);
        }
        return r;
    }

    /** The larger of the storage asked for and the storage allocated (an expansion in progress). */
    private static Quantity storage(JsonNode claim) {
        Quantity requested = parse(claim.path("spec").path("resources").path("requests").path("storage"));
        Quantity allocated = parse(claim.path("status").path("allocatedResources").path("storage"));
        if (requested == null) return allocated;
        return allocated != null && allocated.compareTo(requested) > 0 ? allocated : requested;
    }

    private static Quantity parse(JsonNode text) {
        if (!text.isTextual()) return null;
        try {
            return Quantity.parse(text.asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
