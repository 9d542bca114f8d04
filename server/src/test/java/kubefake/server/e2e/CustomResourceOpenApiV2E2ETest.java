package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static kubefake.server.e2e.Kubectl.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Custom resources in the OpenAPI v2 document, as a real cluster publishes them: the kind's definition named
 * {@code <reversed group>.<version>.<Kind>} with its x-kubernetes-group-version-kind, its list, their paths; what
 * kubectl 1.27 and 1.28 explain from v2 ({@code --output plaintext-openapiv2}), following the CRD when it changes
 * and forgetting it when it is deleted.
 */
class CustomResourceOpenApiV2E2ETest {

    private static String crd(String group, String extraField) {
        return """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: gizmos.%1$s
                spec:
                  group: %1$s
                  scope: Namespaced
                  names: {plural: gizmos, singular: gizmo, kind: Gizmo}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    subresources: {status: {}}
                    schema:
                      openAPIV3Schema:
                        description: A Gizmo does a small thing well.
                        type: object
                        properties:
                          spec:
                            description: What the gizmo should do.
                            type: object
                            properties:
                              size:
                                description: How big it is.
                                type: integer
                              %2$s
                """.formatted(group, extraField);
    }

    private static JsonNode v2(Kubectl k) {
        return Json.parseObject(ok(k.run("get", "--raw", "/openapi/v2")).out().getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.28"})
    void explainReadsCustomResourcesFromV2(String v) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String suffix = v.replace(".", "");
        String group = "v2-" + suffix + ".gadgets.example.com";
        String definition = "com.example.gadgets.v2-" + suffix + ".v1.Gizmo";
        Path dir = Files.createTempDirectory(TestCluster.dataDir(), "v2");
        Path file = dir.resolve("crd.yaml");
        Files.writeString(file, crd(group, ""));
        ok(k.run("apply", "-f", file.toString()));
        ok(k.run("wait", "--for", "condition=established", "--timeout=30s", "crd/gizmos." + group));

        JsonNode doc = v2(k);
        JsonNode kind = doc.path("definitions").path(definition);
        assertEquals("[{\"group\":\"" + group + "\",\"kind\":\"Gizmo\",\"version\":\"v1\"}]",
                kind.path("x-kubernetes-group-version-kind").toString());
        assertEquals("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
                kind.path("properties").path("metadata").path("$ref").asText());
        assertEquals("#/definitions/" + definition,
                doc.path("definitions").path(definition + "List").path("properties").path("items").path("items").path("$ref").asText());
        assertTrue(doc.path("definitions").has("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
        String list = "/apis/" + group + "/v1/namespaces/{namespace}/gizmos";
        assertEquals("list", doc.path("paths").path(list).path("get").path("x-kubernetes-action").asText());
        assertEquals("#/definitions/" + definition,
                doc.path("paths").path(list + "/{name}").path("get").path("responses").path("200").path("schema").path("$ref").asText());

        String explained = ok(k.run("explain", "gizmos." + group, "--output", "plaintext-openapiv2")).out();
        assertTrue(explained.startsWith("KIND:     Gizmo\nVERSION:  " + group + "/v1\n\nDESCRIPTION:\n"
                + "     A Gizmo does a small thing well.\n\nFIELDS:\n"), explained);
        assertTrue(explained.contains("   spec\t<Object>\n     What the gizmo should do.\n"), explained);
        String spec = ok(k.run("explain", "gizmos." + group + ".spec", "--output", "plaintext-openapiv2")).out();
        assertTrue(spec.contains("   size\t<integer>\n     How big it is.\n"), spec);
        assertFalse(spec.contains("colour"), spec);

        // changed live: the new field appears
        Files.writeString(file, crd(group, "colour: {type: string, description: Its colour.}"));
        ok(k.run("apply", "-f", file.toString()));
        String again = "";
        for (int i = 0; i < 50 && !again.contains("colour"); i++) {
            again = ok(k.run("explain", "gizmos." + group + ".spec", "--output", "plaintext-openapiv2")).out();
            if (!again.contains("colour")) Thread.sleep(100);
        }
        assertTrue(again.contains("   colour\t<string>\n     Its colour.\n"), again);

        ok(k.run("delete", "crd", "gizmos." + group));
        boolean gone = false;
        for (int i = 0; i < 50 && !gone; i++) {
            gone = !v2(k).path("definitions").has(definition);
            if (!gone) Thread.sleep(100);
        }
        assertTrue(gone, "the definition leaves the document with its CRD");
    }
}
