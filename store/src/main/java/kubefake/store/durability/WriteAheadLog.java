package kubefake.store.durability;

import kubefake.store.mvcc.CommitLog;
import kubefake.store.mvcc.DurabilityException;
import kubefake.store.mvcc.Event;
import kubefake.store.mvcc.ReadView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

/**
 * The store's {@link CommitLog}: one record per revision appended to the current segment, with group commit. Writers
 * only queue their event (under the store's write lock); one flusher thread takes everything queued, writes it with
 * one write and one fsync, and then releases every writer of the batch. While an fsync runs, the next batch gathers,
 * so concurrent writers share fsyncs and a lone writer waits for exactly one. A writer that must not wait registers a
 * callback instead ({@link #whenDurable}), which the flusher runs after the batch's fsync.
 *
 * <p>A segment is closed once it passes {@link #SEGMENT_BYTES} (by default), at a batch boundary. When the store compacts, the
 * state at the compaction revision is written as a snapshot and the segments it covers are deleted.
 *
 * <p>A failed write or fsync is final (as in etcd: the page cache's state after a failed fsync is unknown): the
 * writers waiting and every later write get a {@link DurabilityException}; the store stays readable.
 */
public final class WriteAheadLog implements CommitLog {
    private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);
    /** etcd's segment size. */
    static final long SEGMENT_BYTES = 64L << 20;

    private final Path walDir;
    private final SnapshotDirectory snapshots;
    private final long segmentBytes;
    /** How many fsyncs the log made (for tests of group commit). */
    private volatile long syncs;

    private final Object queueLock = new Object();
    /** Events appended and not yet taken by the flusher. Guarded by queueLock. */
    private List<Event> queued = new ArrayList<>();
    private boolean closing;
    /** Crash tests: the flusher takes no batch meanwhile, as if its fsync never ended. Guarded by queueLock. */
    private boolean held;

    private final Object durableLock = new Object();
    /** Callbacks of writers that do not wait, by the revision they wait for. Guarded by durableLock. */
    private final List<Callback> callbacks = new ArrayList<>();
    private volatile long durableRevision;
    private volatile Throwable failure;

    /** The segments (by first revision), the current one last. Guarded by this. */
    private final List<LogSegments.Segment> segments = new ArrayList<>();
    /** Only the flusher writes to it (and close, after the flusher ended). */
    private FileChannel current;
    private long currentSize;
    private ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    private Thread flusher;
    /** Publishes a durable batch in the store before its writers wake (see {@link CommitLog#publishWith}). */
    private volatile java.util.function.LongConsumer publisher = revision -> { };

    WriteAheadLog(Path walDir, SnapshotDirectory snapshots, long segmentBytes) {
        this.walDir = walDir;
        this.snapshots = snapshots;
        this.segmentBytes = segmentBytes;
    }

    /**
     * After recovery: appends to the last segment (or a new one starting after {@code lastRevision}) and starts the
     * flusher.
     */
    void start(List<LogSegments.Segment> existing, long lastRevision) throws IOException {
        durableRevision = lastRevision;
        synchronized (this) {
            segments.addAll(existing);
            if (segments.isEmpty()) {
                current = LogSegments.create(walDir, lastRevision + 1);
                segments.add(new LogSegments.Segment(walDir.resolve(LogSegments.name(lastRevision + 1)), lastRevision + 1));
            } else {
                current = LogSegments.openForAppend(segments.get(segments.size() - 1).file());
            }
            currentSize = current.size();
        }
        flusher = new Thread(this::flushLoop, "store-wal");
        flusher.setDaemon(true);
        flusher.start();
    }

    @Override
    public boolean publishWith(java.util.function.LongConsumer publisher) {
        this.publisher = publisher;
        return true;
    }

    @Override
    public void append(Event event) {
        Throwable failed = failure;
        if (failed != null) {
            throw new DurabilityException("the write-ahead log failed earlier; the store is read-only", failed);
        }
        synchronized (queueLock) {
            if (closing) {
                throw new IllegalStateException("the write-ahead log is closed");
            }
            queued.add(event);
            if (queued.size() == 1) {
                queueLock.notify();
            }
        }
    }

    @Override
    public void awaitDurable(long revision) {
        if (durableRevision >= revision) {
            return;
        }
        // a managed wait: on the cluster's pool (a ForkJoinPool) another thread runs the pool's work meanwhile, so the
        // controllers' and kubelets' writes share fsyncs instead of each pool thread waiting for one after the other
        DurableWait wait = new DurableWait(revision);
        try {
            ForkJoinPool.managedBlock(wait);
        } catch (InterruptedException e) {
            throw new AssertionError("the wait takes interrupts itself", e);
        }
        if (wait.interrupted) {
            Thread.currentThread().interrupt();
        }
        if (durableRevision < revision) {
            throw notDurable(revision);
        }
    }

    /** Waiting until a revision is durable, or the log failed. */
    private final class DurableWait implements ForkJoinPool.ManagedBlocker {
        private final long revision;
        private boolean interrupted;

        DurableWait(long revision) {
            this.revision = revision;
        }

        @Override
        public boolean isReleasable() {
            return durableRevision >= revision || failure != null;
        }

        @Override
        public boolean block() {
            synchronized (durableLock) {
                while (!isReleasable()) {
                    try {
                        durableLock.wait();
                    } catch (InterruptedException e) {
                        interrupted = true; // the write is already in the log's queue: see it through
                    }
                }
            }
            return true;
        }
    }

    @Override
    public void whenDurable(long revision, java.util.function.Consumer<RuntimeException> then) {
        RuntimeException failed = null;
        synchronized (durableLock) {
            if (failure != null) {
                failed = notDurable(revision);
            } else if (durableRevision < revision) {
                callbacks.add(new Callback(revision, then));
                return;
            }
        }
        then.accept(failed);
    }

    private DurabilityException notDurable(long revision) {
        return new DurabilityException("the write-ahead log could not make revision " + revision + " durable", failure);
    }

    private record Callback(long revision, java.util.function.Consumer<RuntimeException> then) {
        void run(RuntimeException failure) {
            try {
                then.accept(failure);
            } catch (RuntimeException e) {
                LOG.warn("a callback waiting for revision {} failed", revision, e);
            }
        }
    }

    /** The newest revision fsynced. */
    public long durableRevision() {
        return durableRevision;
    }

    private void flushLoop() {
        while (true) {
            List<Event> batch;
            synchronized (queueLock) {
                while ((queued.isEmpty() || held) && !closing) {
                    try {
                        queueLock.wait();
                    } catch (InterruptedException e) {
                        // only close() ends the loop
                    }
                }
                if (queued.isEmpty()) {
                    return;
                }
                batch = queued;
                queued = new ArrayList<>(batch.size());
            }
            try {
                write(batch);
            } catch (IOException | RuntimeException e) {
                LOG.error("the write-ahead log in {} failed: the store refuses writes from now on", walDir, e);
                List<Callback> failed;
                synchronized (durableLock) {
                    failure = e;
                    durableLock.notifyAll();
                    failed = new ArrayList<>(callbacks);
                    callbacks.clear();
                }
                for (Callback c : failed) {
                    c.run(notDurable(c.revision()));
                }
                return;
            }
        }
    }

    /** Flusher only: one write and one fsync for the batch, then its writers go. */
    private void write(List<Event> batch) throws IOException {
        int size = 0;
        for (Event e : batch) {
            size += LogRecords.size(e);
        }
        if (buffer.capacity() < size) {
            buffer = ByteBuffer.allocate(Math.max(size, buffer.capacity() * 2));
        }
        buffer.clear();
        for (Event e : batch) {
            LogRecords.encode(e, buffer);
        }
        buffer.flip();
        int written = buffer.remaining();
        while (buffer.hasRemaining()) {
            current.write(buffer);
        }
        current.force(false);
        syncs++;
        currentSize += written;
        long last = batch.get(batch.size() - 1).revision();
        // durable before readable: a writer that finds its write published may return at once, and must then find
        // it counted durable too
        durableRevision = last;
        try {
            // the batch becomes readable here, once: its writers then wake to find it done, with no lock to contend for
            publisher.accept(last);
        } catch (RuntimeException e) {
            LOG.warn("publishing the writes up to revision {} failed: their writers publish them", last, e);
        }
        List<Callback> due = null;
        synchronized (durableLock) {
            durableLock.notifyAll();
            int kept = 0;
            for (int i = 0; i < callbacks.size(); i++) {
                Callback c = callbacks.get(i);
                if (c.revision() <= last) {
                    if (due == null) due = new ArrayList<>(callbacks.size());
                    due.add(c);
                } else {
                    callbacks.set(kept++, c);
                }
            }
            callbacks.subList(kept, callbacks.size()).clear();
        }
        if (due != null) {
            for (Callback c : due) {
                c.run(null);
            }
        }
        if (buffer.capacity() > 16 << 20) {
            buffer = ByteBuffer.allocate(1 << 16); // a huge batch once need not hold its memory forever
        }
        if (currentSize >= segmentBytes) {
            FileChannel next = LogSegments.create(walDir, last + 1);
            current.close();
            synchronized (this) {
                current = next;
                segments.add(new LogSegments.Segment(walDir.resolve(LogSegments.name(last + 1)), last + 1));
            }
            currentSize = next.size();
        }
    }

    /**
     * Before a compaction to {@code revision}: the state at it becomes the snapshot, and the segments holding only
     * revisions up to it are deleted. A failure leaves the log as it was (the next compaction tries again).
     */
    @Override
    public void compacting(long revision, ReadView view) {
        try {
            snapshots.write(revision, view.range("", null, revision, 0).kvs());
            List<Path> obsolete = new ArrayList<>();
            synchronized (this) {
                // a segment goes when the next one starts at or below revision + 1: all it holds is in the snapshot
                while (segments.size() > 1 && segments.get(1).firstRevision() <= revision + 1) {
                    obsolete.add(segments.remove(0).file());
                }
            }
            for (Path f : obsolete) {
                Files.deleteIfExists(f);
            }
            if (!obsolete.isEmpty()) {
                LogSegments.syncDirectory(walDir);
            }
        } catch (IOException e) {
            LOG.warn("could not snapshot the store at revision {} in {}: the log is kept whole", revision,
                    snapshots.directory(), e);
        }
    }

    /**
     * For crash tests: from now on (once the batch being written, if any, is done) the flusher writes nothing, so that
     * what is appended meanwhile is what a kill -9 during a long fsync loses.
     */
    void holdWrites() {
        synchronized (queueLock) {
            held = true;
        }
    }

    /** How many fsyncs of batches the log made (for tests of group commit). */
    long syncCount() {
        return syncs;
    }

    /** How many segment files the log has (for tests). */
    synchronized int segmentCount() {
        return segments.size();
    }

    @Override
    public void close() {
        synchronized (queueLock) {
            if (closing) {
                return;
            }
            closing = true;
            queueLock.notify();
        }
        if (flusher != null) {
            boolean interrupted = false;
            while (flusher.isAlive()) {
                try {
                    flusher.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (current != null) {
                try {
                    current.close();
                } catch (IOException e) {
                    LOG.warn("closing the write-ahead log in {}", walDir, e);
                }
            }
        }
    }
}
