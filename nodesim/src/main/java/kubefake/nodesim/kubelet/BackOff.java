package kubefake.nodesim.kubelet;

import kubefake.nodesim.lifecycle.LifecycleProfile;

import java.time.Duration;
import java.time.Instant;

/**
 * client-go's {@code flowcontrol.Backoff} for one key (a container's restarts, or its image's pulls): the wait starts
 * at {@code initial} and doubles on each {@link #next} up to {@code max}; an entry untouched for 2 × max starts over.
 */
final class BackOff {
    private final Duration initial;
    private final Duration max;
    private Duration current; // null: no entry yet
    private Instant lastUpdate;

    BackOff(LifecycleProfile.BackOff settings) {
        this.initial = settings.initial();
        this.max = settings.max();
    }

    /** The wait of the current entry (zero when there is none). */
    Duration current() {
        return current == null ? Duration.ZERO : current;
    }

    private boolean expired(Instant eventTime) {
        return current == null || Duration.between(lastUpdate, eventTime).compareTo(max.multipliedBy(2)) > 0;
    }

    /** The kubelet's crash check ({@code IsInBackOffSince}): whether {@code now} is within the wait since {@code eventTime}. */
    boolean inBackOffSince(Instant eventTime, Instant now) {
        if (expired(eventTime)) return false;
        return Duration.between(eventTime, now).compareTo(current) < 0;
    }

    /** The image check ({@code IsInBackOffSinceUpdate}): whether {@code now} is within the wait since the last failure. */
    boolean inBackOffSinceUpdate(Instant now) {
        if (expired(now)) return false;
        return Duration.between(lastUpdate, now).compareTo(current) < 0;
    }

    /** What is left of the wait that started at {@code since} (zero when it is over). */
    Duration remaining(Instant since, Instant now) {
        if (current == null) return Duration.ZERO;
        Duration left = current.minus(Duration.between(since, now));
        return left.isNegative() ? Duration.ZERO : left;
    }

    Instant lastUpdate() {
        return lastUpdate;
    }

    /** Records a failure (or a restart) at {@code eventTime}: the wait doubles, or starts at initial. */
    void next(Instant eventTime) {
        if (expired(eventTime)) {
            current = initial;
        } else {
            Duration doubled = current.multipliedBy(2);
            current = doubled.compareTo(max) > 0 ? max : doubled;
        }
        lastUpdate = eventTime;
    }
}
