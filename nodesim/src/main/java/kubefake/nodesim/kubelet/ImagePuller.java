package kubefake.nodesim.kubelet;

import kubefake.client.runtime.Cancellable;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * A node's image pulls as the kubelet's default configuration runs them ({@code serializeImagePulls: true}, which
 * kubeadm keeps): one at a time, the others waiting in the order they were asked for. The kubelet records "Pulling
 * image" before its request waits here, and its "Pulled" event tells the pull's own time and the time since then
 * ({@code (… including waiting)}). A pod that no longer waits for its pull (deleted, its container killed) leaves the
 * queue; a pull under way runs its course, as containerd's does. Lane-confined, as the rest of the kubelet.
 *
 * <p>It also bounds what a node has in flight: its pods wait their turn cheaply instead of all being started at once.
 */
final class ImagePuller {
    /** One request: what begins its pull (and says how long it takes), what to do when it is done. */
    private static final class Request implements Cancellable {
        final Supplier<Duration> begin;
        final Runnable done;
        boolean cancelled;

        Request(Supplier<Duration> begin, Runnable done) {
            this.begin = begin;
            this.done = done;
        }

        @Override
        public boolean cancel() {
            boolean was = !cancelled;
            cancelled = true;
            return was;
        }
    }

    /** The kubelet's timer: runs a task on its lane after a delay. */
    private final BiFunction<Duration, Runnable, Cancellable> after;
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    /** The pull under way's completion timer, or null when none is. */
    private Cancellable pulling;

    ImagePuller(BiFunction<Duration, Runnable, Cancellable> after) {
        this.after = after;
    }

    /**
     * Asks for a pull: {@code begin} runs when its turn comes (at once if no pull is under way) and says how long the
     * pull takes (null: none after all), {@code done} runs once it is over, unless the returned handle was cancelled
     * first. What the pull does is decided when it begins (an image another pull brought meanwhile is quick to pull).
     */
    Cancellable pull(Supplier<Duration> begin, Runnable done) {
        Request r = new Request(begin, done);
        waiting.add(r);
        if (pulling == null) next();
        return r;
    }

    private void next() {
        Request r;
        Duration duration = null;
        do {
            r = waiting.poll();
            if (r != null && !r.cancelled) duration = r.begin.get();
        } while (r != null && duration == null);
        if (r == null) return;
        Request current = r;
        pulling = after.apply(duration, () -> {
            pulling = null;
            try {
                if (!current.cancelled) current.done.run();
            } finally { // a failing pod must not hold up the node's other pulls
                if (pulling == null) next();
            }
        });
    }

    /** The kubelet stopped: no pull goes on; its pods ask again when it starts. */
    void stop() {
        waiting.clear();
        if (pulling != null) pulling.cancel();
        pulling = null;
    }

    /** Tests: how many requests wait for their turn. */
    int waiting() {
        return (int) waiting.stream().filter(r -> !r.cancelled).count();
    }
}
