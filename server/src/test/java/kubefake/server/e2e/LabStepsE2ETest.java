package kubefake.server.e2e;

import static kubefake.server.e2e.Kubectl.ok;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The course's lab (../shared/lab/LAB.md, steps 1, 2, 4, 7, 8, 9, 10 and 12; step 5 is {@link KubeletStopE2ETest})
 * done with the real kubectl against the lab cluster, checking what the course's kubeadm cluster prints: columns,
 * generated names with their hashes, pods Running, describe's sections and events, the errors of the steps that fail.
 * The pods' pace does not matter here, so the cluster runs the {@code fast} lifecycle profile; each step works in a
 * namespace of its own (the lab's {@code default} namespace would mix the versions' and steps' objects).
 */
class LabStepsE2ETest {
    /** apimachinery's rand.SafeEncodeString alphabet: a pod-template-hash is up to 10 of them, a pod's suffix 5. */
    private static final String HASH = "[bcdfghjklmnpqrstvwxz2456789]{6,10}";
    private static final String SUFFIX = "[bcdfghjklmnpqrstvwxz2456789]{5}";
    private static final Duration SOON = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    @RegisterExtension
    static final LabCluster lab = LabCluster.realClock();

    static List<String> versions() {
        return List.of("1.29", "1.33");
    }

    private static Kubectl kubectl(String version) throws Exception {
        return new Kubectl(version, lab.cluster().adminConf(), Files.createTempDirectory(dir, "home"));
    }

    /** A namespace for one step and version, as a student's fresh cluster would have for the lab. */
    private static String namespace(Kubectl k, String step) {
        String ns = "lab-" + step + "-" + k.version().replace('.', '-');
        ok(k.run("create", "namespace", ns));
        return ns;
    }


    private static List<String> lines(String text) {
        String t = text.strip();
        return t.isEmpty() ? List.of() : Arrays.asList(t.split("\n"));
    }

    private static void assertLine(String regex, String text) {
        assertTrue(Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find(),
                () -> "expected a line matching /" + regex + "/ in:\n" + text);
    }

    /** Pods' rows of {@code get pods --no-headers}, polled until {@code count} of them are 1/1 Running (and no others). */
    private static List<String> running(Kubectl k, String ns, int count, String... selector) {
        List<String> args = new ArrayList<>(List.of("-n", ns, "get", "pods", "--no-headers"));
        args.addAll(List.of(selector));
        return lines(k.runUntil(SOON, r -> {
            List<String> rows = lines(r.out());
            return rows.size() == count && rows.stream().allMatch(l -> l.matches("\\S+ +1/1 +Running +0 +\\S+"));
        }, args.toArray(String[]::new)).out());
    }

    private static Path file(String name, String yaml) throws Exception {
        Path f = Files.createTempDirectory(dir, "yaml").resolve(name);
        Files.writeString(f, yaml);
        return f;
    }

    /** The lab's nginx-pod.yaml. */
    static final String NGINX_POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: nginx-pod
            spec:
              containers:
              - name: container-name
                image: nginx
            """;

    /** The lab's echo-hname.yaml: a 3-replica Deployment of sysnet4admin/echo-hname. */
    static final String ECHO_HNAME = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: echo-hname
              labels:
                app: nginx
            spec:
              replicas: 3
              selector:
                matchLabels:
                  app: nginx
              template:
                metadata:
                  labels:
                    app: nginx
                spec:
                  containers:
                  - name: echo-hname
                    image: sysnet4admin/echo-hname
            """;

    /** Step 1: the four nodes Ready, with roles, versions, addresses, OS image, kernel and container runtime. */
    @ParameterizedTest
    @MethodSource("versions")
    void step1TheFourNodesAreReady(String v) throws Exception {
        Kubectl k = kubectl(v);
        String nodes = ok(k.run("get", "nodes")).out();
        assertEquals(List.of("NAME STATUS ROLES AGE VERSION", "m-k8s Ready control-plane AGE v1.33.13", "w1-k8s Ready <none> AGE v1.33.13",
                        "w2-k8s Ready <none> AGE v1.33.13", "w3-k8s Ready <none> AGE v1.33.13"),
                lines(nodes).stream().map(l -> l.replaceAll(" +", " ").replaceAll(" \\d+[smhd]\\S* ", " AGE ")).toList(), nodes);

        String wide = ok(k.run("get", "nodes", "-o", "wide")).out();
        assertLine("^NAME +STATUS +ROLES +AGE +VERSION +INTERNAL-IP +EXTERNAL-IP +OS-IMAGE +KERNEL-VERSION +CONTAINER-RUNTIME$", wide);
        String os = " +<none> +Rocky Linux 9\\.5 \\(Blue Onyx\\) +5\\.14\\.0-[\\d.]+el9_5\\.x86_64 +containerd://1\\.7\\.\\d+$";
        assertLine("^m-k8s +Ready +control-plane +\\S+ +v1\\.33\\.13 +192\\.168\\.1\\.10" + os, wide);
        for (int i = 1; i <= 3; i++) assertLine("^w" + i + "-k8s +Ready +<none> +\\S+ +v1\\.33\\.13 +192\\.168\\.1\\.10" + i + os, wide);
    }

    /**
     * Step 2: kube-system's components as pods, all Running: the control plane's mirror pods named after m-k8s, a
     * kube-proxy and a calico-node on every node, two coredns pods named after their ReplicaSet's hash.
     */
    @ParameterizedTest
    @MethodSource("versions")
    void step2KubeSystemRunsAsPods(String v) throws Exception {
        Kubectl k = kubectl(v);
        List<String> rows = lines(k.runUntil(SOON, r -> r.out().contains("calico-kube-controllers-")
                        && lines(r.out()).stream().skip(1).filter(l -> l.startsWith("kube-system ")).allMatch(l -> l.contains(" Running ")),
                "get", "pods", "--all-namespaces").out());
        assertTrue(rows.get(0).matches("NAMESPACE +NAME +READY +STATUS +RESTARTS +AGE"), rows.get(0));
        List<String> names = rows.stream().skip(1).filter(l -> l.startsWith("kube-system ")).map(l -> l.split(" +")[1]).sorted().toList();
        String coredns = ok(k.run("-n", "kube-system", "get", "rs", "-l", "k8s-app=kube-dns", "-o", "jsonpath={.items[0].metadata.name}")).out();
        assertTrue(coredns.matches("coredns-" + HASH), coredns);
        String calico = ok(k.run("-n", "kube-system", "get", "rs", "-l", "k8s-app=calico-kube-controllers", "-o",
                "jsonpath={.items[0].metadata.name}")).out();
        List<String> expected = List.of(calico + "-" + SUFFIX, "calico-node-" + SUFFIX, "calico-node-" + SUFFIX, "calico-node-" + SUFFIX,
                "calico-node-" + SUFFIX, coredns + "-" + SUFFIX, coredns + "-" + SUFFIX, "etcd-m-k8s", "kube-apiserver-m-k8s",
                "kube-controller-manager-m-k8s", "kube-proxy-" + SUFFIX, "kube-proxy-" + SUFFIX, "kube-proxy-" + SUFFIX,
                "kube-proxy-" + SUFFIX, "kube-scheduler-m-k8s");
        assertEquals(expected.size(), names.size(), names::toString);
        for (int i = 0; i < names.size(); i++) assertTrue(names.get(i).matches(expected.get(i)), names + " against " + expected);
        for (String row : rows.subList(1, rows.size())) {
            if (row.startsWith("kube-system ")) assertTrue(row.matches("kube-system +\\S+ +1/1 +Running +0 +\\S+"), row);
        }
        assertEquals(withoutAges(rows), withoutAges(lines(ok(k.run("get", "pods", "-A")).out())), "-A is --all-namespaces");

        // a kube-proxy and a calico-node on each node, with the node's address (hostNetwork)
        String wide = ok(k.run("-n", "kube-system", "get", "pods", "-o", "wide", "--no-headers")).out();
        for (String node : List.of("m-k8s", "w1-k8s", "w2-k8s", "w3-k8s")) {
            String ip = node.equals("m-k8s") ? "192\\.168\\.1\\.10" : "192\\.168\\.1\\.10" + node.charAt(1);
            assertLine("^kube-proxy-" + SUFFIX + " +1/1 +Running +0 +\\S+ +" + ip + " +" + node + " ", wide);
            assertLine("^calico-node-" + SUFFIX + " +1/1 +Running +0 +\\S+ +" + ip + " +" + node + " ", wide);
        }
        assertLine("^" + coredns + "-" + SUFFIX + " +1/1 +Running +0 +\\S+ +172\\.16\\.\\d+\\.\\d+ +w[1-3]-k8s ", wide);
    }

    /** kube-system's rows of {@code get pods -A} without their ages (which change between two runs). */
    private static List<String> withoutAges(List<String> rows) {
        return rows.stream().filter(l -> l.startsWith("kube-system ")).map(l -> l.replaceAll(" \\d+[smhd]\\S*$", " AGE")).toList();
    }

    /** Step 4 (without curl): nginx-pod.yaml created, Running on a worker with a Calico address. */
    @ParameterizedTest
    @MethodSource("versions")
    void step4APodFromAFileRunsOnAWorkerWithAnAddress(String v) throws Exception {
        Kubectl k = kubectl(v);
        String ns = namespace(k, "step4");
        Path yaml = file("nginx-pod.yaml", NGINX_POD);
        assertEquals("pod/nginx-pod created\n", ok(k.run("-n", ns, "create", "-f", yaml.toString())).out());
        String wide = k.runUntil(SOON, r -> r.out().contains(" Running "), "-n", ns, "get", "pods", "-o", "wide").out();
        assertLine("^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES$", wide);
        assertLine("^nginx-pod +1/1 +Running +0 +\\d+s +172\\.16\\.\\d+\\.\\d+ +w[1-3]-k8s +<none> +<none>$", wide);
    }

    /**
     * Step 7: {@code run} makes a pod; {@code create nginx --image} is a client-side error (no pod made);
     * {@code create deployment} makes one pod named after its ReplicaSet; the pods get addresses.
     */
    @ParameterizedTest
    @MethodSource("versions")
    void step7RunAndCreateDeployment(String v) throws Exception {
        Kubectl k = kubectl(v);
        String ns = namespace(k, "step7");
        assertEquals("pod/nginx-pod created\n", ok(k.run("-n", ns, "run", "nginx-pod", "--image=nginx")).out());
        Kubectl.Result wrong = k.run("-n", ns, "create", "nginx", "--image=nginx");
        assertEquals(1, wrong.exitCode(), wrong::toString);
        assertEquals("error: unknown flag: --image\nSee 'kubectl create --help' for usage.\n", wrong.err());
        assertEquals("deployment.apps/dpy-nginx created\n", ok(k.run("-n", ns, "create", "deployment", "dpy-nginx", "--image=nginx")).out());
        running(k, ns, 2);
        String wide = ok(k.run("-n", ns, "get", "pods", "-o", "wide", "--no-headers")).out();
        assertLine("^dpy-nginx-" + HASH + "-" + SUFFIX + " +1/1 +Running +0 +\\S+ +172\\.16\\.\\d+\\.\\d+ +w[1-3]-k8s +<none> +<none>$", wide);
        assertLine("^nginx-pod +1/1 +Running +0 +\\S+ +172\\.16\\.\\d+\\.\\d+ +w[1-3]-k8s +<none> +<none>$", wide);
        List<String> ips = lines(ok(k.run("-n", ns, "get", "pods", "-o", "jsonpath={range .items[*]}{.status.podIP}{\"\\n\"}{end}")).out());
        assertEquals(2, ips.stream().distinct().count(), ips::toString);
    }

    /**
     * Step 8: {@code describe pod} of a Deployment's pod prints every section of the notes' sample (on a containerd
     * cluster of 1.29+: the projected kube-api-access volume instead of the old token Secret), with its events.
     */
    @ParameterizedTest
    @MethodSource("versions")
    void step8DescribePodPrintsEverySection(String v) throws Exception {
        Kubectl k = kubectl(v);
        String ns = namespace(k, "step8");
        ok(k.run("-n", ns, "create", "deployment", "dpy-hname", "--image=sysnet4admin/echo-hname"));
        String pod = running(k, ns, 1).get(0).split(" +")[0];
        Matcher name = Pattern.compile("dpy-hname-(" + HASH + ")-" + SUFFIX).matcher(pod);
        assertTrue(name.matches(), pod);
        String hash = name.group(1);
        // the kubelet's events are written just after its status: poll until Started is there
        String out = k.runUntil(SOON, r -> r.out().contains("Started container"), "-n", ns, "describe", "pod", pod).out();

        List<String> sections = lines(out).stream().filter(l -> l.matches("[A-Z][A-Za-z -]+:.*")).map(l -> l.substring(0, l.indexOf(':'))).toList();
        assertEquals(List.of("Name", "Namespace", "Priority", "Service Account", "Node", "Start Time", "Labels", "Annotations", "Status",
                "IP", "IPs", "Controlled By", "Containers", "Conditions", "Volumes", "QoS Class", "Node-Selectors", "Tolerations",
                "Events"), sections, out);
        assertLine("^Name: +" + pod + "$", out);
        assertLine("^Namespace: +" + ns + "$", out);
        assertLine("^Priority: +0$", out);
        assertLine("^Service Account: +default$", out);
        Matcher node = Pattern.compile("^Node: +(w([1-3])-k8s)/192\\.168\\.1\\.10\\2$", Pattern.MULTILINE).matcher(out);
        assertTrue(node.find(), out);
        assertLine("^Start Time: +\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000$", out);
        assertLine("^Labels: +app=dpy-hname\n +pod-template-hash=" + hash + "$", out);
        Matcher ip = Pattern.compile("^Annotations: +cni\\.projectcalico\\.org/containerID: [0-9a-f]{64}\n +cni\\.projectcalico\\.org/podIP: "
                + "(172\\.16\\.\\d+\\.\\d+)/32\n +cni\\.projectcalico\\.org/podIPs: \\1/32$", Pattern.MULTILINE).matcher(out);
        assertTrue(ip.find(), out);
        String podIp = Pattern.quote(ip.group(1));
        assertLine("^Status: +Running$", out);
        assertLine("^IP: +" + podIp + "\nIPs:\n  IP: +" + podIp + "$", out);
        assertLine("^Controlled By: +ReplicaSet/dpy-hname-" + hash + "$", out);
        assertLine("^Containers:\n  echo-hname:\n"
                + "    Container ID: +containerd://[0-9a-f]{64}\n"
                + "    Image: +sysnet4admin/echo-hname\n"
                + "    Image ID: +docker\\.io/sysnet4admin/echo-hname@sha256:[0-9a-f]{64}\n"
                + "    Port: +<none>\n"
                + "    Host Port: +<none>\n"
                + "    State: +Running\n"
                + "      Started: +\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000\n"
                + "    Ready: +True\n"
                + "    Restart Count: +0\n"
                + "    Environment: +<none>\n"
                + "    Mounts:\n"
                + "      /var/run/secrets/kubernetes\\.io/serviceaccount from (kube-api-access-" + SUFFIX + ") \\(ro\\)$", out);
        assertLine("^Conditions:\n  Type +Status\n  PodReadyToStartContainers +True \n  Initialized +True \n  Ready +True \n"
                + "  ContainersReady +True \n  PodScheduled +True $", out);
        // (kubectl 1.29 prints the projected ConfigMap's optional pointer as ConfigMapOptional: <nil>)
        assertLine("^Volumes:\n  kube-api-access-" + SUFFIX + ":\n"
                + "    Type: +Projected \\(a volume that contains injected data from multiple sources\\)\n"
                + "    TokenExpirationSeconds: +3607\n"
                + "    ConfigMapName: +kube-root-ca\\.crt\n"
                + "    (Optional: +false|ConfigMapOptional: +<nil>)\n"
                + "    DownwardAPI: +true$", out);
        assertLine("^QoS Class: +BestEffort$", out);
        assertLine("^Node-Selectors: +<none>$", out);
        assertLine("^Tolerations: +node\\.kubernetes\\.io/not-ready:NoExecute op=Exists for 300s\n"
                + " +node\\.kubernetes\\.io/unreachable:NoExecute op=Exists for 300s$", out);
        String image = Pattern.quote("\"sysnet4admin/echo-hname\"");
        assertLine("^Events:\n"
                + "  Type +Reason +Age +From +Message\n"
                + "  ---- +------ +---- +---- +-------\n"
                + "  Normal +Scheduled +\\S+ +default-scheduler +Successfully assigned " + ns + "/" + pod + " to " + node.group(1) + "\n"
                + "  Normal +Pulling +\\S+ +kubelet +Pulling image " + image + "\n"
                + "  Normal +Pulled +\\S+ +kubelet +Successfully pulled image " + image + " in (\\S+) \\(\\1 including waiting\\)\\."
                + " Image size: \\d+ bytes\\.\n"
                + "  Normal +Created +\\S+ +kubelet +Created container: echo-hname\n"
                + "  Normal +Started +\\S+ +kubelet +Started container echo-hname$", out);
    }

    /** Step 9: a bare pod has no scale subresource; a Deployment scales to 3 ready replicas. */
    @ParameterizedTest
    @MethodSource("versions")
    void step9ScaleADeploymentNotABarePod(String v) throws Exception {
        Kubectl k = kubectl(v);
        String ns = namespace(k, "step9");
        ok(k.run("-n", ns, "run", "nginx-pod", "--image=nginx"));
        ok(k.run("-n", ns, "create", "deployment", "dpy-nginx", "--image=nginx"));
        Kubectl.Result pod = k.run("-n", ns, "scale", "pod", "nginx-pod", "--replicas=3");
        assertEquals(1, pod.exitCode(), pod::toString);
        assertEquals("Error from server (NotFound): the server could not find the requested resource\n", pod.err());
        assertEquals("deployment.apps/dpy-nginx scaled\n", ok(k.run("-n", ns, "scale", "deployment", "dpy-nginx", "--replicas=3")).out());
        List<String> pods = running(k, ns, 3, "-l", "app=dpy-nginx");
        for (String row : pods) assertTrue(row.matches("dpy-nginx-" + HASH + "-" + SUFFIX + " .*"), row);
        k.runUntil(SOON, r -> r.out().matches("(?s)NAME +READY +UP-TO-DATE +AVAILABLE +AGE\ndpy-nginx +3/3 +3 +3 +\\S+\n"),
                "-n", ns, "get", "deployment", "dpy-nginx");
        running(k, ns, 1, "nginx-pod");
    }

    /**
     * Step 10: echo-hname.yaml makes 3 replicas; after {@code sed} to 6, {@code create -f} fails with AlreadyExists and
     * {@code apply -f} scales the Deployment to 6 ready replicas.
     */
    @ParameterizedTest
    @MethodSource("versions")
    void step10CreateTwiceFailsApplyScales(String v) throws Exception {
        Kubectl k = kubectl(v);
        String ns = namespace(k, "step10");
        Path yaml = file("echo-hname.yaml", ECHO_HNAME);
        assertEquals("deployment.apps/echo-hname created\n", ok(k.run("-n", ns, "create", "-f", yaml.toString())).out());
        running(k, ns, 3);
        Files.writeString(yaml, Files.readString(yaml).replace("replicas: 3", "replicas: 6"));

        Kubectl.Result again = k.run("-n", ns, "create", "-f", yaml.toString());
        assertEquals(1, again.exitCode(), again::toString);
        assertEquals("Error from server (AlreadyExists): error when creating \"" + yaml + "\": deployments.apps \"echo-hname\" already exists\n",
                again.err());

        Kubectl.Result apply = ok(k.run("-n", ns, "apply", "-f", yaml.toString()));
        assertEquals("deployment.apps/echo-hname configured\n", apply.out());
        assertTrue(apply.err().startsWith("Warning: resource deployments/echo-hname is missing the kubectl.kubernetes.io/last-applied-configuration"
                + " annotation which is required by kubectl apply."), apply::toString);
        List<String> pods = running(k, ns, 6);
        for (String row : pods) assertTrue(row.matches("echo-hname-" + HASH + "-" + SUFFIX + " .*"), row);
        k.runUntil(SOON, r -> r.out().matches("echo-hname +6/6 +6 +6 +\\S+\n"), "-n", ns, "get", "deployment", "--no-headers");
    }

    /**
     * Step 12: a deleted Deployment pod is replaced by exactly one new pod; a deleted bare pod is gone. Also what
     * {@code kubectl wait} sees of both ({@code --for=condition=Ready}, {@code --for=delete}).
     */
    @ParameterizedTest
    @MethodSource("versions")
    void step12ADeploymentReplacesADeletedPodABarePodIsGone(String v) throws Exception {
        Kubectl k = kubectl(v);
        String ns = namespace(k, "step12");
        ok(k.run("-n", ns, "run", "nginx-pod", "--image=nginx"));
        ok(k.run("-n", ns, "create", "deployment", "dpy-nginx", "--image=nginx", "--replicas=3"));
        assertEquals("pod/nginx-pod condition met\n", ok(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/nginx-pod", "--timeout=30s")).out());
        List<String> before = running(k, ns, 3, "-l", "app=dpy-nginx").stream().map(l -> l.split(" +")[0]).toList();

        String victim = before.get(1);
        assertEquals("pod \"" + victim + "\" deleted\n", ok(k.run("-n", ns, "delete", "pod", victim)).out());
        List<String> after = running(k, ns, 3, "-l", "app=dpy-nginx").stream().map(l -> l.split(" +")[0]).toList();
        assertTrue(!after.contains(victim) && after.containsAll(List.of(before.get(0), before.get(2))), before + " then " + after);
        String replacement = after.stream().filter(p -> !before.contains(p)).findFirst().orElseThrow();
        assertEquals(before.get(0).substring(0, before.get(0).lastIndexOf('-')), replacement.substring(0, replacement.lastIndexOf('-')),
                "the same ReplicaSet's pod");
        // exactly one: the ReplicaSet made one pod for the one deleted, as its events say
        String created = ok(k.run("-n", ns, "get", "events", "--field-selector", "reason=SuccessfulCreate", "-o",
                "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}")).out();
        assertEquals(4, lines(created).size(), created);
        assertEquals(3, lines(ok(k.run("-n", ns, "get", "pods", "-l", "app=dpy-nginx", "--no-headers")).out()).size());

        assertEquals("pod \"nginx-pod\" deleted\n", ok(k.run("-n", ns, "delete", "pod", "nginx-pod")).out());
        Kubectl.Result gone = k.run("-n", ns, "get", "pod", "nginx-pod");
        assertEquals(1, gone.exitCode(), gone::toString);
        assertEquals("Error from server (NotFound): pods \"nginx-pod\" not found\n", gone.err());
        assertNotEquals("", ok(k.run("-n", ns, "get", "deploy", "dpy-nginx", "--no-headers")).out());

        // a pod that takes its grace period to stop (sleep as PID 1 ignores SIGTERM): kubectl wait --for=delete, started
        // before the deletion, returns once the pod is gone
        ok(k.run("-n", ns, "run", "sleeper", "--image=busybox", "--overrides={\"spec\":{\"terminationGracePeriodSeconds\":5}}",
                "--", "sleep", "3600"));
        ok(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/sleeper", "--timeout=30s"));
        Path waitOut = Files.createTempDirectory(dir, "wait").resolve("out");
        Process wait = k.start(waitOut, "-n", ns, "wait", "--for=delete", "pod/sleeper", "--timeout=60s");
        try {
            assertEquals("pod \"sleeper\" deleted\n", ok(k.run("-n", ns, "delete", "pod", "sleeper", "--wait=false")).out());
            assertLine("^sleeper +1/1 +Terminating +0 ", ok(k.run("-n", ns, "get", "pod", "sleeper")).out());
            assertTrue(wait.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "kubectl wait --for=delete returns");
            assertEquals(0, wait.exitValue());
            assertEquals("pod/sleeper condition met\n", Files.readString(waitOut));
        } finally {
            wait.destroyForcibly();
        }
        assertEquals(1, k.run("-n", ns, "get", "pod", "sleeper").exitCode());
    }
}
