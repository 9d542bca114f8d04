package kubefake.store.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kubefake.store.mvcc.Event;
import kubefake.store.mvcc.KeyValue;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.mvcc.RangeResult;
import kubefake.store.mvcc.ReadView;
import kubefake.store.mvcc.ValueEncoder;
import kubefake.store.mvcc.Watcher;
import kubefake.store.mvcc.WriteView;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the in-memory store on Kubernetes-shaped keys ({@code /registry/pods/<ns>/<name>}, 10,000 of
 * them in 100 namespaces) with ~1 KiB values: put, get, range of all 10,000 keys (whole and a 500-key page), and
 * a write delivered to a watcher among many. Run with {@code store/bench/run-jmh.sh}; not part of the unit tests.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MvccBenchmark {
    static final int KEYS = 10_000;
    static final int NAMESPACES = 100;
    static final int WRITTEN_PODS = 100;
    static final byte[] VALUE = "x".repeat(1024).getBytes(StandardCharsets.UTF_8);
    static final ValueEncoder ENCODER = revision -> VALUE;

    /** Fixed-width names, so that no pod key is a prefix of another (exact-key watchers see only their pod). */
    static String key(int i) {
        return String.format("/registry/pods/ns-%03d/pod-%05d", i % NAMESPACES, i);
    }

    /** A store holding KEYS pods, compacted now and then so long runs do not fill the heap with history. */
    @State(Scope.Benchmark)
    public static class Filled {
        MemoryKeyValueStore store;
        String[] keys;

        @Setup(Level.Trial)
        public void fill() {
            store = new MemoryKeyValueStore();
            keys = new String[KEYS];
            for (int i = 0; i < KEYS; i++) {
                keys[i] = key(i);
                store.put(keys[i], ENCODER, WriteView.ANY);
            }
        }

        @Setup(Level.Iteration)
        public void compact() {
            store.compact(store.currentRevision());
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
        }
    }

    /** Each thread walks the keys from its own offset. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        @Setup(Level.Trial)
        public void start() {
            next = (int) (Thread.currentThread().getId() * 7919 % KEYS);
        }

        int advance() {
            next = next + 1 == KEYS ? 0 : next + 1;
            return next;
        }
    }

    @Benchmark
    public long put(Filled s, Cursor c) {
        long revision = s.store.put(s.keys[c.advance()], ENCODER, WriteView.ANY).revision();
        if ((revision & 0x3FFFF) == 0) {
            s.store.compact(revision - KEYS); // amortized: what a Compactor would do; bounds the heap
        }
        return revision;
    }

    @Benchmark
    public KeyValue get(Filled s, Cursor c) {
        return s.store.get(s.keys[c.advance()]);
    }

    @Benchmark
    @Threads(2)
    public KeyValue getTwoThreads(Filled s, Cursor c) {
        return s.store.get(s.keys[c.advance()]);
    }

    @Benchmark
    public RangeResult rangeAll10k(Filled s) {
        return s.store.range("/registry/pods/", ReadView.prefixEnd("/registry/pods/"), 0, 0);
    }

    @Benchmark
    public RangeResult rangePage500Of10k(Filled s) {
        return s.store.range("/registry/pods/", ReadView.prefixEnd("/registry/pods/"), 0, 500);
    }

    /**
     * A store with many open watchers: {@code podWatchers} exact-key ones (on the first pods), one per namespace and
     * one on all pods. Each operation updates one of the first 100 pods and drains the three watchers that saw it.
     */
    @State(Scope.Benchmark)
    public static class Watched {
        @Param({"100", "10000"})
        int podWatchers;

        MemoryKeyValueStore store;
        String[] keys;
        Watcher[] byPod;
        Watcher[] byNamespace;
        Watcher all;

        @Setup(Level.Trial)
        public void fill() {
            store = new MemoryKeyValueStore();
            keys = new String[KEYS];
            for (int i = 0; i < KEYS; i++) {
                keys[i] = key(i);
                store.put(keys[i], ENCODER, WriteView.ANY);
            }
            byPod = new Watcher[podWatchers];
            for (int i = 0; i < podWatchers; i++) {
                byPod[i] = store.watch(keys[i], store.currentRevision(), () -> { }, 1000);
            }
            byNamespace = new Watcher[NAMESPACES];
            for (int n = 0; n < NAMESPACES; n++) {
                byNamespace[n] = store.watch(String.format("/registry/pods/ns-%03d/", n), store.currentRevision(), () -> { }, 1000);
            }
            all = store.watch("/registry/pods/", store.currentRevision(), () -> { }, 1000);
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
        }
    }

    @Benchmark
    public void putAndDeliverToWatchers(Watched s, Cursor c, Blackhole blackhole) {
        // The same 100 pods are written whatever the number of watchers (the working set stays the same, only
        // the watcher index grows); each has an exact-key watcher, so each write reaches three watchers.
        int i = c.advance() % WRITTEN_PODS;
        long revision = s.store.put(s.keys[i], ENCODER, WriteView.ANY).revision();
        List<Event> events = new ArrayList<>(3);
        events.addAll(s.byPod[i].poll(16));
        events.addAll(s.byNamespace[i % NAMESPACES].poll(16));
        events.addAll(s.all.poll(16));
        if (events.size() != 3 || events.get(2).revision() != revision) {
            throw new IllegalStateException("expected the write at " + revision + " three times, got " + events);
        }
        blackhole.consume(events);
        if ((revision & 0x3FFFF) == 0) {
            s.store.compact(revision - KEYS);
        }
    }
}
