package kubefake.client.workqueue;

import java.time.Duration;

/** How long a key waits before it is retried (client-go's workqueue.RateLimiter). */
public interface RateLimiter<K> {
    /** The delay before the next retry of {@code key}, counting this one as a failure. */
    Duration when(K key);

    /** The key succeeded: its back-off starts over. */
    void forget(K key);

    /** How many times the key was retried since it was last forgotten. */
    int numRequeues(K key);
}
