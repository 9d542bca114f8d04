package kubefake.server.e2e;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulated kubelets as the real kubectl shows them (LAB.md steps 2 and 4): kube-system's static pods running, and
 * a pod bound to a worker (nodeName in its spec) running with a Calico IP and the kubelet's events in describe.
 */
class KubeletE2ETest {

    static List<String> versions() {
        return List.of("1.29", "1.33");
    }

    private static void assertOk(Kubectl.Result r) {
        assertEquals(0, r.exitCode(), r::toString);
    }

    private static void assertLines(String expectedRegex, String text) {
        assertTrue(Pattern.compile(expectedRegex, Pattern.MULTILINE).matcher(text).find(),
                () -> "expected a line matching /" + expectedRegex + "/ in:\n" + text);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void theControlPlanesStaticPodsRunInKubeSystem(String v) {
        Kubectl k = TestCluster.kubectl(v);
        assertOk(k.run("-n", "kube-system", "wait", "--for=condition=Ready", "pod/etcd-m-k8s", "pod/kube-apiserver-m-k8s",
                "pod/kube-controller-manager-m-k8s", "pod/kube-scheduler-m-k8s", "--timeout=60s"));
        Kubectl.Result pods = k.run("get", "pods", "-A", "-o", "wide");
        assertOk(pods);
        for (String name : List.of("etcd-m-k8s", "kube-apiserver-m-k8s", "kube-controller-manager-m-k8s", "kube-scheduler-m-k8s")) {
            assertLines("^kube-system +" + name + " +1/1 +Running +0 +\\d+[sm]\\S* +192\\.168\\.1\\.10 +m-k8s +<none> +<none>$", pods.out());
        }
        Kubectl.Result ds = k.run("-n", "kube-system", "get", "daemonsets", "-o", "name");
        assertEquals("daemonset.apps/calico-node\ndaemonset.apps/kube-proxy\n", ds.out(), ds::toString);
        // the revision hash hashes the DaemonSet's template as the real controller serializes it: the same template
        // (image tag included) gives the recorded cluster's hash
        String recorded = null;
        for (var pod : kubefake.testkit.Reference.kubectlYaml("yaml-kube-system-pods").path("items")) {
            if ("kube-proxy".equals(pod.path("metadata").path("labels").path("k8s-app").asText())) {
                recorded = pod.path("metadata").path("labels").path("controller-revision-hash").asText();
            }
        }
        Kubectl.Result hashes = k.runUntil(java.time.Duration.ofSeconds(30), r -> r.out().lines().count() == 4,
                "-n", "kube-system", "get", "pods", "-l", "k8s-app=kube-proxy",
                "-o", "jsonpath={range .items[*]}{.metadata.labels.controller-revision-hash}{\"\\n\"}{end}");
        assertEquals((recorded + "\n").repeat(4), hashes.out(), hashes::toString);
        Kubectl.Result deploy = k.run("-n", "kube-system", "get", "deployments", "-o", "custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas,IMAGE:.spec.template.spec.containers[0].image");
        assertLines("^coredns +2 +registry\\.k8s\\.io/coredns/coredns:v1\\.12\\.0$", deploy.out());
        assertLines("^calico-kube-controllers +1 +docker\\.io/calico/kube-controllers:v3\\.\\d+\\.\\d+$", deploy.out());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void aPodBoundToAWorkerRunsWithACalicoAddressAndTheKubeletsEvents(String v, @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = "e2e-kubelet-" + v.replace('.', '-');
        assertOk(k.run("create", "namespace", ns));
        Path file = tmp.resolve("nginx-pod.yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: nginx-pod
                spec:
                  nodeName: w2-k8s
                  containers:
                  - name: container-name
                    image: nginx
                """);
        assertOk(k.run("-n", ns, "create", "-f", file.toString()));
        assertOk(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/nginx-pod", "--timeout=60s"));

        Kubectl.Result wide = k.run("-n", ns, "get", "pods", "-o", "wide");
        assertOk(wide);
        assertLines("^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES$", wide.out());
        Matcher row = Pattern.compile("^nginx-pod +1/1 +Running +0 +\\d+s +(172\\.16\\.103\\.\\d+) +w2-k8s +<none> +<none>$",
                Pattern.MULTILINE).matcher(wide.out());
        assertTrue(row.find(), wide.out());
        String ip = row.group(1);

        Kubectl.Result describe = k.run("-n", ns, "describe", "pod", "nginx-pod");
        assertOk(describe);
        String out = describe.out();
        assertLines("^Node: +w2-k8s/192\\.168\\.1\\.102$", out);
        assertLines("^Annotations: +cni\\.projectcalico\\.org/containerID: [0-9a-f]{64}$", out);
        assertLines("^ +cni\\.projectcalico\\.org/podIP: " + Pattern.quote(ip) + "/32$", out);
        assertLines("^Status: +Running$", out);
        assertLines("^IP: +" + Pattern.quote(ip) + "$", out);
        assertLines("^ +Container ID: +containerd://[0-9a-f]{64}$", out);
        assertLines("^ +Image: +nginx$", out);
        assertLines("^ +Image ID: +docker\\.io/library/nginx@sha256:[0-9a-f]{64}$", out);
        assertLines("^ +State: +Running$", out);
        assertLines("^ +Ready: +True$", out);
        assertLines("^ +PodReadyToStartContainers +True $", out);
        assertLines("^QoS Class: +BestEffort$", out);
        String events = out.substring(out.indexOf("Events:"));
        String[] lines = events.split("\n");
        assertTrue(lines[1].matches(" +Type +Reason +Age +From +Message"), events);
        int first = 3;
        assertTrue(lines[first].matches(" +Normal +Pulling +\\d+s +kubelet +Pulling image \"nginx\""), events);
        assertTrue(lines[first + 1].matches(" +Normal +Pulled +\\d+s +kubelet +Successfully pulled image \"nginx\" in (\\d+(\\.\\d+)?m?s)"
                + " \\(\\1 including waiting\\)\\. Image size: 72188133 bytes\\."), events);
        assertTrue(lines[first + 2].matches(" +Normal +Created +\\d+s +kubelet +Created container: container-name"), events);
        assertTrue(lines[first + 3].matches(" +Normal +Started +\\d+s +kubelet +Started container container-name"), events);

        Kubectl.Result deleted = k.run("-n", ns, "delete", "pod", "nginx-pod");
        assertEquals("pod \"nginx-pod\" deleted\n", deleted.out(), deleted::toString);
        assertEquals(1, k.run("-n", ns, "get", "pod", "nginx-pod").exitCode(), "the kubelet finished the deletion");
        assertOk(k.run("delete", "namespace", ns, "--timeout=60s"));
    }
}
