package kubefake.controllers.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Pod creations and deletions a controller made and has not seen in its informer yet ({@code ControllerExpectations}):
 * until they show up, the controller does not act on its cache again (it would create twice). Expectations older than
 * five minutes are given up, as the real ones expire. Thread-safe.
 */
final class Expectations {
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    private record Pending(int adds, int deletes, Instant since) {
    }

    private final Clock clock;
    private final Map<String, Pending> pending = new HashMap<>();

    Expectations(Clock clock) {
        this.clock = clock;
    }

    synchronized void expect(String key, int adds, int deletes) {
        pending.put(key, new Pending(adds, deletes, clock.instant()));
    }

    synchronized void creationObserved(String key) {
        lower(key, 1, 0);
    }

    synchronized void deletionObserved(String key) {
        lower(key, 0, 1);
    }

    /** What was expected but not done (a failed create): no longer awaited. */
    synchronized void lower(String key, int adds, int deletes) {
        Pending p = pending.get(key);
        if (p != null) pending.put(key, new Pending(p.adds - adds, p.deletes - deletes, p.since));
    }

    synchronized boolean satisfied(String key) {
        Pending p = pending.get(key);
        if (p == null) return true;
        if (p.adds <= 0 && p.deletes <= 0) return true;
        return Duration.between(p.since, clock.instant()).compareTo(TIMEOUT) > 0;
    }

    synchronized void delete(String key) {
        pending.remove(key);
    }
}
