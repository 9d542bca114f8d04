package kubefake.client;

import kubefake.store.registry.errors.StatusException;

import java.util.function.Supplier;

/**
 * client-go's {@code retry.RetryOnConflict}: runs an update that reads the object fresh each time, again while the
 * registry answers 409 Conflict (someone wrote in between). In process there is no network to wait for, so the
 * attempts follow each other at once.
 */
public final class Conflicts {
    /** client-go's DefaultRetry makes 5 attempts. */
    public static final int ATTEMPTS = 5;

    private Conflicts() {
    }

    public static <T> T retryOnConflict(Supplier<T> update) {
        for (int attempt = 1; ; attempt++) {
            try {
                return update.get();
            } catch (StatusException e) {
                if (!isConflict(e) || attempt >= ATTEMPTS) throw e;
            }
        }
    }

    /** A 409 Conflict (not an AlreadyExists, which shares its code). */
    public static boolean isConflict(RuntimeException e) {
        return e instanceof StatusException s && s.code() == 409 && "Conflict".equals(s.reason());
    }
}
