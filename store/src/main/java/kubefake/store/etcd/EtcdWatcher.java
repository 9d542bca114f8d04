package kubefake.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import kubefake.store.mvcc.Event;
import kubefake.store.mvcc.KeyValue;
import kubefake.store.mvcc.Watcher;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One etcd watch (with previous values and progress notifications) as a {@link Watcher}: jetcd's threads put the events
 * in a bounded buffer, the consumer polls them. Events up to the revision current when the watch opened are replay and
 * do not count against the bound.
 */
final class EtcdWatcher implements Watcher, Watch.Listener {
    private final EtcdKeyValueStore store;
    private final String prefix;
    private final long afterRevision;
    private final long replayEnd;
    private final Runnable onReady;
    private final int bufferLimit;

    /** Guarded by this. */
    private final ArrayDeque<Event> buffer = new ArrayDeque<>();
    /** Guarded by this: buffered events past replayEnd. */
    private int liveBuffered;
    private volatile CloseReason closeReason;
    /** Every event up to this revision is in the buffer (or was polled). */
    private volatile long progress;
    private volatile Watch.Watcher etcdWatch;
    private volatile EtcdKeys.Base base;

    EtcdWatcher(EtcdKeyValueStore store, String prefix, long afterRevision, long replayEnd, Runnable onReady, int bufferLimit) {
        this.store = store;
        this.prefix = prefix;
        this.afterRevision = afterRevision;
        this.replayEnd = replayEnd;
        this.onReady = onReady;
        this.bufferLimit = bufferLimit;
        this.progress = afterRevision;
    }

    void start(Watch watch, EtcdKeys keys) {
        base = keys.base(prefix);
        ByteSequence start = base.toEtcd(prefix);
        WatchOption options = WatchOption.builder()
                .withRevision(afterRevision + 1)
                .withRange(ByteSequence.from(EtcdKeys.prefixEnd(start.getBytes())))
                .withPrevKV(true)
                .withProgressNotify(true)
                .build();
        etcdWatch = watch.watch(start, options, this);
        if (closeReason != null) etcdWatch.close();
    }

    long progress() {
        return closeReason == null ? progress : Long.MAX_VALUE;
    }

    @Override
    public void onNext(WatchResponse response) {
        long headerRevision = response.getHeader().getRevision();
        store.sawRevision(headerRevision);
        boolean becameReady = false;
        boolean overflowed = false;
        synchronized (this) {
            if (closeReason != null) return;
            for (WatchEvent e : response.getEvents()) {
                Event event = toEvent(e);
                if (event.revision() <= afterRevision) continue;
                boolean live = event.revision() > replayEnd;
                if (live && liveBuffered >= bufferLimit) {
                    closeReason = CloseReason.OVERFLOW;
                    buffer.clear();
                    overflowed = true;
                    break;
                }
                becameReady |= buffer.isEmpty();
                buffer.addLast(event);
                if (live) liveBuffered++;
            }
            if (!overflowed) progress = Math.max(progress, headerRevision);
        }
        if (overflowed) {
            stop();
            signal();
        } else if (becameReady) {
            signal();
        }
    }

    private Event toEvent(WatchEvent e) {
        KeyValue prev = e.getPrevKV() == null || e.getPrevKV().getModRevision() == 0 ? null : store.toKeyValue(base, e.getPrevKV());
        if (e.getEventType() == WatchEvent.EventType.DELETE) {
            return new Event(Event.Type.DELETE, store.tombstone(base, e.getKeyValue()), prev);
        }
        return new Event(Event.Type.PUT, store.toKeyValue(base, e.getKeyValue()), prev);
    }

    @Override
    public void onError(Throwable t) {
        if (t instanceof io.etcd.jetcd.common.exception.CompactedException c) {
            store.learnCompacted(c.getCompactedRevision());
        }
        // a compacted start revision, or a watch etcd cancelled: the consumer must start over from a list
        closeWith(CloseReason.OVERFLOW);
    }

    @Override
    public void onCompleted() {
        closeWith(CloseReason.STORE_CLOSED);
    }

    @Override
    public List<Event> poll(int max) {
        if (max <= 0 || closeReason == CloseReason.OVERFLOW) return List.of();
        List<Event> out = new ArrayList<>(Math.min(max, 64));
        synchronized (this) {
            while (out.size() < max && !buffer.isEmpty()) {
                Event e = buffer.pollFirst();
                if (e.revision() > replayEnd) liveBuffered--;
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public boolean isClosed() {
        return closeReason != null;
    }

    @Override
    public CloseReason closeReason() {
        return closeReason;
    }

    @Override
    public void close() {
        closeWith(CloseReason.CANCELLED);
    }

    void closeWith(CloseReason reason) {
        synchronized (this) {
            if (closeReason != null) return;
            closeReason = reason;
            if (reason == CloseReason.OVERFLOW) buffer.clear();
        }
        stop();
        signal();
    }

    private void stop() {
        store.unregister(this);
        Watch.Watcher w = etcdWatch;
        if (w != null) w.close();
    }

    private void signal() {
        try {
            onReady.run();
        } catch (RuntimeException ignored) {
            // the consumer still finds its events by polling
        }
    }

    /**
     * The revision etcd's history is compacted to, learnt as kube-apiserver can: a watch from revision 1 is refused with
     * the compacted revision when there is one, or starts (nothing compacted: 0).
     */
    static long probeCompactedRevision(Client client, EtcdKeys keys) {
        CompletableFuture<Long> answer = new CompletableFuture<>();
        ByteSequence key = ByteSequence.from(keys.prefix() + "/\u0000compaction-probe", StandardCharsets.UTF_8);
        Watch.Watcher w = client.getWatchClient().watch(key,
                WatchOption.builder().withRevision(1).withCreateNotify(true).build(), new Watch.Listener() {
                    @Override
                    public void onNext(WatchResponse response) {
                        answer.complete(0L);
                    }

                    @Override
                    public void onError(Throwable t) {
                        if (t instanceof io.etcd.jetcd.common.exception.CompactedException c) {
                            answer.complete(c.getCompactedRevision());
                        } else {
                            answer.completeExceptionally(t);
                        }
                    }

                    @Override
                    public void onCompleted() {
                        answer.complete(0L);
                    }
                });
        try {
            return answer.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new kubefake.store.mvcc.StoreUnavailableException("etcd: cannot open a watch: " + e.getMessage(), e);
        } finally {
            w.close();
        }
    }
}
