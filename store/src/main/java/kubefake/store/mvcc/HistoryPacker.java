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
 * <p>Under a prefix the caller names {@linkplain #packNewestValuesUnder cold}, the newest values are packed too, one
 * period after they were written: objects that are written and then hardly read (events: their recorder writes them,
 * {@code kubectl get events} and {@code describe} read them), whose bytes would otherwise be most of the heap. They are
 * packed against the prefix's {@link PresetDictionary}, as are the values there that have no successor to be packed
 * against (a deleted key's last value, a keyframe). A reader of a packed newest value inflates it, as one of history.
 *
 * <p>One pass at a time (the caller's), beside writes, reads and compaction: packing changes no value a reader sees.
 */
final class HistoryPacker {
    /** Every so many versions of a key one is packed alone, which bounds the chain a read inflates. */
    static final int KEYFRAME = 8;
    /** Values smaller than this stay as they are: packing would save little. */
    private static final int MIN_LENGTH = 128;

    private final EventLog log;
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    /** The last revision whose superseded value a pass looked at. */
    private long packedThrough;
    /** The revision {@link #tick} was given the previous time. */
    private long previousTick;
    /** The cold prefixes, each with the dictionary of its values. */
    private final TreeMap<String, PresetDictionary> cold = new TreeMap<>();

    HistoryPacker(EventLog log) {
        this.log = log;
    }

    /**
     * One step of the store's policy: packs what was superseded up to the revision given at the previous tick, so that
     * a value stays as it is for at least one period after it was superseded, while the watchers that were handed it
     * with the event that superseded it still read it; then remembers {@code current}.
     */
    synchronized int tick(long current) {
        long target = previousTick;
        previousTick = current;
        return packThrough(target);
    }

    /**
     * Packs the values superseded by the revisions up to {@code revision} (which must be published: the log, the
     * watchers and the commit log are done with them); revisions compacted meanwhile are skipped.
     *
     * @return how many values this pass packed
     */
    synchronized int packThrough(long revision) {
        int packed = 0;
        for (long r = Math.max(packedThrough + 1, log.firstRetained()); r <= revision; r++) {
            Event event = log.get(r);
            if (event == null) continue; // compacted meanwhile
            KeyValue superseded = event.prevKv();
            if (superseded != null && !superseded.isPacked()) {
                KeyValue against = event.type() == Event.Type.PUT && superseded.version() % KEYFRAME != 0 ? event.kv() : null;
                if (pack(superseded, against)) packed++;
            }
            // a cold key's newest value at the time: packed now unless a later revision superseded it meanwhile (then
            // this pass or the next packs it against its successor, or finds it packed already)
            if (event.type() == Event.Type.PUT && !event.kv().isPacked() && dictionaryFor(event.kv().key()) != null
                    && pack(event.kv(), null)) {
                packed++;
            }
        }
        packedThrough = Math.max(packedThrough, revision);
        return packed;
    }

    /**
     * Keeps the newest values under {@code prefix} packed from now on, one {@link #tick} period after they are written,
     * and packs those already there now (restored from a snapshot, or written before this call).
     *
     * @return how many values this call packed
     */
    synchronized int packNewestValuesUnder(String prefix, Iterable<KeyValue> present) {
        cold.putIfAbsent(prefix, new PresetDictionary());
        int packed = 0;
        for (KeyValue kv : present) {
            if (!kv.isPacked() && !kv.isTombstone() && pack(kv, null)) packed++;
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

    /** The dictionary of the cold prefix {@code key} lies under, or null. */
    private PresetDictionary dictionaryFor(String key) {
        if (cold.isEmpty()) return null;
        Map.Entry<String, PresetDictionary> e = cold.floorEntry(key);
        return e != null && key.startsWith(e.getKey()) ? e.getValue() : null;
    }
}
