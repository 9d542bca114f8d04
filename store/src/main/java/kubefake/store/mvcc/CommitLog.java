package kubefake.store.mvcc;

/**
 * Where a store's writes become durable before anyone sees them (etcd's WAL before apply). With a commit log the
 * store links a write in under its write lock and {@link #append appends} it, but publishes it (makes it readable,
 * hands it to watchers, answers the writer) only once {@link #awaitDurable} says it is safe: a write that a crash
 * loses was never acknowledged nor seen.
 */
public interface CommitLog extends AutoCloseable {
    /**
     * Called under the store's write lock, in revision order, before the write is linked in; keep it short (queue
     * the event, write it later).
     *
     * @throws DurabilityException when the log can no longer write: the store then refuses the write
     */
    void append(Event event);

    /**
     * Blocks (uninterruptibly) until every appended event up to {@code revision} is durable.
     *
     * @throws DurabilityException when writing failed: the write is not durable and must not be acknowledged
     */
    void awaitDurable(long revision);

    /**
     * Calls {@code then} once every appended event up to {@code revision} is durable (with null), or with the
     * {@link DurabilityException} that means it never will be; on the log's thread, or at once on the caller's when it
     * is durable already. This default waits in the caller; a log that can call back later overrides it.
     */
    default void whenDurable(long revision, java.util.function.Consumer<RuntimeException> then) {
        try {
            awaitDurable(revision);
        } catch (DurabilityException e) {
            then.accept(e);
            return;
        }
        then.accept(null);
    }

    /**
     * Lets the log publish durable writes itself: once a batch is durable, and before it wakes the batch's writers,
     * the log calls {@code publisher} with the batch's last revision on its own thread, so that the writers find their
     * writes published and return, instead of all waking at once to contend for the store's lock to publish them. A
     * log that never calls it leaves the publishing to the writers ({@link #awaitDurable} then returns unpublished).
     *
     * @return whether the log calls it after every batch: only then may a write return without anyone waiting to
     *         publish it (the writes of in-process components, see {@link InProcessReads})
     */
    default boolean publishWith(java.util.function.LongConsumer publisher) {
        return false;
    }

    /**
     * Called before the store compacts to {@code revision} (not under the write lock; writes go on), while that
     * revision is still readable from {@code view}: the moment to snapshot the state at it and forget the log up to it.
     */
    void compacting(long revision, ReadView view);

    /** Makes everything appended durable, then stops. */
    @Override
    void close();
}
