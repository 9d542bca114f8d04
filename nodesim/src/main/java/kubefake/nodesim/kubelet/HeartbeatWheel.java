package kubefake.nodesim.kubelet;

import kubefake.client.runtime.Cancellable;
import kubefake.client.runtime.ClusterRuntime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The kubelets' heartbeats (Lease renewal, node status) on one timer: a wheel of {@code period / tick} slots,
 * instead of two clock tasks per node that each reschedule themselves. A kubelet joins the slot of the tick the clock
 * is at and beats when the wheel is back at it, then every turn: every {@code period} (the first beat up to one tick
 * early), as the real kubelet's {@code wait.Until}. Nodes that start at different times land in different slots, so
 * thousands of them beat spread over the period rather than all at once. The timer wakes only for a slot that has
 * members (the slots in between are passed over): four nodes' wheel wakes a few times per period, not every tick.
 *
 * <p>The wheel's task only hands each due kubelet's beat to that kubelet's lane; it does no work of its own.
 */
final class HeartbeatWheel {
    /** One beat: runs on the cluster's executor (the kubelet's lane is the task's business). */
    private static final class Member implements Cancellable {
        final Runnable beat;
        /** The wheel's tick at which the member beats first (a full turn after the last tick before it joined). */
        final long firstTick;
        volatile boolean cancelled;

        Member(Runnable beat, long firstTick) {
            this.beat = beat;
            this.firstTick = firstTick;
        }

        @Override
        public boolean cancel() {
            boolean was = !cancelled;
            cancelled = true;
            return was;
        }
    }

    private final ClusterRuntime runtime;
    private final Duration tick;
    /** Where tick 0 is on the cluster clock: ticks are counted from the clock, so a clock moved ahead is caught up. */
    private final Instant epoch;
    private final List<List<Member>> slots = new ArrayList<>();
    /** The tick last turned to; the next turn is {@code turned + 1}. Guarded by this. */
    private long turned = -1;
    private int members; // guarded by this
    private Cancellable timer; // guarded by this

    /** @param period a whole number of ticks */
    HeartbeatWheel(ClusterRuntime runtime, Duration period, Duration tick) {
        long count = period.toNanos() / tick.toNanos();
        if (count < 1 || period.toNanos() % tick.toNanos() != 0) {
            throw new IllegalArgumentException("period " + period + " is not a whole number of ticks of " + tick);
        }
        this.runtime = runtime;
        this.tick = tick;
        this.epoch = runtime.clock().instant();
        for (int i = 0; i < count; i++) slots.add(new ArrayList<>());
    }

    /**
     * Runs {@code beat} every period from now on (the first time one period from now, or up to a tick earlier) until
     * the returned handle is cancelled. The wheel turns only while it has members.
     */
    synchronized Cancellable every(Runnable beat) {
        long now = clockTick();
        if (timer == null) turned = now; // a wheel that starts (again) is where the clock is
        // a full turn after the tick the clock is at: less than a period from now by what of that tick has passed; on
        // a wheel that starts now, exactly one period
        long first = now + slots.size();
        Member m = new Member(beat, first);
        slots.get((int) (first % slots.size())).add(m);
        members++;
        // a waiting timer is due no later than this beat (every member beats within a turn of the last tick turned)
        if (timer == null) scheduleTurn();
        return m;
    }

    /** The timer for the next tick whose slot has members; none when the wheel has none. Under this. */
    private void scheduleTurn() {
        timer = null;
        if (members == 0) return;
        long next = turned + 1;
        while (slots.get((int) (next % slots.size())).isEmpty()) next++;
        Duration delay = Duration.between(runtime.clock().instant(), epoch.plus(tick.multipliedBy(next)));
        timer = runtime.schedule(delay.isNegative() ? Duration.ZERO : delay, this::turn);
    }

    /** The tick the cluster clock is at. */
    private long clockTick() {
        return Duration.between(epoch, runtime.clock().instant()).toNanos() / tick.toNanos();
    }

    /**
     * The wheel turns to where the clock is: every slot since the last turn, the empty ones the timer passed over and
     * those passed over when the clock was moved ahead (each beats once, even if the clock jumped more than a whole
     * turn); cancelled members leave their slot.
     */
    private void turn() {
        List<Runnable> due = new ArrayList<>();
        synchronized (this) {
            long to = clockTick();
            long from = Math.max(turned + 1, to - slots.size() + 1);
            for (long t = from; t <= to; t++) {
                List<Member> slot = slots.get((int) (t % slots.size()));
                for (var it = slot.iterator(); it.hasNext(); ) {
                    Member m = it.next();
                    if (m.cancelled) {
                        it.remove();
                        members--;
                    } else if (m.firstTick <= t) {
                        due.add(m.beat);
                    }
                }
            }
            turned = Math.max(turned, to);
            // nothing left to beat: the wheel stops (and starts again with the next member, from the tick it is at)
            scheduleTurn();
        }
        for (Runnable beat : due) beat.run();
    }
}
