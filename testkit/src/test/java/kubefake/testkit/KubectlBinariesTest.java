package kubefake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KubectlBinariesTest {

    private static Optional<String> minorOf(String json) throws Exception {
        return KubectlBinaries.minorOf(new ObjectMapper().readTree(json));
    }

    @Test
    void theMinorVersionIsTakenFromTheGitVersion() throws Exception {
        assertEquals(Optional.of("1.33"), minorOf("{\"clientVersion\":{\"major\":\"1\",\"minor\":\"33\",\"gitVersion\":\"v1.33.1\"}}"));
        assertEquals(Optional.of("1.27"), minorOf("{\"clientVersion\":{\"gitVersion\":\"v1.27.16-gke.2400\"}}"));
        assertEquals(Optional.empty(), minorOf("{\"clientVersion\":{\"minor\":\"32+\",\"gitVersion\":\"v1.32.4-dispatcher\"}}"));
        assertEquals(Optional.empty(), minorOf("{}"));
    }

    @Test
    void versionsSortAsNumbers() {
        List<String> versions = new ArrayList<>(List.of("1.33", "1.100", "1.27", "1.9"));
        versions.sort(KubectlBinaries::byVersion);
        assertEquals(List.of("1.9", "1.27", "1.33", "1.100"), versions);
    }

    @Test
    void theReportSaysWhichVersionsRanAndWhichWereSkippedInHowManyTestsAndWhy() {
        Map<String, KubectlBinaries.Outcome> outcomes = new TreeMap<>(KubectlBinaries::byVersion);
        for (String found : List.of("1.31", "1.33")) {
            outcomes.put(found, new KubectlBinaries.Outcome(Optional.of(
                    new KubectlLookup.Found(found, Path.of("/sdk/bin/kubectl." + found), "beside")), null));
        }
        outcomes.put("1.32", new KubectlBinaries.Outcome(
                Optional.of(new KubectlLookup.Found("1.32", Path.of("/usr/bin/kubectl"), "plain")), null));
        for (String missing : List.of("1.27", "1.29")) {
            outcomes.put(missing, new KubectlBinaries.Outcome(Optional.empty(), KubectlBinaries.missingMessage(missing,
                    "KUBEFAKE_KUBECTL (not set), kubectl." + missing + " on the PATH")));
        }
        outcomes.put("1.30", new KubectlBinaries.Outcome(Optional.empty(), "kubectl 1.30 not found; for another reason"));
        String verb = KubectlBinaries.isRequired() ? "failed" : "skipped";
        assertEquals("kubectl versions: ran 1.31, 1.33 (/sdk/bin/kubectl.1.NN); 1.32 (/usr/bin/kubectl); " + verb
                        + " 1.27 (12 tests), 1.29 (1 test) [kubectl 1.NN not found; looked in KUBEFAKE_KUBECTL (not set),"
                        + " kubectl.1.NN on the PATH]; 1.30 (0 tests) [kubectl 1.30 not found; for another reason]",
                KubectlReport.line(outcomes, Map.of("1.27", 12, "1.29", 1)));
    }

    @Test
    void aVersionAloneIsNamedAsItIs() {
        Map<String, KubectlBinaries.Outcome> outcomes = Map.of("1.33", new KubectlBinaries.Outcome(
                Optional.of(new KubectlLookup.Found("1.33", Path.of("/sdk/bin/kubectl.1.33"), "beside")), null));
        assertEquals("kubectl versions: ran 1.33 (/sdk/bin/kubectl.1.33); none missing", KubectlReport.line(outcomes, Map.of()));
    }

    @Test
    void aSkipCountsForEachVersionItsMessageNames() {
        assertEquals(List.of("1.31", "1.32"), KubectlReport.versionsMissingIn(
                "Assumption failed: kubectl 1.31 not found; looked in x; and kubectl 1.32 not found; looked in y"));
        assertEquals(List.of(), KubectlReport.versionsMissingIn("expected: <1> but was: <2>"));
    }
}
