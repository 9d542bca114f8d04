package kubefake.server.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The harness's latency quantiles: what its results files print as p50/p99/p99.9/max. */
class LoadHarnessHistogramTest {
    @Test
    void quantilesAreTheUpperBoundOfTheBucketHoldingThatRank() {
        LoadHarness.Histogram h = new LoadHarness.Histogram();
        for (int ms = 1; ms <= 1000; ms++) h.record(ms * 1_000_000L - 1); // 0.999.. ms, 1.999.. ms, ...
        assertEquals(1000, h.count());
        assertEquals("1.00", h.ms(0.001));
        assertEquals("500.00", h.ms(0.50));
        assertEquals("990.00", h.ms(0.99));
        assertEquals("999.00", h.ms(0.999));
        assertEquals("1000.00", h.ms(1.0));
    }

    @Test
    void nothingRecordedPrintsADash() {
        assertEquals("-", new LoadHarness.Histogram().ms(0.99));
    }

    @Test
    void slowerThanTheLastBucketCountsInIt() {
        LoadHarness.Histogram h = new LoadHarness.Histogram();
        h.record(60_000_000_000L);
        assertEquals("20000.01", h.ms(1.0));
    }
}
