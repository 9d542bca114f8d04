package kubefake.store.durability;

import kubefake.store.mvcc.KeyValue;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.mvcc.RangeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The store of a data directory: recovered on open (the newest snapshot, then every logged write after it), kept
 * durable by its {@link WriteAheadLog} while it runs. With {@link Durability#NONE} it is a plain in-memory store and
 * the directory keeps nothing.
 */
public final class DurableStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DurableStore.class);

    private final MemoryKeyValueStore store;
    private final WriteAheadLog wal;
    /** Held while the store is open: a second process on the same directory would interleave its log with ours. */
    private final FileChannel lock;

    private DurableStore(MemoryKeyValueStore store, WriteAheadLog wal, FileChannel lock) {
        this.store = store;
        this.wal = wal;
        this.lock = lock;
    }

    /** Where the store lives under a data directory. */
    public static Path storeDirectory(Path dataDir) {
        return dataDir.resolve("store");
    }

    /**
     * Opens (recovers, or creates) the store of {@code dataDir}.
     *
     * @throws CorruptStoreException when the log or the snapshot cannot be trusted (the message names the file and
     *         offset), or when {@code none} is asked of a directory that holds a durable store
     */
    public static DurableStore open(Path dataDir, Durability durability) throws IOException {
        return open(dataDir, durability, WriteAheadLog.SEGMENT_BYTES);
    }

    /** As {@link #open(Path, Durability)} with segments closed past {@code segmentBytes} (small in tests). */
    static DurableStore open(Path dataDir, Durability durability, long segmentBytes) throws IOException {
        Path dir = storeDirectory(dataDir);
        if (durability == Durability.NONE) {
            if (holdsStore(dir)) {
                throw new CorruptStoreException(dir + " holds a durable store, which --durability=none would ignore and"
                        + " leave stale: use --durability=fsync, or remove " + dir + " to start afresh");
            }
            return new DurableStore(new MemoryKeyValueStore(), null, null);
        }
        FileChannel lock = lock(Files.createDirectories(dir));
        try {
            return recover(dir, lock, segmentBytes);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static FileChannel lock(Path dir) throws IOException {
        Path file = dir.resolve("lock");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (ch.tryLock() != null) {
                return ch;
            }
        } catch (OverlappingFileLockException e) {
            // held by this process
        }
        ch.close();
        throw new IOException(dir + " is in use by another kubefake (it holds " + file + "): stop it, or use another --data-dir");
    }

    private static DurableStore recover(Path dir, FileChannel lock, long segmentBytes) throws IOException {
        Path walDir = Files.createDirectories(dir.resolve("wal"));
        SnapshotDirectory snapshots = new SnapshotDirectory(Files.createDirectories(dir.resolve("snap")));
        WriteAheadLog wal = new WriteAheadLog(walDir, snapshots, segmentBytes);
        MemoryKeyValueStore store = new MemoryKeyValueStore(wal);
        long started = System.nanoTime();
        long snapshotRevision = 0;
        Optional<Path> snapshot = snapshots.newest();
        if (snapshot.isPresent()) {
            List<KeyValue> kvs = new ArrayList<>();
            SnapshotFile.Status status = SnapshotFile.read(snapshot.get(), kvs::add);
            store.restoreSnapshot(status.revision(), kvs);
            snapshotRevision = status.revision();
        }
        List<LogSegments.Segment> segments = LogSegments.list(walDir);
        long[] replayed = {0};
        long last = LogScanner.scan(segments, snapshotRevision, r -> {
            try {
                store.replay(r.revision(), r.key(), r.value());
            } catch (IllegalStateException e) {
                throw new IllegalStateException("revision " + r.revision() + " cannot be replayed: " + e.getMessage(), e);
            }
            replayed[0]++;
        });
        wal.start(LogSegments.list(walDir), last);
        if (snapshot.isPresent() || replayed[0] > 0) {
            LOG.info("store recovered from {}: revision {} ({} keys from the snapshot at revision {}, {} writes from the"
                            + " log) in {} ms", dir, last, store.range("", null, 0, 0).count(), snapshotRevision,
                    replayed[0], (System.nanoTime() - started) / 1_000_000);
        }
        return new DurableStore(store, wal, lock);
    }

    private static boolean holdsStore(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(f -> Files.isRegularFile(f) && !f.getFileName().toString().equals("lock"));
        }
    }

    /** The log (null with {@link Durability#NONE}), for tests. */
    WriteAheadLog log() {
        return wal;
    }

    public MemoryKeyValueStore store() {
        return store;
    }

    public Durability durability() {
        return wal == null ? Durability.NONE : Durability.FSYNC;
    }

    /** Writes a snapshot of the current state (one revision, read without stopping writers) to {@code out}. */
    public SnapshotFile.Status saveSnapshot(OutputStream out) throws IOException {
        RangeResult all = store.range("", null, 0, 0);
        return SnapshotFile.write(out, all.revision(), all.kvs());
    }

    /**
     * Makes {@code dataDir} hold the snapshot's state (as {@code etcdctl snapshot restore}): the snapshot is checked
     * whole, then becomes the store's only snapshot with an empty log. A data directory that already holds a store is
     * refused.
     */
    public static SnapshotFile.Status restore(Path snapshotFile, Path dataDir) throws IOException {
        SnapshotFile.Status status = SnapshotFile.status(snapshotFile);
        Path dir = storeDirectory(dataDir);
        if (holdsStore(dir)) {
            throw new IOException(dir + " already holds a store: restore into a new data directory");
        }
        Files.createDirectories(dir.resolve("wal"));
        Path snap = Files.createDirectories(dir.resolve("snap")).resolve(SnapshotDirectory.name(status.revision()));
        Path tmp = snap.resolveSibling(snap.getFileName() + ".tmp");
        Files.copy(snapshotFile, tmp);
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, snap, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        LogSegments.syncDirectory(snap.getParent());
        return status;
    }

    /** Closes the store (its watchers), then the log once everything queued is durable. */
    @Override
    public void close() {
        store.close();
        if (wal != null) {
            wal.close();
        }
        releaseLock();
    }

    /**
     * For crash tests in one process: lets another store open the directory while this one is left as a killed
     * process leaves it (its queued writes unwritten, no close). This store must not be used afterwards.
     */
    void abandonForCrashTest() {
        releaseLock();
    }

    private void releaseLock() {
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                LOG.warn("releasing {}", lock, e);
            }
        }
    }
}
