package kubefake.store.mvcc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One watch: first the history it asked for, read lazily from the {@link EventLog} through a cursor (so replay
 * costs no buffer), then the live events the store hands it, held in a bounded buffer.
 *
 * <p>The store registers the watcher under its write lock and tells it the revision it registered at
 * ({@code replayEnd}): events up to that revision come from the log, later ones are {@link #deliver delivered},
 * so there is neither gap nor duplicate.
 *
 * <p>Two locks: the replay cursor belongs to the consumer ({@code replayGuard}) and may take a while to scan;
 * the live buffer ({@code this}) is shared with the writer and is only ever held for a few instructions, so a
 * consumer never holds up a write.
 */
final class StoreWatcher implements Watcher {
    private final String prefix;
    /** Null when the watcher wants every event of its prefix. */
    private final WatchTrigger trigger;
    private final long afterRevision;
    private final Runnable onReady;
    private final int bufferLimit;
    private final EventLog log;
    private final Consumer<StoreWatcher> unregister;

    private final Object replayGuard = new Object();
    /** Next revision to look at in the log; replay is over once it passes replayEnd. Guarded by replayGuard. */
    private long replayNext;
    private final long replayEnd;

    /** Live events not yet polled. Guarded by this. */
    private final ArrayDeque<Event> buffer = new ArrayDeque<>();
    private volatile CloseReason closeReason;

    StoreWatcher(String prefix, WatchTrigger trigger, long afterRevision, long replayEnd, Runnable onReady, int bufferLimit,
                 EventLog log, Consumer<StoreWatcher> unregister) {
        this.prefix = prefix;
        this.trigger = trigger;
        this.afterRevision = afterRevision;
        this.replayNext = afterRevision + 1;
        this.replayEnd = replayEnd;
        this.onReady = onReady;
        this.bufferLimit = bufferLimit;
        this.log = log;
        this.unregister = unregister;
    }

    String prefix() {
        return prefix;
    }

    WatchTrigger trigger() {
        return trigger;
    }

    /** The watch sees events with revisions above this one. */
    long afterRevision() {
        return afterRevision;
    }

    /**
     * Writer only (under the store's write lock): a live event whose key starts with the prefix. Closes the
     * watcher with OVERFLOW when the buffer is already full.
     */
    void deliver(Event event) {
        if (event.revision() <= afterRevision) {
            return; // the watch starts at a revision the store had not reached when it was opened
        }
        boolean becameReady;
        boolean overflowed = false;
        synchronized (this) {
            if (closeReason != null) {
                return;
            }
            if (buffer.size() >= bufferLimit) {
                closeReason = CloseReason.OVERFLOW;
                buffer.clear();
                overflowed = true;
                becameReady = true;
            } else {
                buffer.addLast(event);
                becameReady = buffer.size() == 1;
            }
        }
        if (overflowed) {
            unregister.accept(this);
        }
        if (becameReady) {
            signal();
        }
    }

    @Override
    public List<Event> poll(int max) {
        if (max <= 0 || closeReason == CloseReason.OVERFLOW) {
            return List.of();
        }
        List<Event> out = new ArrayList<>(Math.min(max, 64));
        synchronized (replayGuard) {
            while (replayNext <= replayEnd && out.size() < max) {
                Event event = log.get(replayNext);
                if (event == null) {
                    // Compaction removed history this watcher had not read yet: it can only start over.
                    closeWith(CloseReason.OVERFLOW);
                    return List.of();
                }
                replayNext++;
                if (event.kv().key().startsWith(prefix)) {
                    out.add(event);
                }
            }
            if (replayNext <= replayEnd) {
                return out;
            }
        }
        synchronized (this) {
            while (out.size() < max && !buffer.isEmpty()) {
                out.add(buffer.pollFirst());
            }
        }
        return out;
    }

    @Override
    public boolean isClosed() {
        return closeReason != null;
    }

    @Override
    public CloseReason closeReason() {
        return closeReason;
    }

    @Override
    public void close() {
        closeWith(CloseReason.CANCELLED);
    }

    /** Closes with {@code reason} unless already closed; OVERFLOW drops what was buffered. */
    void closeWith(CloseReason reason) {
        synchronized (this) {
            if (closeReason != null) {
                return;
            }
            closeReason = reason;
            if (reason == CloseReason.OVERFLOW) {
                buffer.clear();
            }
        }
        unregister.accept(this);
        signal();
    }

    /** A failing callback must not fail the write that triggered it; the consumer still finds its events by polling. */
    private void signal() {
        try {
            onReady.run();
        } catch (RuntimeException ignored) {
            // nothing sensible to do on the writer's thread
        }
    }

    @Override
    public String toString() {
        return "Watcher{prefix=" + prefix + ", after=" + afterRevision + ", closed=" + closeReason + "}";
    }
}
