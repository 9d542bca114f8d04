package kubefake.client.scheduling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a pod's requests fit on a node next to what is already there (the scheduler's {@code NodeResourcesFit}
 * filter, which the kubelet's admission shares): one more pod than the node takes is "Too many pods"; a requested
 * resource larger than what is left of the node's allocatable is "Insufficient &lt;resource&gt;". Resources the pod does
 * not request are not checked.
 */
public final class ResourceFit {

    /** One reason the pod does not fit, with the figures behind it. */
    public record Insufficient(String resource, String reason, long requested, long used, long capacity) {
    }

    private ResourceFit() {
    }

    /**
     * @param request     the pod's requests ({@link PodRequests#of})
     * @param allocatable the node's allocatable resources
     * @param requested   what the pods already on the node request
     * @param podsOnNode  how many pods are already on the node
     * @return the reasons in the scheduler's order (pods, cpu, memory, ephemeral-storage, then other resources by
     * name); empty when the pod fits
     */
    public static List<Insufficient> insufficient(Resources request, Allocatable allocatable, Resources requested, int podsOnNode) {
        List<Insufficient> out = new ArrayList<>(2);
        if (podsOnNode + 1 > allocatable.pods()) {
            out.add(new Insufficient(Resources.PODS, "Too many pods", 1, podsOnNode, allocatable.pods()));
        }
        if (request.isZero()) return out;
        Resources free = allocatable.resources();
        if (request.milliCpu() > 0 && request.milliCpu() > free.milliCpu() - requested.milliCpu()) {
            out.add(new Insufficient(Resources.CPU, "Insufficient cpu", request.milliCpu(), requested.milliCpu(), free.milliCpu()));
        }
        if (request.memory() > 0 && request.memory() > free.memory() - requested.memory()) {
            out.add(new Insufficient(Resources.MEMORY, "Insufficient memory", request.memory(), requested.memory(), free.memory()));
        }
        if (request.ephemeralStorage() > 0
                && request.ephemeralStorage() > free.ephemeralStorage() - requested.ephemeralStorage()) {
            out.add(new Insufficient(Resources.EPHEMERAL_STORAGE, "Insufficient ephemeral-storage", request.ephemeralStorage(),
                    requested.ephemeralStorage(), free.ephemeralStorage()));
        }
        for (Map.Entry<String, Long> e : request.scalars().entrySet()) {
            String name = e.getKey();
            long want = e.getValue();
            if (want > 0 && want > free.scalar(name) - requested.scalar(name)) {
                out.add(new Insufficient(name, "Insufficient " + name, want, requested.scalar(name), free.scalar(name)));
            }
        }
        return out;
    }
}
