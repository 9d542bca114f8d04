package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.Operation;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * NamespaceLifecycle (apiserver's plugin/namespace/lifecycle): nothing is written into a namespace that does not
 * exist ({@code namespaces "x" not found}), nothing is created in one being deleted (403 with the
 * {@code NamespaceTerminating} cause), and the namespaces the cluster needs are never deleted.
 */
final class NamespaceLifecycle implements MutatingPlugin {
    /** kube-apiserver's immortal namespaces. */
    private static final Set<String> IMMORTAL = Set.of("default", "kube-system", "kube-public");

    /** How long after this server deleted a namespace it reads that namespace from the store (the real plugin's). */
    private static final Duration FORCE_LIVE_LOOKUP = Duration.ofSeconds(30);

    private final AdmissionLookups lookups;
    /**
     * The namespaces deleted here lately, until when: a cache behind the delete would still show them active, and
     * creates into them must be refused from the delete on.
     */
    private final Map<String, Instant> deletedLately = new ConcurrentHashMap<>();

    NamespaceLifecycle(AdmissionLookups lookups) {
        this.lookups = lookups;
    }

    @Override
    public String name() {
        return "NamespaceLifecycle";
    }

    @Override
    public void admit(AdmissionAttributes a) {
        boolean isNamespace = a.isResource("", "namespaces");
        if (isNamespace) {
            if (a.operation() == Operation.DELETE && IMMORTAL.contains(a.name())) {
                throw a.forbidden("this namespace may not be deleted");
            }
            if (a.operation() == Operation.DELETE) {
                Instant now = lookups.clock().instant();
                deletedLately.values().removeIf(until -> !until.isAfter(now)); // deletes are rare: what expired goes here
                deletedLately.put(a.name(), now.plus(FORCE_LIVE_LOOKUP));
            }
            return;
        }
        // cluster-scoped objects, deletes, and access reviews (which would leak whether a namespace exists) pass
        if (!a.type().namespaced() || a.namespace() == null || a.namespace().isEmpty()) return;
        if (a.operation() != Operation.CREATE && a.operation() != Operation.UPDATE) return; // deletes and connects pass
        if (a.isResource("authorization.k8s.io", "localsubjectaccessreviews")) return;
        ObjectNode namespace = lookups.namespace(a.namespace());
        // a refusal is decided on the stored namespace (the cached one may be an older namespace of that name); so is
        // a create into one deleted here lately, which the cache may not show terminating yet
        if (namespace != null && (terminating(namespace) || deletedLately(a.namespace()))) {
            namespace = lookups.namespaceAsStored(a.namespace());
        }
        if (namespace == null) throw StatusException.notFound("", "namespaces", a.namespace());
        if (a.operation() == Operation.CREATE && terminating(namespace)) {
            throw StatusException.namespaceTerminating(a.type().group(), a.type().resource(), a.name(), a.namespace());
        }
    }

    private boolean deletedLately(String namespace) {
        if (deletedLately.isEmpty()) return false;
        Instant until = deletedLately.get(namespace);
        if (until == null) return false;
        if (until.isAfter(lookups.clock().instant())) return true;
        deletedLately.remove(namespace, until);
        return false;
    }

    /** Terminating, or marked for deletion a moment before its status says so. */
    private static boolean terminating(ObjectNode namespace) {
        return Json.metadata(namespace).has("deletionTimestamp")
                || "Terminating".equals(namespace.path("status").path("phase").asText());
    }
}
