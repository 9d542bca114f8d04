package kubefake.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real kubectl binaries the tests drive, found as {@link KubectlLookup} describes (from {@code KUBEFAKE_KUBECTL},
 * then the PATH). A test asks for each version it runs with {@link #require}: when that version is not installed the
 * test is reported skipped with where it was looked for, and {@link KubectlReport} prints which versions ran and which
 * were skipped at the end of the run. With {@code KUBEFAKE_KUBECTL_REQUIRED} set (as CI sets it), a missing version
 * fails the test instead.
 */
public final class KubectlBinaries {

    /** Paths of kubectl binaries to use first, separated by {@code :} or {@code ,}. */
    public static final String LIST_ENVIRONMENT = "KUBEFAKE_KUBECTL";
    /** When set to anything, a missing kubectl fails the tests that need it instead of skipping them. */
    public static final String REQUIRED_ENVIRONMENT = "KUBEFAKE_KUBECTL_REQUIRED";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MINOR = Pattern.compile("^v?(\\d+)\\.(\\d+)\\.\\d+");

    private static final KubectlLookup LOOKUP = new KubectlLookup(System.getenv(LIST_ENVIRONMENT), System.getenv("PATH"),
            KubectlBinaries::reportedVersion);
    /** What each version asked for in this JVM came to: a binary, or why it is missing. */
    private static final Map<String, Outcome> OUTCOMES = new TreeMap<>(KubectlBinaries::byVersion);

    /** A requested version: the binary that ran, or the reason the tests that wanted it were skipped. */
    record Outcome(Optional<KubectlLookup.Found> found, String missing) {
    }

    private KubectlBinaries() {
    }

    /**
     * The kubectl of that minor version ("1.29"). When it is not installed the calling test is aborted (reported as
     * skipped, with a message naming the version and where it was looked for), or fails if
     * {@code KUBEFAKE_KUBECTL_REQUIRED} is set.
     */
    public static Path require(String version) {
        return requireAll(version).get(0);
    }

    /** The kubectl of each version, as {@link #require}; a test that lacks several is skipped naming them all. */
    public static List<Path> requireAll(String... versions) {
        List<Path> binaries = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String version : versions) {
            Outcome outcome = outcome(version);
            outcome.found().ifPresentOrElse(found -> binaries.add(found.binary()), () -> missing.add(outcome.missing()));
        }
        if (missing.isEmpty()) {
            return binaries;
        }
        String message = String.join("; and ", missing);
        return Prerequisite.missing(message, REQUIRED_ENVIRONMENT);
    }

    private static Outcome outcome(String version) {
        synchronized (OUTCOMES) {
            return OUTCOMES.computeIfAbsent(version, v -> {
                Optional<KubectlLookup.Found> found = LOOKUP.find(v);
                return new Outcome(found, found.isPresent() ? null : missingMessage(v, LOOKUP.whereLooked(v)));
            });
        }
    }

    static String missingMessage(String version, String whereLooked) {
        return "kubectl " + version + " not found; looked in " + whereLooked;
    }

    /** The versions requested so far, in version order. */
    static Map<String, Outcome> outcomes() {
        synchronized (OUTCOMES) {
            return new TreeMap<>(OUTCOMES);
        }
    }

    static boolean isRequired() {
        return Prerequisite.isRequired(REQUIRED_ENVIRONMENT);
    }

    /** "1.27" before "1.100". */
    static int byVersion(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].matches("\\d+") && y[i].matches("\\d+")
                    ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i])) : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    /**
     * The minor version {@code kubectl version --client -o json} reports; empty when it fails or is the gcloud SDK's
     * dispatcher (which runs whichever kubectl.1.NN matches the server it talks to).
     */
    static Optional<String> reportedVersion(Path binary) {
        Path out = null;
        try {
            out = Files.createTempFile("kubectl-version", ".json");
            Process process = new ProcessBuilder(binary.toString(), "version", "--client", "-o", "json")
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 ? minorOf(JSON.readTree(out.toFile())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }

    /** "1.33" from {@code {"clientVersion":{"gitVersion":"v1.33.1",...}}}. */
    static Optional<String> minorOf(JsonNode versionJson) {
        String gitVersion = versionJson.path("clientVersion").path("gitVersion").asText();
        Matcher m = MINOR.matcher(gitVersion);
        if (gitVersion.contains("dispatcher") || !m.find()) {
            return Optional.empty();
        }
        return Optional.of(m.group(1) + "." + m.group(2));
    }
}
