package kubefake.store.mvcc;

import java.util.List;
import java.util.function.Consumer;

/**
 * One watch on the embedded store: first the history it asked for, read lazily from the {@link EventLog} through a
 * cursor (so replay costs no buffer), then the live events the store hands it, held in the bounded buffer.
 *
 * <p>The store registers the watcher under its write lock and tells it the revision it registered at
 * ({@code replayEnd}): events up to that revision come from the log, later ones are {@link #deliver delivered},
 * so there is neither gap nor duplicate.
 *
 * <p>Two locks: the replay cursor belongs to the consumer ({@code replayGuard}) and may take a while to scan;
 * the live buffer is shared with the writer and is only ever held for a few instructions.
 */
final class StoreWatcher extends BufferedWatcher {
    private final String prefix;
    /** Null when the watcher wants every event of its prefix. */
    private final WatchTrigger trigger;
    private final long afterRevision;
    private final EventLog log;
    private final Consumer<StoreWatcher> unregister;

    private final Object replayGuard = new Object();
    /** Next revision to look at in the log; replay is over once it passes replayEnd. Guarded by replayGuard. */
    private long replayNext;
    private final long replayEnd;

    StoreWatcher(String prefix, WatchTrigger trigger, long afterRevision, long replayEnd, Runnable onReady, int bufferLimit,
                 EventLog log, Consumer<StoreWatcher> unregister) {
        super(onReady, bufferLimit);
        this.prefix = prefix;
        this.trigger = trigger;
        this.afterRevision = afterRevision;
        this.replayNext = afterRevision + 1;
        this.replayEnd = replayEnd;
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
        buffer(event);
    }

    @Override
    protected boolean replay(List<Event> out, int max) {
        synchronized (replayGuard) {
            while (replayNext <= replayEnd && out.size() < max) {
                Event event = log.get(replayNext);
                if (event == null) {
                    // Compaction removed history this watcher had not read yet: it can only start over.
                    out.clear();
                    closeWith(CloseReason.OVERFLOW);
                    return false;
                }
                replayNext++;
                if (event.kv().key().startsWith(prefix)) {
                    out.add(event);
                }
            }
            return replayNext > replayEnd;
        }
    }

    @Override
    protected void closed() {
        unregister.accept(this);
    }

    @Override
    public String toString() {
        return "Watcher{prefix=" + prefix + ", after=" + afterRevision + ", closed=" + closeReason() + "}";
    }
}
