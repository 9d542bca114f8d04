package kubefake.store.mvcc;

import java.util.function.Consumer;

/**
 * Writes made by a thread that must not wait for their fsync (a front end's event loop, which serves other
 * connections meanwhile). Between {@link #begin()} and {@link Deferral#end()} the store's writes on the current thread
 * return as soon as they are linked in, before the commit log made them durable and before anyone else can read or
 * watch them; the thread's own reads see them (a request that writes and then reads finds its write); and the caller
 * acknowledges them only once {@link #whenDurable} says so. One thread hop less each way than a thread per waiting
 * write, and no thread at all while the fsync runs.
 *
 * <p>A store offers it from {@link KeyValueStore#deferredDurability()} when its writes wait for a commit log.
 */
public final class DeferredDurability {
    private static final ThreadLocal<Deferral> CURRENT = new ThreadLocal<>();

    private final Durable durable;
    /** The newest revision linked in and ordered in the log, durable or not. */
    private final java.util.function.LongSupplier ordered;
    /** The newest revision durable and readable by everyone. */
    private final java.util.function.LongSupplier published;

    /** How the store learns that a revision is durable (and published): see {@link #whenDurable}. */
    @FunctionalInterface
    interface Durable {
        void whenDurable(long revision, Consumer<RuntimeException> then);
    }

    DeferredDurability(Durable durable, java.util.function.LongSupplier ordered, java.util.function.LongSupplier published) {
        this.durable = durable;
        this.ordered = ordered;
        this.published = published;
    }

    /** Starts deferring the current thread's writes, until {@link Deferral#end()}. */
    public static Deferral begin() {
        Deferral deferral = new Deferral();
        CURRENT.set(deferral);
        return deferral;
    }

    /**
     * Calls {@code then} once every write up to {@code revision} is durable and readable by everyone (with null), or
     * with the failure that means it never will be. Runs it on the commit log's thread, or on the caller's at once when
     * the revision is durable already: {@code then} must be short and must not wait.
     */
    public void whenDurable(long revision, Consumer<RuntimeException> then) {
        durable.whenDurable(revision, then);
    }

    /**
     * The revision an answer that wrote nothing waits for: the newest one ordered in the log. Such an answer (a refusal,
     * a review) may rest on what in-process components wrote and the front end cannot read yet (an admission plugin's
     * informer, a conflicting write), which must not reach a client before it is durable.
     */
    public long orderedRevision() {
        return ordered.getAsLong();
    }

    /** Whether every write up to {@code revision} is durable and readable by everyone already. */
    public boolean isDurable(long revision) {
        return published.getAsLong() >= revision;
    }

    /** Store only: records a write of the current thread whose durability its caller waits for later, if it defers. */
    static boolean deferred(long revision) {
        Deferral d = CURRENT.get();
        if (d == null) return false;
        if (revision > d.revision) d.revision = revision;
        return true;
    }

    /** Store only: the newest revision the current thread wrote without waiting (0 when none): its reads include it. */
    static long ownRevision() {
        Deferral d = CURRENT.get();
        return d == null ? 0 : d.revision;
    }

    /** One thread's deferral. */
    public static final class Deferral {
        private long revision;

        private Deferral() {
        }

        /** Stops deferring; returns the newest revision written meanwhile, to wait for (0 when nothing was written). */
        public long end() {
            CURRENT.remove();
            return revision;
        }
    }
}
