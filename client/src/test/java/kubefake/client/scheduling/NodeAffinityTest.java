package kubefake.client.scheduling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static kubefake.client.scheduling.TreesForTests.node;
import static kubefake.client.scheduling.TreesForTests.podSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** nodeSelector and required node affinity, with the cases of component-helpers' nodeaffinity_test.go. */
class NodeAffinityTest {
    private static final ObjectNode W1 = node("w1-k8s", "{'kubernetes.io/hostname': 'w1-k8s', 'disk': 'ssd', 'gen': '5'}");
    private static final ObjectNode M = node("m-k8s", "{'kubernetes.io/hostname': 'm-k8s', 'node-role.kubernetes.io/control-plane': ''}");

    private static RequiredNodeAffinity affinity(String terms) {
        return RequiredNodeAffinity.ofPod(podSpec(
                "{'affinity': {'nodeAffinity': {'requiredDuringSchedulingIgnoredDuringExecution': {'nodeSelectorTerms': " + terms + "}}}}"));
    }

    @Test
    void aPodWithoutSelectorOrAffinityFitsEveryNode() {
        RequiredNodeAffinity none = RequiredNodeAffinity.ofPod(podSpec("{}"));
        assertTrue(none.isEmpty());
        assertTrue(none.matches(W1) && none.matches(M));
    }

    @Test
    void nodeSelectorNeedsEveryLabelEqual() {
        RequiredNodeAffinity ssd = RequiredNodeAffinity.ofPod(podSpec("{'nodeSelector': {'disk': 'ssd'}}"));
        assertTrue(ssd.matches(W1));
        assertFalse(ssd.matches(M));
        assertFalse(RequiredNodeAffinity.ofPod(podSpec("{'nodeSelector': {'disk': 'ssd', 'gen': '4'}}")).matches(W1));
        assertTrue(RequiredNodeAffinity.ofPod(podSpec("{'nodeSelector': {'node-role.kubernetes.io/control-plane': ''}}")).matches(M));
    }

    @Test
    void everyOperatorOnLabels() {
        assertTrue(affinity("[{'matchExpressions': [{'key': 'disk', 'operator': 'In', 'values': ['hdd', 'ssd']}]}]").matches(W1));
        assertFalse(affinity("[{'matchExpressions': [{'key': 'disk', 'operator': 'NotIn', 'values': ['ssd']}]}]").matches(W1));
        assertTrue(affinity("[{'matchExpressions': [{'key': 'disk', 'operator': 'NotIn', 'values': ['ssd']}]}]").matches(M), "NotIn matches a node without the label");
        assertTrue(affinity("[{'matchExpressions': [{'key': 'node-role.kubernetes.io/control-plane', 'operator': 'Exists'}]}]").matches(M));
        assertFalse(affinity("[{'matchExpressions': [{'key': 'node-role.kubernetes.io/control-plane', 'operator': 'Exists'}]}]").matches(W1));
        assertTrue(affinity("[{'matchExpressions': [{'key': 'node-role.kubernetes.io/control-plane', 'operator': 'DoesNotExist'}]}]").matches(W1));
        assertTrue(affinity("[{'matchExpressions': [{'key': 'gen', 'operator': 'Gt', 'values': ['4']}]}]").matches(W1));
        assertFalse(affinity("[{'matchExpressions': [{'key': 'gen', 'operator': 'Gt', 'values': ['5']}]}]").matches(W1));
        assertTrue(affinity("[{'matchExpressions': [{'key': 'gen', 'operator': 'Lt', 'values': ['6']}]}]").matches(W1));
        assertFalse(affinity("[{'matchExpressions': [{'key': 'disk', 'operator': 'Lt', 'values': ['6']}]}]").matches(W1), "not a number");
        assertFalse(affinity("[{'matchExpressions': [{'key': 'gen', 'operator': 'Lt', 'values': ['6']}]}]").matches(M), "no label");
    }

    @Test
    void termsAreOredRequirementsAnded() {
        assertTrue(affinity("[{'matchExpressions': [{'key': 'disk', 'operator': 'In', 'values': ['hdd']}]},"
                + " {'matchExpressions': [{'key': 'gen', 'operator': 'In', 'values': ['5']}]}]").matches(W1));
        assertFalse(affinity("[{'matchExpressions': [{'key': 'disk', 'operator': 'In', 'values': ['ssd']},"
                + " {'key': 'gen', 'operator': 'In', 'values': ['4']}]}]").matches(W1));
    }

    @Test
    void matchFieldsTestTheNodeNameAsTheDaemonSetControllerWritesIt() {
        RequiredNodeAffinity w1 = affinity("[{'matchFields': [{'key': 'metadata.name', 'operator': 'In', 'values': ['w1-k8s']}]}]");
        assertTrue(w1.matches(W1));
        assertFalse(w1.matches(M));
        assertTrue(affinity("[{'matchFields': [{'key': 'metadata.name', 'operator': 'NotIn', 'values': ['w1-k8s']}]}]").matches(M));
        assertFalse(affinity("[{'matchFields': [{'key': 'metadata.name', 'operator': 'In', 'values': ['w1-k8s', 'm-k8s']}]}]").matches(W1),
                "a field requirement takes exactly one value");
        assertTrue(affinity("[{'matchFields': [{'key': 'metadata.name', 'operator': 'In', 'values': ['w1-k8s']}],"
                + " 'matchExpressions': [{'key': 'disk', 'operator': 'Exists'}]}]").matches(W1));
        assertFalse(affinity("[{'matchFields': [{'key': 'metadata.name', 'operator': 'In', 'values': ['w1-k8s']}],"
                + " 'matchExpressions': [{'key': 'disk', 'operator': 'DoesNotExist'}]}]").matches(W1));
    }

    @Test
    void emptyAndMalformedTermsMatchNothingButTheOthersStillCount() {
        assertFalse(affinity("[{}]").matches(W1), "an empty term selects no node");
        assertFalse(affinity("[]").matches(W1), "no term at all: nothing");
        assertFalse(affinity("[{'matchExpressions': [{'key': 'disk', 'operator': 'Near', 'values': ['ssd']}]}]").matches(W1));
        assertTrue(affinity("[{'matchExpressions': [{'key': 'disk', 'operator': 'In'}]},"
                + " {'matchExpressions': [{'key': 'disk', 'operator': 'Exists'}]}]").matches(W1));
    }

    @Test
    void nodeSelectorAndAffinityAreBothRequired() {
        RequiredNodeAffinity both = RequiredNodeAffinity.ofPod(podSpec("{'nodeSelector': {'disk': 'ssd'}, 'affinity': {'nodeAffinity':"
                + " {'requiredDuringSchedulingIgnoredDuringExecution': {'nodeSelectorTerms': [{'matchExpressions':"
                + " [{'key': 'gen', 'operator': 'In', 'values': ['4']}]}]}}}}"));
        assertFalse(both.matches(W1));
    }

    @Test
    void preferredTermsScoreTheSumOfTheWeightsTheyMatch() {
        PreferredSchedulingTerms terms = PreferredSchedulingTerms.ofPod(podSpec("{'affinity': {'nodeAffinity': {'preferredDuringSchedulingIgnoredDuringExecution': ["
                + "{'weight': 10, 'preference': {'matchExpressions': [{'key': 'disk', 'operator': 'In', 'values': ['ssd']}]}},"
                + "{'weight': 5, 'preference': {'matchExpressions': [{'key': 'gen', 'operator': 'Exists'}]}},"
                + "{'weight': 7, 'preference': {}}]}}}"));
        assertEquals(15, terms.score(Labels.of(W1), "w1-k8s"));
        assertEquals(0, terms.score(Labels.of(M), "m-k8s"));
        assertTrue(PreferredSchedulingTerms.ofPod(podSpec("{}")).isEmpty());
    }
}
