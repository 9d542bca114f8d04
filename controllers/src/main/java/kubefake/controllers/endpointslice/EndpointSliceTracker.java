package kubefake.controllers.endpointslice;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.controllers.common.Meta;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code endpointslice/util.EndpointSliceTracker}: the generation of each slice this controller last wrote (or that it
 * deleted one), per service. It tells a sync whether the informer's cache already shows the controller's own writes
 * (else the sync would, say, create a slice twice) and tells slice events made by others from the echo of its own.
 */
final class EndpointSliceTracker {
    private static final long DELETION_EXPECTED = -1;

    /** service key → slice uid → generation written, or DELETION_EXPECTED. */
    private final Map<String, Map<String, Long>> byService = new ConcurrentHashMap<>();

    void update(String serviceKey, JsonNode slice) {
        byService.computeIfAbsent(serviceKey, k -> new ConcurrentHashMap<>()).put(Meta.uid(slice), Meta.generation(slice));
    }

    void expectDeletion(String serviceKey, JsonNode slice) {
        byService.computeIfAbsent(serviceKey, k -> new ConcurrentHashMap<>()).put(Meta.uid(slice), DELETION_EXPECTED);
    }

    void forget(String serviceKey) {
        byService.remove(serviceKey);
    }

    boolean has(String serviceKey, JsonNode slice) {
        Map<String, Long> g = byService.get(serviceKey);
        return g != null && g.containsKey(Meta.uid(slice));
    }

    /** A slice event to act on: one this controller did not write, or a newer generation than it wrote. */
    boolean shouldSync(String serviceKey, JsonNode slice) {
        Map<String, Long> g = byService.get(serviceKey);
        Long written = g == null ? null : g.get(Meta.uid(slice));
        return written == null || Meta.generation(slice) > written;
    }

    /** Forgets a deleted slice; true when this controller deleted it itself. */
    boolean handleDeletion(String serviceKey, JsonNode slice) {
        Map<String, Long> g = byService.get(serviceKey);
        if (g == null) return true;
        Long written = g.remove(Meta.uid(slice));
        return written == null || written == DELETION_EXPECTED;
    }

    /** Whether the cached slices lag behind this controller's writes: older generations, or slices missing or still there. */
    boolean stale(String serviceKey, Collection<? extends JsonNode> cached) {
        Map<String, Long> g = byService.get(serviceKey);
        if (g == null) return false;
        Set<String> seen = new HashSet<>();
        for (JsonNode slice : cached) {
            seen.add(Meta.uid(slice));
            Long written = g.get(Meta.uid(slice));
            if (written != null && (written == DELETION_EXPECTED || written > Meta.generation(slice))) return true;
        }
        for (Map.Entry<String, Long> e : new HashMap<>(g).entrySet()) {
            if (e.getValue() != DELETION_EXPECTED && !seen.contains(e.getKey())) return true;
        }
        return false;
    }
}
