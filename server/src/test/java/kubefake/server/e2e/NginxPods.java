package kubefake.server.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/** The nginx pod the stream tests (exec, cp, debug) work in, on w1-k8s. */
final class NginxPods {
    private NginxPods() {
    }

    /** Creates pod {@code name} (one nginx container) in {@code ns}, which must exist, and waits until it is Ready. */
    static void createReady(Kubectl k, Path tmp, String ns, String name) throws Exception {
        Path file = Files.createTempFile(tmp, "pod", ".yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  nodeName: w1-k8s
                  containers: [{name: nginx, image: nginx}]
                """.formatted(name));
        Kubectl.ok(k.run("-n", ns, "create", "-f", file.toString()));
        Kubectl.ok(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/" + name, "--timeout=60s"));
    }
}
