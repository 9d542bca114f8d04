package kubefake.store.mvcc;

/**
 * The threads of the components that run inside the server's process (controllers, scheduler, kubelets): on a store
 * with a {@link CommitLog} they read and watch every write once it is ordered in the log, before it is durable, and
 * their own writes do not wait for their fsync. Every other thread (the front end's, answering clients) reads and
 * watches only durable writes, as before.
 *
 * <p>Why that is safe: the log is written in revision order and a crash loses a suffix of it. An in-process component
 * that acted on a write it saw before its fsync wrote later revisions, so whatever a crash takes from what it saw,
 * it takes what it wrote after too; and the component's own memory (caches, queues, simulated containers) dies with
 * the process. What leaves the process (an answer, a watch event) still waits for durability.
 */
public final class InProcessReads {
    private static final ThreadLocal<Boolean> MARKED = new ThreadLocal<>();

    private InProcessReads() {
    }

    /** Marks the current thread as an in-process component's for the rest of its life (a cluster runtime's pool). */
    public static void markCurrentThread() {
        MARKED.set(Boolean.TRUE);
    }

    /** Whether the current thread reads ahead of durability. */
    public static boolean onCurrentThread() {
        return MARKED.get() != null;
    }
}
