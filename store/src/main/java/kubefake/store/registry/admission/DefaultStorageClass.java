package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.request.Operation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * DefaultStorageClass (plugin/pkg/admission/storage/storageclass/setdefault): a new PersistentVolumeClaim that names
 * no class (no {@code spec.storageClassName}, no beta class annotation) gets the default StorageClass's name, when
 * there is one. {@link #choose} is also what the persistent volume controller's retroactive assignment uses.
 */
public final class DefaultStorageClass implements MutatingPlugin {
    public static final String IS_DEFAULT = "storageclass.kubernetes.io/is-default-class";
    public static final String BETA_IS_DEFAULT = "storageclass.beta.kubernetes.io/is-default-class";
    /** The beta annotation a claim may still name its class with instead of spec.storageClassName. */
    public static final String BETA_CLASS = "volume.beta.kubernetes.io/storage-class";

    private final AdmissionLookups lookups;

    public DefaultStorageClass(AdmissionLookups lookups) {
        this.lookups = lookups;
    }

    @Override
    public String name() {
        return "DefaultStorageClass";
    }

    @Override
    public void admit(AdmissionAttributes a) {
        if (a.operation() != Operation.CREATE || !a.isResource("", "persistentvolumeclaims") || !a.subresource().isEmpty()
                || a.object() == null || hasClass(a.object())) {
            return;
        }
        JsonNode chosen = choose(lookups.storageClasses());
        if (chosen == null) return;
        ObjectNode spec = a.object().get("spec") instanceof ObjectNode s ? s : a.object().putObject("spec");
        spec.put("storageClassName", chosen.path("metadata").path("name").asText());
    }

    /** Whether the claim names a class, even the empty one ({@code storageClassName: ""} asks for no class). */
    public static boolean hasClass(JsonNode claim) {
        JsonNode name = claim.path("spec").get("storageClassName");
        return (name != null && !name.isNull()) || claim.path("metadata").path("annotations").has(BETA_CLASS);
    }

    public static boolean isDefault(JsonNode storageClass) {
        JsonNode annotations = storageClass.path("metadata").path("annotations");
        return "true".equals(annotations.path(IS_DEFAULT).asText()) || "true".equals(annotations.path(BETA_IS_DEFAULT).asText());
    }

    /**
     * {@code GetDefaultClass}: of the classes annotated as default, the newest (then the first by name); null when
     * none is.
     */
    public static JsonNode choose(List<? extends JsonNode> classes) {
        List<JsonNode> defaults = new ArrayList<>();
        for (JsonNode c : classes) if (isDefault(c)) defaults.add(c);
        if (defaults.isEmpty()) return null;
        defaults.sort(Comparator.comparing((JsonNode c) -> c.path("metadata").path("creationTimestamp").asText(""))
                .reversed().thenComparing(c -> c.path("metadata").path("name").asText("")));
        return defaults.get(0);
    }
}
