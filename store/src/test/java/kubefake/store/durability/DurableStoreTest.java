package kubefake.store.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kubefake.store.mvcc.CompactedException;
import kubefake.store.mvcc.DeferredDurability;
import kubefake.store.mvcc.Event;
import kubefake.store.mvcc.KeyValue;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.mvcc.Watcher;
import kubefake.store.mvcc.WriteResult;
import kubefake.store.mvcc.WriteView;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableStoreTest {
    @TempDir
    Path dataDir;

    private static WriteResult put(MemoryKeyValueStore store, String key, String value) {
        return store.put(key, r -> value.getBytes(StandardCharsets.UTF_8), WriteView.ANY);
    }

    private static String text(KeyValue kv) {
        return kv == null ? null : new String(kv.value(), StandardCharsets.UTF_8);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("store/wal"))) {
            return files.filter(f -> f.toString().endsWith(".wal")).sorted().toList();
        }
    }

    @Test
    void writesSurviveARestartAndRevisionsContinue() throws IOException {
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC)) {
            put(d.store(), "/registry/a", "a1");                      // 1
            put(d.store(), "/registry/b", "b1");                      // 2
            put(d.store(), "/registry/a", "a2");                      // 3
            d.store().delete("/registry/b", WriteView.ANY);           // 4
        }
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC)) {
            MemoryKeyValueStore s = d.store();
            assertEquals(4, s.currentRevision());
            KeyValue a = s.get("/registry/a");
            assertEquals("a2", text(a));
            assertEquals(List.of(1L, 3L, 2L), List.of(a.createRevision(), a.modRevision(), a.version()));
            assertNull(s.get("/registry/b"));
            assertEquals("b1", text(s.get("/registry/b", 3)));
            assertEquals(5, put(s, "/registry/c", "c").revision());
        }
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC)) {
            assertEquals(5, d.store().currentRevision());
            assertEquals("c", text(d.store().get("/registry/c")));
        }
    }

    @Test
    void aStoreNeverClosedKeepsEveryAcknowledgedWrite() throws IOException {
        DurableStore crashed = DurableStore.open(dataDir, Durability.FSYNC);
        for (int i = 1; i <= 50; i++) {
            put(crashed.store(), "/k/" + i, "v" + i);
        }
        crashed.abandonForCrashTest(); // no close: what a kill -9 leaves
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC)) {
            assertEquals(50, d.store().currentRevision());
            assertEquals(50, d.store().range("/k/", "/k0", 0, 0).count());
        }
    }

    /**
     * One step of a chain of in-process components, each acting on what the one before wrote: writes key {@code i}
     * recording the revision of key {@code i - 1} it read (none for the first), which must be there.
     */
    private static long chainStep(MemoryKeyValueStore store, int i) {
        long dependsOn = 0;
        if (i > 0) {
            KeyValue before = store.get("/chain/" + (i - 1));
            if (before == null) throw new AssertionError("step " + i + " does not see step " + (i - 1));
            dependsOn = before.modRevision();
        }
        return put(store, "/chain/" + i, Long.toString(dependsOn)).revision();
    }

    @Test
    void aCrashLosesWhatInProcessComponentsSawBeforeItsFsyncOnlyWithWhatTheyWroteAfterIt() throws Exception {
        DurableStore crashed = DurableStore.open(dataDir, Durability.FSYNC);
        MemoryKeyValueStore store = crashed.store();
        ExecutorService component = Executors.newSingleThreadExecutor(r -> new Thread(() -> {
            kubefake.store.mvcc.InProcessReads.markCurrentThread();
            r.run();
        }, "in-process"));
        try {
            Watcher client = store.watch("/chain/", 0, () -> { }, 1000);
            long revision = 0;
            for (int i = 0; i < 10; i++) {
                int step = i;
                revision = component.submit(() -> chainStep(store, step)).get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (crashed.log().durableRevision() < revision && System.nanoTime() < deadline) Thread.sleep(1);
            assertEquals(10, store.currentRevision(), "the first ten steps are durable");

            // the disk stops answering: the chain goes on, each step reading the one before at once
            crashed.log().holdWrites();
            for (int i = 10; i < 20; i++) {
                int step = i;
                component.submit(() -> chainStep(store, step)).get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertEquals(20, component.submit(store::currentRevision).get(10, java.util.concurrent.TimeUnit.SECONDS));
            // a client (any thread outside the components) never saw steps 10 to 19
            assertEquals(10, store.currentRevision());
            assertNull(store.get("/chain/10"));
            List<Event> seen = client.poll(1000);
            assertEquals(10, seen.size());
            assertEquals(10, seen.get(seen.size() - 1).revision());

            crashed.abandonForCrashTest(); // kill -9 during the fsync that never ended
        } finally {
            component.shutdownNow();
        }
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC)) {
            MemoryKeyValueStore s = d.store();
            // an ordered prefix: the steps up to the last durable one, each with the step it read, nothing after
            assertEquals(10, s.currentRevision());
            assertEquals(10, s.range("/chain/", "/chain0", 0, 0).count());
            for (int i = 1; i < 10; i++) {
                assertEquals(Long.toString(s.get("/chain/" + (i - 1)).modRevision()), text(s.get("/chain/" + i)));
            }
            assertNull(s.get("/chain/10"));
            // and the cluster goes on from there
            assertEquals(11, put(s, "/chain/10", "again").revision());
        }
    }

    @Test
    void aTornTailIsTruncatedAndTheStoreGoesOnFromTheLastWholeRecord() throws IOException {
        DurableStore crashed = DurableStore.open(dataDir, Durability.FSYNC);
        put(crashed.store(), "/k/1", "one");
        put(crashed.store(), "/k/2", "two");
        put(crashed.store(), "/k/3", "three-" + "x".repeat(100));
        crashed.abandonForCrashTest();
        Path segment = segments().get(0);
        long size = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size - 40); // the third record cut in the middle, as a crash during its write leaves it
        }
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC)) {
            assertEquals(2, d.store().currentRevision());
            assertEquals("two", text(d.store().get("/k/2")));
            assertNull(d.store().get("/k/3"));
            assertEquals(3, put(d.store(), "/k/3", "again").revision());
        }
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC)) {
            assertEquals("again", text(d.store().get("/k/3")));
        }
    }

    @Test
    void zerosAfterTheLastRecordAreATornTailToo() throws IOException {
        DurableStore crashed = DurableStore.open(dataDir, Durability.FSYNC);
        put(crashed.store(), "/k/1", "one");
        crashed.abandonForCrashTest();
        Files.write(segments().get(0), new byte[100], StandardOpenOption.APPEND);
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC)) {
            assertEquals(1, d.store().currentRevision());
        }
    }

    @Test
    void corruptionInTheMiddleRefusesToStartNamingTheFileAndOffset() throws IOException {
        DurableStore crashed = DurableStore.open(dataDir, Durability.FSYNC);
        put(crashed.store(), "/k/1", "one");
        put(crashed.store(), "/k/2", "two");
        put(crashed.store(), "/k/3", "three");
        crashed.abandonForCrashTest();
        Path segment = segments().get(0);
        byte[] bytes = Files.readAllBytes(segment);
        int firstRecord = LogSegments.HEADER;
        bytes[firstRecord + LogRecords.HEADER + 20] ^= 0x40; // a flipped bit in the key of revision 1
        Files.write(segment, bytes);

        CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> DurableStore.open(dataDir, Durability.FSYNC));
        assertTrue(e.getMessage().contains(segment.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("a checksum mismatch at offset " + firstRecord), e.getMessage());
        assertTrue(e.getMessage().contains("refusing to start"), e.getMessage());
        assertEquals(bytes.length, Files.size(segment)); // nothing was truncated
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefused() throws IOException {
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC)) {
            IOException e = assertThrows(IOException.class, () -> DurableStore.open(dataDir, Durability.FSYNC));
            assertTrue(e.getMessage().contains("is in use by another kubefake"), e.getMessage());
        }
        DurableStore.open(dataDir, Durability.FSYNC).close();
    }

    @Test
    void concurrentWritersShareFsyncs() throws Exception {
        int threads = 8;
        int each = 100;
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            Set<Long> revisions = ConcurrentHashMap.newKeySet();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        WriteResult r = put(d.store(), "/k/" + thread + "/" + i, "v");
                        // acknowledged only once durable
                        assertTrue(d.log().durableRevision() >= r.revision());
                        revisions.add(r.revision());
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertEquals(threads * each, revisions.size());
            assertTrue(d.log().syncCount() < threads * each,
                    d.log().syncCount() + " fsyncs for " + threads * each + " writes");
        }
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC)) {
            assertEquals(threads * each, d.store().range("/k/", "/k0", 0, 0).count());
        }
    }

    @Test
    void theLogPublishesADurableBatchBeforeItsWritersWake() throws Exception {
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC)) {
            List<String> announcedOn = new java.util.concurrent.CopyOnWriteArrayList<>();
            Watcher w = d.store().watch("/k/", d.store().currentRevision(), () -> announcedOn.add(Thread.currentThread().getName()), 100);
            assertTrue(w.poll(10).isEmpty());
            WriteResult r = put(d.store(), "/k/a", "v");
            assertTrue(d.store().currentRevision() >= r.revision(), "readable once acknowledged");
            assertEquals(List.of("store-wal"), announcedOn, "published (and told to watchers) by the log's flusher, not the writer");
            assertEquals(1, w.poll(10).size());
            w.close();
        }
    }

    @Test
    void deferredWritersAreToldOnTheFlusherOnceDurableAndShareFsyncs() throws Exception {
        int writes = 200;
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC)) {
            java.util.concurrent.LinkedBlockingQueue<String> told = new java.util.concurrent.LinkedBlockingQueue<>();
            for (int i = 0; i < writes; i++) {
                DeferredDurability.Deferral deferral = DeferredDurability.begin();
                put(d.store(), "/k/" + i, "v");
                long revision = deferral.end();
                d.store().deferredDurability().whenDurable(revision, failure -> told.add(failure != null ? "failed"
                        : d.log().durableRevision() >= revision && d.store().currentRevision() >= revision
                        ? "durable and readable" : "told too early"));
            }
            for (int i = 0; i < writes; i++) {
                assertEquals("durable and readable", told.poll(10, java.util.concurrent.TimeUnit.SECONDS));
            }
            // one thread wrote them all without waiting: they shared the fsyncs
            assertTrue(d.log().syncCount() < writes, d.log().syncCount() + " fsyncs for " + writes + " writes");
        }
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC)) {
            assertEquals(writes, d.store().range("/k/", "/k0", 0, 0).count());
        }
    }

    @Test
    void compactionSnapshotsTruncatesTheLogAndIsRespectedAfterARestart() throws IOException {
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC, 200)) {
            for (int i = 1; i <= 30; i++) {
                put(d.store(), "/k/" + (i % 5), "v" + i);             // revisions 1..30
            }
            int before = d.log().segmentCount();
            assertTrue(before >= 3, before + " segments");
            d.store().compact(20);
            assertTrue(d.log().segmentCount() < before);
            assertTrue(Files.exists(dataDir.resolve("store/snap").resolve(SnapshotDirectory.name(20))));
            put(d.store(), "/k/new", "n");                            // 31
        }
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC, 200)) {
            MemoryKeyValueStore s = d.store();
            assertEquals(31, s.currentRevision());
            assertEquals(20, s.compactedRevision());
            assertThrows(CompactedException.class, () -> s.get("/k/1", 20));
            assertThrows(CompactedException.class, () -> s.watch("/k/", 19, () -> { }, 100));
            assertEquals("v21", text(s.get("/k/1", 25)));
            assertEquals("v26", text(s.get("/k/1")));
            assertEquals(6, s.range("/k/", "/k0", 0, 0).count());
            // a watch from a retained revision replays what followed it, with the previous values
            Watcher w = s.watch("/k/", 28, () -> { }, 100);
            List<Event> events = w.poll(100);
            assertEquals(List.of(29L, 30L, 31L), events.stream().map(Event::revision).collect(Collectors.toList()));
            assertEquals("v24", text(events.get(0).prevKv()));
        }
    }

    @Test
    void noneKeepsNothingAndRefusesADirectoryWithAStore() throws IOException {
        try (DurableStore d = DurableStore.open(dataDir, Durability.NONE)) {
            put(d.store(), "/k", "v");
        }
        assertTrue(Files.notExists(dataDir.resolve("store")));
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC)) {
            put(d.store(), "/k", "v");
        }
        CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> DurableStore.open(dataDir, Durability.NONE));
        assertTrue(e.getMessage().contains("--durability=none"), e.getMessage());
    }

    @Test
    void aSavedSnapshotRestoresIntoANewDataDirectoryAtItsRevision(@TempDir Path other) throws IOException {
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        SnapshotFile.Status status;
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC)) {
            put(d.store(), "/k/a", "1");
            put(d.store(), "/k/b", "1");
            put(d.store(), "/k/a", "2");
            d.store().delete("/k/b", WriteView.ANY);
            status = d.saveSnapshot(saved);
            put(d.store(), "/k/after", "x");
        }
        assertEquals(4, status.revision());
        assertEquals(1, status.keys());
        assertEquals(saved.size(), status.size());
        Path file = other.resolve("backup.snap");
        Files.write(file, saved.toByteArray());
        assertEquals(status, SnapshotFile.status(file));

        Path restored = other.resolve("restored");
        DurableStore.restore(file, restored);
        try (DurableStore d = DurableStore.open(restored, Durability.FSYNC)) {
            assertEquals(4, d.store().currentRevision());
            assertEquals(List.of("/k/a"), d.store().range("/k/", "/k0", 0, 0).kvs().stream().map(KeyValue::key).toList());
            KeyValue a = d.store().get("/k/a");
            assertEquals(List.of(1L, 3L, 2L), List.of(a.createRevision(), a.modRevision(), a.version()));
            assertEquals(5, put(d.store(), "/k/c", "c").revision());
        }
        try (DurableStore d = DurableStore.open(restored, Durability.FSYNC)) {
            assertEquals(5, d.store().currentRevision());
        }
        IOException again = assertThrows(IOException.class, () -> DurableStore.restore(file, restored));
        assertTrue(again.getMessage().contains("already holds a store"), again.getMessage());
    }

    @Test
    void aSnapshotTakenDuringWritesHoldsExactlyTheStateAtItsRevision(@TempDir Path other) throws Exception {
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        List<KeyValue> expected;
        SnapshotFile.Status status;
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        put(d.store(), "/k/" + thread + "/" + (i % 50), "v" + i);
                        if (i % 7 == 0) {
                            d.store().delete("/k/" + thread + "/" + (i % 50), WriteView.ANY);
                        }
                    }
                }));
            }
            while (d.store().currentRevision() < 200) {
                Thread.onSpinWait();
            }
            status = d.saveSnapshot(saved);
            for (Future<?> f : writers) {
                f.get();
            }
            pool.shutdown();
            expected = d.store().range("", null, status.revision(), 0).kvs();
        }
        Path file = other.resolve("s.snap");
        Files.write(file, saved.toByteArray());
        Path restored = other.resolve("restored");
        DurableStore.restore(file, restored);
        try (DurableStore d = DurableStore.open(restored, Durability.FSYNC)) {
            assertEquals(status.revision(), d.store().currentRevision());
            assertEquals(describe(expected), describe(d.store().range("", null, 0, 0).kvs()));
        }
    }

    private static List<String> describe(List<KeyValue> kvs) {
        return kvs.stream().map(kv -> kv.key() + "=" + text(kv) + "@" + kv.createRevision() + "/" + kv.modRevision() + "/"
                + kv.version()).toList();
    }

    @Test
    void aDamagedSnapshotIsRefused() throws IOException {
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        try (DurableStore d = DurableStore.open(dataDir, Durability.FSYNC)) {
            put(d.store(), "/k/a", "some value");
            d.saveSnapshot(saved);
        }
        byte[] bytes = saved.toByteArray();
        byte[] flipped = bytes.clone();
        flipped[30] ^= 1;
        CorruptStoreException e = assertThrows(CorruptStoreException.class,
                () -> SnapshotFile.read(new ByteArrayInputStream(flipped), "f", kv -> { }));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 6);
        e = assertThrows(CorruptStoreException.class, () -> SnapshotFile.read(new ByteArrayInputStream(cut), "f", kv -> { }));
        assertTrue(e.getMessage().contains("ends early"), e.getMessage());
    }
}
