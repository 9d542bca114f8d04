package kubefake.store.mvcc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What every backend's {@link Watcher} shares: the bounded buffer its events wait in until polled, the close reason
 * (OVERFLOW when a buffered event would pass the bound), and the consumer's wake-up when the buffer stops being empty or
 * the watch closes. A backend says where its events come from, which of them count against the bound, and what
 * closing undoes (unregistering from the store, cancelling etcd's watch).
 *
 * <p>The buffer ({@code this}) is shared between the thread that delivers and the consumer, and is only ever held for
 * a few instructions, so a consumer never holds up a write.
 */
public abstract class BufferedWatcher implements Watcher {
    private final Runnable onReady;
    private final int bufferLimit;

    /** Events not yet polled. Guarded by this. */
    private final ArrayDeque<Event> buffer = new ArrayDeque<>();
    /** Buffered events that count against the bound. Guarded by this. */
    private int counted;
    private volatile CloseReason closeReason;

    protected BufferedWatcher(Runnable onReady, int bufferLimit) {
        this.onReady = onReady;
        this.bufferLimit = bufferLimit;
    }

    /** Whether the event counts against the bound (events the watch replays from history need not). */
    protected boolean counts(Event event) {
        return true;
    }

    /**
     * The events that come before the buffered ones (history read on demand), added to {@code out} up to {@code max}:
     * true when there are no more of them, so that the buffer's turn has come.
     */
    protected boolean replay(List<Event> out, int max) {
        return true;
    }

    /** Closing undoes the watch's registration; called once, outside the buffer's lock. */
    protected abstract void closed();

    /**
     * Buffers the event, or closes the watch with OVERFLOW when it counts and the bound is reached (what was buffered
     * is dropped: the consumer must start over). Nothing happens once the watch is closed.
     */
    protected final void buffer(Event event) {
        boolean becameReady;
        boolean overflowed = false;
        synchronized (this) {
            if (closeReason != null) return;
            boolean counts = counts(event);
            if (counts && counted >= bufferLimit) {
                closeReason = CloseReason.OVERFLOW;
                buffer.clear();
                counted = 0;
                overflowed = true;
                becameReady = true;
            } else {
                becameReady = buffer.isEmpty();
                buffer.addLast(event);
                if (counts) counted++;
            }
        }
        if (overflowed) closed();
        if (becameReady) signal();
    }

    @Override
    public final List<Event> poll(int max) {
        if (max <= 0 || closeReason == CloseReason.OVERFLOW) return List.of();
        List<Event> out = new ArrayList<>(Math.min(max, 64));
        if (!replay(out, max)) return out;
        synchronized (this) {
            while (out.size() < max && !buffer.isEmpty()) {
                Event e = buffer.pollFirst();
                if (counts(e)) counted--;
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public final boolean isClosed() {
        return closeReason != null;
    }

    @Override
    public final CloseReason closeReason() {
        return closeReason;
    }

    @Override
    public final void close() {
        closeWith(CloseReason.CANCELLED);
    }

    /** Closes with {@code reason} unless already closed (the store closing: STORE_CLOSED); OVERFLOW drops what was buffered. */
    public final void closeWith(CloseReason reason) {
        synchronized (this) {
            if (closeReason != null) return;
            closeReason = reason;
            if (reason == CloseReason.OVERFLOW) {
                buffer.clear();
                counted = 0;
            }
        }
        closed();
        signal();
    }

    /** A failing callback must not fail the thread that delivers; the consumer still finds its events by polling. */
    private void signal() {
        try {
            onReady.run();
        } catch (RuntimeException ignored) {
            // nothing sensible to do on the delivering thread
        }
    }
}
