package kubefake.testkit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Something a test needs from the machine that the build cannot bring (a kubectl binary, the Python client, the
 * permission to create network namespaces). When it is missing the test is skipped with the reason, or fails where
 * an environment variable says the machine must have it: CI sets those, so there a missing prerequisite is an error,
 * never a silently skipped test.
 */
public final class Prerequisite {

    private Prerequisite() {
    }

    /** Whether {@code requiredEnvironment} (e.g. {@code KUBEFAKE_KUBECTL_REQUIRED}) is set to anything but blanks. */
    public static boolean isRequired(String requiredEnvironment) {
        String value = System.getenv(requiredEnvironment);
        return value != null && !value.isBlank();
    }

    /** Aborts the calling test (skipped, with {@code reason}), or fails it when {@code requiredEnvironment} is set. */
    public static <T> T missing(String reason, String requiredEnvironment) {
        return isRequired(requiredEnvironment)
                ? Assertions.fail(reason + " (and " + requiredEnvironment + " is set)")
                : Assumptions.abort(reason);
    }
}
