package kubefake.server.http;

import kubefake.store.registry.request.UserInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The max-in-flight filter's bookkeeping: two separate limits, its exemptions, and places given back once. */
class InFlightLimitsTest {
    private static final UserInfo BOB = new UserInfo("bob", "", List.of("devs", "system:authenticated"));
    private static final UserInfo ADMIN = new UserInfo("admin", "", List.of("system:masters", "system:authenticated"));

    @Test
    void readOnlyAndMutatingRequestsHaveTheirOwnLimits() {
        InFlightLimits limits = new InFlightLimits(2, 1);
        InFlightLimits.Slot r1 = limits.acquire(RequestKind.READ_ONLY, BOB);
        InFlightLimits.Slot r2 = limits.acquire(RequestKind.READ_ONLY, BOB);
        assertNotNull(r1);
        assertNotNull(r2);
        assertNull(limits.acquire(RequestKind.READ_ONLY, BOB), "a third read-only request is refused");
        InFlightLimits.Slot m1 = limits.acquire(RequestKind.MUTATING, BOB);
        assertNotNull(m1, "the mutating limit is apart");
        assertNull(limits.acquire(RequestKind.MUTATING, BOB));
        r1.release();
        r1.release(); // a second release gives nothing back twice
        assertNotNull(limits.acquire(RequestKind.READ_ONLY, BOB));
        assertNull(limits.acquire(RequestKind.READ_ONLY, BOB));
    }

    @Test
    void mastersProbesAndStreamsAreNeverRefused() {
        InFlightLimits limits = new InFlightLimits(1, 1);
        limits.acquire(RequestKind.READ_ONLY, BOB);
        limits.acquire(RequestKind.MUTATING, BOB);
        assertSame(InFlightLimits.Slot.NONE, limits.acquire(RequestKind.READ_ONLY, ADMIN), "served without a place");
        assertSame(InFlightLimits.Slot.NONE, limits.acquire(RequestKind.MUTATING, ADMIN));
        assertSame(InFlightLimits.Slot.NONE, limits.acquire(RequestKind.EXEMPT, BOB));
        assertSame(InFlightLimits.Slot.NONE, limits.acquire(RequestKind.LONG_RUNNING, BOB));
        assertNull(limits.acquire(RequestKind.READ_ONLY, BOB));
    }

    @Test
    void zeroMeansNoLimit() {
        InFlightLimits limits = new InFlightLimits(0, 0);
        for (int i = 0; i < 1000; i++) assertSame(InFlightLimits.Slot.NONE, limits.acquire(RequestKind.MUTATING, BOB));
    }

    @Test
    void theAnswerIsTheFiltersPlainText() {
        Reply r = InFlightLimits.tooManyRequests();
        assertEquals(429, r.status());
        assertEquals("text/plain; charset=utf-8", r.contentType());
        assertEquals("1", r.headers().get("Retry-After"));
        assertEquals("Too many requests, please try again later.\n", new String(r.body()));
    }
}
