package kubefake.server.bench;

import kubefake.store.mvcc.KeyValueStore;
import kubefake.store.mvcc.Watcher;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the store published when (not a test): a watcher of every key, polled every 10 ms by a thread of its own, counts
 * the writes it is handed per 250 ms by resource. Writes are handed to watchers once durable, as readers see them, so
 * this is the order in which a client could see the cluster's writes.
 */
final class WriteTimeline {
    private static final long BUCKET_NANOS = 250_000_000L;
    private final Watcher watcher;
    private final long origin;
    private final TreeMap<Long, Map<String, Integer>> buckets = new TreeMap<>();
    private final Thread poller;
    private volatile boolean stopped;

    private WriteTimeline(KeyValueStore kv, long afterRevision, long origin) {
        this.watcher = kv.watch("/registry/", afterRevision, () -> { }, Integer.MAX_VALUE);
        this.origin = origin;
        this.poller = new Thread(this::run, "write-timeline");
        poller.setDaemon(true);
    }

    /** Counts the writes after {@code afterRevision} from now on, in buckets from {@code origin} (System.nanoTime()). */
    static WriteTimeline start(KeyValueStore kv, long afterRevision, long origin) {
        WriteTimeline t = new WriteTimeline(kv, afterRevision, origin);
        t.poller.start();
        return t;
    }

    private void run() {
        while (!stopped) {
            drain();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void drain() {
        for (var batch = watcher.poll(4096); !batch.isEmpty(); batch = watcher.poll(4096)) {
            long bucket = (System.nanoTime() - origin) / BUCKET_NANOS;
            for (var e : batch) {
                String[] parts = e.kv().key().split("/");
                String resource = parts.length >= 5 ? parts[parts.length - 3] : parts[parts.length - 2];
                buckets.computeIfAbsent(bucket, b -> new TreeMap<>()).merge(resource, 1, Integer::sum);
            }
        }
    }

    /** The timeline so far, each bucket's start in seconds after {@code launch}. */
    String stop(long launch) {
        stopped = true;
        poller.interrupt();
        drain();
        watcher.close();
        StringBuilder out = new StringBuilder("  writes published per 250 ms (seconds after launch):\n");
        synchronized (this) {
            buckets.forEach((b, counts) -> out.append(String.format(java.util.Locale.ROOT, "    %6.2f %s%n",
                    (origin - launch + b * BUCKET_NANOS) / 1e9, counts)));
        }
        return out.toString();
    }
}
