package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.request.Operation;

import java.util.Comparator;
import java.util.List;

/**
 * DefaultIngressClass (plugin/pkg/admission/network/defaultingressclass): a new Ingress that names no class, neither
 * in {@code spec.ingressClassName} nor in the old {@code kubernetes.io/ingress.class} annotation, gets the default
 * IngressClass's name: the one annotated {@code ingressclass.kubernetes.io/is-default-class: "true"}, the newest
 * when several are (then by name).
 */
public final class DefaultIngressClass implements MutatingPlugin {
    public static final String IS_DEFAULT_CLASS = "ingressclass.kubernetes.io/is-default-class";
    private static final String CLASS_ANNOTATION = "kubernetes.io/ingress.class";

    private final AdmissionLookups lookups;

    public DefaultIngressClass(AdmissionLookups lookups) {
        this.lookups = lookups;
    }

    @Override
    public String name() {
        return "DefaultIngressClass";
    }

    @Override
    public void admit(AdmissionAttributes a) {
        if (a.operation() != Operation.CREATE || !a.subresource().isEmpty() || a.object() == null
                || !a.isResource("networking.k8s.io", "ingresses")) {
            return;
        }
        ObjectNode ingress = a.object();
        JsonNode spec = ingress.path("spec");
        if (spec.hasNonNull("ingressClassName") || ingress.path("metadata").path("annotations").has(CLASS_ANNOTATION)) return;
        ObjectNode chosen = lookups == null ? null : defaultClass(lookups.ingressClasses());
        if (chosen == null) return;
        ObjectNode writable = spec instanceof ObjectNode s ? s : ingress.putObject("spec");
        writable.put("ingressClassName", chosen.path("metadata").path("name").asText());
    }

    /** The default class among these, or null. */
    static ObjectNode defaultClass(List<ObjectNode> classes) {
        return classes.stream()
                .filter(c -> "true".equals(c.path("metadata").path("annotations").path(IS_DEFAULT_CLASS).asText(null)))
                .min(Comparator.comparing((ObjectNode c) -> c.path("metadata").path("creationTimestamp").asText(""),
                        Comparator.reverseOrder()).thenComparing(c -> c.path("metadata").path("name").asText()))
                .orElse(null);
    }
}
