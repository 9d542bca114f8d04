package kubefake.nodesim.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResourceUsageTest {
    private static final Instant STARTED = Instant.parse("2026-01-05T09:00:00Z");

    private static ObjectNode pod(String annotations) throws Exception {
        return (ObjectNode) new ObjectMapper().readTree("""
                {"metadata": {"name": "web", "uid": "u-1", "annotations": {%s}},
                 "spec": {"nodeName": "w1-k8s", "containers": [{"name": "web", "image": "nginx:1.27"}]},
                 "status": {"phase": "Running", "containerStatuses": [
                   {"name": "web", "state": {"running": {"startedAt": "%s"}}}]}}
                """.formatted(annotations, STARTED));
    }

    @Test
    void aContainerHasNoFiguresBeforeItsFirstScrape() throws Exception {
        assertTrue(ResourceUsage.pod(pod(""), STARTED.plusSeconds(14)).isEmpty());
        assertTrue(ResourceUsage.pod(pod(""), STARTED.plusSeconds(15)).isPresent());
    }

    @Test
    void idleNginxUsesAboutAMillicoreAndThreeMebibytes() throws Exception {
        var usage = ResourceUsage.pod(pod(""), STARTED.plusSeconds(30)).orElseThrow().get(0).usage();
        assertTrue(usage.nanoCores() >= 800_000 && usage.nanoCores() <= 1_200_000, usage.toString());
        assertTrue(usage.memoryBytes() >= (long) (0.8 * (3 << 20)) && usage.memoryBytes() <= (long) (1.2 * (3 << 20)), usage.toString());
    }

    @Test
    void annotationsSetTheLoadOfEachContainer() throws Exception {
        ObjectNode loaded = pod("\"kubefake.dev/cpu-usage\": \"400m\", \"kubefake.dev/memory-usage\": \"64Mi\"");
        var usage = ResourceUsage.pod(loaded, STARTED.plusSeconds(30)).orElseThrow().get(0).usage();
        assertEquals(new ResourceUsage.Usage(400_000_000L, 64L << 20), usage);
    }

    @Test
    void aNodeUsesItsPodsPlusTheSystemsShare() throws Exception {
        ObjectNode loaded = pod("\"kubefake.dev/cpu-usage\": \"1\", \"kubefake.dev/memory-usage\": \"100Mi\"");
        var node = ResourceUsage.node(List.of(loaded), STARTED.plusSeconds(30));
        assertEquals(new ResourceUsage.Usage(1_000_000_000L + ResourceUsage.SYSTEM_CPU_MILLIS * 1_000_000L,
                (100L << 20) + ResourceUsage.SYSTEM_MEMORY), node);
    }
}
