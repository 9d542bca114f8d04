package kubefake.store.mvcc;

import java.util.List;

/**
 * One watch: the events under a key prefix after a start revision, each exactly once, in revision order.
 * Events wait in a bounded buffer; a consumer that lets it overflow gets the watch closed with
 * {@link CloseReason#OVERFLOW} (it must relist), the store never buffers without bound.
 */
public interface Watcher extends AutoCloseable {
    enum CloseReason { CANCELLED, OVERFLOW, STORE_CLOSED }

    /** Removes and returns up to {@code max} buffered events, never blocking; empty when none are buffered. */
    List<Event> poll(int max);

    /** True once closed; buffered events are dropped on overflow, but still polled after a plain cancel. */
    boolean isClosed();

    /** Why the watcher closed, or null while it is open. */
    CloseReason closeReason();

    /** Stops the watch; idempotent. */
    @Override
    void close();
}
