package kubefake.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints one line at the end of a test run that asked for kubectl binaries: which versions ran (and from where) and
 * which were skipped, in how many tests, and why. Registered for every module that depends on the testkit through
 * {@code META-INF/services}.
 */
public final class KubectlReport implements TestExecutionListener {

    private static final Pattern MISSING = Pattern.compile("kubectl (\\S+) not found");

    private final Map<String, Integer> testsWithout = new TreeMap<>(KubectlBinaries::byVersion);

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (test.isTest() && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            result.getThrowable().map(Throwable::getMessage).map(KubectlReport::versionsMissingIn).orElse(List.of())
                    .forEach(version -> testsWithout.merge(version, 1, Integer::sum));
        }
    }

    /** The versions a skipped or failed test's message says are missing ({@link KubectlBinaries#requireAll}). */
    static List<String> versionsMissingIn(String message) {
        return message == null ? List.of() : MISSING.matcher(message).results().map(r -> r.group(1)).distinct().toList();
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        Map<String, KubectlBinaries.Outcome> outcomes = KubectlBinaries.outcomes();
        if (!outcomes.isEmpty()) {
            System.out.println(line(outcomes, testsWithout));
        }
    }

    /**
     * "kubectl versions: ran 1.27, 1.33 (/sdk/bin/kubectl.1.NN); skipped 1.29 (12 tests), 1.31 (3 tests) [kubectl
     * 1.NN not found; looked in ...]": versions found the same way, or missing for the same reason, share one entry.
     */
    static String line(Map<String, KubectlBinaries.Outcome> outcomes, Map<String, Integer> testsWithout) {
        Map<String, List<String>> ran = new LinkedHashMap<>();
        Map<String, List<String>> skipped = new LinkedHashMap<>();
        outcomes.forEach((version, outcome) -> {
            if (outcome.found().isPresent()) {
                ran.computeIfAbsent(anyVersion(outcome.found().get().binary().toString(), version), k -> new ArrayList<>())
                        .add(version);
            } else {
                skipped.computeIfAbsent(anyVersion(outcome.missing(), version), k -> new ArrayList<>()).add(version);
            }
        });
        List<String> ranEntries = new ArrayList<>();
        ran.forEach((binary, versions) -> ranEntries.add(String.join(", ", versions) + " (" + of(binary, versions) + ")"));
        List<String> skippedEntries = new ArrayList<>();
        skipped.forEach((reason, versions) -> skippedEntries.add(String.join(", ", versions.stream().map(v -> {
            int tests = testsWithout.getOrDefault(v, 0);
            return v + " (" + tests + (tests == 1 ? " test)" : " tests)");
        }).toList()) + " [" + of(reason, versions) + "]"));
        return "kubectl versions: ran " + (ranEntries.isEmpty() ? "none" : String.join("; ", ranEntries))
                + (skippedEntries.isEmpty() ? "; none missing"
                        : "; " + (KubectlBinaries.isRequired() ? "failed" : "skipped") + " " + String.join("; ", skippedEntries));
    }

    /** A text shared by these versions: with 1.NN for several, with the version itself for one. */
    private static String of(String text, List<String> versions) {
        return versions.size() == 1 ? text.replace("1.NN", versions.get(0)) : text;
    }

    /** The text with that version written as 1.NN, so that texts differing only in it are one. */
    private static String anyVersion(String text, String version) {
        return text.replaceAll("(?<!\\d)" + Pattern.quote(version) + "(?!\\d)", "1.NN");
    }
}
