package kubefake.store.mvcc;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Every retained event by revision (each revision is exactly one event, so the revision is the index), for
 * replaying history to new watchers. Stored in fixed-size segments so that trimming after a compaction drops
 * whole segments and memory stays bounded by what is retained.
 *
 * <p>The writer appends under the store's write lock; readers read without a lock.
 */
final class EventLog {
    private static final int SEGMENT_BITS = 10;
    private static final int SEGMENT_SIZE = 1 << SEGMENT_BITS;

    private final ConcurrentHashMap<Long, Event[]> segments = new ConcurrentHashMap<>();
    /** Events below this revision are gone (the segment holding it may still hold some, they are not served). */
    private volatile long firstRetained = 1;
    /** Volatile, written after the event's slot: a reader that checks it sees the slot filled. */
    private volatile long lastAppended;

    /** Writer only: appends the event of the next revision. */
    void append(Event event) {
        long revision = event.revision();
        if (revision != lastAppended + 1) {
            throw new IllegalStateException("event log expects revision " + (lastAppended + 1) + ", got " + revision);
        }
        segments.computeIfAbsent(revision >>> SEGMENT_BITS, s -> new Event[SEGMENT_SIZE])
                [(int) (revision & (SEGMENT_SIZE - 1))] = event;
        lastAppended = revision;
    }

    /** Recovery, on an empty log: history starts after {@code revision} (the first appended event is the next one). */
    void startAfter(long revision) {
        if (lastAppended != 0) {
            throw new IllegalStateException("the event log is not empty");
        }
        firstRetained = revision + 1;
        lastAppended = revision;
    }

    /** The oldest revision whose event may still be held. */
    long firstRetained() {
        return firstRetained;
    }

    /** The event of {@code revision}, or null when it was trimmed (or not written yet). */
    Event get(long revision) {
        if (revision > lastAppended || revision < firstRetained) {
            return null;
        }
        Event[] segment = segments.get(revision >>> SEGMENT_BITS);
        return segment == null ? null : segment[(int) (revision & (SEGMENT_SIZE - 1))];
    }

    /** Drops the events at or below {@code revision}. */
    void trimThrough(long revision) {
        long oldFirst = firstRetained;
        if (revision < oldFirst) {
            return;
        }
        firstRetained = revision + 1;
        // Segments entirely below the new first revision go; in the one holding it, the older slots are cleared
        // (a reader racing with this sees the event or null, and null past firstRetained means "compacted").
        long firstSegment = (revision + 1) >>> SEGMENT_BITS;
        for (long s = oldFirst >>> SEGMENT_BITS; s < firstSegment; s++) {
            segments.remove(s);
        }
        Event[] segment = segments.get(firstSegment);
        if (segment != null) {
            for (long r = Math.max(oldFirst, firstSegment << SEGMENT_BITS); r <= revision; r++) {
                segment[(int) (r & (SEGMENT_SIZE - 1))] = null;
            }
        }
    }

    /** For tests: how many segments are held. */
    int segmentCount() {
        return segments.size();
    }
}
