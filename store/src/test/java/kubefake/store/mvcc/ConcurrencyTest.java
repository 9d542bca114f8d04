package kubefake.store.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConcurrencyTest {
    private static final int WRITERS = 4;
    private static final int INCREMENTS_PER_WRITER = 3000;
    private static final List<String> COUNTERS = List.of("/c/a", "/c/b", "/c/c");

    private final MemoryKeyValueStore store = new MemoryKeyValueStore();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** Read, add one, write back with the read modRevision as condition; retried until it succeeds. */
    private long increment(String key) {
        long attempts = 0;
        while (true) {
            attempts++;
            KeyValue kv = store.get(key);
            long value = kv == null ? 0 : Long.parseLong(Values.text(kv));
            byte[] next = Long.toString(value + 1).getBytes(StandardCharsets.UTF_8);
            WriteResult result = store.put(key, rev -> next, kv == null ? WriteView.ABSENT : kv.modRevision());
            if (result.succeeded()) {
                return attempts;
            }
        }
    }

    @Test
    void compareAndSwapIncrementsLoseNoUpdateAndWatchersSeeEveryRevisionOnce() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        Map<String, AtomicLong> successes = new ConcurrentHashMap<>();
        COUNTERS.forEach(k -> successes.put(k, new AtomicLong()));
        AtomicLong failedAttempts = new AtomicLong();

        Drainer fromStart = new Drainer(store.watch("/c/", 0, () -> { }, 1_000_000));
        pool.submit(fromStart);

        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            writers.add(pool.submit(() -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < INCREMENTS_PER_WRITER; i++) {
                    String key = COUNTERS.get(random.nextInt(COUNTERS.size()));
                    failedAttempts.addAndGet(increment(key) - 1);
                    successes.get(key).incrementAndGet();
                }
                return null;
            }));
        }
        // Watchers that join while writes go on, from a revision a little in the past: replay then live.
        List<Drainer> latecomers = new ArrayList<>();
        start.countDown();
        while (latecomers.size() < 20) {
            long current = store.currentRevision();
            long after = Math.max(0, current - ThreadLocalRandom.current().nextLong(50));
            Drainer drainer = new Drainer(store.watch("/c/", after, () -> { }, 1_000_000));
            latecomers.add(drainer);
            pool.submit(drainer);
            LockSupport.parkNanos(200_000);
        }
        for (Future<?> writer : writers) {
            writer.get();
        }

        long total = (long) WRITERS * INCREMENTS_PER_WRITER;
        assertEquals(total, store.currentRevision());
        for (String key : COUNTERS) {
            assertEquals(successes.get(key).get(), Long.parseLong(Values.text(store.get(key))), key);
        }
        fromStart.awaitRevision(total);
        assertEquals(0, fromStart.violations.get(), "out-of-order or duplicate events");
        assertEquals(total, fromStart.received.get());
        for (Drainer drainer : latecomers) {
            drainer.awaitRevision(total);
            assertEquals(0, drainer.violations.get());
            assertEquals(total - drainer.after, drainer.received.get());
        }
        // The test only shows something when the writers really raced.
        assertTrue(failedAttempts.get() > 0, "no CAS conflict happened");
    }

    @Test
    void readsAtARevisionAreRepeatableWhileWritersAndCompactionRun() throws Exception {
        for (int i = 0; i < 200; i++) {
            Values.put(store, "/r/" + i, "0");
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            writers.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stop.get()) {
                    String key = "/r/" + random.nextInt(250);
                    if (random.nextInt(4) == 0) {
                        store.delete(key, WriteView.ANY);
                    } else {
                        Values.put(store, key, Long.toString(random.nextLong()));
                    }
                }
                return null;
            }));
        }
        Future<?> compactor = pool.submit(() -> {
            while (!stop.get()) {
                long target = store.currentRevision() - 2000;
                if (target > store.compactedRevision()) {
                    store.compact(target);
                }
                LockSupport.parkNanos(1_000_000);
            }
            return null;
        });

        long checks = 0;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        while (System.nanoTime() < deadline) {
            RangeResult now = store.range("/r/", ReadView.prefixEnd("/r/"), 0, 0);
            assertEquals(now.kvs().size(), now.count());
            try {
                RangeResult again = store.range("/r/", ReadView.prefixEnd("/r/"), now.revision(), 0);
                assertEquals(describe(now), describe(again));
                RangeResult page = store.range("/r/", ReadView.prefixEnd("/r/"), now.revision(), 10);
                assertEquals(now.count(), page.count());
                assertEquals(describe(now).subList(0, Math.min(10, now.kvs().size())), describe(page));
                checks++;
            } catch (CompactedException e) {
                assertTrue(now.revision() <= store.compactedRevision());
            }
        }
        stop.set(true);
        for (Future<?> writer : writers) {
            writer.get();
        }
        compactor.get();
        assertTrue(checks > 10, "checks: " + checks);
        assertTrue(store.compactedRevision() > 0, "compaction never ran");
    }

    private static List<String> describe(RangeResult result) {
        return result.kvs().stream().map(kv -> kv.key() + "=" + Values.text(kv) + "@" + kv.modRevision()).toList();
    }

    /** Polls a watcher until told to stop, checking each revision is exactly the one after the previous. */
    private static final class Drainer implements Runnable {
        final Watcher watcher;
        final long after;
        final AtomicLong received = new AtomicLong();
        final AtomicLong lastRevision = new AtomicLong();
        final AtomicLong violations = new AtomicLong();

        Drainer(Watcher watcher) {
            this.watcher = watcher;
            this.after = ((StoreWatcher) watcher).afterRevision();
            this.lastRevision.set(after);
        }

        @Override
        public void run() {
            while (!Thread.currentThread().isInterrupted() && !watcher.isClosed()) {
                List<Event> events = watcher.poll(256);
                if (events.isEmpty()) {
                    Thread.onSpinWait();
                    LockSupport.parkNanos(50_000);
                    continue;
                }
                for (Event event : events) {
                    if (event.revision() != lastRevision.get() + 1) {
                        violations.incrementAndGet();
                    }
                    lastRevision.set(event.revision());
                    received.incrementAndGet();
                }
            }
        }

        void awaitRevision(long revision) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (lastRevision.get() < revision && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
            assertEquals(revision, lastRevision.get());
            assertFalse(watcher.isClosed());
        }
    }
}
