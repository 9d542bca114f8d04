package kubefake.store.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EventLogTest {
    private final EventLog log = new EventLog();

    private static Event put(long revision) {
        return new Event(Event.Type.PUT, new KeyValue("/k", new byte[0], 1, revision, revision), null);
    }

    @Test
    void servesEveryAppendedRevisionAndNothingBeyond() {
        for (long r = 1; r <= 3000; r++) {
            log.append(put(r));
        }
        for (long r = 1; r <= 3000; r++) {
            assertEquals(r, log.get(r).revision());
        }
        assertNull(log.get(3001));
        assertNull(log.get(0));
    }

    @Test
    void trimmingForgetsEverythingUpToTheRevisionAndDropsWholeSegments() {
        for (long r = 1; r <= 5000; r++) {
            log.append(put(r));
        }
        log.trimThrough(2100);

        for (long r = 1; r <= 2100; r++) {
            assertNull(log.get(r), "revision " + r);
        }
        for (long r = 2101; r <= 5000; r++) {
            assertEquals(r, log.get(r).revision());
        }
        assertEquals(3, log.segmentCount()); // revisions 2048..3071, 3072..4095, 4096..5000
        log.trimThrough(1000);
        assertEquals(2101, log.get(2101).revision());
    }

    @Test
    void revisionsMustFollowEachOther() {
        log.append(put(1));
        assertThrows(IllegalStateException.class, () -> log.append(put(3)));
    }
}
