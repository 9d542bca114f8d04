package kubefake.controllers.scheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Pods that fit nowhere and wait for the cluster to change ({@code unschedulablePods} of the scheduling queue):
 * moved back to the queue when a node or an assigned pod changes, or after five minutes by the periodic flush.
 * Every change that could move them bumps a counter, so a pod whose attempt overlapped such a change is retried at
 * once instead of waiting ({@code moveRequestCycle}). Thread-safe.
 */
final class UnschedulablePods {
    private final Map<String, Instant> since = new HashMap<>();
    private long moveCycle;

    synchronized long moveCycle() {
        return moveCycle;
    }

    /**
     * Records that the pod fits nowhere. False when the cluster changed after {@code attemptCycle} began: the
     * caller retries the pod instead.
     */
    synchronized boolean add(String key, Instant now, long attemptCycle) {
        if (moveCycle > attemptCycle) return false;
        since.put(key, now);
        return true;
    }

    synchronized void remove(String key) {
        since.remove(key);
    }

    synchronized boolean contains(String key) {
        return since.containsKey(key);
    }

    /** Every waiting pod, now to be retried. */
    synchronized List<String> moveAll() {
        moveCycle++;
        List<String> keys = new ArrayList<>(since.keySet());
        since.clear();
        return keys;
    }

    /** The pods that have waited longer than {@code before} ({@code flushUnschedulablePodsLeftover}). */
    synchronized List<String> waitingSince(Instant before) {
        List<String> keys = new ArrayList<>();
        for (Iterator<Map.Entry<String, Instant>> it = since.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Instant> e = it.next();
            if (e.getValue().isBefore(before)) {
                keys.add(e.getKey());
                it.remove();
            }
        }
        return keys;
    }
}
