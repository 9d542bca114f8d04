package kubefake.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import kubefake.store.mvcc.CompactedException;
import kubefake.store.mvcc.FutureRevisionException;
import kubefake.store.mvcc.KeyValue;
import kubefake.store.mvcc.KeyValueStore;
import kubefake.store.mvcc.RangeResult;
import kubefake.store.mvcc.RevisionStamper;
import kubefake.store.mvcc.StoreUnavailableException;
import kubefake.store.mvcc.ValueEncoder;
import kubefake.store.mvcc.Watcher;
import kubefake.store.mvcc.WriteResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link KeyValueStore} contract on a real etcd v3 (through jetcd), as kube-apiserver's etcd3 storage uses it:
 * revisions are etcd's (a value's modRevision is its resourceVersion), conditional writes are transactions comparing
 * the key's mod revision (0: absent), reads at a revision are etcd ranges at that revision, watches are etcd watches
 * with the previous value, and compaction is etcd's. Several kubefake processes may share one etcd.
 *
 * <p>etcd picks a write's revision when it commits, so values are written as {@code encoder.encode(0)} and given their
 * revision by the {@link RevisionStamper} whenever they are read (see there).
 *
 * <p>The compacted revision is what this process knows: its own compactions, the one etcd reports when a watch or a
 * read hits compacted history, and on open the one etcd reports to a watch from revision 1.
 */
public final class EtcdKeyValueStore implements KeyValueStore {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Client client;
    private final KV kv;
    private final EtcdKeys keys;
    private final RevisionStamper stamper;
    private final boolean ownsClient;
    /** The newest revision any etcd response showed this process. */
    private final AtomicLong seenRevision = new AtomicLong();
    private final AtomicLong compactedRevision = new AtomicLong();
    private final Set<EtcdWatcher> watchers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * A store on {@code client}'s etcd whose keys under {@code root} live under {@code prefix} (kube-apiserver's
     * {@code --etcd-prefix}): with root and prefix {@code /registry}, exactly a real API server's keys.
     *
     * @param ownsClient whether {@link #close} closes the client too
     */
    public EtcdKeyValueStore(Client client, String root, String prefix, RevisionStamper stamper, boolean ownsClient) {
        this.client = Objects.requireNonNull(client, "client");
        this.kv = client.getKVClient();
        this.keys = new EtcdKeys(root, prefix);
        this.stamper = Objects.requireNonNull(stamper, "stamper");
        this.ownsClient = ownsClient;
        currentRevision();
        compactedRevision.set(EtcdWatcher.probeCompactedRevision(client, keys));
    }

    /** etcd's key prefix the store lives under. */
    public String prefix() {
        return keys.prefix();
    }

    // ---- reads ---------------------------------------------------------------------------------------------

    @Override
    public long currentRevision() {
        GetResponse r = call(kv.get(keys.first(), GetOption.builder().withCountOnly(true).withLimit(1).build()), 0);
        return r.getHeader().getRevision();
    }

    @Override
    public long compactedRevision() {
        return compactedRevision.get();
    }

    @Override
    public KeyValue get(String key) {
        return get(key, 0);
    }

    @Override
    public KeyValue get(String key, long revision) {
        Objects.requireNonNull(key, "key");
        checkReadable(revision);
        EtcdKeys.Base base = keys.base(key);
        GetResponse r = call(kv.get(base.toEtcd(key), GetOption.builder().withRevision(revision).build()), revision);
        return r.getKvs().isEmpty() ? null : toKeyValue(base, r.getKvs().get(0));
    }

    @Override
    public RangeResult range(String fromKey, String endKey, long revision, int limit) {
        Objects.requireNonNull(fromKey, "fromKey");
        checkReadable(revision);
        EtcdKeys.Base base = keys.rangeBase(fromKey);
        ByteSequence start = keys.rangeStart(base, fromKey);
        ByteSequence end = keys.rangeEnd(base, endKey);
        if (compare(start, end) >= 0) {
            // etcd reads an end at or before the start as "this one key": an empty range is answered here
            long at = revision == 0 ? currentRevision() : revision;
            return new RangeResult(List.of(), at, false, 0);
        }
        GetOption.Builder options = GetOption.builder().withRange(end).withRevision(revision);
        if (limit > 0) options.withLimit(limit);
        GetResponse r = call(kv.get(start, options.build()), revision);
        List<KeyValue> kvs = new ArrayList<>(r.getKvs().size());
        for (io.etcd.jetcd.KeyValue e : r.getKvs()) kvs.add(toKeyValue(base, e));
        long at = revision == 0 ? r.getHeader().getRevision() : revision;
        return new RangeResult(kvs, at, r.isMore(), r.getCount());
    }

    private static int compare(ByteSequence a, ByteSequence b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(), b.getBytes());
    }

    private void checkReadable(long revision) {
        if (revision < 0) throw new IllegalArgumentException("revision must not be negative: " + revision);
        long compacted = compactedRevision.get();
        if (revision != 0 && revision <= compacted) throw new CompactedException(revision, compacted);
    }

    // ---- writes --------------------------------------------------------------------------------------------

    @Override
    public WriteResult put(String key, ValueEncoder encoder, long expectedModRevision) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(encoder, "encoder");
        checkCondition(expectedModRevision);
        checkOpen();
        EtcdKeys.Base base = keys.base(key);
        ByteSequence k = base.toEtcd(key);
        byte[] stored = Objects.requireNonNull(encoder.encode(0), "the encoder returned null");
        var txn = kv.txn();
        if (expectedModRevision != ANY) {
            txn.If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)));
        }
        TxnResponse r = call(txn.Then(Op.put(k, ByteSequence.from(stored), PutOption.builder().withPrevKV().build()))
                .Else(Op.get(k, GetOption.DEFAULT)).commit(), 0);
        long revision = r.getHeader().getRevision();
        if (!r.isSucceeded()) {
            List<io.etcd.jetcd.KeyValue> current = r.getGetResponses().get(0).getKvs();
            return new WriteResult(false, revision, current.isEmpty() ? null : toKeyValue(base, current.get(0)), null);
        }
        var put = r.getPutResponses().get(0);
        KeyValue previous = put.hasPrevKv() ? toKeyValue(base, put.getPrevKv()) : null;
        byte[] value = stamper.stamp(stored, revision);
        KeyValue kvNow = previous == null
                ? new KeyValue(key, value, revision, revision, 1)
                : new KeyValue(key, value, previous.createRevision(), revision, previous.version() + 1);
        return new WriteResult(true, revision, kvNow, previous);
    }

    @Override
    public WriteResult delete(String key, long expectedModRevision) {
        Objects.requireNonNull(key, "key");
        checkCondition(expectedModRevision);
        checkOpen();
        EtcdKeys.Base base = keys.base(key);
        ByteSequence k = base.toEtcd(key);
        // deleting an absent key writes nothing whatever the condition: ANY still requires the key to exist
        Cmp condition = expectedModRevision == ANY || expectedModRevision == ABSENT
                ? new Cmp(k, Cmp.Op.GREATER, CmpTarget.createRevision(0))
                : new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision));
        if (expectedModRevision == ABSENT) {
            KeyValue current = get(key);
            return new WriteResult(false, seenRevision.get(), current, null);
        }
        TxnResponse r = call(kv.txn().If(condition)
                .Then(Op.delete(k, DeleteOption.builder().withPrevKV(true).build()))
                .Else(Op.get(k, GetOption.DEFAULT)).commit(), 0);
        long revision = r.getHeader().getRevision();
        if (!r.isSucceeded()) {
            List<io.etcd.jetcd.KeyValue> current = r.getGetResponses().get(0).getKvs();
            return new WriteResult(false, revision, current.isEmpty() ? null : toKeyValue(base, current.get(0)), null);
        }
        List<io.etcd.jetcd.KeyValue> prev = r.getDeleteResponses().get(0).getPrevKvs();
        return new WriteResult(true, revision, null, prev.isEmpty() ? null : toKeyValue(base, prev.get(0)));
    }

    private static void checkCondition(long expectedModRevision) {
        if (expectedModRevision < ANY) {
            throw new IllegalArgumentException("expectedModRevision must be ANY, ABSENT or a revision: " + expectedModRevision);
        }
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the store is closed");
    }

    // ---- watch ---------------------------------------------------------------------------------------------

    /**
     * A revision every open watcher has been sent all events up to (what etcd's watch responses and progress
     * notifications say each has been synced to); the newest revision seen when none is open.
     */
    @Override
    public long deliveredRevision() {
        long min = seenRevision.get();
        for (EtcdWatcher w : watchers) min = Math.min(min, w.progress());
        return min;
    }

    /**
     * As in {@code Watchable}: an etcd watch on the prefix from {@code afterRevision + 1} with the previous values.
     * Events arrive on jetcd's threads and wait in the watcher's buffer; those up to the revision current when the
     * watch opened are replay and do not count against {@code bufferLimit}. If etcd later reports the start revision
     * compacted, the watcher closes with OVERFLOW (the consumer relists).
     */
    @Override
    public Watcher watch(String keyPrefix, long afterRevision, Runnable onReady, int bufferLimit) {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(onReady, "onReady");
        if (bufferLimit < 1) throw new IllegalArgumentException("bufferLimit must be at least 1: " + bufferLimit);
        if (afterRevision < 0) throw new IllegalArgumentException("afterRevision must not be negative: " + afterRevision);
        long compacted = compactedRevision.get();
        if (afterRevision < compacted) throw new CompactedException(afterRevision, compacted);
        EtcdWatcher watcher = new EtcdWatcher(this, keyPrefix, afterRevision, seenRevision.get(), onReady, bufferLimit);
        if (closed) {
            watcher.closeWith(Watcher.CloseReason.STORE_CLOSED);
            return watcher;
        }
        watchers.add(watcher);
        watcher.start(client.getWatchClient(), keys);
        return watcher;
    }

    void unregister(EtcdWatcher watcher) {
        watchers.remove(watcher);
    }

    /** How many watchers are open (for tests and metrics). */
    public int watcherCount() {
        return watchers.size();
    }

    /** etcd reported history up to {@code revision} compacted (to a watch, or a read). */
    void learnCompacted(long revision) {
        compactedRevision.accumulateAndGet(revision, Math::max);
    }

    void sawRevision(long revision) {
        seenRevision.accumulateAndGet(revision, Math::max);
    }

    /** An etcd key-value read in {@code base}'s key space, its value stamped with its revision. */
    KeyValue toKeyValue(EtcdKeys.Base base, io.etcd.jetcd.KeyValue e) {
        return new KeyValue(base.fromEtcd(e.getKey()), stamper.stamp(e.getValue().getBytes(), e.getModRevision()),
                e.getCreateRevision(), e.getModRevision(), e.getVersion());
    }

    /** The key of an etcd event without a value (a delete's), at the deletion's revision. */
    KeyValue tombstone(EtcdKeys.Base base, io.etcd.jetcd.KeyValue e) {
        return new KeyValue(base.fromEtcd(e.getKey()), null, 0, e.getModRevision(), 0);
    }

    // ---- compaction ----------------------------------------------------------------------------------------

    @Override
    public void compact(long revision) {
        long current = currentRevision();
        if (revision > current) throw new FutureRevisionException(revision, current);
        if (revision <= compactedRevision.get()) return;
        try {
            call(kv.compact(revision), revision);
        } catch (CompactedException e) {
            // another API server on the same etcd compacted further already
        }
        learnCompacted(revision);
    }

    @Override
    public void close() {
        closed = true;
        for (EtcdWatcher w : List.copyOf(watchers)) w.closeWith(Watcher.CloseReason.STORE_CLOSED);
        if (ownsClient) client.close();
    }

    // ---- calls ---------------------------------------------------------------------------------------------

    /** Waits for an etcd call, maps etcd's revision errors to the store's, and notes the response's revision. */
    private <T extends io.etcd.jetcd.Response> T call(CompletableFuture<T> future, long revision) {
        try {
            T response = future.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            sawRevision(response.getHeader().getRevision());
            return response;
        } catch (ExecutionException e) {
            String message = String.valueOf(e.getCause() == null ? e : e.getCause().getMessage());
            if (message.contains("required revision has been compacted")) {
                learnCompacted(revision);
                throw new CompactedException(revision, compactedRevision.get());
            }
            if (message.contains("required revision is a future revision")) {
                throw new FutureRevisionException(revision, seenRevision.get());
            }
            throw new StoreUnavailableException("etcd: " + message, e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StoreUnavailableException("etcd did not answer within " + REQUEST_TIMEOUT.toSeconds() + "s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for etcd", e);
        }
    }
}
