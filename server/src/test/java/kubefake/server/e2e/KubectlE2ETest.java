package kubefake.server.e2e;

import kubefake.testkit.Reference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real kubectl binaries (1.27, 1.29, 1.31, 1.33) against a real kubefake server: what they print must be what
 * they print against a real cluster (the recorded transcripts where they exist).
 */
class KubectlE2ETest {

    static List<String> versions() {
        return Kubectl.VERSIONS;
    }

    private static String ns(Kubectl k, String what) {
        return "e2e-" + what + "-" + k.version().replace('.', '-');
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
    void getNodesShowsTheLabNodesReady(String v) {
        Kubectl k = TestCluster.kubectl(v);
        Kubectl.Result r = k.run("get", "nodes");
        assertOk(r);
        String[] lines = r.out().split("\n");
        assertLines("^NAME +STATUS +ROLES +AGE +VERSION$", lines[0]);
        assertLines("^m-k8s +Ready +control-plane +\\d+[smh]\\S* +v1\\.33\\.13$", r.out());
        for (String w : List.of("w1-k8s", "w2-k8s", "w3-k8s")) assertLines("^" + w + " +Ready +<none> +\\d+[smh]\\S* +v1\\.33\\.13$", r.out());
        assertEquals(5, lines.length, r.out());

        Kubectl.Result wide = k.run("get", "nodes", "-o", "wide");
        assertOk(wide);
        assertLines("^NAME +STATUS +ROLES +AGE +VERSION +INTERNAL-IP +EXTERNAL-IP +OS-IMAGE +KERNEL-VERSION +CONTAINER-RUNTIME$", wide.out());
        assertLines("^m-k8s +Ready +control-plane +\\d+[smh]\\S* +v1\\.33\\.13 +192\\.168\\.1\\.10 +<none> +Rocky Linux 9\\.5 \\(Blue Onyx\\) +5\\.14\\.\\S+ +containerd://\\S+$", wide.out());
        assertLines("^w3-k8s .* 192\\.168\\.1\\.103 ", wide.out());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void apiResourcesListsTheServedResources(String v) {
        Kubectl.Result r = TestCluster.kubectl(v).run("api-resources");
        assertOk(r);
        assertLines("^NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND$", r.out());
        assertLines("^pods +po +v1 +true +Pod$", r.out());
        assertLines("^deployments +deploy +apps/v1 +true +Deployment$", r.out());
        assertLines("^namespaces +ns +v1 +false +Namespace$", r.out());
        assertLines("^replicasets +rs +apps/v1 +true +ReplicaSet$", r.out());
        assertLines("^leases +coordination\\.k8s\\.io/v1 +true +Lease$", r.out());
        assertLines("^events +ev +events\\.k8s\\.io/v1 +true +Event$", r.out());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void generatorCommandsCreateObjects(String v) {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "gen");
        assertEquals("namespace/" + ns + " created\n", k.run("create", "namespace", ns).out());
        Kubectl.Result cm = k.run("-n", ns, "create", "configmap", "cfg", "--from-literal=a=b");
        assertOk(cm);
        assertEquals("configmap/cfg created\n", cm.out());
        assertEquals("b", k.run("-n", ns, "get", "cm", "cfg", "-o", "jsonpath={.data.a}").out());
        Kubectl.Result secret = k.run("-n", ns, "create", "secret", "generic", "sec", "--from-literal=password=s3cret");
        assertEquals("secret/sec created\n", secret.out(), secret::toString);
        assertEquals("Opaque", k.run("-n", ns, "get", "secret", "sec", "-o", "jsonpath={.type}").out());
        Kubectl.Result deploy = k.run("-n", ns, "create", "deployment", "dpy-nginx", "--image=nginx");
        assertEquals("deployment.apps/dpy-nginx created\n", deploy.out(), deploy::toString);
        assertEquals("1", k.run("-n", ns, "get", "deploy", "dpy-nginx", "-o", "jsonpath={.spec.replicas}").out());
        Kubectl.Result again = k.run("-n", ns, "create", "configmap", "cfg", "--from-literal=a=b");
        assertEquals(1, again.exitCode());
        assertEquals("error: failed to create configmap: configmaps \"cfg\" already exists\n", again.err());
        Kubectl.Result svc = k.run("-n", ns, "create", "service", "nodeport", "web", "--tcp=80:80");
        assertEquals("service/web created\n", svc.out(), svc::toString);
        String nodePort = k.run("-n", ns, "get", "svc", "web", "-o", "jsonpath={.spec.ports[0].nodePort}").out();
        int port = Integer.parseInt(nodePort);
        assertTrue(port >= 30000 && port <= 32767, nodePort);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void podLifecycleAndErrors(String v, @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "pod");
        assertOk(k.run("create", "namespace", ns));
        Path pod = tmp.resolve("nginx-pod.yaml");
        Files.writeString(pod, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: nginx-pod
                  labels: {app: nginx, tier: front}
                spec:
                  containers:
                  - name: container-name
                    image: nginx
                """);
        Kubectl.Result created = k.run("-n", ns, "create", "-f", pod.toString());
        assertEquals("pod/nginx-pod created\n", created.out(), created::toString);
        Kubectl.Result again = k.run("-n", ns, "create", "-f", pod.toString());
        assertEquals(1, again.exitCode());
        assertLines("^Error from server \\(AlreadyExists\\): error when creating \"" + Pattern.quote(pod.toString())
                + "\": pods \"nginx-pod\" already exists$", again.err());
        Kubectl.Result get = k.run("-n", ns, "get", "pods");
        assertOk(get);
        assertLines("^NAME +READY +STATUS +RESTARTS +AGE$", get.out());
        assertLines("^nginx-pod +[01]/1 +(Pending|ContainerCreating|Running) +0 +\\d+s$", get.out());
        assertLines("^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES$",
                k.run("-n", ns, "get", "pods", "-o", "wide").out());
        assertLines("^" + ns + " +nginx-pod +[01]/1 +(Pending|ContainerCreating|Running) ", k.run("get", "pods", "-A").out());
        assertEquals("pod/nginx-pod\n", k.run("-n", ns, "get", "pods", "-l", "app=nginx,tier in (front)", "-o", "name").out());
        assertEquals("", k.run("-n", ns, "get", "pods", "-l", "app!=nginx", "-o", "name").out());
        assertEquals("pod/nginx-pod\n", k.run("-n", ns, "get", "pods", "--field-selector", "metadata.name=nginx-pod", "-o", "name").out());
        assertLines("app=nginx,tier=front", k.run("-n", ns, "get", "pods", "--show-labels").out());
        Kubectl.Result missing = k.run("-n", ns, "get", "pod", "nope");
        assertEquals(1, missing.exitCode());
        assertEquals("Error from server (NotFound): pods \"nope\" not found\n", missing.err());
        Kubectl.Result scalePod = k.run("-n", ns, "scale", "pod", "nginx-pod", "--replicas=3");
        assertEquals(1, scalePod.exitCode());
        assertEquals(Reference.kubectlErr("1.33", "scale-pod"), scalePod.err());
        Kubectl.Result label = k.run("-n", ns, "label", "pod", "nginx-pod", "color=blue");
        assertEquals("pod/nginx-pod labeled\n", label.out(), label::toString);
        Kubectl.Result deleted = k.run("-n", ns, "delete", "pod", "nginx-pod");
        assertEquals("pod \"nginx-pod\" deleted\n", deleted.out(), deleted::toString);
        Kubectl.Result deleteNs = k.run("delete", "namespace", ns, "--timeout=60s");
        assertEquals("namespace \"" + ns + "\" deleted\n", deleteNs.out(), deleteNs::toString);
        assertEquals(1, k.run("get", "namespace", ns).exitCode());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void deploymentCreateApplyScaleDelete(String v, @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "deploy");
        assertOk(k.run("create", "namespace", ns));
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: echo-hname
                  labels: {app: nginx}
                spec:
                  replicas: 3
                  selector:
                    matchLabels: {app: nginx}
                  template:
                    metadata:
                      labels: {app: nginx}
                    spec:
                      containers:
                      - name: echo-hname
                        image: sysnet4admin/echo-hname
                """;
        Path d3 = tmp.resolve("echo-hname.yaml");
        Files.writeString(d3, yaml);
        Kubectl.Result created = k.run("-n", ns, "create", "-f", d3.toString());
        assertEquals("deployment.apps/echo-hname created\n", created.out(), created::toString);
        assertLines("^NAME +READY +UP-TO-DATE +AVAILABLE +AGE$", k.run("-n", ns, "get", "deploy").out());
        Files.writeString(d3, yaml.replace("replicas: 3", "replicas: 6"));
        Kubectl.Result again = k.run("-n", ns, "create", "-f", d3.toString());
        assertEquals(1, again.exitCode());
        assertLines("Error from server \\(AlreadyExists\\): error when creating .*: deployments\\.apps \"echo-hname\" already exists", again.err());
        Kubectl.Result applied = k.run("-n", ns, "apply", "-f", d3.toString());
        assertEquals("deployment.apps/echo-hname configured\n", applied.out(), applied::toString);
        assertEquals("6", k.run("-n", ns, "get", "deploy", "echo-hname", "-o", "jsonpath={.spec.replicas}").out());
        Kubectl.Result unchanged = k.run("-n", ns, "apply", "-f", d3.toString());
        assertEquals("deployment.apps/echo-hname unchanged\n", unchanged.out(), unchanged::toString);
        Kubectl.Result scaled = k.run("-n", ns, "scale", "deployment", "echo-hname", "--replicas=2");
        assertEquals("deployment.apps/echo-hname scaled\n", scaled.out(), scaled::toString);
        assertEquals("2", k.run("-n", ns, "get", "deploy", "echo-hname", "-o", "jsonpath={.spec.replicas}").out());
        Kubectl.Result image = k.run("-n", ns, "set", "image", "deployment/echo-hname", "echo-hname=nginx:1.25");
        assertEquals("deployment.apps/echo-hname image updated\n", image.out(), image::toString);
        assertEquals("nginx:1.25", k.run("-n", ns, "get", "deploy", "echo-hname", "-o",
                "jsonpath={.spec.template.spec.containers[0].image}").out());
        Kubectl.Result deleted = k.run("-n", ns, "delete", "-f", d3.toString());
        assertEquals("deployment.apps \"echo-hname\" deleted\n", deleted.out(), deleted::toString);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void watchPrintsNewObjects(String v, @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "watch");
        assertOk(k.run("create", "namespace", ns));
        assertOk(k.run("-n", ns, "create", "configmap", "before"));
        Path out = tmp.resolve("watch.txt");
        Process watch = k.start(out, "-n", ns, "get", "cm", "-w");
        try {
            waitFor(out, "before", 20_000);
            assertOk(k.run("-n", ns, "create", "configmap", "watched"));
            waitFor(out, "watched", 20_000);
        } finally {
            watch.destroy();
        }
        String text = Files.readString(out);
        assertLines("^NAME +DATA +AGE$", text);
        assertLines("^watched +0 +\\d+s$", text);

        Path single = tmp.resolve("single.txt");
        Process one = k.start(single, "-n", ns, "get", "cm", "watched", "-w");
        try {
            waitFor(single, "watched", 20_000);
            // the watch from resourceVersion=0 starts with a synthetic ADDED that kubectl drops: no second row yet
            Thread.sleep(1000);
            assertEquals(1, Files.readString(single).lines().filter(l -> l.startsWith("watched")).count(), Files.readString(single));
            assertOk(k.run("-n", ns, "label", "cm", "watched", "x=y"));
            waitForLines(single, "watched", 2, 20_000);
        } finally {
            one.destroy();
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void unknownFieldsAreRefusedOrWarnedAbout(String v, @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "fields");
        assertOk(k.run("create", "namespace", ns));
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad-cm\nfoo: bar\n");
        Kubectl.Result strict = k.run("-n", ns, "create", "-f", bad.toString());
        assertEquals(1, strict.exitCode(), strict::toString);
        assertEquals("Error from server (BadRequest): error when creating \"" + bad + "\": ConfigMap in version \"v1\" "
                + "cannot be handled as a ConfigMap: strict decoding error: unknown field \"foo\"\n", strict.err());
        Kubectl.Result warn = k.run("-n", ns, "create", "-f", bad.toString(), "--validate=warn");
        assertEquals("configmap/bad-cm created\n", warn.out(), warn::toString);
        assertEquals("Warning: unknown field \"foo\"\n", warn.err());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void explainPrintsTheRealDocumentation(String v) {
        Kubectl.Result r = TestCluster.kubectl(v).run("explain", "pod.spec.containers");
        assertOk(r);
        if (!v.equals("1.31")) assertEquals(Reference.kubectlOut(v, "explain-pod-spec"), r.out());
        else assertTrue(r.out().startsWith("KIND:       Pod\nVERSION:    v1\n\nFIELD: containers <[]Container>"), r.out());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void authCanIAndWhoAmI(String v) {
        Kubectl k = TestCluster.kubectl(v);
        assertEquals("yes\n", k.run("auth", "can-i", "create", "pods").out());
        Kubectl.Result whoami = k.run("auth", "whoami");
        if (v.equals("1.27")) {
            // kubectl 1.27 asks for v1beta1/v1alpha1 only, which a 1.33 server no longer serves
            assertEquals(1, whoami.exitCode(), whoami::toString);
            assertTrue(whoami.err().startsWith("error: the selfsubjectreviews API is not enabled in the cluster"), whoami::toString);
        } else {
            assertOk(whoami);
            assertLines("^Username +kubernetes-admin$", whoami.out());
            assertLines("^Groups +\\[kubeadm:cluster-admins system:authenticated\\]$", whoami.out());
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void describeReplaceAndEdit(String v, @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        Kubectl.Result node = k.run("describe", "node", "w1-k8s");
        assertOk(node);
        assertLines("^  OS Image: +Rocky Linux 9\\.5 \\(Blue Onyx\\)$", node.out());
        assertLines("^  HolderIdentity: +w1-k8s$", node.out());
        assertLines("^  InternalIP: +192\\.168\\.1\\.101$", node.out());
        String ns = ns(k, "edit");
        assertOk(k.run("create", "namespace", ns));
        assertOk(k.run("-n", ns, "create", "configmap", "settings", "--from-literal=mode=slow"));
        Path yaml = tmp.resolve("settings.yaml");
        Files.writeString(yaml, k.run("-n", ns, "get", "cm", "settings", "-o", "yaml").out().replace("mode: slow", "mode: fast"));
        Kubectl.Result replaced = k.run("-n", ns, "replace", "-f", yaml.toString());
        assertEquals("configmap/settings replaced\n", replaced.out(), replaced::toString);
        assertEquals("fast", k.run("-n", ns, "get", "cm", "settings", "-o", "jsonpath={.data.mode}").out());
        Kubectl.Result stale = k.run("-n", ns, "replace", "-f", yaml.toString());
        assertEquals(1, stale.exitCode(), stale::toString);
        assertLines("Error from server \\(Conflict\\): error when replacing .*: Operation cannot be fulfilled on configmaps "
                + "\"settings\": the object has been modified; please apply your changes to the latest version and try again", stale.err());
        Kubectl.Result edited = k.env("KUBE_EDITOR", "sed -i s/mode:\\ fast/mode:\\ turbo/").run("-n", ns, "edit", "cm", "settings");
        assertEquals("configmap/settings edited\n", edited.out(), edited::toString);
        assertEquals("turbo", k.run("-n", ns, "get", "cm", "settings", "-o", "jsonpath={.data.mode}").out());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void clusterInfoListsTheControlPlaneAndCoreDns(String v) {
        Kubectl.Result r = TestCluster.kubectl(v).run("cluster-info");
        assertOk(r);
        String reference = v.equals("1.31") ? Reference.kubectlOut("1.29", "cluster-info") : Reference.kubectlOut(v, "cluster-info");
        assertEquals(reference.replace("https://127.0.0.1:16443", TestCluster.get().serverUrl()), r.out());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void describeNamespaceIsWhatARealClusterPrints(String v) {
        Kubectl k = TestCluster.kubectl(v);
        assertOk(k.run("create", "namespace", "ref-" + k.version().replace('.', '-')));
        Kubectl.Result r = k.run("describe", "ns", "ref-" + k.version().replace('.', '-'));
        assertEquals(Reference.kubectlOut("1.33", "describe-ns").replace("ref", "ref-" + k.version().replace('.', '-')), r.out());
    }

    @org.junit.jupiter.api.Test
    void waitWithTheWatchListClientUsesOneStreamingWatch() throws Exception {
        Kubectl k = TestCluster.kubectl("1.33").env("KUBE_FEATURE_WatchListClient", "true");
        String ns = "e2e-watchlist";
        assertOk(k.run("create", "namespace", ns));
        assertOk(k.run("-n", ns, "create", "configmap", "soon-gone"));
        Thread deleter = new Thread(() -> {
            try {
                Thread.sleep(3000); // after kubectl has opened its watch
            } catch (InterruptedException e) {
                return;
            }
            k.run("-n", ns, "delete", "configmap", "soon-gone");
        });
        deleter.start();
        Kubectl.Result r = k.run("-n", ns, "wait", "--for=delete", "configmap/soon-gone", "--timeout=20s", "-v=6");
        deleter.join();
        assertOk(r);
        assertLines("sendInitialEvents=true.*watch=true\" status=\"200 OK\"", r.err());
        assertTrue(!r.err().contains("falling back"), r.err());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void versionReportsTheServer(String v) {
        Kubectl.Result r = TestCluster.kubectl(v).run("version");
        assertOk(r);
        if (v.equals("1.27")) assertLines("^Server Version: version\\.Info\\{Major:\"1\", Minor:\"33\", GitVersion:\"v1\\.33\\.13\"", r.out());
        else assertLines("^Server Version: v1\\.33\\.13$", r.out());
    }

    private static void waitFor(Path file, String text, long millis) throws Exception {
        waitForLines(file, text, 1, millis);
    }

    private static void waitForLines(Path file, String text, int count, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            long n = Files.readString(file).lines().filter(l -> l.contains(text)).count();
            if (n >= count) return;
            Thread.sleep(50);
        }
        throw new AssertionError("no " + count + " lines with '" + text + "' in " + file + ":\n" + Files.readString(file));
    }
}
