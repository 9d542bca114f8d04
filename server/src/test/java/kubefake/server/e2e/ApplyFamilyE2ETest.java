package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static kubefake.server.e2e.Kubectl.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client-side apply family with kubectl 1.27, 1.29, 1.31 and 1.33: apply --prune, edit, replace --force, the set
 * subcommands and patch with each strategic merge directive. Mostly kubectl's own logic over GET, PUT, PATCH and
 * DELETE: what these tests pin is that the server's answers lead kubectl to the objects, output, errors and exit
 * codes a real 1.33 cluster leads it to (the server's messages as Kubernetes' apiserver writes them).
 */
class ApplyFamilyE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<String> versions() {
        return Kubectl.VERSIONS;
    }

    private static String ns(Kubectl k, String what) {
        String ns = "fam-" + what + "-" + k.version().replace('.', '-');
        ok(k.run("create", "namespace", ns));
        return ns;
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static JsonNode json(Kubectl.Result r) {
        try {
            return JSON.readTree(ok(r).out());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** stderr without kubectl 1.27/1.29's version-skew warning against a 1.33 server. */
    private static String err(Kubectl.Result r) {
        return Stream.of(r.err().split("\n", -1))
                .filter(l -> !l.startsWith("WARNING: version difference between client"))
                .reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static final String LABELLED = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: a
              labels: {app: x}
            data: {k: v}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: b
              labels: {app: x}
            data: {k: v}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: d
              labels: {app: x}
            spec:
              selector: {matchLabels: {app: d}}
              template:
                metadata: {labels: {app: d}}
                spec:
                  containers: [{name: c, image: nginx}]
            """;

    private static final String ONLY_A = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: a
              labels: {app: x}
            data: {k: v2}
            """;

    /** kubectl warns (klog) when it prunes in a namespace with its default allowlist; nothing else goes to stderr. */
    private static void assertOnlyPruneWarnings(Kubectl.Result r) {
        for (String line : err(r).split("\n")) {
            if (line.isEmpty()) continue;
            assertTrue(Pattern.matches("W\\d{4} [0-9:.]+ +\\d+ prune\\.go:\\d+\\] Deprecated: kubectl apply will no longer "
                    + "prune non-namespaced resources by default when used with the --namespace flag in a future release\\. "
                    + "To preserve the current behaviour, list the resources you want to target explicitly in the "
                    + "--prune-allowlist flag\\.", line), r::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void applyPruneDeletesWhatTheSelectorFindsAndTheFilesNoLongerHold(String v, @TempDir Path tmp) throws IOException {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "prune");
        Path all = write(tmp, "all.yaml", LABELLED);
        Path onlyA = write(tmp, "a.yaml", ONLY_A);
        // labelled but never applied (no last-applied-configuration): prune leaves it alone
        ok(k.run("-n", ns, "create", "configmap", "created", "--from-literal=k=v"));
        ok(k.run("-n", ns, "label", "configmap", "created", "app=x"));

        Kubectl.Result created = k.run("-n", ns, "apply", "-f", all.toString(), "--prune", "-l", "app=x");
        assertEquals(0, created.exitCode(), created::toString);
        assertEquals("configmap/a created\nconfigmap/b created\ndeployment.apps/d created\n", created.out());
        assertOnlyPruneWarnings(created);

        // with an allowlist, only its kinds are pruned
        Kubectl.Result configMapsOnly = k.run("-n", ns, "apply", "-f", onlyA.toString(), "--prune", "-l", "app=x",
                "--prune-allowlist=core/v1/ConfigMap", "--dry-run=server");
        assertEquals("configmap/a configured (server dry run)\nconfigmap/b pruned (server dry run)\n", ok(configMapsOnly).out());
        assertEquals("", err(configMapsOnly));
        assertEquals("configmap/a configmap/b configmap/created deployment.apps/d",
                ok(k.run("-n", ns, "get", "configmaps,deployments", "-l", "app=x", "-o", "name")).out().trim().replace('\n', ' '),
                "a server dry run deletes nothing");

        // kubectl's default allowlist (core, batch, networking.k8s.io Ingress, apps kinds)
        Kubectl.Result pruned = k.run("-n", ns, "apply", "-f", onlyA.toString(), "--prune", "-l", "app=x");
        assertEquals(0, pruned.exitCode(), pruned::toString);
        assertEquals("configmap/a configured\nconfigmap/b pruned\ndeployment.apps/d pruned\n", pruned.out());
        assertOnlyPruneWarnings(pruned);
        assertEquals("configmap/a configmap/created",
                ok(k.run("-n", ns, "get", "configmaps,deployments", "-l", "app=x", "-o", "name")).out().trim().replace('\n', ' '));
        assertEquals("v2", ok(k.run("-n", ns, "get", "configmap", "a", "-o", "jsonpath={.data.k}")).out());

        Kubectl.Result again = k.run("-n", ns, "apply", "-f", onlyA.toString(), "--prune", "-l", "app=x");
        assertEquals("configmap/a unchanged\n", ok(again).out());
    }

    /** An editor that records each file kubectl opens (as edit-N.yaml) and applies a sed expression to it. */
    private static Path editor(Path dir, String sedExpression) throws IOException {
        Path script = dir.resolve("editor.sh");
        Files.writeString(script, """
                #!/bin/sh
                n=$(ls %1$s | grep -c '^edit-')
                cp "$1" %1$s/edit-$n.yaml
                sed -i '%2$s' "$1"
                """.formatted(dir, sedExpression));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @ParameterizedTest
    @MethodSource("versions")
    void editSavesCancelsAndReopensAnInvalidEdit(String v, @TempDir Path tmp) throws IOException {
        String ns = ns(TestCluster.kubectl(v), "edit");
        ok(TestCluster.kubectl(v).run("-n", ns, "create", "configmap", "settings", "--from-literal=mode=slow"));
        String rv = ok(TestCluster.kubectl(v).run("-n", ns, "get", "cm", "settings", "-o", "jsonpath={.metadata.resourceVersion}")).out();

        Kubectl.Result unchanged = TestCluster.kubectl(v).env("KUBE_EDITOR", "true").run("-n", ns, "edit", "cm", "settings");
        assertEquals(0, unchanged.exitCode(), unchanged::toString);
        assertEquals("", unchanged.out());
        assertEquals("Edit cancelled, no changes made.\n", err(unchanged));
        assertEquals(rv, ok(TestCluster.kubectl(v).run("-n", ns, "get", "cm", "settings", "-o", "jsonpath={.metadata.resourceVersion}")).out());

        Path invalidDir = Files.createDirectory(tmp.resolve("invalid"));
        Kubectl.Result invalid = TestCluster.kubectl(v).env("KUBE_EDITOR", editor(invalidDir, "s/^  mode: slow$/  mode: [1, 2]/").toString())
                .run("-n", ns, "edit", "cm", "settings");
        assertEquals(1, invalid.exitCode(), invalid::toString);
        assertEquals("", invalid.out());
        String[] lines = err(invalid).split("\n");
        assertEquals("error: configmaps \"settings\" is invalid", lines[0], invalid::toString);
        assertTrue(lines[1].matches("A copy of your changes has been stored to \"/tmp/kubectl(\\.1\\.\\d\\d)?-edit-\\d+\\.yaml\""), invalid::toString);
        assertEquals("error: Edit cancelled, no valid changes were saved.", lines[2], invalid::toString);
        // kubectl opened the editor again with the server's reason on top
        String reopened = Files.readString(invalidDir.resolve("edit-1.yaml"));
        assertTrue(reopened.startsWith("# Please edit the object below."), reopened);
        assertTrue(reopened.contains("""
                # configmaps "settings" was not valid:
                # * patch: Invalid value: "map[data:map[mode:[1 2]]]": unrecognized type: string
                """), reopened);
        assertEquals("slow", ok(TestCluster.kubectl(v).run("-n", ns, "get", "cm", "settings", "-o", "jsonpath={.data.mode}")).out());

        Path goodDir = Files.createDirectory(tmp.resolve("good"));
        Kubectl.Result edited = TestCluster.kubectl(v).env("KUBE_EDITOR", editor(goodDir, "s/^  mode: slow$/  mode: fast/").toString())
                .run("-n", ns, "edit", "cm", "settings");
        assertEquals("configmap/settings edited\n", ok(edited).out());
        assertEquals("fast", ok(TestCluster.kubectl(v).run("-n", ns, "get", "cm", "settings", "-o", "jsonpath={.data.mode}")).out());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void replaceForceDeletesThenCreates(String v, @TempDir Path tmp) throws IOException {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "replace");
        ok(k.run("-n", ns, "create", "configmap", "settings", "--from-literal=mode=slow"));
        String uid = ok(k.run("-n", ns, "get", "cm", "settings", "-o", "jsonpath={.metadata.uid}")).out();
        Path file = write(tmp, "settings.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  mode: fast
                """);
        Kubectl.Result replaced = k.run("-n", ns, "replace", "--force", "-f", file.toString());
        assertEquals("configmap \"settings\" deleted\nconfigmap/settings replaced\n", ok(replaced).out());
        assertEquals("", err(replaced));
        JsonNode now = json(k.run("-n", ns, "get", "cm", "settings", "-o", "json"));
        assertNotEquals(uid, now.at("/metadata/uid").asText(), "a new object");
        assertEquals("fast", now.at("/data/mode").asText());
        // a missing object: replace --force still creates it (the delete's NotFound is ignored)
        ok(k.run("-n", ns, "delete", "cm", "settings"));
        assertEquals("configmap/settings replaced\n", ok(k.run("-n", ns, "replace", "--force", "-f", file.toString())).out());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void setSubcommandsChangeWhatTheyName(String v) {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "set");
        ok(k.run("-n", ns, "create", "deployment", "web", "--image=nginx"));
        ok(k.run("-n", ns, "create", "serviceaccount", "robot"));
        ok(k.run("-n", ns, "create", "service", "clusterip", "front", "--tcp=80:80"));
        ok(k.run("-n", ns, "create", "rolebinding", "readers", "--clusterrole=view", "--user=alice"));

        assertEquals("deployment.apps/web env updated\n", ok(k.run("-n", ns, "set", "env", "deployment/web", "A=1", "B=2")).out());
        assertEquals("", ok(k.run("-n", ns, "set", "env", "deployment/web", "A=1")).out(), "no change, no request");
        assertEquals("# Deployment web, container nginx\nA=1\nB=2\n", ok(k.run("-n", ns, "set", "env", "deployment/web", "--list")).out());
        assertEquals("deployment.apps/web env updated\n", ok(k.run("-n", ns, "set", "env", "deployment/web", "A-")).out());
        JsonNode deployment = json(k.run("-n", ns, "get", "deployment", "web", "-o", "json"));
        assertEquals("[{\"name\":\"B\",\"value\":\"2\"}]", deployment.at("/spec/template/spec/containers/0/env").toString());
        assertEquals(3, deployment.at("/metadata/generation").asInt(), "each template change is a generation");

        assertEquals("deployment.apps/web resource requirements updated\n", ok(k.run("-n", ns, "set", "resources",
                "deployment/web", "--limits=cpu=200m,memory=512Mi", "--requests=cpu=100m")).out());
        assertEquals("{\"limits\":{\"cpu\":\"200m\",\"memory\":\"512Mi\"},\"requests\":{\"cpu\":\"100m\"}}",
                json(k.run("-n", ns, "get", "deployment", "web", "-o", "json")).at("/spec/template/spec/containers/0/resources").toString());

        assertEquals("deployment.apps/web serviceaccount updated\n",
                ok(k.run("-n", ns, "set", "serviceaccount", "deployment/web", "robot")).out());
        JsonNode podSpec = json(k.run("-n", ns, "get", "deployment", "web", "-o", "json")).at("/spec/template/spec");
        assertEquals("robot", podSpec.path("serviceAccountName").asText());
        assertEquals("robot", podSpec.path("serviceAccount").asText(), "the deprecated field follows, as the server defaults it");

        assertEquals("service/front selector updated\n", ok(k.run("-n", ns, "set", "selector", "service/front", "app=web")).out());
        assertEquals("{\"app\":\"web\"}", json(k.run("-n", ns, "get", "service", "front", "-o", "json")).at("/spec/selector").toString());

        assertEquals("rolebinding.rbac.authorization.k8s.io/readers subjects updated\n", ok(k.run("-n", ns, "set", "subject",
                "rolebinding/readers", "--user=bob", "--serviceaccount=" + ns + ":robot")).out());
        assertEquals("[{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"User\",\"name\":\"alice\"},"
                        + "{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"User\",\"name\":\"bob\"},"
                        + "{\"kind\":\"ServiceAccount\",\"name\":\"robot\",\"namespace\":\"" + ns + "\"}]",
                json(k.run("-n", ns, "get", "rolebinding", "readers", "-o", "json")).at("/subjects").toString());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void patchWithEachStrategicMergeDirective(String v) {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "patch");
        ok(k.run("-n", ns, "create", "deployment", "pd", "--image=nginx"));
        String patched = "deployment.apps/pd patched\n";
        assertEquals(patched, ok(k.run("-n", ns, "patch", "deployment", "pd", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"side\",\"image\":\"busybox\"}]}}}}")).out());
        assertEquals("side nginx", containers(k, ns), "a new element goes first, as strategic merge orders it");
        // $patch: delete removes one element of a merge list
        assertEquals(patched, ok(k.run("-n", ns, "patch", "deployment", "pd", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"side\",\"$patch\":\"delete\"}]}}}}")).out());
        assertEquals("nginx", containers(k, ns));
        // $patch: replace on a list: the patch's elements only
        assertEquals(patched, ok(k.run("-n", ns, "patch", "deployment", "pd", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"redis\"},{\"$patch\":\"replace\"}]}}}}")).out());
        assertEquals("web", containers(k, ns));
        // $setElementOrder orders the list
        ok(k.run("-n", ns, "patch", "deployment", "pd", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"log\",\"image\":\"busybox\"}]}}}}"));
        assertEquals("log web", containers(k, ns));
        assertEquals(patched, ok(k.run("-n", ns, "patch", "deployment", "pd", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"web\"},{\"name\":\"log\"}]}}}}")).out());
        assertEquals("web log", containers(k, ns));
        // $patch: replace on a map
        assertEquals(patched, ok(k.run("-n", ns, "patch", "deployment", "pd", "-p",
                "{\"metadata\":{\"labels\":{\"tier\":\"front\",\"$patch\":\"replace\"}}}")).out());
        assertEquals("{\"tier\":\"front\"}", json(k.run("-n", ns, "get", "deployment", "pd", "-o", "json")).at("/metadata/labels").toString());
        // $patch: delete on a map
        assertEquals(patched, ok(k.run("-n", ns, "patch", "deployment", "pd", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
                        + "{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\"}]}]}}}}}}}")).out());
        assertEquals(patched, ok(k.run("-n", ns, "patch", "deployment", "pd", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"affinity\":{\"$patch\":\"delete\"}}}}}")).out());
        // strategic merge makes the map empty (handleDirectiveInMergeMap), and an empty Affinity stays as {}
        assertEquals("{}", json(k.run("-n", ns, "get", "deployment", "pd", "-o", "json")).at("/spec/template/spec/affinity").toString());
        // $retainKeys clears what the list does not name (the strategy's rollingUpdate)
        assertEquals(patched, ok(k.run("-n", ns, "patch", "deployment", "pd", "-p",
                "{\"spec\":{\"strategy\":{\"$retainKeys\":[\"type\"],\"type\":\"Recreate\"}}}")).out());
        assertEquals("{\"type\":\"Recreate\"}", json(k.run("-n", ns, "get", "deployment", "pd", "-o", "json")).at("/spec/strategy").toString());
        // $deleteFromPrimitiveList
        ok(k.run("-n", ns, "patch", "deployment", "pd", "-p", "{\"metadata\":{\"finalizers\":[\"a.io/x\",\"a.io/y\",\"a.io/z\"]}}"));
        assertEquals(patched, ok(k.run("-n", ns, "patch", "deployment", "pd", "-p",
                "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"a.io/y\"]}}")).out());
        assertEquals("[\"a.io/x\",\"a.io/z\"]", json(k.run("-n", ns, "get", "deployment", "pd", "-o", "json")).at("/metadata/finalizers").toString());
        ok(k.run("-n", ns, "patch", "deployment", "pd", "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]"));

        // a patch that changes nothing writes nothing
        String rv = ok(k.run("-n", ns, "get", "deployment", "pd", "-o", "jsonpath={.metadata.resourceVersion}")).out();
        assertEquals("deployment.apps/pd patched (no change)\n", ok(k.run("-n", ns, "patch", "deployment", "pd", "--type=merge",
                "-p", "{\"spec\":{\"strategy\":{\"type\":\"Recreate\"}}}")).out());
        assertEquals(rv, ok(k.run("-n", ns, "get", "deployment", "pd", "-o", "jsonpath={.metadata.resourceVersion}")).out());

        // errors, as the apiserver's patch handler words them
        assertFails(k.run("-n", ns, "patch", "deployment", "pd", "-p", "{\"metadata\":{\"labels\":{\"z\":\"w\",\"$patch\":\"merge\"}}}"),
                "Error from server: unknown patch type: merge in map: map[$patch:merge z:w]");
        assertFails(k.run("-n", ns, "patch", "deployment", "pd", "--type=json", "-p", "{\"a\":1}"),
                "Error from server (BadRequest): error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp");
        assertFails(k.run("-n", ns, "patch", "deployment", "pd", "--type=merge", "-p", "[1]"),
                "Error from server (BadRequest): error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}");
        assertFails(k.run("-n", ns, "patch", "deployment", "pd", "--type=json", "-p", "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":5}]"),
                "The request is invalid: the server rejected our request due to an error in our request");
        assertFails(k.run("-n", ns, "patch", "deployment", "pd", "-p", "{\"spec\":{\"replicas\":\"x\"}}"),
                "The request is invalid: patch: Invalid value: \"map[spec:map[replicas:x]]\": unrecognized type: int32");
        assertFails(k.run("-n", ns, "patch", "deployment", "pd", "--type=foo", "-p", "{}"),
                "error: --type must be one of [json merge strategic], not \"foo\"");
    }

    private static String containers(Kubectl k, String ns) {
        return ok(k.run("-n", ns, "get", "deployment", "pd", "-o", "jsonpath={.spec.template.spec.containers[*].name}")).out();
    }

    private static void assertFails(Kubectl.Result r, String message) {
        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertEquals(message + "\n", err(r), r::toString);
    }
}
