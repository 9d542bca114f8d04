package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static kubefake.server.e2e.Kubectl.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kubectl's server-side apply against kubefake (1.27, 1.29, 1.31, 1.33): create, update, conflicts and
 * {@code --force-conflicts}, the client-side to server-side migration and back, diff, dry-run, and what
 * {@code get --show-managed-fields} prints, as a real 1.33 API server answers them.
 */
class ServerSideApplyE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<String> versions() {
        return Kubectl.VERSIONS;
    }

    private static String ns(Kubectl k, String what) {
        String ns = "ssa-" + what + "-" + k.version().replace('.', '-');
        ok(k.run("create", "namespace", ns));
        return ns;
    }

    private static Path manifest(Kubectl k, String name, int replicas, String image, String extraLabel) {
        String labels = "    app: " + name + "\n" + (extraLabel == null ? "" : "    " + extraLabel + "\n");
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                  labels:
                %s
                spec:
                  replicas: %d
                  selector:
                    matchLabels:
                      app: %s
                  template:
                    metadata:
                      labels:
                        app: %s
                    spec:
                      containers:
                      - name: web
                        image: %s
                """.formatted(name, labels.stripTrailing(), replicas, name, name, image);
        try {
            Path dir = TestCluster.dataDir().resolve("manifests-" + k.version());
            Files.createDirectories(dir);
            Path file = dir.resolve(name + "-" + replicas + "-" + image.replace(':', '_') + (extraLabel == null ? "" : "-x") + ".yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode get(Kubectl k, String ns, String name) {
        try {
            return JSON.readTree(ok(k.run("-n", ns, "get", "deployment", name, "-o", "json", "--show-managed-fields")).out());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode entry(JsonNode object, String manager) {
        for (JsonNode e : object.at("/metadata/managedFields")) {
            if (e.path("manager").asText().equals(manager)) return e;
        }
        return null;
    }

    private static List<String> managers(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.at("/metadata/managedFields").forEach(e -> names.add(e.path("manager").asText() + "/" + e.path("operation").asText()
                + (e.has("subresource") ? "/" + e.path("subresource").asText() : "")));
        return names;
    }

    private static final String CONFLICT_ADVICE = """
            Please review the fields above--they currently have other managers. Here
            are the ways you can resolve this warning:
            * If you intend to manage all of these fields, please re-run the apply
              command with the `--force-conflicts` flag.
            * If you do not intend to manage all of the fields, please edit your
              manifest to remove references to the fields that should keep their
              current managers.
            * You may co-own fields by updating your manifest to match the existing
              value; in this case, you'll become the manager if the other manager(s)
              stop managing the field (remove it from their configuration).
            See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
            """;

    @ParameterizedTest
    @MethodSource("versions")
    void applyCreatesThenUpdatesAndOwnsExactlyWhatItApplied(String v) {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "create");
        Kubectl.Result created = ok(k.run("-n", ns, "apply", "--server-side", "-f", manifest(k, "web", 2, "nginx:1.25", null).toString()));
        assertEquals("deployment.apps/web serverside-applied\n", created.out());
        JsonNode live = get(k, ns, "web");
        JsonNode mine = entry(live, "kubectl");
        assertEquals("Apply", mine.path("operation").asText());
        assertEquals("apps/v1", mine.path("apiVersion").asText());
        assertEquals("FieldsV1", mine.path("fieldsType").asText());
        assertTrue(mine.path("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), mine::toString);
        assertEquals("{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},\"f:spec\":{\"f:replicas\":{},\"f:selector\":{},"
                + "\"f:template\":{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},\"f:spec\":{\"f:containers\":"
                + "{\"k:{\\\"name\\\":\\\"web\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{}}}}}}}", mine.get("fieldsV1").toString());
        // defaults are the server's, not the applier's
        assertEquals(600, live.at("/spec/progressDeadlineSeconds").asInt());

        Kubectl.Result updated = ok(k.run("-n", ns, "apply", "--server-side", "-f", manifest(k, "web", 3, "nginx:1.27", null).toString()));
        assertEquals("deployment.apps/web serverside-applied\n", updated.out());
        live = get(k, ns, "web");
        assertEquals(3, live.at("/spec/replicas").asInt());
        assertEquals("nginx:1.27", live.at("/spec/template/spec/containers/0/image").asText());
        assertEquals(2, live.at("/metadata/generation").asInt());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void aConflictIsRefusedUntilForced(String v) {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "conflict");
        ok(k.run("-n", ns, "apply", "-f", manifest(k, "web", 2, "nginx:1.25", null).toString()));
        Path mine = manifest(k, "web", 5, "nginx:1.25", null);
        Kubectl.Result refused = k.run("-n", ns, "apply", "--server-side", "--field-manager=ops", "-f", mine.toString());
        assertEquals(1, refused.exitCode(), refused::toString);
        assertEquals("", refused.out());
        assertEquals("error: Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas\n"
                + CONFLICT_ADVICE, refused.err());
        assertEquals(2, get(k, ns, "web").at("/spec/replicas").asInt());

        Kubectl.Result forced = ok(k.run("-n", ns, "apply", "--server-side", "--field-manager=ops", "--force-conflicts",
                "-f", mine.toString()));
        assertEquals("deployment.apps/web serverside-applied\n", forced.out());
        JsonNode live = get(k, ns, "web");
        assertEquals(5, live.at("/spec/replicas").asInt());
        assertTrue(entry(live, "ops").at("/fieldsV1/f:spec/f:replicas").isObject());
        // after the apply, kubectl hands what its client-side applies owned to the new manager (a JSON patch of
        // managedFields) and applies again: the annotation nobody applies any more is pruned
        assertEquals(List.of("ops/Apply"), managers(live).stream().filter(m -> !m.contains("status")).toList());
        assertTrue(live.at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration").isMissingNode(), live::toString);

        // the same value is no conflict: ownership is shared
        Kubectl.Result shared = ok(k.run("-n", ns, "apply", "--server-side", "--field-manager=team", "-f", mine.toString()));
        assertEquals("deployment.apps/web serverside-applied\n", shared.out());
        live = get(k, ns, "web");
        assertTrue(entry(live, "team").at("/fieldsV1/f:spec/f:replicas").isObject());
        assertTrue(entry(live, "ops").at("/fieldsV1/f:spec/f:replicas").isObject());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void twoConflictsAreListedByManager(String v) {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "conflicts");
        ok(k.run("-n", ns, "apply", "--server-side", "--field-manager=first", "-f", manifest(k, "web", 2, "nginx:1.25", null).toString()));
        Kubectl.Result refused = k.run("-n", ns, "apply", "--server-side", "--field-manager=second", "-f",
                manifest(k, "web", 3, "nginx:1.27", null).toString());
        assertEquals(1, refused.exitCode(), refused::toString);
        assertEquals("error: Apply failed with 2 conflicts: conflicts with \"first\":\n"
                + "- .spec.replicas\n"
                + "- .spec.template.spec.containers[name=\"web\"].image\n" + CONFLICT_ADVICE, refused.err());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void clientSideToServerSideAndBack(String v) {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "migrate");
        ok(k.run("-n", ns, "apply", "-f", manifest(k, "web", 2, "nginx:1.25", null).toString()));
        assertEquals(List.of("kubectl-client-side-apply/Update"), managers(get(k, ns, "web")).stream()
                .filter(m -> !m.contains("status")).toList());

        // kubectl's own field manager takes over what its client-side applies set, without conflicts
        Kubectl.Result upgraded = ok(k.run("-n", ns, "apply", "--server-side", "-f", manifest(k, "web", 3, "nginx:1.25", null).toString()));
        assertEquals("deployment.apps/web serverside-applied\n", upgraded.out());
        JsonNode live = get(k, ns, "web");
        assertEquals(3, live.at("/spec/replicas").asInt());
        assertTrue(entry(live, "kubectl").at("/fieldsV1/f:spec/f:replicas").isObject(), live::toString);
        // the server keeps the last-applied annotation in step for the way back
        String lastApplied = live.at("/metadata/annotations").path("kubectl.kubernetes.io/last-applied-configuration").asText();
        assertTrue(lastApplied.contains("\"replicas\":3"), lastApplied);

        Kubectl.Result back = ok(k.run("-n", ns, "apply", "-f", manifest(k, "web", 1, "nginx:1.25", null).toString()));
        assertEquals("deployment.apps/web configured\n", back.out());
        live = get(k, ns, "web");
        assertEquals(1, live.at("/spec/replicas").asInt());
        assertTrue(entry(live, "kubectl-client-side-apply").at("/fieldsV1/f:spec/f:replicas").isObject(), live::toString);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void fieldsAManagerStopsApplyingAreRemoved(String v) {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "prune");
        ok(k.run("-n", ns, "apply", "--server-side", "-f", manifest(k, "web", 2, "nginx:1.25", "tier: front").toString()));
        assertEquals("front", get(k, ns, "web").at("/metadata/labels/tier").asText());
        ok(k.run("-n", ns, "apply", "--server-side", "-f", manifest(k, "web", 2, "nginx:1.25", null).toString()));
        JsonNode live = get(k, ns, "web");
        assertTrue(live.at("/metadata/labels/tier").isMissingNode(), live::toString);
        assertEquals("web", live.at("/metadata/labels/app").asText());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void diffAndDryRunGoThroughTheServerWithoutWriting(String v) {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "diff");
        Path first = manifest(k, "web", 2, "nginx:1.25", null);
        Kubectl.Result dry = ok(k.run("-n", ns, "apply", "--server-side", "--dry-run=server", "-f", first.toString()));
        assertEquals("deployment.apps/web serverside-applied (server dry run)\n", dry.out());
        assertEquals(1, k.run("-n", ns, "get", "deployment", "web").exitCode());

        ok(k.run("-n", ns, "apply", "--server-side", "-f", first.toString()));
        Kubectl.Result same = k.run("-n", ns, "diff", "--server-side", "-f", first.toString());
        assertEquals(0, same.exitCode(), same::toString);
        assertEquals("", same.out());
        Kubectl.Result changed = k.run("-n", ns, "diff", "--server-side", "-f", manifest(k, "web", 4, "nginx:1.25", null).toString());
        assertEquals(1, changed.exitCode(), changed::toString);
        assertTrue(changed.out().contains("\n-  replicas: 2\n+  replicas: 4\n"), changed::toString);
        assertEquals(2, get(k, ns, "web").at("/spec/replicas").asInt());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void managedFieldsShowOnlyWhenAsked(String v) {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "show");
        ok(k.run("-n", ns, "create", "configmap", "cfg", "--from-literal=a=1"));
        String plain = ok(k.run("-n", ns, "get", "configmap", "cfg", "-o", "yaml")).out();
        assertFalse(plain.contains("managedFields"), plain);
        String shown = ok(k.run("-n", ns, "get", "configmap", "cfg", "-o", "yaml", "--show-managed-fields")).out();
        assertTrue(shown.contains("  managedFields:\n"
                + "  - apiVersion: v1\n"
                + "    fieldsType: FieldsV1\n"
                + "    fieldsV1:\n"
                + "      f:data:\n"
                + "        .: {}\n"
                + "        f:a: {}\n"
                + "    manager: kubectl-create\n"
                + "    operation: Update\n"
                + "    time: \""), shown);
        // -o json hides them the same way
        assertFalse(ok(k.run("-n", ns, "get", "configmap", "cfg", "-o", "json")).out().contains("managedFields"));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void everyKubectlWriteRecordsItsManager(String v) {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "managers");
        ok(k.run("-n", ns, "create", "deployment", "web", "--image=nginx:1.25"));
        ok(k.run("-n", ns, "label", "deployment", "web", "tier=front"));
        ok(k.run("-n", ns, "annotate", "deployment", "web", "note=x"));
        ok(k.run("-n", ns, "set", "image", "deployment/web", "nginx=nginx:1.27"));
        ok(k.run("-n", ns, "patch", "deployment", "web", "-p", "{\"spec\":{\"minReadySeconds\":5}}"));
        ok(k.run("-n", ns, "scale", "deployment", "web", "--replicas=2"));
        JsonNode live = get(k, ns, "web");
        List<String> managers = managers(live);
        for (String m : List.of("kubectl-create/Update", "kubectl-label/Update", "kubectl-annotate/Update", "kubectl-set/Update",
                "kubectl-patch/Update", "kube-controller-manager/Update/status")) {
            assertTrue(managers.contains(m), m + " in " + managers);
        }
        // each owns what it changed
        assertTrue(entry(live, "kubectl-label").at("/fieldsV1/f:metadata/f:labels/f:tier").isObject(), live::toString);
        assertTrue(entry(live, "kubectl-set").at("/fieldsV1/f:spec/f:template/f:spec/f:containers/k:{\"name\":\"nginx\"}/f:image")
                .isObject(), live::toString);
        assertTrue(entry(live, "kubectl-create").at("/fieldsV1/f:spec/f:template/f:spec/f:containers/k:{\"name\":\"nginx\"}/f:image")
                .isMissingNode(), live::toString);
        assertTrue(entry(live, "kubectl-patch").at("/fieldsV1/f:spec/f:minReadySeconds").isObject(), live::toString);
        // kubectl scale names no manager: the server takes its User-Agent's program name; the scale subresource's
        // entry is mapped back to the Deployment without a time
        JsonNode scale = null;
        for (JsonNode e : live.at("/metadata/managedFields")) {
            if (e.path("subresource").asText().equals("scale")) scale = e;
        }
        assertTrue(scale != null, live::toString);
        // (the binaries here are installed as kubectl.1.NN, and kubectl's User-Agent starts with its file name)
        assertTrue(scale.path("manager").asText().matches("kubectl(\\.1\\.\\d+)?"), scale::toString);
        assertEquals("{\"f:spec\":{\"f:replicas\":{}}}", scale.path("fieldsV1").toString());
        assertFalse(scale.has("time"), scale::toString);
    }
}
