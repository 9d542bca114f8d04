package kubefake.store.registry.request;

/**
 * Whether the thread serving a request may wait for another part of the cluster (a controller's object to appear).
 * A front end that serves writes on its event loops, where a wait would hold up every other connection of the loop,
 * forbids it around the handler; code that would wait calls {@link #check()} first, before it has written anything,
 * and the front end serves the request again from the start on a thread that may wait.
 */
public final class Waiting {
    private static final ThreadLocal<Boolean> FORBIDDEN = new ThreadLocal<>();

    private Waiting() {
    }

    /** Marks the current thread as one that must not wait, until {@link #permit()}. */
    public static void forbid() {
        FORBIDDEN.set(Boolean.TRUE);
    }

    public static void permit() {
        FORBIDDEN.remove();
    }

    /** @throws Required when the current thread must not wait */
    public static void check() {
        if (FORBIDDEN.get() != null) throw Required.INSTANCE;
    }

    /** The request has to wait and must be served again where it may; nothing was written. */
    public static final class Required extends RuntimeException {
        private static final Required INSTANCE = new Required();

        private Required() {
            super("the request must wait and is served where it may", null, false, false);
        }
    }
}
