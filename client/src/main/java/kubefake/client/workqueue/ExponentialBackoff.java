package kubefake.client.workqueue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-key exponential back-off: base, 2×base, 4×base... up to max (client-go's ItemExponentialFailureRateLimiter).
 */
public final class ExponentialBackoff<K> implements RateLimiter<K> {
    private final Duration base;
    private final Duration max;
    private final Map<K, Integer> failures = new HashMap<>(); // guarded by this

    public ExponentialBackoff(Duration base, Duration max) {
        this.base = base;
        this.max = max;
    }

    @Override
    public synchronized Duration when(K key) {
        int exponent = failures.merge(key, 1, Integer::sum) - 1;
        double nanos = base.toNanos() * Math.pow(2, exponent);
        if (nanos >= max.toNanos()) return max;
        return Duration.ofNanos((long) nanos);
    }

    @Override
    public synchronized void forget(K key) {
        failures.remove(key);
    }

    @Override
    public synchronized int numRequeues(K key) {
        return failures.getOrDefault(key, 0);
    }
}
