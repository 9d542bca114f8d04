package kubefake.server.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.errors.StatusException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Which run of a container a log request reads, from the pod's status, and the kubelet's refusals (its
 * validateContainerLogStatus), which the API server answers as 400 BadRequest with the kubelet's text.
 */
class KubeletLogChoiceTest {

    private static ObjectNode status(String json) {
        return Json.parseObject(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String refusal(String json, boolean previous) {
        StatusException e = assertThrows(StatusException.class,
                () -> PodLogs.kubeletContainerId("web", "nginx", status(json), previous));
        assertEquals(400, e.code());
        assertEquals("BadRequest", e.reason());
        return e.getMessage();
    }

    @Test
    void aRunningContainerIsReadFromItsCurrentRun() {
        assertEquals("containerd://b", PodLogs.kubeletContainerId("web", "nginx", status("""
                {"name":"nginx","containerID":"containerd://b","state":{"running":{}},
                 "lastState":{"terminated":{"containerID":"containerd://a","exitCode":1}}}"""), false));
        assertEquals("containerd://a", PodLogs.kubeletContainerId("web", "nginx", status("""
                {"name":"nginx","containerID":"containerd://b","state":{"running":{}},
                 "lastState":{"terminated":{"containerID":"containerd://a","exitCode":1}}}"""), true));
    }

    @Test
    void aContainerWaitingToRestartShowsItsLastRun() {
        assertEquals("containerd://a", PodLogs.kubeletContainerId("web", "nginx", status("""
                {"name":"nginx","state":{"waiting":{"reason":"CrashLoopBackOff"}},
                 "lastState":{"terminated":{"containerID":"containerd://a","exitCode":1}}}"""), false));
        assertEquals("containerd://c", PodLogs.kubeletContainerId("web", "nginx", status("""
                {"name":"nginx","state":{"terminated":{"containerID":"containerd://c","exitCode":0}}}"""), false));
    }

    @Test
    void refusalsCarryTheKubeletsText() {
        assertEquals("container \"nginx\" in pod \"web\" is waiting to start: ContainerCreating",
                refusal("{\"name\":\"nginx\",\"state\":{\"waiting\":{\"reason\":\"ContainerCreating\"}}}", false));
        assertEquals("container \"nginx\" in pod \"web\" is waiting to start: trying and failing to pull image",
                refusal("{\"name\":\"nginx\",\"state\":{\"waiting\":{\"reason\":\"ImagePullBackOff\"}}}", false));
        assertEquals("container \"nginx\" in pod \"web\" is waiting to start: image can't be pulled",
                refusal("{\"name\":\"nginx\",\"state\":{\"waiting\":{\"reason\":\"ErrImagePull\"}}}", false));
        assertEquals("previous terminated container \"nginx\" in pod \"web\" not found",
                refusal("{\"name\":\"nginx\",\"containerID\":\"containerd://b\",\"state\":{\"running\":{}},\"lastState\":{}}", true));
        assertEquals("container \"nginx\" in pod \"web\" is waiting to start - no logs yet", refusal("{}", false));
    }
}
