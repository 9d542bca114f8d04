package kubefake.client.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * client-go's EventCorrelator ({@code tools/record/events_cache.go}), which decides what a recorded event becomes:
 * <ol>
 * <li>aggregation: once 10 events that differ only in their message come within 10 minutes about the same object
 * (same source, object, type, reason, reporting controller and instance), the next ones become one event whose
 * message is {@code (combined from similar events): <message>};</li>
 * <li>de-duplication: an event identical to an earlier one (same source, object and field path, type, reason and
 * message) is not created again: the earlier event's {@code count} goes up and its {@code lastTimestamp} moves;</li>
 * <li>spam filtering: a source may report 25 events about one object at once, then one every 5 minutes.</li>
 * </ol>
 * Caches are LRUs of 4,096 entries, as in client-go. Not thread-safe: the recorder uses it from its lane only.
 */
final class EventCorrelator {
    static final int CACHE_ENTRIES = 4096;
    static final int AGGREGATE_MAX_EVENTS = 10;
    static final Duration AGGREGATE_INTERVAL = Duration.ofSeconds(600);
    static final int SPAM_BURST = 25;
    static final double SPAM_PER_SECOND = 1.0 / 300;
    static final String AGGREGATE_PREFIX = "(combined from similar events): ";

    /** What to do with an event: write it (creating it, or patching count/lastTimestamp/message), or drop it. */
    record Result(CoreEvent event, boolean update, boolean skip) {
    }

    /**
     * What a later repeat patches: the event's name, count and first time (client-go keeps its resourceVersion too,
     * which the patch does not send). Kept as numbers, one per event a recorder made: the first time in nanoseconds
     * since the epoch, and the name as the nanoseconds of its suffix when it is the recorder's {@code <object>.<hex>}
     * (nearly always; else the name itself): ~40 bytes instead of ~120 with an {@code Instant} and a {@code String}.
     */
    private record Observation(int count, long firstNanos, long nameNanos, String otherName) {
        static Observation of(int count, Instant first, String name, String objectName) {
            long nanos = nameNanos(name, objectName);
            return new Observation(count, EventTimes.nanos(first), nanos, nanos < 0 ? name : null);
        }

        /** The suffix of {@code <objectName>.<hex>} as a number, or -1 when the name is not of that form. */
        private static long nameNanos(String name, String objectName) {
            int dot = objectName.length();
            if (name.length() <= dot + 1 || name.length() > dot + 17 || name.charAt(dot) != '.' || !name.startsWith(objectName)) {
                return -1;
            }
            try {
                long nanos = Long.parseUnsignedLong(name, dot + 1, name.length(), 16);
                return nanos >= 0 && name.equals(objectName + "." + Long.toHexString(nanos)) ? nanos : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        Instant firstTimestamp() {
            return EventTimes.instant(firstNanos);
        }

        String name(String objectName) {
            return otherName != null ? otherName : objectName + "." + Long.toHexString(nameNanos);
        }
    }

    /*
     * The caches' keys are client-go's, as records of the event's strings rather than their concatenation: the strings
     * are the event's own (shared with its object reference), so a key costs ~32 bytes instead of a ~200-byte copy, for
     * up to 3 × 4,096 keys per recorder (a kubelet's). Unlike the concatenation, two different keys never collide. The
     * messages and field paths they keep are interned: each event brings its own copy of strings that thousands of
     * pods' events repeat ("Started container nginx", "spec.containers{nginx}").
     */

    /**
     * A source and an object: one token bucket, and the part the other two keys share. The keys of one object's events
     * share one instance (events about an object come together): a key costs 32 bytes instead of 56.
     */
    private record ObjectKey(String sourceComponent, String sourceHost, String kind, String namespace, String name,
                             String uid, String apiVersion) {
    }

    /** Events about one object from one source, of one type and reason: aggregated when only their message differs. */
    private record AggregateKey(ObjectKey object, String type, String reason, String reportingController,
                                String reportingInstance) {
    }

    /** Events that are the same but for their time. */
    private record EventKey(ObjectKey object, String fieldPath, String type, String reason, String message) {
    }

    /** The distinct messages of an aggregate's events in the interval, and when the last one came. */
    private static final class Aggregate {
        /** One message as itself (the usual case: a set costs ~150 bytes), more in a set. */
        private Object messages;
        /** In nanoseconds since the epoch. */
        long last;

        /** Adds a message; returns how many distinct ones there are. */
        int add(String message) {
            if (messages == null) {
                messages = message;
                return 1;
            }
            if (messages instanceof String one) {
                if (one.equals(message)) return 1;
                Set<String> set = new HashSet<>();
                set.add(one);
                messages = set;
            }
            @SuppressWarnings("unchecked")
            Set<String> set = (Set<String>) messages;
            set.add(message);
            return set.size();
        }

        /** Drops one message, any (only ever called with more than one). */
        void dropOne() {
            @SuppressWarnings("unchecked")
            Iterator<String> it = ((Set<String>) messages).iterator();
            it.next();
            it.remove();
        }
    }

    private static final class Bucket {
        double tokens = SPAM_BURST;
        /** In nanoseconds since the epoch; none before the first event. */
        long last = Long.MIN_VALUE;
    }

    private final Clock clock;
    private final Map<AggregateKey, Aggregate> aggregates = lru();
    /** By {@link EventKey}, or by {@link AggregateKey} for a combined event. */
    private final Map<Object, Observation> observations = lru();
    private final Map<ObjectKey, Bucket> spam = lru();
    /** The object key made last: the next event's is nearly always the same. */
    private ObjectKey lastObject;

    EventCorrelator(Clock clock) {
        this.clock = clock;
    }

    private static <K, V> Map<K, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > CACHE_ENTRIES;
            }
        };
    }

    Result correlate(CoreEvent event) {
        Instant now = clock.instant();
        Object[] keyed = new Object[1];
        CoreEvent aggregated = aggregate(event, now, keyed);
        Result observed = observe(aggregated, keyed[0]);
        if (!allow(observed.event(), now)) return new Result(observed.event(), false, true);
        return observed;
    }

    /** The server's answer: later repeats patch this event (its name and count). */
    void updateState(CoreEvent stored) {
        observations.put(eventKey(stored), Observation.of(stored.count, stored.firstTimestamp, stored.name, stored.involvedObject.name()));
    }

    private CoreEvent aggregate(CoreEvent event, Instant now, Object[] cacheKey) {
        AggregateKey aggregateKey = new AggregateKey(objectKey(event), event.type, event.reason, nz(event.reportingController),
                nz(event.reportingInstance));
        Aggregate record = aggregates.get(aggregateKey);
        long nowNanos = EventTimes.nanos(now);
        if (record == null || nowNanos - record.last > AGGREGATE_INTERVAL.toNanos()) {
            record = new Aggregate();
        }
        int messages = record.add(interned(event.message));
        record.last = nowNanos;
        aggregates.put(aggregateKey, record);
        if (messages < AGGREGATE_MAX_EVENTS) {
            cacheKey[0] = eventKey(event);
            return event;
        }
        // keep the set from growing past the threshold: drop one message, any
        record.dropOne();
        CoreEvent combined = new CoreEvent();
        combined.name = EventTimes.eventName(event.involvedObject.name(), now);
        combined.namespace = event.namespace;
        combined.count = 1;
        combined.firstTimestamp = now;
        combined.lastTimestamp = now;
        combined.involvedObject = event.involvedObject;
        combined.message = AGGREGATE_PREFIX + event.message;
        combined.type = event.type;
        combined.reason = event.reason;
        combined.sourceComponent = event.sourceComponent;
        combined.sourceHost = event.sourceHost;
        // as in client-go, the combined event carries no reporting controller or instance
        cacheKey[0] = aggregateKey;
        return combined;
    }

    private Result observe(CoreEvent event, Object key) {
        CoreEvent observed = event.copy();
        Observation last = observations.get(key);
        boolean update = last != null && last.count() > 0;
        String objectName = event.involvedObject.name();
        if (update) {
            observed.name = last.name(objectName);
            observed.firstTimestamp = last.firstTimestamp();
            observed.count = last.count() + 1;
        }
        observations.put(key, Observation.of(observed.count, observed.firstTimestamp, observed.name, objectName));
        return new Result(observed, update, false);
    }

    /** A token bucket per source and object. */
    private boolean allow(CoreEvent event, Instant now) {
        Bucket bucket = spam.computeIfAbsent(objectKey(event), k -> new Bucket());
        long nowNanos = EventTimes.nanos(now);
        if (bucket.last != Long.MIN_VALUE && nowNanos > bucket.last) {
            double elapsed = (nowNanos - bucket.last) / 1e9;
            bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + elapsed * SPAM_PER_SECOND);
        }
        bucket.last = nowNanos;
        if (bucket.tokens < 1) return false;
        bucket.tokens -= 1;
        return true;
    }

    /** Events that are the same but for their time: same source, object (and part), type, reason and message. */
    private Object eventKey(CoreEvent e) {
        return new EventKey(objectKey(e), interned(e.involvedObject.fieldPath()), e.type, e.reason, interned(e.message));
    }

    /** The event's source and object, the instance of the previous event's when they are the same. */
    private ObjectKey objectKey(CoreEvent e) {
        ObjectKey key = new ObjectKey(nz(e.sourceComponent), nz(e.sourceHost), e.involvedObject.kind(), e.involvedObject.namespace(),
                e.involvedObject.name(), e.involvedObject.uid(), e.involvedObject.apiVersion());
        if (key.equals(lastObject)) return lastObject;
        lastObject = key;
        return key;
    }

    /** One instance of the strings that many events repeat, for the keys that outlive the event. */
    private static String interned(String s) {
        return s == null ? null : s.intern();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
