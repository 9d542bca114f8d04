package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.nodesim.runtime.ExecProcess;
import kubefake.nodesim.runtime.Image;

import java.time.Instant;
import java.util.Map;

/**
 * A container's run as a process started in it sees it (its main process, an exec probe's command, an exec): the
 * environment the kubelet gives it, the files the runtime and the kubelet's volumes make, the pod network it reaches.
 */
public interface ContainerSetup {
    /** The environment of a container run started at {@code startedAt} ({@code spec} its container in {@code pod}). */
    Map<String, String> environment(JsonNode pod, JsonNode spec, Instant startedAt);

    /** The run {@code containerId} of the container {@code spec} of {@code pod} on {@code node}, started at {@code startedAt}. */
    ExecProcess.Container container(String node, JsonNode pod, JsonNode spec, Image image, String containerId, Instant startedAt);
}
