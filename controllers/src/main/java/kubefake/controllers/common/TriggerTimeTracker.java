package kubefake.controllers.common;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code endpointslice/util.TriggerTimeTracker}: the time of the earliest change that the next write of a service's
 * endpoints reflects, for the {@code endpoints.kubernetes.io/last-change-trigger-time} annotation. A change is a pod
 * whose Ready condition moved since the last sync, or the service's creation; the first sync of a service has none.
 * One sync per service at a time (the work queue sees to it).
 */
public final class TriggerTimeTracker {
    public static final String ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time";

    private record State(Map<String, Instant> podTimes, Instant serviceTime) {
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();

    /** The earliest trigger time that changed since the last call for this service, or null for none. */
    public Instant compute(String serviceKey, JsonNode service, Collection<? extends JsonNode> pods) {
        State last = states.get(serviceKey);
        Instant earliest = null;
        Map<String, Instant> podTimes = new HashMap<>();
        for (JsonNode pod : pods) {
            JsonNode ready = Pods.condition(pod, "Ready");
            Instant t = ready == null ? null : Meta.time(ready.get("lastTransitionTime"));
            if (t == null) continue;
            podTimes.put(Meta.name(pod), t);
            Instant before = last == null ? null : last.podTimes().get(Meta.name(pod));
            if (before == null || t.isAfter(before)) earliest = min(earliest, t);
        }
        Instant serviceTime = Meta.creationTimestamp(service);
        if (serviceTime != null && (last == null || last.serviceTime() == null || serviceTime.isAfter(last.serviceTime()))) {
            earliest = min(earliest, serviceTime);
        }
        states.put(serviceKey, new State(podTimes, serviceTime));
        return last == null ? null : earliest;
    }

    public void forget(String serviceKey) {
        states.remove(serviceKey);
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
