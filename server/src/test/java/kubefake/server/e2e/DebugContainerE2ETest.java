package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kubectl debug} into a running pod: the pods/ephemeralcontainers subresource, the kubelet starting the
 * ephemeral container beside the pod's own, {@code describe} showing it, an interactive debug shell fed on stdin
 * through the attach, and the validation errors the real server answers a bad ephemeral container with.
 */
class DebugContainerE2ETest {

    static List<String> clients() {
        return List.of("1.29", "1.33");
    }

    private static String nginxPod(Kubectl k, String ns, Path tmp) throws Exception {
        Kubectl.ok(k.run("create", "namespace", ns));
        NginxPods.createReady(k, tmp, ns, "web");
        return ns;
    }

    private static String namespace(String test, String client) {
        return "e2e-debug-" + test + "-" + client.replace('.', '-');
    }

    /** The first ephemeral container's terminated state of pod web, once it has one. */
    private static JsonNode firstEphemeralTerminated(Kubectl k, String ns) throws Exception {
        Kubectl.Result state = k.runUntil(Duration.ofSeconds(30), r -> r.out().contains("terminated"), "-n", ns, "get", "pod",
                "web", "-o", "jsonpath={.status.ephemeralContainerStatuses[0].state}");
        return new ObjectMapper().readTree(state.out()).path("terminated");
    }

    private static JsonNode pod(Kubectl k, String ns) throws Exception {
        return new ObjectMapper().readTree(Kubectl.ok(k.run("-n", ns, "get", "pod", "web", "-o", "json")).out());
    }

    @ParameterizedTest
    @MethodSource("clients")
    void aDebugContainerRunsBesideThePodsOwnAndDescribeShowsIt(String client, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(client);
        String ns = nginxPod(k, namespace("target", client), tmp);
        Kubectl.Result debug = k.run("-n", ns, "debug", "web", "--image=busybox", "--target=nginx", "--", "sleep", "3600");
        Kubectl.ok(debug);
        Matcher named = Pattern.compile("Defaulting debug container name to (debugger-[a-z0-9]{5})\\.").matcher(debug.out() + debug.err());
        assertTrue(named.find(), debug::toString);
        String debugger = named.group(1);
        k.runUntil(Duration.ofSeconds(60), r -> r.out().contains("running"), "-n", ns, "get", "pod", "web", "-o",
                "jsonpath={.status.ephemeralContainerStatuses[0].state}");
        JsonNode pod = pod(k, ns);
        JsonNode spec = pod.path("spec").path("ephemeralContainers").path(0);
        assertEquals(debugger, spec.path("name").asText());
        assertEquals("nginx", spec.path("targetContainerName").asText());
        assertEquals("Always", spec.path("imagePullPolicy").asText());
        assertEquals("/dev/termination-log", spec.path("terminationMessagePath").asText());
        JsonNode status = pod.path("status").path("ephemeralContainerStatuses").path(0);
        assertEquals(debugger, status.path("name").asText());
        assertEquals("docker.io/library/busybox:latest", status.path("image").asText());
        assertTrue(status.path("imageID").asText().startsWith("docker.io/library/busybox@sha256:"), status::toString);
        assertTrue(status.path("containerID").asText().startsWith("containerd://"), status::toString);
        assertEquals(false, status.path("ready").asBoolean(true));
        // the pod's own container runs on as it was
        assertEquals("Running", pod.path("status").path("phase").asText());
        assertEquals(0, pod.path("status").path("containerStatuses").path(0).path("restartCount").asInt());

        // a second one beside the first
        Kubectl.ok(k.run("-n", ns, "debug", "web", "--image=busybox", "-c", "second", "--", "sleep", "3600"));
        k.runUntil(Duration.ofSeconds(60), r -> r.out().contains("\"running\""), "-n", ns, "get", "pod", "web", "-o",
                "jsonpath={.status.ephemeralContainerStatuses[?(@.name==\"second\")].state}");

        String describe = Kubectl.ok(k.run("-n", ns, "describe", "pod", "web")).out();
        int section = describe.indexOf("Ephemeral Containers:\n  " + debugger + ":\n");
        assertTrue(section > 0, describe);
        String ephemeral = describe.substring(section, describe.indexOf("Conditions:", section));
        assertTrue(ephemeral.contains("    Image:         busybox\n"), ephemeral);
        assertTrue(ephemeral.contains("    Command:\n      sleep\n      3600\n"), ephemeral);
        assertTrue(ephemeral.contains("  second:\n"), ephemeral);
        assertEquals(2, ephemeral.split("    State:          Running\n", -1).length - 1, ephemeral);
        assertTrue(describe.contains("Started container " + debugger), describe);
        assertTrue(describe.contains("Started container second"), describe);
    }

    @ParameterizedTest
    @MethodSource("clients")
    void anInteractiveDebugShellRunsWhatStdinSaysAndEndsTheContainer(String client, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(client);
        String ns = nginxPod(k, namespace("shell", client), tmp);
        Kubectl.Result shell = k.runWithInput("echo hello\nhostname\nexit 3\n",
                "-n", ns, "debug", "web", "-i", "--image=busybox", "-c", "shell", "--", "sh");
        Kubectl.ok(shell);
        assertEquals("hello\nweb\n", shell.out(), shell::toString);
        // the shell's exit ended the container's run, which is never restarted
        JsonNode terminated = firstEphemeralTerminated(k, ns);
        assertEquals(3, terminated.path("exitCode").asInt(), terminated::toString);
        assertEquals("Error", terminated.path("reason").asText());
        assertEquals(0, pod(k, ns).path("status").path("ephemeralContainerStatuses").path(0).path("restartCount").asInt(-1));
    }

    @ParameterizedTest
    @MethodSource("clients")
    void withoutACommandTheImagesShellReadsTheAttachedStdin(String client, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(client);
        String ns = nginxPod(k, namespace("cmd", client), tmp);
        // busybox's CMD is sh: with stdin open it waits for the attached input instead of ending at once
        Kubectl.Result shell = k.runWithInput("echo from-cmd\nexit 4\n",
                "-n", ns, "debug", "web", "-i", "--image=busybox", "-c", "cmd");
        assertEquals("from-cmd\n", shell.out(), shell::toString);
        JsonNode terminated = firstEphemeralTerminated(k, ns);
        assertEquals(4, terminated.path("exitCode").asInt(), terminated::toString);

        // kubectl run -it --attach=false: the pod's shell keeps running, waiting for someone to attach
        Kubectl.ok(k.run("-n", ns, "run", "waiting", "--image=busybox", "--stdin", "--tty", "--attach=false"));
        k.runUntil(Duration.ofSeconds(30), r -> r.out().equals("Running true"), "-n", ns, "get", "pod", "waiting", "-o",
                "jsonpath={.status.phase} {.status.containerStatuses[0].ready}");
    }

    @ParameterizedTest
    @MethodSource("clients")
    void badEphemeralContainersAreRefusedAsByTheRealServer(String client, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(client);
        String ns = nginxPod(k, namespace("invalid", client), tmp);
        // a name the pod's container has
        Kubectl.Result duplicate = k.run("-n", ns, "debug", "web", "--image=busybox", "-c", "nginx", "--", "sleep", "1");
        assertEquals(1, duplicate.exitCode(), duplicate::toString);
        assertTrue(duplicate.err().endsWith("The Pod \"web\" is invalid: spec.ephemeralContainers[0].name: Duplicate value: \"nginx\"\n"),
                duplicate::toString);
        // a port, as a raw strategic merge patch of the subresource
        Response ports = Http.admin().accept("application/json").contentType("application/strategic-merge-patch+json")
                .body("{\"spec\":{\"ephemeralContainers\":[{\"name\":\"d\",\"image\":\"busybox\",\"ports\":[{\"containerPort\":80}]}]}}")
                .patch("/api/v1/namespaces/" + ns + "/pods/web/ephemeralcontainers");
        assertEquals(422, ports.statusCode(), ports.asString());
        JsonNode status = new ObjectMapper().readTree(ports.asString());
        assertEquals("Invalid", status.path("reason").asText());
        assertEquals("Pod \"web\" is invalid: spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container",
                status.path("message").asText());
        // the pod itself may not take one
        Kubectl.Result update = k.run("-n", ns, "patch", "pod", "web", "-p",
                "{\"spec\":{\"ephemeralContainers\":[{\"name\":\"d\",\"image\":\"busybox\"}]}}");
        assertEquals(1, update.exitCode(), update::toString);
        assertTrue(update.err().contains("The Pod \"web\" is invalid: spec: Forbidden: pod updates may not change fields other than"),
                update::toString);
        assertTrue(pod(k, ns).path("spec").path("ephemeralContainers").isMissingNode());
    }
}
