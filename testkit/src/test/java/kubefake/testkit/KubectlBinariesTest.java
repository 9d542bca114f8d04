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
        outcomes.put("1.33", new KubectlBinaries.Outcome(
                Optional.of(new KubectlLookup.Found("1.33", Path.of("/sdk/kubectl.1.33"), "beside")), null));
        outcomes.put("1.27", new KubectlBinaries.Outcome(Optional.empty(),
                KubectlBinaries.missingMessage("1.27", "kubectl.1.27 on the PATH")));
        outcomes.put("1.29", new KubectlBinaries.Outcome(Optional.empty(),
                KubectlBinaries.missingMessage("1.29", "kubectl.1.29 on the PATH")));
        String verb = KubectlBinaries.isRequired() ? "failed" : "skipped";
        assertEquals("kubectl versions: ran 1.33 (/sdk/kubectl.1.33); " + verb
                        + " 1.27 in 12 tests [kubectl 1.27 not found; looked in kubectl.1.27 on the PATH];"
                        + " 1.29 in 1 test [kubectl 1.29 not found; looked in kubectl.1.29 on the PATH]",
                KubectlReport.line(outcomes, Map.of("1.27", 12, "1.29", 1)));
    }
}
