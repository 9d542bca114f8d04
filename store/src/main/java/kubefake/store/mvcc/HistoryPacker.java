package kubefake.store.mvcc;

import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Deflater;

/**
 * Packs the values that newer revisions superseded, which the store keeps only for reads and watches at old revisions
 * until compaction (at most its interval, 5 minutes): each is deflated against the value that replaced it
 * ({@link ValueDeltas}), so that a key's history costs about its changes instead of a full copy per revision. The
 * newest value of every key, which nearly every read wants, stays as it is.
 *
 * <p>The event log says what to pack: the event of revision r holds the value it superseded ({@code prevKv}) and, for
 * an update, the one that replaced it. A pass packs the superseded values of the revisions up to the one it is given,
 * in revision order, so the value packed against is never packed yet itself; reading a packed value inflates the chain
 * of its successors up to one that is not packed against another: every {@link #KEYFRAME}-th version is packed alone,
 * so a read inflates at most that many.
 *
 * <p>Under a prefix the caller names ({@link #packUnreadValuesUnder}), the newest values are packed too once nobody
 * reads them: objects that are written and then hardly read (events: their recorder writes them, {@code kubectl get
 * events} and {@code describe} read them; a Running pod that nothing changes), whose bytes would otherwise be most of
 * the heap. A newest value is packed at the pass that reaches its revision unless a reader used it
 * ({@link KeyValue#inUse()}: a GET, LIST, update or watch event of the registry, a read of its bytes) since it was
 * written, and else at a later sweep of the prefix unless used since the previous look: a value in use stays as it is,
 * so that its readers do not inflate and parse it at every read. A value the pass left because it was read (a pod:
 * its watchers and informers read each revision as it is written) gets a second look at the next tick: if nobody read
 * it in that period and it is still its key's newest, it is packed then (a Running pod that nothing reads any more
 * costs its unpacked bytes for a few seconds, not until the second sweep, 30-60 s later: while pods start by the
 * thousand per second that was most of the heap); a value read again is left to the sweeps. They are packed against
 * the prefix's {@link PresetDictionary}, as are the values there that have no successor to be packed against (a
 * deleted key's last value, a keyframe). A reader of a packed newest value inflates it, as one of history; it stays packed.
 *
 * <p>One pass at a time (the caller's), beside writes, reads and compaction: packing changes no value a reader sees.
 */
final class HistoryPacker {
    /** Every so many versions of a key one is packed alone, which bounds the chain a read inflates. */
    static final int KEYFRAME = 8;
    /** Every so many ticks the newest values under the prefixes are looked at again (30 s at the cluster's 2 s). */
    static final int SWEEP_TICKS = 15;
    /** Values smaller than this stay as they are: packing would save little. */
    private static final int MIN_LENGTH = 128;

    private final EventLog log;
    /** The live values under a prefix, as of the newest revision. */
    private final java.util.function.Function<String, Iterable<KeyValue>> newestUnder;
    /** A key's newest entry (or null). */
    private final java.util.function.Function<String, KeyValue> newest;
    /** The newest values under the prefixes that passes since the previous tick left because they were read. */
    private java.util.Set<KeyValue> leftRead = newIdentitySet();
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    /** The last revision whose superseded value a pass looked at. */
    private long packedThrough;
    /** The revision {@link #tick} was given the previous time. */
    private long previousTick;
    private long ticks;
    /** The prefixes whose unread newest values are packed, each with the dictionary of its values. */
    private final TreeMap<String, PresetDictionary> unread = new TreeMap<>();

    HistoryPacker(EventLog log, java.util.function.Function<String, Iterable<KeyValue>> newestUnder,
                  java.util.function.Function<String, KeyValue> newest) {
        this.log = log;
        this.newestUnder = newestUnder;
        this.newest = newest;
    }

    /**
     * One step of the store's policy: packs what was superseded up to the revision given at the previous tick, so that
     * a value stays as it is for at least one period after it was superseded, while the watchers that were handed it
     * with the event that superseded it still read it; then remembers {@code current}. Every {@link #SWEEP_TICKS}-th
     * tick also sweeps the prefixes' newest values.
     */
    synchronized int tick(long current) {
        long target = previousTick;
        previousTick = current;
        // the sweep first: each of the three takes a value's read mark, so a value is judged by one of them per tick
        // (a sweep after the others would find the marks of values read this period already taken, and pack them)
        int packed = ++ticks % SWEEP_TICKS == 0 ? sweep() : 0;
        packed += lookAgain(); // those the previous tick's pass left: read one period ago at the latest
        packed += packThrough(target);
        return packed;
    }

    /**
     * Packs the values superseded by the revisions up to {@code revision} (which must be published: the log, the
     * watchers and the commit log are done with them), and the newest values written by them under the prefixes that
     * nobody read since; revisions compacted meanwhile are skipped.
     *
     * @return how many values this pass packed
     */
    synchronized int packThrough(long revision) {
        int packed = 0;
        for (long r = Math.max(packedThrough + 1, log.firstRetained()); r <= revision; r++) {
            Event event = log.get(r);
            if (event == null) continue; // compacted meanwhile
            KeyValue superseded = event.prevKv();
            if (superseded != null) {
                KeyValue against = event.type() == Event.Type.PUT && superseded.version() % KEYFRAME != 0 ? event.kv() : null;
                if (!superseded.isPacked()) {
                    if (pack(superseded, against)) packed++;
                } else if (against != null && superseded.packedWithDictionary() && repack(superseded, against)) {
                    packed++;
                }
            }
            // a newest value at the time: if a later revision superseded it meanwhile, this pass or the next packs it
            // against its successor (or finds it packed already)
            KeyValue written = event.kv();
            if (event.type() == Event.Type.PUT && !written.isPacked() && dictionaryFor(written.key()) != null) {
                if (written.takeRead()) leftRead.add(written);
                else if (pack(written, null)) packed++;
            }
        }
        packedThrough = Math.max(packedThrough, revision);
        return packed;
    }

    /**
     * The second look at the newest values that the passes since the previous call left because they were read: packs
     * those still their key's newest that nobody read since (a superseded one is its successor's pass's to pack, against
     * it); those read again are left to the sweeps.
     *
     * @return how many values this call packed
     */
    synchronized int lookAgain() {
        java.util.Set<KeyValue> left = leftRead;
        leftRead = newIdentitySet();
        int packed = 0;
        for (KeyValue kv : left) {
            if (!kv.isPacked() && newest.apply(kv.key()) == kv && !kv.takeRead() && pack(kv, null)) packed++;
        }
        return packed;
    }

    /**
     * Packs the newest values under the prefixes that passes have looked at and nobody read since the previous look
     * (values that were read once written, and are no longer).
     */
    synchronized int sweep() {
        int packed = 0;
        for (String prefix : unread.keySet()) {
            for (KeyValue kv : newestUnder.apply(prefix)) {
                // values past the last pass are the next pass's, those it left the second look's
                if (!kv.isPacked() && kv.modRevision() <= packedThrough && !leftRead.contains(kv) && !kv.takeRead()
                        && pack(kv, null)) packed++;
            }
        }
        return packed;
    }

    /**
     * Packs the newest values under {@code prefix} from now on once nobody reads them, and those there now that nobody
     * used ({@link KeyValue#inUse()}; restored from a snapshot, or written before this call).
     *
     * @return how many values this call packed
     */
    synchronized int packUnreadValuesUnder(String prefix) {
        unread.putIfAbsent(prefix, new PresetDictionary());
        int packed = 0;
        for (KeyValue kv : newestUnder.apply(prefix)) {
            if (!kv.isPacked() && !kv.isTombstone() && !kv.takeRead() && pack(kv, null)) packed++;
        }
        return packed;
    }

    /** Packs {@code kv}'s value against {@code against}'s, or its prefix's dictionary (or alone) when that is null. */
    private boolean pack(KeyValue kv, KeyValue against) {
        byte[] value = kv.value();
        if (value == null || value.length < MIN_LENGTH) return false;
        PresetDictionary dictionary = against == null ? dictionaryFor(kv.key()) : null;
        byte[] preset = against != null ? against.value() : dictionary != null ? dictionary.forValue(value) : null;
        kv.pack(ValueDeltas.deflate(value, preset, deflater), against, preset, value.length);
        return true;
    }

    /**
     * A newest value packed against the dictionary once nobody read it (a pending pod that waited), then superseded:
     * packed again against its successor, as a superseded value is, when that is smaller (a delta is a few hundred
     * bytes where the dictionary's form is a kilobyte or more).
     */
    private boolean repack(KeyValue kv, KeyValue successor) {
        byte[] value = kv.value();
        byte[] against = successor.value();
        if (value == null || against == null) return false;
        byte[] delta = ValueDeltas.deflate(value, against, deflater);
        if (delta.length + 32 >= kv.packedLength()) return false; // the delta's holder costs ~32 bytes
        kv.repack(delta, successor);
        return true;
    }

    /** The dictionary of the prefix {@code key} lies under, or null. */
    private PresetDictionary dictionaryFor(String key) {
        if (unread.isEmpty()) return null;
        Map.Entry<String, PresetDictionary> e = unread.floorEntry(key);
        return e != null && key.startsWith(e.getKey()) ? e.getValue() : null;
    }

    private static java.util.Set<KeyValue> newIdentitySet() {
        return java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    }
}
