package kubefake.store.durability;

import java.io.IOException;

/** A log or snapshot that cannot be trusted: the store refuses to start from it (or to restore it). */
public final class CorruptStoreException extends IOException {
    public CorruptStoreException(String message) {
        super(message);
    }
}
