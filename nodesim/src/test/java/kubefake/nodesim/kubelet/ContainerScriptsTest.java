package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.nodesim.NodeSimCluster;
import kubefake.nodesim.runtime.ContainerLog;
import kubefake.nodesim.runtime.ExecProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A container's command line run by the image's shell as it goes, on the kubelet's clock, as the Kubernetes docs'
 * examples run it: its output in the container's log as written, its files, its environment, its exit the container's
 * end; exec probes run their command in the container.
 */
class ContainerScriptsTest {
    private final NodeSimCluster cluster = new NodeSimCluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    private JsonNode status(String name) {
        return cluster.pod("default", name).path("status");
    }

    private JsonNode containerStatus(String pod, String field, String container) {
        for (JsonNode s : status(pod).path(field)) if (s.path("name").asText().equals(container)) return s;
        throw new AssertionError("no status of " + container + " in " + status(pod));
    }

    private boolean running(String pod) {
        return status(pod).path("phase").asText().equals("Running");
    }

    /** The lines of the container's current run's log by now. */
    private List<String> log(String pod, String field, String container) {
        String id = containerStatus(pod, field, container).path("containerID").asText();
        ContainerLog log = new ContainerLog(cluster.nodes.processes().get(id).orElseThrow());
        Instant now = cluster.runtime.clock().instant();
        return log.lines(0, log.count(now)).stream().map(ContainerLog.Line::text).toList();
    }

    @Test
    void theDocsCounterWritesANumberedLineEverySecondOfTheClock() {
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: counter, namespace: default}
                spec:
                  nodeName: w1-k8s
                  containers:
                  - name: count
                    image: busybox:1.28
                    args: [/bin/sh, -c, 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done']
                """);
        cluster.advanceUntil(() -> running("counter"), Duration.ofSeconds(30));
        Instant started = Instant.parse(containerStatus("counter", "containerStatuses", "count").path("state").path("running")
                .path("startedAt").asText());
        cluster.advance(Duration.ofSeconds(5));
        List<String> lines = log("counter", "containerStatuses", "count");
        assertTrue(lines.size() >= 6, lines::toString);
        java.time.format.DateTimeFormatter date = java.time.format.DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss 'UTC' yyyy",
                java.util.Locale.ROOT).withZone(java.time.ZoneOffset.UTC);
        for (int i = 0; i < 5; i++) {
            assertEquals(i + ": " + date.format(started.plusSeconds(i)), lines.get(i), "one line a second, numbered");
        }
    }

    @Test
    void theDocsInitContainerWaitsForItsServiceWithNslookup() {
        // the cluster's DNS as the pods see it: a Service's name resolves once it exists
        cluster.nodes.podNetworks((node, pod, files) -> new ExecProcess.Network() {
            @Override
            public Curl curl(List<String> args) {
                return new Curl("", "", 6, Duration.ZERO);
            }

            @Override
            public List<String> query(String fqdn) {
                String[] parts = fqdn.split("\\.");
                if (parts.length != 5 || !fqdn.endsWith(".svc.cluster.local")) return null;
                return cluster.admin.resource("", "services").find(parts[1], parts[0]).isPresent() ? List.of("10.96.12.34") : null;
            }
        });
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: myapp-pod, namespace: default, labels: {app.kubernetes.io/name: MyApp}}
                spec:
                  nodeName: w2-k8s
                  containers:
                  - {name: myapp-container, image: busybox:1.28, command: ['sh', '-c', 'echo The app is running! && sleep 3600']}
                  initContainers:
                  - name: init-myservice
                    image: busybox:1.28
                    command: ['sh', '-c', "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done"]
                    volumeMounts: [{name: kube-api-access, mountPath: /var/run/secrets/kubernetes.io/serviceaccount}]
                  - name: init-mydb
                    image: busybox:1.28
                    command: ['sh', '-c', "until nslookup mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for mydb; sleep 2; done"]
                    volumeMounts: [{name: kube-api-access, mountPath: /var/run/secrets/kubernetes.io/serviceaccount}]
                  volumes:
                  - name: kube-api-access
                    projected:
                      sources:
                      - downwardAPI: {items: [{path: namespace, fieldRef: {apiVersion: v1, fieldPath: metadata.namespace}}]}
                """);
        cluster.advanceUntil(() -> containerStatus("myapp-pod", "initContainerStatuses", "init-myservice").path("state").has("running"),
                Duration.ofSeconds(30));
        cluster.advance(Duration.ofSeconds(10));
        assertEquals("Pending", status("myapp-pod").path("phase").asText());
        List<String> waiting = log("myapp-pod", "initContainerStatuses", "init-myservice");
        assertTrue(waiting.contains("** server can't find myservice.default.svc.cluster.local: NXDOMAIN"), waiting::toString);
        assertTrue(waiting.contains("waiting for myservice"), waiting::toString);
        assertTrue(waiting.stream().filter(l -> l.equals("waiting for myservice")).count() >= 5, "every 2 s: " + waiting);

        cluster.admin.resource("", "services").create(NodeSimCluster.yaml("""
                apiVersion: v1
                kind: Service
                metadata: {name: myservice, namespace: default}
                spec: {ports: [{protocol: TCP, port: 80, targetPort: 9376}]}
                """));
        cluster.advanceUntil(() -> containerStatus("myapp-pod", "initContainerStatuses", "init-myservice").path("state").has("terminated"),
                Duration.ofSeconds(5));
        assertEquals("Completed", containerStatus("myapp-pod", "initContainerStatuses", "init-myservice").path("state")
                .path("terminated").path("reason").asText());
        cluster.admin.resource("", "services").create(NodeSimCluster.yaml("""
                apiVersion: v1
                kind: Service
                metadata: {name: mydb, namespace: default}
                spec: {ports: [{protocol: TCP, port: 80, targetPort: 9377}]}
                """));
        cluster.advanceUntil(() -> running("myapp-pod"), Duration.ofSeconds(30));
        assertEquals(List.of("The app is running!"), log("myapp-pod", "containerStatuses", "myapp-container"));
    }

    @Test
    void aScriptSeesItsEnvironmentItsConfigMapAndTheKubeletsExpansion() {
        cluster.admin.resource("", "configmaps").create(NodeSimCluster.yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: game, namespace: default}
                data: {lives: "3", level: "easy"}
                """));
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: envs, namespace: default}
                spec:
                  nodeName: w1-k8s
                  restartPolicy: Never
                  containers:
                  - name: show
                    image: busybox
                    command: [sh, -c, 'echo $(MY_POD_NAME) $MY_POD_NAME; printenv GREETING; env | grep ^GREETING=; cat /etc/config/*; echo; echo $MY_POD_IP; hostname -i; exit 4']
                    env:
                    - {name: GREETING, value: "hello $(MY_POD_NAME)"}
                    - name: MY_POD_NAME
                      valueFrom: {fieldRef: {fieldPath: metadata.name}}
                    - name: MY_POD_IP
                      valueFrom: {fieldRef: {fieldPath: status.podIP}}
                    volumeMounts: [{name: config, mountPath: /etc/config}]
                  volumes:
                  - {name: config, configMap: {name: game}}
                """);
        cluster.advanceUntil(() -> status("envs").path("phase").asText().equals("Failed"), Duration.ofSeconds(30));
        JsonNode terminated = containerStatus("envs", "containerStatuses", "show").path("state").path("terminated");
        assertEquals(4, terminated.path("exitCode").asInt());
        assertEquals("Error", terminated.path("reason").asText());
        String ip = status("envs").path("podIP").asText();
        assertTrue(ip.startsWith("172.16."), "an address of the Calico pool: " + ip);
        assertEquals(List.of("envs envs", "hello $(MY_POD_NAME)", "GREETING=hello $(MY_POD_NAME)", "easy3", ip, ip),
                log("envs", "containerStatuses", "show"),
                "$(MY_POD_NAME) in the command is the kubelet's, before the shell; in GREETING it names a later variable: kept");
    }

    @Test
    void theDocsLivenessExecProbeFailsOnceTheFileIsGoneAndTheContainerRestarts() {
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: liveness-exec, namespace: default, labels: {test: liveness}}
                spec:
                  nodeName: w3-k8s
                  containers:
                  - name: liveness
                    image: registry.k8s.io/busybox
                    args: [/bin/sh, -c, touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600]
                    livenessProbe:
                      exec: {command: [cat, /tmp/healthy]}
                      initialDelaySeconds: 5
                      periodSeconds: 5
                """);
        cluster.advanceUntil(() -> running("liveness-exec"), Duration.ofSeconds(30));
        cluster.advance(Duration.ofSeconds(28));
        assertTrue(cluster.events("default", "liveness-exec").stream().noneMatch(e -> e.contains("Unhealthy")),
                "the file is there for 30 s: " + cluster.events("default", "liveness-exec"));
        cluster.advanceUntil(() -> containerStatus("liveness-exec", "containerStatuses", "liveness").path("restartCount").asInt() == 1,
                Duration.ofSeconds(60));
        List<String> events = cluster.events("default", "liveness-exec");
        assertTrue(events.contains("Warning Unhealthy Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n (x3)"),
                events::toString);
        assertTrue(events.contains("Normal Killing Container liveness failed liveness probe, will be restarted"), events::toString);
        JsonNode last = containerStatus("liveness-exec", "containerStatuses", "liveness").path("lastState").path("terminated");
        assertEquals(137, last.path("exitCode").asInt(), "sh as PID 1 ignores SIGTERM: killed at the end of the grace period");
    }

    @Test
    void anExecProbeThatRunsTooLongTimesOut() {
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: slow, namespace: default}
                spec:
                  nodeName: w3-k8s
                  containers:
                  - name: app
                    image: busybox
                    command: [sleep, infinity]
                    readinessProbe:
                      exec: {command: [sh, -c, sleep 5]}
                      timeoutSeconds: 2
                """);
        cluster.advanceUntil(() -> running("slow"), Duration.ofSeconds(30));
        cluster.advance(Duration.ofSeconds(5));
        assertTrue(cluster.events("default", "slow").contains("Warning Unhealthy Readiness probe failed: command \"sh -c sleep 5\" timed out"),
                cluster.events("default", "slow")::toString);
        assertEquals(false, containerStatus("slow", "containerStatuses", "app").path("ready").asBoolean());
    }
}
