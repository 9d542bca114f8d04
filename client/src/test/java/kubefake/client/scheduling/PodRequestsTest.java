package kubefake.client.scheduling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static kubefake.client.scheduling.TreesForTests.json;
import static kubefake.client.scheduling.TreesForTests.podSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pod's requests as the scheduler adds them up, and the resource fit against a node. */
class PodRequestsTest {
    private static final long MI = 1024 * 1024;

    private static String container(String name, String requests) {
        return "{'name': '" + name + "', 'image': 'x', 'resources': {'requests': " + requests + "}}";
    }

    @Test
    void containersAddUpAndAnInitContainerNeedsItsOwnPeak() {
        // the example of the scheduler's computePodResourceRequest: CPU 3, memory 3G
        ObjectNode pod = podSpec("{'initContainers': [" + container("i1", "{'cpu': '2', 'memory': '1G'}") + ", "
                + container("i2", "{'cpu': '2', 'memory': '3G'}") + "], 'containers': ["
                + container("c1", "{'cpu': '2', 'memory': '1G'}") + ", " + container("c2", "{'cpu': '1', 'memory': '1G'}") + "]}");
        assertEquals(new Resources(3000, 3_000_000_000L), PodRequests.of(pod));
    }

    @Test
    void sidecarsKeepRunningSoTheyAddToTheSumAndToLaterInitContainers() {
        ObjectNode pod = podSpec("{'initContainers': [{'name': 'log', 'image': 'x', 'restartPolicy': 'Always', 'resources': {'requests': {'cpu': '200m'}}}, "
                + container("setup", "{'cpu': '1'}") + "], 'containers': [" + container("app", "{'cpu': '500m'}") + "]}");
        // running: 200m + 500m = 700m; while setup runs: 1 + 200m = 1200m
        assertEquals(1200, PodRequests.of(pod).milliCpu());
    }

    @Test
    void overheadIsAddedAndQuantitiesRoundUp() {
        ObjectNode pod = podSpec("{'overhead': {'cpu': '250m', 'memory': '120Mi'}, 'containers': ["
                + container("c", "{'cpu': '0.0001', 'memory': '1.5', 'nvidia.com/gpu': '1', 'hugepages-2Mi': '4Mi'}") + "]}");
        Resources r = PodRequests.of(pod);
        assertEquals(251, r.milliCpu());
        assertEquals(120 * MI + 2, r.memory());
        assertEquals(Map.of("nvidia.com/gpu", 1L, "hugepages-2Mi", 4 * MI), r.scalars());
    }

    @Test
    void theNonZeroFormGivesContainersWithoutRequestsTheSchedulersDefaults() {
        ObjectNode pod = podSpec("{'containers': [{'name': 'a', 'image': 'x'}, " + container("b", "{'cpu': '300m'}") + "]}");
        assertTrue(PodRequests.of(pod).milliCpu() == 300 && PodRequests.of(pod).memory() == 0);
        assertEquals(new Resources(400, 400 * MI), PodRequests.nonZero(pod));
    }

    @Test
    void fitReportsTooManyPodsAndEachInsufficientResourceInTheSchedulersOrder() {
        // a lab worker: 1 CPU, 838124Ki - 100Mi of memory, 110 pods
        Allocatable worker = Allocatable.ofNode(json("{'status': {'allocatable': {'cpu': '1', 'memory': '735724Ki', 'pods': '110', 'ephemeral-storage': '59161170592'}}}"));
        assertEquals(1000, worker.resources().milliCpu());
        assertEquals(110, worker.pods());
        Resources request = new Resources(600, 700 * MI);
        assertEquals(List.of(), ResourceFit.insufficient(request, worker, new Resources(), 0));
        List<ResourceFit.Insufficient> full = ResourceFit.insufficient(request, worker, new Resources(500, 100 * MI), 110);
        assertEquals(List.of("Too many pods", "Insufficient cpu", "Insufficient memory"),
                full.stream().map(ResourceFit.Insufficient::reason).toList());
        assertEquals(new ResourceFit.Insufficient("cpu", "Insufficient cpu", 600, 500, 1000), full.get(1));
        assertEquals(List.of("Too many pods"), ResourceFit.insufficient(new Resources(), worker, new Resources(5000, 0), 110)
                .stream().map(ResourceFit.Insufficient::reason).toList(), "a pod without requests only counts as a pod");
        Resources gpu = Resources.fromList(json("{'nvidia.com/gpu': '1'}"));
        assertEquals(List.of("Insufficient nvidia.com/gpu"),
                ResourceFit.insufficient(gpu, worker, new Resources(), 0).stream().map(ResourceFit.Insufficient::reason).toList());
    }
}
