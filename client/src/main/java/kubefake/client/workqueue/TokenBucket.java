package kubefake.client.workqueue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * An overall retry rate (client-go's BucketRateLimiter over golang.org/x/time/rate): up to {@code burst} retries at
 * once, then {@code perSecond}; each retry reserves a token, and waits until the bucket would have held it.
 */
public final class TokenBucket<K> implements RateLimiter<K> {
    private final Clock clock;
    private final double perSecond;
    private final int burst;
    private double tokens; // guarded by this; negative when reservations run ahead of the refill
    private Instant last; // guarded by this

    public TokenBucket(Clock clock, double perSecond, int burst) {
        this.clock = clock;
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.last = clock.instant();
    }

    @Override
    public synchronized Duration when(K key) {
        Instant now = clock.instant();
        if (now.isAfter(last)) {
            double elapsed = Duration.between(last, now).toNanos() / 1e9;
            tokens = Math.min(burst, tokens + elapsed * perSecond);
            last = now;
        }
        tokens -= 1;
        if (tokens >= 0) return Duration.ZERO;
        return Duration.ofNanos((long) Math.ceil(-tokens / perSecond * 1e9));
    }

    @Override
    public void forget(K key) {
        // the bucket is shared by every key: nothing to forget
    }

    @Override
    public int numRequeues(K key) {
        return 0;
    }
}
