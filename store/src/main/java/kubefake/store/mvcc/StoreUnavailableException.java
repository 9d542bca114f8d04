package kubefake.store.mvcc;

/** A store on a server (etcd) could not answer: unreachable, or too slow. Nothing is known to have been written. */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
