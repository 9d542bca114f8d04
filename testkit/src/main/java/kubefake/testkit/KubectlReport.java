package kubefake.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
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
            result.getThrowable().map(Throwable::getMessage).map(MISSING::matcher).filter(Matcher::find)
                    .ifPresent(m -> testsWithout.merge(m.group(1), 1, Integer::sum));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        Map<String, KubectlBinaries.Outcome> outcomes = KubectlBinaries.outcomes();
        if (!outcomes.isEmpty()) {
            System.out.println(line(outcomes, testsWithout));
        }
    }

    static String line(Map<String, KubectlBinaries.Outcome> outcomes, Map<String, Integer> testsWithout) {
        List<String> ran = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        outcomes.forEach((version, outcome) -> {
            if (outcome.found().isPresent()) {
                ran.add(version + " (" + outcome.found().get().binary() + ")");
            } else {
                int tests = testsWithout.getOrDefault(version, 0);
                skipped.add(version + " in " + tests + (tests == 1 ? " test" : " tests") + " [" + outcome.missing() + "]");
            }
        });
        String verb = KubectlBinaries.isRequired() ? "failed" : "skipped";
        return "kubectl versions: ran " + (ran.isEmpty() ? "none" : String.join(", ", ran))
                + "; " + verb + " " + (skipped.isEmpty() ? "none" : String.join("; ", skipped));
    }
}
