package kubefake.controllers.common;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.Json;

import java.time.Duration;
import java.time.Instant;

/** What controllers read from a pod's status ({@code pkg/api/v1/pod} and {@code controller_utils.go}). */
public final class Pods {
    private Pods() {
    }

    public static String phase(JsonNode pod) {
        return Json.text(pod.path("status"), "phase");
    }

    public static String nodeName(JsonNode pod) {
        return Json.text(pod.path("spec"), "nodeName");
    }

    /** Not finished and not being deleted ({@code IsPodActive}). */
    public static boolean isActive(JsonNode pod) {
        String phase = phase(pod);
        return !phase.equals("Succeeded") && !phase.equals("Failed") && !Meta.isDeleting(pod);
    }

    /** The pod's condition of that type, or null. */
    public static JsonNode condition(JsonNode pod, String type) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (type.equals(Json.text(c, "type"))) return c;
        }
        return null;
    }

    /** Its Ready condition is True ({@code IsPodReady}). */
    public static boolean isReady(JsonNode pod) {
        JsonNode c = condition(pod, "Ready");
        return c != null && "True".equals(Json.text(c, "status"));
    }

    /** When it became ready (the Ready condition's lastTransitionTime), or null when it is not ready or unknown. */
    public static Instant readyTime(JsonNode pod) {
        if (!isReady(pod)) return null;
        return Meta.time(condition(pod, "Ready").get("lastTransitionTime"));
    }

    /**
     * Ready for at least minReadySeconds ({@code IsPodAvailable}): with 0, ready is available; otherwise the Ready
     * condition's transition must lie more than that long in the past.
     */
    public static boolean isAvailable(JsonNode pod, long minReadySeconds, Instant now) {
        if (!isReady(pod)) return false;
        if (minReadySeconds == 0) return true;
        Instant since = Meta.time(condition(pod, "Ready").get("lastTransitionTime"));
        return since != null && since.plus(Duration.ofSeconds(minReadySeconds)).isBefore(now);
    }
}
