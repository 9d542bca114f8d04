package kubefake.store.mvcc;

import static kubefake.store.mvcc.Values.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CompactorTest {
    private final MemoryKeyValueStore store = new MemoryKeyValueStore();

    @Test
    void eachTickCompactsToTheRevisionSeenOneTickEarlier() {
        Compactor compactor = new Compactor(store);
        put(store, "/a", "1");
        put(store, "/a", "2");                  // revision 2 at the first tick

        assertEquals(0, compactor.tick());      // nothing seen before: only remembers 2
        assertEquals(0, store.compactedRevision());

        put(store, "/a", "3");
        put(store, "/a", "4");                  // revision 4 at the second tick
        assertEquals(2, compactor.tick());
        assertEquals(2, store.compactedRevision());

        assertEquals(4, compactor.tick());      // no writes since: compacts to 4, remembers 4
        assertEquals(0, compactor.tick());      // already compacted to 4
        assertEquals(4, store.compactedRevision());
        assertEquals("4", Values.text(store.get("/a")));
    }

    @Test
    void aTickOnAClosedOrUnchangedStoreDoesNotThrow() {
        Compactor compactor = new Compactor(store);
        assertEquals(0, compactor.tick());
        assertEquals(0, compactor.tick());
        put(store, "/a", "1");
        compactor.tick();
        store.close();
        assertEquals(1, compactor.tick());
    }

    @Test
    void startSchedulesTicksAtTheIntervalAndCloseCancelsThem() {
        FakeScheduler scheduler = new FakeScheduler();
        Compactor compactor = Compactor.start(store, scheduler.proxy(), Duration.ofMinutes(5));

        assertEquals(List.of(TimeUnit.MINUTES.toNanos(5), TimeUnit.MINUTES.toNanos(5)),
                List.of(scheduler.initialDelayNanos, scheduler.periodNanos));
        put(store, "/a", "1");
        scheduler.task.run();
        put(store, "/a", "2");
        scheduler.task.run();
        assertEquals(1, store.compactedRevision());

        compactor.close();
        assertTrue(scheduler.cancelled);
    }

    @Test
    void aNonPositiveIntervalIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Compactor.start(store, new FakeScheduler().proxy(), Duration.ZERO));
    }

    /** Captures what scheduleAtFixedRate was given; time only moves when the test runs the task. */
    private static final class FakeScheduler {
        Runnable task;
        long initialDelayNanos;
        long periodNanos;
        boolean cancelled;

        ScheduledExecutorService proxy() {
            ScheduledFuture<?> future = (ScheduledFuture<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ScheduledFuture.class}, (p, method, args) -> {
                        if (method.getName().equals("cancel")) {
                            cancelled = true;
                            return true;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
            return (ScheduledExecutorService) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ScheduledExecutorService.class}, (p, method, args) -> {
                        if (method.getName().equals("scheduleAtFixedRate")) {
                            TimeUnit unit = (TimeUnit) args[3];
                            task = (Runnable) args[0];
                            initialDelayNanos = unit.toNanos((Long) args[1]);
                            periodNanos = unit.toNanos((Long) args[2]);
                            return future;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }
    }
}
