package kubefake.controllers.common;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a controller is still waiting to see after its own creates and deletes ({@code pkg/controller}'s
 * {@code UIDTrackingControllerExpectations}): a controller whose informer has not yet shown it the pods it just
 * created must not create them again. A sync acts only when its key's expectations are satisfied: every expected
 * creation and deletion observed, or the record older than 5 minutes (an observation lost), or no record at all.
 * Deletions are tracked by pod key, so that a deletion seen twice (deletionTimestamp, then the removal) counts once.
 * Thread-safe.
 */
public final class ControllerExpectations {
    /** After this long a controller stops waiting for what it expected. */
    public static final Duration EXPECTATIONS_TIMEOUT = Duration.ofMinutes(5);

    private static final class Record {
        int add;
        int del;
        final Instant timestamp;

        Record(int add, int del, Instant timestamp) {
            this.add = add;
            this.del = del;
            this.timestamp = timestamp;
        }
    }

    private final Clock clock;
    private final Map<String, Record> records = new HashMap<>();
    private final Map<String, Set<String>> deletedKeys = new HashMap<>();

    public ControllerExpectations(Clock clock) {
        this.clock = clock;
    }

    /** Whether the controller of {@code key} may act: nothing more is expected, or the expectations expired. */
    public synchronized boolean satisfied(String key) {
        Record r = records.get(key);
        if (r == null) return true;
        if (r.add <= 0 && r.del <= 0) return true;
        return Duration.between(r.timestamp, clock.instant()).compareTo(EXPECTATIONS_TIMEOUT) > 0;
    }

    /** The controller is about to create {@code count} objects (replaces what was expected). */
    public void expectCreations(String key, int count) {
        expect(key, count, List.of());
    }

    /** The controller is about to delete these pods (keys {@code namespace/name}); replaces what was expected. */
    public void expectDeletions(String key, Collection<String> podKeys) {
        expect(key, 0, podKeys);
    }

    /**
     * The controller is about to create {@code creations} pods and delete these ones in one sync (a DaemonSet's
     * {@code SetExpectations}); replaces what was expected.
     */
    public synchronized void expect(String key, int creations, Collection<String> deletedPodKeys) {
        deletedKeys.put(key, new HashSet<>(deletedPodKeys));
        records.put(key, new Record(creations, deletedPodKeys.size(), clock.instant()));
    }

    /** One expected creation was seen (or will never be: the create failed). */
    public synchronized void creationObserved(String key) {
        Record r = records.get(key);
        if (r != null) r.add--;
    }

    /** The deletion of a pod was seen; counts only for a pod the controller deleted, and only once. */
    public synchronized void deletionObserved(String key, String podKey) {
        Set<String> expected = deletedKeys.get(key);
        if (expected == null || !expected.remove(podKey)) return;
        Record r = records.get(key);
        if (r != null) r.del--;
    }

    /** The controller is gone: forget what it expected. */
    public synchronized void delete(String key) {
        records.remove(key);
        deletedKeys.remove(key);
    }

    /** What is still expected, for tests: {@code [creations, deletions]}, or null when nothing is recorded. */
    synchronized int[] pending(String key) {
        Record r = records.get(key);
        return r == null ? null : new int[]{r.add, r.del};
    }
}
