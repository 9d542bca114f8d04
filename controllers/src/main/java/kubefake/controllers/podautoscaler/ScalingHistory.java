package kubefake.controllers.podautoscaler;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the HPA controller remembers of each autoscaler between syncs ({@code HorizontalController}'s
 * recommendations and scale events, kept in memory only, as kube-controller-manager does): its recent replica
 * recommendations, which stabilize scaling, and its recent scale changes, which the behavior's rate policies count.
 * From them it turns a metric's proposal into the count to scale to, with the conditions saying why.
 */
final class ScalingHistory {
    /** --horizontal-pod-autoscaler-downscale-stabilization's default. */
    static final Duration DOWNSCALE_STABILIZATION_WINDOW = Duration.ofMinutes(5);

    private record Recommendation(int replicas, Instant at) {
    }

    private record ScaleEvent(int change, Instant at) {
    }

    /** A decision and the AbleToScale and ScalingLimited conditions it sets. */
    record Decision(int replicas, String stabilizedReason, String stabilizedMessage, boolean limited, String limitReason,
                    String limitMessage) {
    }

    private final Map<String, List<Recommendation>> recommendations = new ConcurrentHashMap<>();
    private final Map<String, List<ScaleEvent>> scaleUps = new ConcurrentHashMap<>();
    private final Map<String, List<ScaleEvent>> scaleDowns = new ConcurrentHashMap<>();

    /** The first sync of an autoscaler starts its history with the current count. */
    void initialize(String key, int currentReplicas, Instant now) {
        recommendations.computeIfAbsent(key, k -> new ArrayList<>(List.of(new Recommendation(currentReplicas, now))));
    }

    void forget(String key) {
        recommendations.remove(key);
        scaleUps.remove(key);
        scaleDowns.remove(key);
    }

    // ---------------------------------------------------------------- without a behavior

    /** {@code normalizeDesiredReplicas}: the highest recommendation of the window, then at most max(2×, 4) up. */
    Decision normalize(String key, int current, int proposed, int min, int max, Instant now) {
        int stabilized = proposed;
        List<Recommendation> recs = recommendations.computeIfAbsent(key, k -> new ArrayList<>());
        synchronized (recs) {
            Instant cutoff = now.minus(DOWNSCALE_STABILIZATION_WINDOW);
            int oldIndex = -1;
            for (int i = 0; i < recs.size(); i++) {
                Recommendation r = recs.get(i);
                if (r.at.isBefore(cutoff)) oldIndex = i;
                else if (r.replicas > stabilized) stabilized = r.replicas;
            }
            record(recs, oldIndex, new Recommendation(proposed, now));
        }
        String reason = stabilized != proposed ? "ScaleDownStabilized" : "ReadyForNewScale";
        String message = stabilized != proposed
                ? "recent recommendations were higher than current one, applying the highest recent recommendation"
                : "recommended size matches current size";
        int scaleUpLimit = Math.max(2 * current, 4);
        int maxAllowed;
        String limitReason;
        String limitMessage;
        if (max > scaleUpLimit) {
            maxAllowed = scaleUpLimit;
            limitReason = "ScaleUpLimit";
            limitMessage = "the desired replica count is increasing faster than the maximum scale rate";
        } else {
            maxAllowed = max;
            limitReason = "TooManyReplicas";
            limitMessage = "the desired replica count is more than the maximum replica count";
        }
        int desired = stabilized;
        if (stabilized < min) {
            desired = min;
            limitReason = "TooFewReplicas";
            limitMessage = "the desired replica count is less than the minimum replica count";
        } else if (stabilized > maxAllowed) {
            desired = maxAllowed;
        } else {
            limitReason = "DesiredWithinRange";
            limitMessage = "the desired count is within the acceptable range";
        }
        return new Decision(desired, reason, message, desired != stabilized, limitReason, limitMessage);
    }

    private static void record(List<Recommendation> recs, int oldIndex, Recommendation r) {
        if (oldIndex >= 0) recs.set(oldIndex, r);
        else recs.add(r);
    }

    // ---------------------------------------------------------------- with a behavior

    /** {@code normalizeDesiredReplicasWithBehaviors}: stabilization windows both ways, then the rate policies. */
    Decision normalize(String key, JsonNode behavior, int current, int proposed, int min, int max, Instant now) {
        JsonNode up = behavior.path("scaleUp");
        JsonNode down = behavior.path("scaleDown");
        long upWindow = up.path("stabilizationWindowSeconds").asLong(0);
        long downWindow = down.path("stabilizationWindowSeconds").isIntegralNumber()
                ? down.path("stabilizationWindowSeconds").asLong() : DOWNSCALE_STABILIZATION_WINDOW.toSeconds();
        Instant upCutoff = now.minusSeconds(upWindow);
        Instant downCutoff = now.minusSeconds(downWindow);
        int upRecommendation = proposed;
        int downRecommendation = proposed;
        List<Recommendation> recs = recommendations.computeIfAbsent(key, k -> new ArrayList<>());
        synchronized (recs) {
            int oldIndex = -1;
            for (int i = 0; i < recs.size(); i++) {
                Recommendation r = recs.get(i);
                if (r.at.isAfter(upCutoff)) upRecommendation = Math.min(r.replicas, upRecommendation);
                if (r.at.isAfter(downCutoff)) downRecommendation = Math.max(r.replicas, downRecommendation);
                if (r.at.isBefore(upCutoff) && r.at.isBefore(downCutoff)) oldIndex = i;
            }
            record(recs, oldIndex, new Recommendation(proposed, now));
        }
        int stabilized = Math.min(Math.max(current, upRecommendation), downRecommendation);
        String reason = "ReadyForNewScale";
        String message = "recommended size matches current size";
        if (stabilized != proposed) {
            reason = proposed >= current ? "ScaleUpStabilized" : "ScaleDownStabilized";
            message = proposed >= current
                    ? "recent recommendations were lower than current one, applying the lowest recent recommendation"
                    : "recent recommendations were higher than current one, applying the highest recent recommendation";
        }
        int desired = stabilized;
        String limitReason = "DesiredWithinRange";
        String limitMessage = "the desired count is within the acceptable range";
        if (stabilized > current) {
            int limit = Math.max(scaleUpLimit(current, up, key, now), current);
            int maxAllowed = max;
            String r = "TooManyReplicas";
            String m = "the desired replica count is more than the maximum replica count";
            if (maxAllowed > limit) {
                maxAllowed = limit;
                r = "ScaleUpLimit";
                m = "the desired replica count is increasing faster than the maximum scale rate";
            }
            if (stabilized > maxAllowed) {
                desired = maxAllowed;
                limitReason = r;
                limitMessage = m;
            }
        } else if (stabilized < current) {
            int limit = Math.min(scaleDownLimit(current, down, key, now), current);
            int minAllowed = min;
            String r = "TooFewReplicas";
            String m = "the desired replica count is less than the minimum replica count";
            if (minAllowed < limit) {
                minAllowed = limit;
                r = "ScaleDownLimit";
                m = "the desired replica count is decreasing faster than the maximum scale rate";
            }
            if (stabilized < minAllowed) {
                desired = minAllowed;
                limitReason = r;
                limitMessage = m;
            }
        }
        return new Decision(desired, reason, message, desired != stabilized, limitReason, limitMessage);
    }

    /** {@code calculateScaleUpLimitWithScalingRules}. */
    private int scaleUpLimit(int current, JsonNode rules, String key, Instant now) {
        String select = rules.path("selectPolicy").asText("Max");
        if (select.equals("Disabled")) return current;
        boolean min = select.equals("Min");
        int result = min ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        for (JsonNode p : rules.path("policies")) {
            int start = periodStart(current, p.path("periodSeconds").asLong(), key, now);
            int proposed = p.path("type").asText().equals("Pods") ? start + p.path("value").asInt()
                    : (int) Math.ceil(start * (1 + p.path("value").asDouble() / 100));
            result = min ? Math.min(result, proposed) : Math.max(result, proposed);
        }
        return result;
    }

    /** {@code calculateScaleDownLimitWithBehaviors}. */
    private int scaleDownLimit(int current, JsonNode rules, String key, Instant now) {
        String select = rules.path("selectPolicy").asText("Max");
        if (select.equals("Disabled")) return current;
        boolean min = select.equals("Min");
        int result = min ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        for (JsonNode p : rules.path("policies")) {
            int start = periodStart(current, p.path("periodSeconds").asLong(), key, now);
            int proposed = p.path("type").asText().equals("Pods") ? start - p.path("value").asInt()
                    : (int) (start * (1 - p.path("value").asDouble() / 100));
            result = min ? Math.max(result, proposed) : Math.min(result, proposed);
        }
        return result;
    }

    /** The count at the start of a policy's period: the current one less what was added, plus what was removed. */
    private int periodStart(int current, long periodSeconds, String key, Instant now) {
        Instant cutoff = now.minusSeconds(periodSeconds);
        return current - changes(scaleUps.get(key), cutoff) + changes(scaleDowns.get(key), cutoff);
    }

    private static int changes(List<ScaleEvent> events, Instant cutoff) {
        if (events == null) return 0;
        int sum = 0;
        synchronized (events) {
            for (ScaleEvent e : events) if (e.at.isAfter(cutoff)) sum += e.change;
        }
        return sum;
    }

    /** {@code storeScaleEvent}: only autoscalers with a behavior keep them, the oldest outdated one is reused. */
    void recordScale(String key, JsonNode behavior, int from, int to, Instant now) {
        if (behavior == null || behavior.isNull() || behavior.isMissingNode() || from == to) return;
        boolean up = to > from;
        long longestPeriod = 0;
        for (JsonNode p : behavior.path(up ? "scaleUp" : "scaleDown").path("policies")) {
            longestPeriod = Math.max(longestPeriod, p.path("periodSeconds").asLong());
        }
        Instant cutoff = now.minusSeconds(longestPeriod);
        List<ScaleEvent> events = (up ? scaleUps : scaleDowns).computeIfAbsent(key, k -> new ArrayList<>());
        synchronized (events) {
            ScaleEvent added = new ScaleEvent(Math.abs(to - from), now);
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).at.isBefore(cutoff)) {
                    events.set(i, added);
                    return;
                }
            }
            events.add(added);
        }
    }
}
