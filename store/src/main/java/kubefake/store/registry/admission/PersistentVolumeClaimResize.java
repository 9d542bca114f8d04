package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.request.Operation;
import kubefake.store.registry.validation.Quantity;

import java.math.BigDecimal;

/**
 * PersistentVolumeClaimResize (plugin/pkg/admission/storage/persistentvolume/resize): a claim may ask for more
 * storage only once bound, and only when its class (unchanged) allows volume expansion.
 */
public final class PersistentVolumeClaimResize implements ValidatingPlugin {
    private final AdmissionLookups lookups;

    public PersistentVolumeClaimResize(AdmissionLookups lookups) {
        this.lookups = lookups;
    }

    @Override
    public String name() {
        return "PersistentVolumeClaimResize";
    }

    @Override
    public void validate(AdmissionAttributes a) {
        if (a.operation() != Operation.UPDATE || !a.isResource("", "persistentvolumeclaims") || !a.subresource().isEmpty()
                || a.object() == null || a.oldObject() == null) {
            return;
        }
        if (requestedStorage(a.object()).compareTo(requestedStorage(a.oldObject())) <= 0) return;
        if (!"Bound".equals(a.oldObject().path("status").path("phase").asText())) {
            throw a.forbidden("Only bound persistent volume claims can be expanded");
        }
        if (!allowsResize(className(a.object()), className(a.oldObject()))) {
            throw a.forbidden("only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc "
                    + "must support resize");
        }
    }

    private boolean allowsResize(String className, String oldClassName) {
        if (className.isEmpty() || !className.equals(oldClassName)) return false;
        for (JsonNode sc : lookups.storageClasses()) {
            if (className.equals(sc.path("metadata").path("name").asText())) return sc.path("allowVolumeExpansion").asBoolean(false);
        }
        return false;
    }

    private static String className(JsonNode claim) {
        String beta = claim.path("metadata").path("annotations").path(DefaultStorageClass.BETA_CLASS).asText("");
        return !beta.isEmpty() ? beta : claim.path("spec").path("storageClassName").asText("");
    }

    /** The storage the claim asks for; zero when it names none, or something that is not a quantity. */
    public static BigDecimal requestedStorage(JsonNode claim) {
        String s = claim.path("spec").path("resources").path("requests").path("storage").asText("");
        if (s.isEmpty()) return BigDecimal.ZERO;
        try {
            return Quantity.parse(s).value();
        } catch (RuntimeException e) {
            return BigDecimal.ZERO; // not a quantity: validation reports it
        }
    }
}
