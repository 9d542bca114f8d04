package kubefake.store.mvcc;

/** The store could not make a write durable (a disk error): the write was not acknowledged, the store is read-only. */
public final class DurabilityException extends RuntimeException {
    public DurabilityException(String message, Throwable cause) {
        super(message, cause);
    }
}
