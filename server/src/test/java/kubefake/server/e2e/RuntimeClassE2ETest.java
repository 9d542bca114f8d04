package kubefake.server.e2e;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * node.k8s.io RuntimeClasses with kubectl: the Table, the handler fixed once created, a pod of a class getting the
 * class's overhead, and pods the kubelet cannot start (a class that does not exist, a handler containerd does not
 * have) staying {@code ContainerCreating} with the kubelet's {@code FailedCreatePodSandBox}.
 */
class RuntimeClassE2ETest {

    private static void apply(Kubectl k, String ns, Path tmp, String yaml) throws Exception {
        Path file = Files.createTempFile(tmp, "obj", ".yaml");
        Files.writeString(file, yaml);
        Kubectl.ok(ns == null ? k.run("apply", "-f", file.toString()) : k.run("-n", ns, "apply", "-f", file.toString()));
    }

    private static boolean has(String regex, String text) {
        return Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find();
    }

    private static String pod(String name, String runtimeClass) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  runtimeClassName: %s
                  containers: [{name: nginx, image: nginx}]
                """.formatted(name, runtimeClass);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void podsRunWithTheirClassOrFailAsTheKubeletReportsIt(String v, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String suffix = v.replace('.', '-');
        String runc = "runc-" + suffix;
        String kata = "kata-" + suffix;
        apply(k, null, tmp, """
                apiVersion: node.k8s.io/v1
                kind: RuntimeClass
                metadata: {name: %s}
                handler: runc
                overhead: {podFixed: {cpu: 10m, memory: 16Mi}}
                ---
                apiVersion: node.k8s.io/v1
                kind: RuntimeClass
                metadata: {name: %s}
                handler: kata
                """.formatted(runc, kata));
        String table = Kubectl.ok(k.run("get", "runtimeclasses", runc, kata)).out();
        assertTrue(has("^NAME +HANDLER +AGE$", table), table);
        assertTrue(has("^" + runc + " +runc +\\d+", table), table);
        assertTrue(has("^" + kata + " +kata +\\d+", table), table);
        Kubectl.Result handler = k.run("patch", "runtimeclass", runc, "--type=merge", "-p", "{\"handler\":\"crun\"}");
        assertEquals(1, handler.exitCode(), handler::toString);
        assertEquals("The RuntimeClass \"" + runc + "\" is invalid: handler: Invalid value: \"crun\": field is immutable\n", handler.err());

        String ns = "e2e-rc-" + suffix;
        Kubectl.ok(k.run("create", "namespace", ns));
        k.runUntil(Duration.ofSeconds(10), r -> r.exitCode() == 0, "-n", ns, "get", "serviceaccount", "default");
        apply(k, ns, tmp, pod("plain", runc));
        apply(k, ns, tmp, pod("unknown", "gvisor"));
        apply(k, ns, tmp, pod("sandboxed", kata));
        Kubectl.ok(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/plain", "--timeout=60s"));
        assertEquals("10m 16Mi", Kubectl.ok(k.run("-n", ns, "get", "pod", "plain", "-o",
                "jsonpath={.spec.overhead.cpu} {.spec.overhead.memory}")).out());

        String unknown = k.runUntil(Duration.ofSeconds(60), r -> r.out().contains("FailedCreatePodSandBox"),
                "-n", ns, "describe", "pod", "unknown").out();
        assertTrue(has("Warning +FailedCreatePodSandBox +.* +kubelet +Failed to create pod sandbox: runtimeclass\\.node\\.k8s\\.io "
                + "\"gvisor\" not found$", unknown), unknown);
        String sandboxed = k.runUntil(Duration.ofSeconds(60), r -> r.out().contains("FailedCreatePodSandBox"),
                "-n", ns, "describe", "pod", "sandboxed").out();
        assertTrue(has("Warning +FailedCreatePodSandBox +.* +kubelet +Failed to create pod sandbox: rpc error: code = Unknown desc = "
                + "failed to get sandbox runtime: no runtime for \"kata\" is configured$", sandboxed), sandboxed);
        String pods = Kubectl.ok(k.run("-n", ns, "get", "pods", "unknown", "sandboxed")).out();
        assertTrue(has("^unknown +0/1 +ContainerCreating +0 +", pods), pods);
        assertTrue(has("^sandboxed +0/1 +ContainerCreating +0 +", pods), pods);

        Kubectl.ok(k.run("delete", "namespace", ns, "--wait=false"));
        Kubectl.ok(k.run("delete", "runtimeclass", runc, kata));
    }
}
