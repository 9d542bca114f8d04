package kubefake.client.scheduling;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static kubefake.client.scheduling.TreesForTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Taints against tolerations, with the cases of core/v1's toleration_test.go and the helpers' tests. */
class TolerationsTest {
    private static final Taint CONTROL_PLANE = Taint.of(Taint.CONTROL_PLANE, Taint.NO_SCHEDULE);
    private static final Taint DEDICATED = new Taint("dedicated", "gpu", Taint.NO_SCHEDULE, null);

    private static Toleration tol(String json) {
        return Toleration.fromJson(json(json));
    }

    @Test
    void equalComparesValuesAndAnEmptyOperatorMeansEqual() {
        assertTrue(tol("{'key': 'dedicated', 'operator': 'Equal', 'value': 'gpu', 'effect': 'NoSchedule'}").toleratesTaint(DEDICATED));
        assertTrue(tol("{'key': 'dedicated', 'value': 'gpu'}").toleratesTaint(DEDICATED), "no effect: every effect");
        assertFalse(tol("{'key': 'dedicated', 'value': 'cpu'}").toleratesTaint(DEDICATED));
        assertFalse(tol("{'key': 'dedicated', 'operator': 'Equal'}").toleratesTaint(DEDICATED), "empty value is a value");
        assertTrue(tol("{'key': 'node-role.kubernetes.io/control-plane', 'operator': 'Equal', 'effect': 'NoSchedule'}")
                .toleratesTaint(CONTROL_PLANE), "empty values are equal");
    }

    @Test
    void existsIgnoresTheValueAndAnEmptyKeyWithExistsToleratesEverything() {
        assertTrue(tol("{'key': 'dedicated', 'operator': 'Exists'}").toleratesTaint(DEDICATED));
        assertTrue(tol("{'operator': 'Exists'}").toleratesTaint(DEDICATED), "kube-proxy's toleration");
        assertTrue(tol("{'operator': 'Exists'}").toleratesTaint(Taint.of(Taint.UNREACHABLE, Taint.NO_EXECUTE)));
        assertFalse(tol("{'key': 'dedicated', 'operator': 'Exists', 'effect': 'NoExecute'}").toleratesTaint(DEDICATED), "effect differs");
        assertFalse(tol("{'key': 'other', 'operator': 'Exists'}").toleratesTaint(DEDICATED), "key differs");
        assertFalse(tol("{'key': 'dedicated', 'operator': 'Gt', 'value': '1'}").toleratesTaint(DEDICATED), "unknown operator");
    }

    @Test
    void theFirstUntoleratedTaintThatPassesTheFilterIsTheOneReported() {
        List<Taint> taints = List.of(Taint.of("soft", Taint.PREFER_NO_SCHEDULE), CONTROL_PLANE, DEDICATED);
        List<Toleration> none = List.of();
        assertEquals(Optional.of(CONTROL_PLANE), Tolerations.findUntolerated(taints, none, Tolerations.DO_NOT_SCHEDULE));
        List<Toleration> controlPlane = List.of(tol("{'key': 'node-role.kubernetes.io/control-plane', 'operator': 'Exists', 'effect': 'NoSchedule'}"));
        assertEquals(Optional.of(DEDICATED), Tolerations.findUntolerated(taints, controlPlane, Tolerations.DO_NOT_SCHEDULE));
        assertEquals(Optional.empty(), Tolerations.findUntolerated(taints, controlPlane, Tolerations.NO_EXECUTE));
        assertTrue(Tolerations.tolerate(controlPlane, CONTROL_PLANE));
    }

    @Test
    void matchingTolerationsGiveTheShortestTolerationTime() {
        Taint unreachable = Taint.of(Taint.UNREACHABLE, Taint.NO_EXECUTE);
        Taint notReady = Taint.of(Taint.NOT_READY, Taint.NO_EXECUTE);
        List<Toleration> defaults = List.of(
                tol("{'key': 'node.kubernetes.io/not-ready', 'operator': 'Exists', 'effect': 'NoExecute', 'tolerationSeconds': 300}"),
                tol("{'key': 'node.kubernetes.io/unreachable', 'operator': 'Exists', 'effect': 'NoExecute', 'tolerationSeconds': 120}"));
        Tolerations.Matching m = Tolerations.matching(List.of(unreachable, notReady), defaults);
        assertTrue(m.allTolerated());
        assertEquals(120L, m.minTolerationSeconds());
        assertFalse(Tolerations.matching(List.of(Taint.of("other", Taint.NO_EXECUTE)), defaults).allTolerated());
        assertNull(Tolerations.matching(List.of(unreachable), List.of(Toleration.exists(Taint.UNREACHABLE, Taint.NO_EXECUTE)))
                .minTolerationSeconds(), "forever");
        assertEquals(0L, Tolerations.matching(List.of(unreachable), List.of(tol("{'operator': 'Exists', 'tolerationSeconds': -5}")))
                .minTolerationSeconds(), "a negative time means at once");
    }

    @Test
    void addOrUpdateReplacesTheSameTolerationAndAppendsNewOnes() {
        Toleration kubeProxy = tol("{'operator': 'Exists'}");
        Toleration notReady = Toleration.exists(Taint.NOT_READY, Taint.NO_EXECUTE);
        List<Toleration> withDefault = List.of(kubeProxy,
                tol("{'key': 'node.kubernetes.io/not-ready', 'operator': 'Exists', 'effect': 'NoExecute', 'tolerationSeconds': 300}"));
        assertEquals(List.of(kubeProxy, notReady), Tolerations.addOrUpdate(withDefault, notReady), "seconds dropped");
        List<Toleration> added = Tolerations.addOrUpdate(List.of(kubeProxy), notReady);
        assertEquals(List.of(kubeProxy, notReady), added);
        assertSame(added, Tolerations.addOrUpdate(added, notReady), "already there: unchanged");
    }

    @Test
    void taintsAndTolerationsWriteTheApisFieldOrderWithoutEmptyFields() {
        assertEquals(json("{'key': 'node.kubernetes.io/unreachable', 'effect': 'NoExecute', 'timeAdded': '2026-01-01T00:00:00Z'}"),
                Taint.of(Taint.UNREACHABLE, Taint.NO_EXECUTE).withTimeAdded("2026-01-01T00:00:00Z").toJson());
        assertEquals("[\"key\",\"operator\",\"effect\",\"tolerationSeconds\"]", fieldNames(
                new Toleration(Taint.NOT_READY, "Exists", "", "NoExecute", 300L).toJson()));
        assertEquals("dedicated=gpu:NoSchedule", DEDICATED.toString());
        assertEquals("node-role.kubernetes.io/control-plane:NoSchedule", CONTROL_PLANE.toString());
        assertEquals(List.of(CONTROL_PLANE), Taint.ofNode(json("{'spec': {'taints': [{'key': 'node-role.kubernetes.io/control-plane', 'effect': 'NoSchedule'}]}}")));
    }

    private static String fieldNames(com.fasterxml.jackson.databind.JsonNode o) {
        List<String> names = new java.util.ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names.stream().map(n -> "\"" + n + "\"").toList().toString().replace(" ", "");
    }
}
