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

    @Test
    void aMergedHistogramHoldsBothRecordings() {
        LoadHarness.Histogram fast = new LoadHarness.Histogram();
        LoadHarness.Histogram slow = new LoadHarness.Histogram();
        for (int i = 0; i < 99; i++) fast.record(1_000_000L - 1);
        slow.record(500_000_000L - 1);
        LoadHarness.Histogram both = LoadHarness.Histogram.merged(fast, slow);
        assertEquals(100, both.count());
        assertEquals("1.00", both.ms(0.99));
        assertEquals("500.00", both.ms(1.0));
        assertEquals(99, fast.count()); // the parts are left as they were
    }
}
