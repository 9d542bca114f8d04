package kubefake.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A Python interpreter that has the official Kubernetes client (Debian's {@code python3-kubernetes}), for tests that
 * drive kubefake with it. Looked for in {@code KUBEFAKE_PYTHON}, then Debian's {@code /usr/bin/python3} (the package
 * installs there, beside whatever python3 a version manager puts first on the PATH), then each {@code python3} on the
 * PATH. When none has the client the test is reported skipped saying where it looked, or fails when
 * {@code KUBEFAKE_PYTHON_CLIENT_REQUIRED} is set (as CI sets it).
 */
public final class PythonClient {

    /** The interpreter to use first. */
    public static final String PYTHON_ENVIRONMENT = "KUBEFAKE_PYTHON";
    /** When set to anything, a missing Python client fails the tests that need it instead of skipping them. */
    public static final String REQUIRED_ENVIRONMENT = "KUBEFAKE_PYTHON_CLIENT_REQUIRED";

    private static Optional<Found> found;
    private static String whereLooked;

    /** An interpreter and the client version it imports. */
    public record Found(Path python, String clientVersion) {
    }

    private PythonClient() {
    }

    /** The interpreter with the client; aborts (skips) or fails the calling test when there is none. */
    public static synchronized Found require() {
        if (found == null) {
            List<Path> candidates = candidates(System.getenv(PYTHON_ENVIRONMENT), System.getenv("PATH"));
            whereLooked = candidates.isEmpty() ? "nowhere (no python3 on the PATH)" : candidates.toString();
            found = candidates.stream().flatMap(p -> clientVersion(p).map(v -> new Found(p, v)).stream()).findFirst();
        }
        if (found.isPresent()) {
            return found.get();
        }
        String message = "the official Python Kubernetes client (python3-kubernetes) not found; tried " + whereLooked;
        return Prerequisite.missing(message, REQUIRED_ENVIRONMENT);
    }

    /** Interpreters to try, in order, each once. */
    static List<Path> candidates(String fromEnvironment, String pathVariable) {
        Set<Path> ordered = new LinkedHashSet<>();
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            ordered.add(Path.of(fromEnvironment));
        }
        ordered.add(Path.of("/usr/bin/python3"));
        if (pathVariable != null) {
            for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    ordered.add(Path.of(dir, "python3"));
                }
            }
        }
        List<Path> existing = new ArrayList<>();
        for (Path p : ordered) {
            if (Files.isExecutable(p)) {
                existing.add(p);
            }
        }
        return existing;
    }

    /** The version {@code import kubernetes} reports with that interpreter, if it has the client. */
    private static Optional<String> clientVersion(Path python) {
        try {
            Process process = new ProcessBuilder(python.toString(), "-c", "import kubernetes; print(kubernetes.__version__)")
                    .redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.exitValue() == 0 && !out.isEmpty() ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
