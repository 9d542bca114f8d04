package kubefake.server.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ManualRuntime;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Admission's lookups through the API server's informers, which lag the store until the runtime delivers the writes
 * (the manual runtime delivers them only when the test runs it): what a pod create sees while they lag.
 */
class InformerAdmissionLookupsTest {
    private final ManualRuntime runtime = new ManualRuntime();
    private final Registry registry = new Registry(new MemoryKeyValueStore(), runtime.clock(), ResourceCatalogue.builtIn());
    private final SharedInformers informers = new SharedInformers(registry, runtime);
    private final InformerAdmissionLookups lookups = new InformerAdmissionLookups(registry.lookups(), informers);

    @BeforeEach
    void start() {
        create("", "namespaces", "", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"default\"}}");
        informers.start();
        runtime.runUntilIdle();
    }

    @AfterEach
    void close() {
        informers.close();
    }

    private void create(String group, String resource, String namespace, String json) {
        registry.resource(group, resource).create(namespace, Json.parseObject(json.getBytes(StandardCharsets.UTF_8)), RequestContext.LOOPBACK);
    }

    @Test
    void aServiceAccountTheInformerDoesNotHoldYetIsReadFromTheStore() {
        create("", "serviceaccounts", "default", "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"builder\"}}");
        assertNotNull(lookups.serviceAccount("default", "builder"), "from the store while the informer lags");
        runtime.runUntilIdle();
        assertNotNull(lookups.serviceAccount("default", "builder"), "from the informer");
        assertNull(lookups.serviceAccount("default", "missing"));
    }

    @Test
    void aNamedPriorityClassTheInformerDoesNotHoldYetIsReadFromTheStore() {
        create("scheduling.k8s.io", "priorityclasses", "", "{\"apiVersion\":\"scheduling.k8s.io/v1\",\"kind\":\"PriorityClass\","
                + "\"metadata\":{\"name\":\"high\"},\"value\":1000}");
        ObjectNode high = lookups.priorityClass("high");
        assertNotNull(high, "from the store while the informer lags");
        assertEquals(1000, high.path("value").asInt());
        runtime.runUntilIdle();
        assertEquals(List.of("high"), lookups.priorityClasses().stream().map(pc -> Json.text(Json.metadata(pc), "name")).toList());
        assertNull(lookups.priorityClass("low"));
    }

    @Test
    void aNamespaceWithoutLimitRangesIsAskedOnceThenItsEmptyAnswerStandsUntilTheInformerHoldsOne() {
        assertEquals(List.of(), lookups.limitRanges("default"));
        create("", "limitranges", "default", "{\"apiVersion\":\"v1\",\"kind\":\"LimitRange\",\"metadata\":{\"name\":\"limits\"},"
                + "\"spec\":{\"limits\":[{\"type\":\"Container\",\"default\":{\"cpu\":\"500m\"}}]}}");
        // as the real LimitRanger's live-lookup cache: the empty answer stands while the informer lags
        assertEquals(List.of(), lookups.limitRanges("default"));
        runtime.runUntilIdle();
        assertEquals(1, lookups.limitRanges("default").size(), "from the informer once it holds the range");
    }

    @Test
    void aLimitRangeTheInformerDoesNotHoldYetIsFoundWhenTheNamespaceWasNotAskedBefore() {
        create("", "limitranges", "default", "{\"apiVersion\":\"v1\",\"kind\":\"LimitRange\",\"metadata\":{\"name\":\"limits\"},"
                + "\"spec\":{\"limits\":[{\"type\":\"Container\",\"default\":{\"cpu\":\"500m\"}}]}}");
        assertEquals(1, lookups.limitRanges("default").size(), "the live lookup");
        assertEquals(1, lookups.limitRanges("default").size(), "a found range is not kept: asked again");
    }
}
