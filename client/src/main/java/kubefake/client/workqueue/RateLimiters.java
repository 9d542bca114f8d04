package kubefake.client.workqueue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The rate limiters controllers use. */
public final class RateLimiters {
    private RateLimiters() {
    }

    /**
     * client-go's DefaultControllerRateLimiter: per key 5 ms doubling to 1,000 s, and overall no more than 10
     * retries a second after a burst of 100.
     */
    public static <K> RateLimiter<K> defaultControllerRateLimiter(Clock clock) {
        return maxOf(new ExponentialBackoff<>(Duration.ofMillis(5), Duration.ofSeconds(1000)), new TokenBucket<>(clock, 10, 100));
    }

    /** The longest delay any of the limiters asks for (client-go's MaxOfRateLimiter). */
    @SafeVarargs
    public static <K> RateLimiter<K> maxOf(RateLimiter<K>... limiters) {
        List<RateLimiter<K>> all = List.of(limiters);
        return new RateLimiter<>() {
            @Override
            public Duration when(K key) {
                Duration longest = Duration.ZERO;
                for (RateLimiter<K> l : all) {
                    Duration d = l.when(key);
                    if (d.compareTo(longest) > 0) longest = d;
                }
                return longest;
            }

            @Override
            public void forget(K key) {
                all.forEach(l -> l.forget(key));
            }

            @Override
            public int numRequeues(K key) {
                int most = 0;
                for (RateLimiter<K> l : all) most = Math.max(most, l.numRequeues(key));
                return most;
            }
        };
    }
}
