package kubefake.server.e2e;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kubectl logs} against the simulated containers: what nginx's image prints, the follow that ends with its
 * container, tails, timestamps, since, byte limits, previous runs, several containers and pods, and the errors.
 */
class PodLogsE2ETest {

    static List<String> versions() {
        return Kubectl.VERSIONS;
    }

    private static void assertOk(Kubectl.Result r) {
        assertEquals(0, r.exitCode(), r::toString);
    }

    private static String namespace(Kubectl k, String v) {
        String ns = "e2e-logs-" + v.replace('.', '-');
        k.run("create", "namespace", ns);
        return ns;
    }

    private static void create(Kubectl k, String ns, Path tmp, String yaml) throws Exception {
        Path file = Files.createTempFile(tmp, "obj", ".yaml");
        Files.writeString(file, yaml);
        assertOk(k.run("-n", ns, "create", "-f", file.toString()));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void nginxPrintsWhatItsImagePrints(String v, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = namespace(k, v);
        create(k, ns, tmp, """
                apiVersion: v1
                kind: Pod
                metadata: {name: nginx-pod}
                spec:
                  nodeName: w1-k8s
                  containers: [{name: nginx, image: nginx}]
                """);
        assertOk(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/nginx-pod", "--timeout=60s"));
        Kubectl.Result logs = k.run("-n", ns, "logs", "nginx-pod");
        assertOk(logs);
        List<String> lines = logs.out().lines().toList();
        assertEquals("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration", lines.get(0));
        assertEquals("/docker-entrypoint.sh: Configuration complete; ready for start up", lines.get(8));
        assertTrue(lines.get(9).matches("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[notice] 1#1: using the \"epoll\" event method"), logs::toString);
        assertEquals(16, lines.size(), logs::toString);

        Kubectl.Result tail = k.run("-n", ns, "logs", "nginx-pod", "--tail=1", "--timestamps");
        assertOk(tail);
        assertTrue(tail.out().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z \\S+ \\S+ \\[notice] 1#1: start worker process 29\n"), tail::toString);
        Kubectl.Result limited = k.run("-n", ns, "logs", "nginx-pod", "--limit-bytes=18");
        assertEquals("/docker-entrypoint", limited.out(), limited::toString);
        assertEquals("", k.run("-n", ns, "logs", "nginx-pod", "--since-time=2099-01-01T00:00:00Z").out());
        assertEquals(16, k.run("-n", ns, "logs", "nginx-pod", "--since=1h").out().lines().count());

        Kubectl.Result previous = k.run("-n", ns, "logs", "nginx-pod", "--previous");
        assertEquals(1, previous.exitCode(), previous::toString);
        assertEquals("Error from server (BadRequest): previous terminated container \"nginx\" in pod \"nginx-pod\" not found\n",
                previous.err());
        Kubectl.Result raw = k.run("-n", ns, "get", "--raw", "/api/v1/namespaces/" + ns + "/pods/nginx-pod/log?tailLines=-1");
        assertEquals(1, raw.exitCode(), raw::toString);
        assertTrue(raw.err().contains("The PodLogOptions \"nginx-pod\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0"), raw::toString);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void aFollowEndsWhenTheContainerEndsAndPreviousShowsTheRunBefore(String v, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = namespace(k, v);
        create(k, ns, tmp, """
                apiVersion: v1
                kind: Pod
                metadata: {name: counter}
                spec:
                  nodeName: w2-k8s
                  containers:
                  - name: count
                    image: busybox
                    command: [sh, -c, 'echo one; sleep 1; echo two >&2; exit 3']
                """);
        assertOk(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/counter", "--timeout=60s"));
        Kubectl.Result follow = k.run("-n", ns, "logs", "-f", "counter");
        assertOk(follow);
        assertTrue(follow.out().endsWith("one\ntwo\n"), follow::toString);
        // the container restarts (restartPolicy Always): its first run is then the previous one
        assertOk(k.run("-n", ns, "wait", "--for=jsonpath={.status.containerStatuses[0].restartCount}=1", "pod/counter", "--timeout=60s"));
        Kubectl.Result previous = k.run("-n", ns, "logs", "counter", "-p");
        assertOk(previous);
        assertEquals("one\ntwo\n", previous.out());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void severalContainersAndPods(String v, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = namespace(k, v);
        create(k, ns, tmp, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - {name: main, image: busybox, command: [sh, -c, 'hostname; sleep infinity']}
                      - {name: side, image: busybox, command: [sh, -c, 'echo side-car; sleep infinity']}
                """);
        assertOk(k.run("-n", ns, "rollout", "status", "deploy/web", "--timeout=60s"));
        Kubectl.Result side = k.run("-n", ns, "logs", "deploy/web", "-c", "side");
        assertOk(side);
        assertEquals("side-car\n", side.out());
        Kubectl.Result defaulted = k.run("-n", ns, "logs", "deploy/web");
        assertOk(defaulted);
        assertTrue(defaulted.out().startsWith("web-"), defaulted::toString);
        assertTrue(defaulted.err().contains("Defaulted container \"main\" out of: main, side"), defaulted::toString);
        Kubectl.Result all = k.run("-n", ns, "logs", "-l", "app=web", "--all-containers", "--prefix");
        assertOk(all);
        List<String> lines = all.out().lines().sorted().toList();
        assertEquals(4, lines.size(), all::toString);
        Pattern line = Pattern.compile("\\[pod/(web-\\S+)/(main|side)] (\\S+)");
        for (String l : lines) {
            var m = line.matcher(l);
            assertTrue(m.matches(), l);
            assertEquals(m.group(2).equals("main") ? m.group(1) : "side-car", m.group(3), l);
        }
        String pod = k.run("-n", ns, "get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}").out();
        Kubectl.Result raw = k.run("-n", ns, "get", "--raw", "/api/v1/namespaces/" + ns + "/pods/" + pod + "/log");
        assertEquals(1, raw.exitCode(), raw::toString);
        assertEquals("Error from server (BadRequest): a container name must be specified for pod " + pod
                + ", choose one of: [main side]\n", raw.err());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void aContainerThatCannotStartHasNoLogYet(String v, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = namespace(k, v);
        create(k, ns, tmp, """
                apiVersion: v1
                kind: Pod
                metadata: {name: typo}
                spec:
                  nodeName: w3-k8s
                  containers: [{name: web, image: ngnix}]
                """);
        assertOk(k.run("-n", ns, "wait", "--for=jsonpath={.status.containerStatuses[0].state.waiting.reason}=ImagePullBackOff",
                "pod/typo", "--timeout=60s"));
        Kubectl.Result logs = k.run("-n", ns, "logs", "typo");
        assertEquals(1, logs.exitCode(), logs::toString);
        assertEquals("Error from server (BadRequest): container \"web\" in pod \"typo\" is waiting to start: trying and failing to pull image\n",
                logs.err());
    }
}
