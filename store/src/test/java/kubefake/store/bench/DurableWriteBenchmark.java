package kubefake.store.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import kubefake.store.durability.DurableStore;
import kubefake.store.durability.Durability;
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

/**
 * Creates of new 1.5 KiB pods in the store with {@code durability=fsync} (the write-ahead log: each create returns
 * once fsynced, concurrent ones share fsyncs) and {@code none}. Run with as many threads as concurrent writers, e.g.
 * {@code BENCH=kubefake.store.bench.DurableWriteBenchmark store/bench/run-jmh.sh -wi 2 -i 3 -f 1 -t 16}. Not a test.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DurableWriteBenchmark {
    private static final byte[] POD = new byte[1500];

    @State(Scope.Benchmark)
    public static class Store {
        @Param({"fsync", "none"})
        public String durability;

        Path dir;
        DurableStore store;
        final AtomicLong counter = new AtomicLong();

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("durable-bench");
            store = DurableStore.open(dir, Durability.parse(durability));
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            store.close();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    @Benchmark
    public long create(Store s) {
        String key = "/registry/pods/bench/pod-" + s.counter.incrementAndGet();
        return s.store.store().put(key, revision -> POD, WriteView.ABSENT).revision();
    }
}
