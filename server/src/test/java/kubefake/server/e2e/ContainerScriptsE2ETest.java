package kubefake.server.e2e;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes docs' pods whose containers run shell scripts, with the real kubectl, in a cluster whose clock the
 * test moves: the logging tutorial's counter (a numbered line a second in {@code kubectl logs}), the init containers
 * waiting on {@code nslookup} for their Services ({@code Init:0/2}, then Running), and liveness-exec (its probe's
 * {@code cat} failing in {@code kubectl describe} once the script removed the file, then a restart).
 */
class ContainerScriptsE2ETest {
    @RegisterExtension
    static final LabCluster lab = LabCluster.clocked(Duration.ofMillis(10));

    private static String namespace(Kubectl k, String prefix, String v) {
        String ns = prefix + "-" + v.replace('.', '-');
        Kubectl.ok(k.run("create", "namespace", ns));
        k.runUntil(Duration.ofSeconds(10), r -> r.exitCode() == 0, "-n", ns, "get", "serviceaccount", "default");
        return ns;
    }

    private static void apply(Kubectl k, String ns, String yaml) throws Exception {
        Path file = Files.createTempFile(lab.dir(), "obj", ".yaml");
        Files.writeString(file, yaml);
        Kubectl.ok(k.run("-n", ns, "apply", "-f", file.toString()));
    }

    /** Moves the cluster's clock a second at a time until what kubectl prints for {@code args} satisfies {@code done}. */
    private static Kubectl.Result advanceUntil(Kubectl k, Duration limit, Predicate<Kubectl.Result> done, String... args)
            throws InterruptedException {
        Instant end = lab.clock().instant().plus(limit);
        while (true) {
            Kubectl.Result r = k.run(args);
            if (done.test(r)) return r;
            if (lab.clock().instant().isAfter(end)) throw new AssertionError("not within " + limit + " of cluster time: " + r);
            lab.advance(Duration.ofSeconds(1));
        }
    }

    private static void advance(Duration d) throws InterruptedException {
        for (Duration left = d; !left.isNegative() && !left.isZero(); left = left.minusSeconds(1)) lab.advance(Duration.ofSeconds(1));
    }

    private static String phase(Kubectl k, String ns, String pod) {
        return k.run("-n", ns, "get", "pod", pod, "-o", "jsonpath={.status.phase}").out();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void theCounterWritesANumberedLineEverySecond(String v) throws Exception {
        Kubectl k = lab.kubectl(v);
        String ns = namespace(k, "counter", v);
        apply(k, ns, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: counter
                spec:
                  containers:
                  - name: count
                    image: busybox:1.28
                    args: [/bin/sh, -c,
                            'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done']
                """);
        advanceUntil(k, Duration.ofSeconds(60), r -> r.out().equals("Running"), "-n", ns, "get", "pod", "counter",
                "-o", "jsonpath={.status.phase}");
        advance(Duration.ofSeconds(5));
        List<String> lines = Kubectl.ok(k.run("-n", ns, "logs", "counter")).out().lines().toList();
        assertTrue(lines.size() >= 6, lines::toString);
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(lines.get(i).matches(i + ": \\w{3} \\w{3} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d UTC \\d{4}"), lines::toString);
        }
        List<String> stamped = Kubectl.ok(k.run("-n", ns, "logs", "counter", "--timestamps", "--tail=2")).out().lines().toList();
        Instant first = Instant.parse(stamped.get(0).substring(0, stamped.get(0).indexOf(' ')));
        Instant second = Instant.parse(stamped.get(1).substring(0, stamped.get(1).indexOf(' ')));
        assertEquals(Duration.ofSeconds(1), Duration.between(first, second), "a line a second of the cluster's clock: " + stamped);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void initContainersWaitForTheirServices(String v) throws Exception {
        Kubectl k = lab.kubectl(v);
        String ns = namespace(k, "init", v);
        apply(k, ns, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: myapp-pod
                  labels:
                    app.kubernetes.io/name: MyApp
                spec:
                  containers:
                  - name: myapp-container
                    image: busybox:1.28
                    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
                  initContainers:
                  - name: init-myservice
                    image: busybox:1.28
                    command: ['sh', '-c', "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done"]
                  - name: init-mydb
                    image: busybox:1.28
                    command: ['sh', '-c', "until nslookup mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for mydb; sleep 2; done"]
                """);
        advanceUntil(k, Duration.ofSeconds(60), r -> r.out().contains("waiting for myservice\nServer:"),
                "-n", ns, "logs", "myapp-pod", "-c", "init-myservice");
        String pods = Kubectl.ok(k.run("-n", ns, "get", "pod", "myapp-pod", "--no-headers")).out();
        assertTrue(pods.matches("myapp-pod +0/1 +Init:0/2 +0 +\\S+\n"), pods);
        String logs = Kubectl.ok(k.run("-n", ns, "logs", "myapp-pod", "-c", "init-myservice")).out();
        assertTrue(logs.contains("** server can't find myservice." + ns + ".svc.cluster.local: NXDOMAIN\n"), logs);

        apply(k, ns, """
                apiVersion: v1
                kind: Service
                metadata: {name: myservice}
                spec: {ports: [{protocol: TCP, port: 80, targetPort: 9376}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: mydb}
                spec: {ports: [{protocol: TCP, port: 80, targetPort: 9377}]}
                """);
        advanceUntil(k, Duration.ofSeconds(60), r -> r.out().equals("Running"), "-n", ns, "get", "pod", "myapp-pod",
                "-o", "jsonpath={.status.phase}");
        assertEquals("The app is running!\n", Kubectl.ok(k.run("-n", ns, "logs", "myapp-pod")).out());
        String found = Kubectl.ok(k.run("-n", ns, "logs", "myapp-pod", "-c", "init-mydb")).out();
        assertTrue(found.contains("Name:\tmydb." + ns + ".svc.cluster.local\nAddress: "), found);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void livenessExecFailsOnceTheFileIsGoneAndTheContainerRestarts(String v) throws Exception {
        Kubectl k = lab.kubectl(v);
        String ns = namespace(k, "liveness", v);
        apply(k, ns, """
                apiVersion: v1
                kind: Pod
                metadata:
                  labels:
                    test: liveness
                  name: liveness-exec
                spec:
                  containers:
                  - name: liveness
                    image: registry.k8s.io/busybox
                    args:
                    - /bin/sh
                    - -c
                    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600
                    livenessProbe:
                      exec:
                        command:
                        - cat
                        - /tmp/healthy
                      initialDelaySeconds: 5
                      periodSeconds: 5
                """);
        advanceUntil(k, Duration.ofSeconds(60), r -> r.out().equals("Running"), "-n", ns, "get", "pod", "liveness-exec",
                "-o", "jsonpath={.status.phase}");
        advance(Duration.ofSeconds(34)); // the file is there for 30 s; the probe runs every 5 s
        Kubectl.Result described = advanceUntil(k, Duration.ofSeconds(30),
                r -> r.out().contains("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"),
                "-n", ns, "describe", "pod", "liveness-exec");
        assertTrue(described.out().contains("Warning  Unhealthy"), described.out());
        advance(Duration.ofSeconds(35)); // the third failure, then the 30 s grace period sh as PID 1 ignores SIGTERM for
        Kubectl.Result restarted = advanceUntil(k, Duration.ofSeconds(60), r -> r.out().equals("1"),
                "-n", ns, "get", "pod", "liveness-exec", "-o", "jsonpath={.status.containerStatuses[0].restartCount}");
        String events = Kubectl.ok(k.run("-n", ns, "describe", "pod", "liveness-exec")).out();
        assertTrue(events.contains("Container liveness failed liveness probe, will be restarted"), events);
        assertEquals("1", restarted.out());
    }
}
