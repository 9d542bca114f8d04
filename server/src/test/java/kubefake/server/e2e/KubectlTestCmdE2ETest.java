package kubefake.server.e2e;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static kubefake.server.e2e.Kubectl.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Behaviours Kubernetes' own kubectl suite (test/cmd) relies on and kubefake once answered differently from a real
 * 1.33 API server (docs/compatibility/kubectl-test-cmd.md): each asserts what kubectl prints, with kubectl 1.33 and
 * an older one.
 */
class KubectlTestCmdE2ETest {

    /** run_pod_tests: "replace of a cluster scoped resource can succeed" with resourceVersion "0" in the body. */
    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void replaceWithResourceVersionZeroIsUnconditional(String v) {
        Kubectl k = TestCluster.kubectl(v);
        String node = "tc-node-" + v.replace('.', '-');
        ok(k.runWithInput("""
                {"kind": "Node", "apiVersion": "v1", "metadata": {"name": "%s"}}
                """.formatted(node), "create", "-f", "-"));
        // the node changed since it was created (kubectl create answered an older resourceVersion): "0" still writes
        ok(k.run("label", "node", node, "touched=yes"));
        Kubectl.Result replaced = k.runWithInput("""
                {"kind": "Node", "apiVersion": "v1",
                 "metadata": {"name": "%s", "annotations": {"a": "b"}, "resourceVersion": "0"}}
                """.formatted(node), "replace", "-f", "-");
        assertEquals("node/" + node + " replaced\n", ok(replaced).out());
        assertEquals("b", ok(k.run("get", "node", node, "-o", "go-template={{.metadata.annotations.a}}")).out());
        ok(k.run("delete", "node", node));
    }

    /**
     * run_kubectl_create_error_tests: {@code create --raw} posts the file's bytes as they are (YAML, sent as JSON) to
     * the namespaces collection; the server's refusal words the syntax error as Go's encoding/json does.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void rawCreateOfYamlNamesGoJsonSyntaxError(String v) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        java.nio.file.Path pod = java.nio.file.Files.createTempFile("valid-pod", ".yaml");
        try {
            java.nio.file.Files.writeString(pod, """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: valid-pod
                    spec:
                      containers:
                      - {name: c, image: registry.k8s.io/pause:3.9}
                    """);
            Kubectl.Result r = k.run("create", "--raw", "/api/v1/namespaces", "-f", pod.toString());
            assertEquals(1, r.exitCode(), r::toString);
            assertEquals("Error from server (BadRequest): the object provided is unrecognized (must be of type Namespace):"
                    + " couldn't get version/kind; json parse error: invalid character 'a' looking for beginning of value"
                    + " (apiVersion: v1\nkind: Pod\nmetad ...)\n", r.err());
        } finally {
            java.nio.file.Files.delete(pod);
        }
    }
}
