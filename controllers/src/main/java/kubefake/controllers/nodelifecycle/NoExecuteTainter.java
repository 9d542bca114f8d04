package kubefake.controllers.nodelifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One zone's queue of nodes waiting for their NoExecute taint ({@code RateLimitedTimedQueue}), taken in order at
 * the zone's eviction rate: 0.1 nodes a second with a burst of one in a healthy zone, slower or not at all when
 * much of the zone is down (the limiter is swapped). A node once queued is not queued again until it is removed
 * (it became reachable), as the real queue remembers every value it was given. Confined to the controller's lane.
 */
final class NoExecuteTainter {
    private final Clock clock;
    private final Set<String> queue = new LinkedHashSet<>();
    private final Set<String> seen = new java.util.HashSet<>();
    private double qps;
    private double tokens = 1;
    private Instant last;

    NoExecuteTainter(Clock clock, double qps) {
        this.clock = clock;
        this.qps = qps;
        this.last = clock.instant();
    }

    /** Queues the node unless it was queued before and not removed since; true when it was added. */
    boolean add(String node) {
        if (!seen.add(node)) return false;
        queue.add(node);
        return true;
    }

    /** Forgets the node: it may be queued again. */
    void remove(String node) {
        seen.remove(node);
        queue.remove(node);
    }

    /** A new rate; 0 stops the queue ({@code SwapLimiter}). */
    void swapLimiter(double newQps) {
        if (newQps == qps) return;
        refill();
        qps = newQps;
        tokens = Math.min(tokens, 1);
    }

    /**
     * Offers queued nodes to {@code taint} while the rate allows; a node it cannot taint yet stays queued.
     *
     * @return how long until the next node may go, or null when nothing waits or the queue is stopped
     */
    Duration process(Predicate<String> taint) {
        Iterator<String> it = queue.iterator();
        while (it.hasNext()) {
            String node = it.next();
            if (!tryAccept()) break;
            if (taint.test(node)) it.remove();
        }
        if (queue.isEmpty() || qps <= 0) return null;
        return Duration.ofNanos((long) Math.ceil((1 - tokens) / qps * 1e9));
    }

    private boolean tryAccept() {
        if (qps <= 0) return false;
        refill();
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }

    private void refill() {
        Instant now = clock.instant();
        if (now.isAfter(last)) {
            tokens = Math.min(1, tokens + Duration.between(last, now).toNanos() / 1e9 * qps);
            last = now;
        }
    }
}
