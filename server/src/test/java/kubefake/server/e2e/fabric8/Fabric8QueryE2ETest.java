package kubefake.server.e2e.fabric8;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fabric8's label and field selectors and paginated lists, answered as a real API server answers them. */
class Fabric8QueryE2ETest {
    private static final String ROOT_CA = "kube-root-ca.crt";
    private static KubernetesClient client;
    private static String ns;

    /**
     * Five configmaps: app a, a, b, c and one without an app label; tier set on some. Beside them, as in every namespace
     * of a real cluster, the root CA publisher's {@code kube-root-ca.crt}, which has no labels.
     */
    @BeforeAll
    static void connect() {
        client = Fabric8Clients.adminWithHttpWatches();
        ns = Fabric8Clients.newNamespace(client, "fabric8-query");
        create("cm-1", Map.of("app", "a", "tier", "web"));
        create("cm-2", Map.of("app", "a"));
        create("cm-3", Map.of("app", "b", "tier", "db"));
        create("cm-4", Map.of("app", "c"));
        create("cm-5", Map.of());
    }

    @AfterAll
    static void close() {
        Fabric8Clients.deleteNamespace(ns);
        client.close();
    }

    private static void create(String name, Map<String, String> labels) {
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .withLabels(labels).endMetadata().addToData("k", "v").build()).create();
    }

    private static List<String> names(List<? extends HasMetadata> items) {
        return items.stream().map(i -> i.getMetadata().getName()).toList();
    }

    @Test
    void labelSelectors() {
        var cms = client.configMaps().inNamespace(ns);
        assertEquals(List.of("cm-1", "cm-2"), names(cms.withLabel("app", "a").list().getItems()));
        assertEquals(List.of("cm-1", "cm-2", "cm-3"), names(cms.withLabelIn("app", "a", "b").list().getItems()));
        assertEquals(List.of("cm-4", "cm-5", ROOT_CA), names(cms.withLabelNotIn("app", "a", "b").list().getItems()));
        assertEquals(List.of("cm-1", "cm-3"), names(cms.withLabel("tier").list().getItems()));
        assertEquals(List.of("cm-2", "cm-4", "cm-5", ROOT_CA), names(cms.withoutLabel("tier").list().getItems()));
        assertEquals(List.of("cm-3", "cm-4"), names(cms.withLabel("app").withoutLabel("app", "a").list().getItems()));
        assertEquals(List.of("cm-1"), names(cms.withLabels(Map.of("app", "a", "tier", "web")).list().getItems()));
        assertEquals(List.of(), names(cms.withLabel("app", "zzz").list().getItems()));
    }

    @Test
    void fieldSelectors() {
        var cms = client.configMaps().inNamespace(ns);
        assertEquals(List.of("cm-3"), names(cms.withField("metadata.name", "cm-3").list().getItems()));
        assertEquals(List.of("cm-1", "cm-2", "cm-4", "cm-5", ROOT_CA), names(cms.withoutField("metadata.name", "cm-3").list().getItems()));
        assertEquals(List.of("cm-2"), names(cms.withField("metadata.name", "cm-2").withLabel("app", "a").list().getItems()));
        List<String> everywhere = names(client.configMaps().inAnyNamespace().withField("metadata.namespace", ns).list().getItems());
        assertEquals(List.of("cm-1", "cm-2", "cm-3", "cm-4", "cm-5"), everywhere.stream().filter(n -> n.startsWith("cm-")).toList());

        // a scheduler no one runs: default-scheduler would bind the pod while the test looks at it
        client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("pending").endMetadata()
                .withNewSpec().withSchedulerName("nobody").addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().build()).create();
        assertEquals(List.of("pending"), names(client.pods().inNamespace(ns).withField("status.phase", "Pending").list().getItems()));
        assertEquals(List.of("pending"), names(client.pods().inNamespace(ns).withField("spec.nodeName", "").list().getItems()));
        assertEquals(List.of(), names(client.pods().inNamespace(ns).withField("status.phase", "Running").list().getItems()));
    }

    @Test
    void aFieldTheResourceDoesNotIndexIsABadRequest() {
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> client.configMaps().inNamespace(ns).withField("data.k", "v").list());
        assertEquals(400, e.getCode(), e::getMessage);
        assertEquals("BadRequest", e.getStatus().getReason());
        // configmaps have no field labels of their own: the generic conversion's message
        assertEquals("\"data.k\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
                e.getStatus().getMessage());
        KubernetesClientException pods = assertThrows(KubernetesClientException.class,
                () -> client.pods().inNamespace(ns).withField("spec.image", "nginx").list());
        assertEquals(400, pods.getCode(), pods::getMessage);
        assertEquals("field label not supported: spec.image", pods.getStatus().getMessage());
    }

    /** In a namespace of its own: five configmaps listed two at a time. */
    @Test
    void paginationFollowsContinueTokensOverOneSnapshot() {
        String pagesNs = Fabric8Clients.newNamespace(client, "fabric8-pages");
        try {
            var cms = client.configMaps().inNamespace(pagesNs);
            for (int i = 1; i <= 5; i++) {
                cms.resource(new ConfigMapBuilder().withNewMetadata().withName("page-" + i).endMetadata().build()).create();
            }
            ConfigMapList first = cms.list(new ListOptionsBuilder().withLimit(2L).build());
            // with the namespace's kube-root-ca.crt: six items, listed in name order
            assertEquals(List.of(ROOT_CA, "page-1"), names(first.getItems()));
            assertNotNull(first.getMetadata().getContinue());
            assertEquals(4L, first.getMetadata().getRemainingItemCount());

            // created after the first page: a continued list is served at the first page's resourceVersion
            cms.resource(new ConfigMapBuilder().withNewMetadata().withName("page-6").endMetadata().build()).create();

            List<ConfigMap> all = new ArrayList<>(first.getItems());
            ConfigMapList page = first;
            List<Long> remaining = new ArrayList<>();
            while (page.getMetadata().getContinue() != null && !page.getMetadata().getContinue().isEmpty()) {
                page = cms.list(new ListOptionsBuilder().withLimit(2L).withContinue(page.getMetadata().getContinue()).build());
                assertEquals(first.getMetadata().getResourceVersion(), page.getMetadata().getResourceVersion());
                all.addAll(page.getItems());
                remaining.add(page.getMetadata().getRemainingItemCount());
                assertTrue(remaining.size() <= 2, "three pages at most");
            }
            assertEquals(List.of(ROOT_CA, "page-1", "page-2", "page-3", "page-4", "page-5"), names(all));
            assertEquals(Arrays.asList(2L, null), remaining);
            assertEquals(7, cms.list().getItems().size());
        } finally {
            Fabric8Clients.deleteNamespace(pagesNs);
        }
    }

    /** With a selector the server cannot know how many items remain, so it leaves remainingItemCount out. */
    @Test
    void aSelectedPageHasAContinueButNoRemainingCount() {
        ConfigMapList first = client.configMaps().inNamespace(ns).withLabel("app")
                .list(new ListOptionsBuilder().withLimit(2L).build());
        assertEquals(List.of("cm-1", "cm-2"), names(first.getItems()));
        assertNull(first.getMetadata().getRemainingItemCount());
        ConfigMapList second = client.configMaps().inNamespace(ns).withLabel("app")
                .list(new ListOptionsBuilder().withLimit(2L).withContinue(first.getMetadata().getContinue()).build());
        assertEquals(List.of("cm-3", "cm-4"), names(second.getItems()));
    }

    @Test
    void aLimitWithoutMoreItemsHasNoContinue() {
        ConfigMapList all = client.configMaps().inNamespace(ns).withLabel("app", "a")
                .list(new ListOptionsBuilder().withLimit(10L).build());
        assertEquals(List.of("cm-1", "cm-2"), names(all.getItems()));
        assertTrue(all.getMetadata().getContinue() == null || all.getMetadata().getContinue().isEmpty());
        assertNull(all.getMetadata().getRemainingItemCount());
    }
}
