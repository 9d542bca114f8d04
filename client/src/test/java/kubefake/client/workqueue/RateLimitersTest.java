package kubefake.client.workqueue;

import kubefake.client.runtime.ManualClusterClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RateLimitersTest {

    @Test
    void exponentialBackoffDoublesFrom5MsAndStopsAt1000s() {
        ExponentialBackoff<String> limiter = new ExponentialBackoff<>(Duration.ofMillis(5), Duration.ofSeconds(1000));
        Duration d = null;
        for (int i = 0; i < 18; i++) {
            d = limiter.when("k");
            assertEquals(Duration.ofNanos(5_000_000L << i), d, "failure " + i);
        }
        assertEquals(Duration.ofMillis(655_360), d); // 5 ms × 2^17
        assertEquals(Duration.ofSeconds(1000), limiter.when("k"), "5 ms × 2^18 would be 1,310 s");
        for (int i = 0; i < 100; i++) limiter.when("k");
        assertEquals(Duration.ofSeconds(1000), limiter.when("k"), "no overflow however many failures");
        assertEquals(120, limiter.numRequeues("k"));
    }

    @Test
    void tokenBucketAllowsABurstThenItsRate() {
        ManualClusterClock clock = new ManualClusterClock();
        TokenBucket<String> bucket = new TokenBucket<>(clock, 10, 100);
        for (int i = 0; i < 100; i++) assertEquals(Duration.ZERO, bucket.when("k" + i));
        assertEquals(Duration.ofMillis(100), bucket.when("x"));
        assertEquals(Duration.ofMillis(200), bucket.when("y"), "reservations queue up");
        clock.advance(Duration.ofSeconds(1)); // 10 tokens came back, 2 were owed
        for (int i = 0; i < 8; i++) assertEquals(Duration.ZERO, bucket.when("z" + i));
        assertEquals(Duration.ofMillis(100), bucket.when("z"));
    }

    @Test
    void theDefaultControllerRateLimiterTakesTheLongerOfBoth() {
        ManualClusterClock clock = new ManualClusterClock();
        RateLimiter<String> limiter = RateLimiters.defaultControllerRateLimiter(clock);
        assertEquals(Duration.ofMillis(5), limiter.when("a"));
        assertEquals(Duration.ofMillis(10), limiter.when("a"));
        for (int i = 0; i < 98; i++) limiter.when("other" + i);
        assertEquals(Duration.ofMillis(100), limiter.when("b"), "the bucket is empty: 10 per second overall");
        assertEquals(2, limiter.numRequeues("a"));
        limiter.forget("a");
        assertEquals(0, limiter.numRequeues("a"));
    }
}
