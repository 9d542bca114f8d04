package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.request.Operation;
import kubefake.store.registry.request.RequestContext;

import java.util.List;
import java.util.Random;

/**
 * For tests that compare what the server stores with a recording without a registry: the mutating admission
 * plugins that change a new object (ServiceAccount without its existence check, Priority, DefaultTolerationSeconds),
 * run on a defaulted object as the store runs them.
 */
public final class CreateAdmission {
    private CreateAdmission() {
    }

    public static final ResourceType PODS = new ResourceType("", "v1", "pods", "pod", "Pod", "PodList", true, List.of(),
            List.of(), ResourceType.ALL_VERBS, List.of(), null);

    /** A cluster with nothing stored (the Priority plugin knows the system classes without them). */
    private static final AdmissionLookups NOTHING_STORED = new AdmissionLookups() {
        @Override
        public ObjectNode namespace(String name) { return null; }

        @Override
        public ObjectNode serviceAccount(String namespace, String name) { return null; }

        @Override
        public java.time.Clock clock() { return java.time.Clock.systemUTC(); }

        @Override
        public List<ObjectNode> priorityClasses() { return List.of(); }

        @Override
        public List<ObjectNode> limitRanges(String namespace) { return List.of(); }

        @Override
        public List<ObjectNode> resourceQuotas(String namespace) { return List.of(); }

        @Override
        public boolean updateQuotaStatus(ObjectNode quota) { return false; }
    };

    /** Admits a create of the object (only pods change), with token volume suffixes drawn from {@code random}. */
    public static void admit(String group, String kind, ObjectNode object, Random random) {
        if (!group.isEmpty() || !kind.equals("Pod")) return;
        AdmissionChain chain = new AdmissionChain(List.of(new ServiceAccountAdmission(random, null),
                new PriorityAdmission(NOTHING_STORED), new DefaultTolerationSeconds()), List.of());
        String namespace = object.path("metadata").path("namespace").asText("default");
        chain.admit(new AdmissionAttributes(PODS, namespace, object.path("metadata").path("name").asText(""), object,
                null, RequestContext.LOOPBACK.withOperation(Operation.CREATE)));
    }
}
