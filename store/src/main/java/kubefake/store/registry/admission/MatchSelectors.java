package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.selection.LabelSelector;

/**
 * The {@code namespaceSelector} and {@code objectSelector} of a webhook or of a policy's match resources
 * (apiserver's admission {@code namespace.Matcher} and {@code object.Matcher}): the object selector on the new or
 * the old object's labels, the namespace selector on the labels of the write's namespace (of the namespace itself
 * when a namespace is written; cluster-scoped writes always match).
 */
public final class MatchSelectors {
    private MatchSelectors() {
    }

    /** Whether both selectors of {@code match} (absent: everything) select the write. */
    public static boolean matches(JsonNode match, AdmissionAttributes a, AdmissionLookups lookups) {
        LabelSelector objects = selector(match, "objectSelector");
        if (!objects.isEverything() && !labelsMatch(objects, a.object()) && !labelsMatch(objects, a.oldObject())) {
            return false;
        }
        LabelSelector namespaces = selector(match, "namespaceSelector");
        if (namespaces.isEverything()) return true;
        if (a.isResource("", "namespaces")) {
            return labelsMatch(namespaces, a.object()) || labelsMatch(namespaces, a.oldObject());
        }
        if (!a.type().namespaced() || a.namespace() == null || a.namespace().isEmpty()) return true;
        ObjectNode namespace = lookups.namespace(a.namespace());
        return namespace != null && labelsMatch(namespaces, namespace);
    }

    private static LabelSelector selector(JsonNode match, String field) {
        return LabelSelector.fromJson(match.has(field) ? match.get(field) : Json.MAPPER.createObjectNode());
    }

    private static boolean labelsMatch(LabelSelector selector, ObjectNode object) {
        return object != null && selector.matches(object.path("metadata").path("labels"));
    }
}
