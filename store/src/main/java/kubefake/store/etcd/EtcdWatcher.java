package kubefake.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import kubefake.store.mvcc.BufferedWatcher;
import kubefake.store.mvcc.Event;
import kubefake.store.mvcc.KeyValue;
import kubefake.store.mvcc.Watcher;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One etcd watch (with previous values and progress notifications) as a {@link Watcher}: jetcd's threads put the events
 * in the bounded buffer, the consumer polls them. Events up to the revision current when the watch opened are replay and
 * do not count against the bound.
 */
final class EtcdWatcher extends BufferedWatcher implements Watch.Listener {
    private final EtcdKeyValueStore store;
    private final String prefix;
    private final long afterRevision;
    private final long replayEnd;

    /** Every event up to this revision is in the buffer (or was polled). */
    private volatile long progress;
    private volatile Watch.Watcher etcdWatch;
    private volatile EtcdKeys.Base base;

    EtcdWatcher(EtcdKeyValueStore store, String prefix, long afterRevision, long replayEnd, Runnable onReady, int bufferLimit) {
        super(onReady, bufferLimit);
        this.store = store;
        this.prefix = prefix;
        this.afterRevision = afterRevision;
        this.replayEnd = replayEnd;
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
        if (isClosed()) etcdWatch.close();
    }

    long progress() {
        return isClosed() ? Long.MAX_VALUE : progress;
    }

    /** jetcd calls this for one watch at a time, in revision order. */
    @Override
    public void onNext(WatchResponse response) {
        long headerRevision = response.getHeader().getRevision();
        store.sawRevision(headerRevision);
        for (WatchEvent e : response.getEvents()) {
            if (isClosed()) return;
            Event event = toEvent(e);
            if (event.revision() > afterRevision) buffer(event);
        }
        if (!isClosed()) progress = Math.max(progress, headerRevision);
    }

    @Override
    protected boolean counts(Event event) {
        return event.revision() > replayEnd;
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
    protected void closed() {
        store.unregister(this);
        Watch.Watcher w = etcdWatch;
        if (w != null) w.close();
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
