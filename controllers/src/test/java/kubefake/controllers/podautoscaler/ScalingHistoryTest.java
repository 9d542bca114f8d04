package kubefake.controllers.podautoscaler;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a metric's proposal becomes the count to scale to: stabilization windows, the default rate limit, behaviors. */
class ScalingHistoryTest {
    private static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");

    private static JsonNode json(String singleQuoted) throws Exception {
        return Json.MAPPER.readTree(singleQuoted.replace('\'', '"'));
    }

    @Test
    void withoutABehaviorTheHighestRecommendationOfFiveMinutesHolds() {
        ScalingHistory h = new ScalingHistory();
        h.initialize("ns/web", 3, T0);
        ScalingHistory.Decision d = h.normalize("ns/web", 3, 1, 1, 5, T0.plusSeconds(15));
        assertEquals(3, d.replicas());
        assertEquals("ScaleDownStabilized", d.stabilizedReason());
        assertFalse(d.limited());
        assertEquals("DesiredWithinRange", d.limitReason());
        assertEquals(3, h.normalize("ns/web", 3, 1, 1, 5, T0.plusSeconds(299)).replicas());
        // the 3 recorded at T0 is now older than the window; the 1s since are all that count
        ScalingHistory.Decision later = h.normalize("ns/web", 3, 1, 1, 5, T0.plusSeconds(301));
        assertEquals(1, later.replicas());
        assertEquals("ReadyForNewScale", later.stabilizedReason());
    }

    @Test
    void withoutABehaviorScaleUpIsAtMostDoubleOrFour() {
        ScalingHistory h = new ScalingHistory();
        h.initialize("ns/web", 3, T0);
        ScalingHistory.Decision d = h.normalize("ns/web", 3, 20, 1, 10, T0.plusSeconds(15));
        assertEquals(6, d.replicas());
        assertTrue(d.limited());
        assertEquals("ScaleUpLimit", d.limitReason());
        assertEquals("the desired replica count is increasing faster than the maximum scale rate", d.limitMessage());
        ScalingHistory.Decision capped = h.normalize("ns/web", 1, 20, 1, 3, T0.plusSeconds(30));
        assertEquals(3, capped.replicas());
        assertEquals("TooManyReplicas", capped.limitReason());
        ScalingHistory.Decision floor = new ScalingHistory().normalize("ns/x", 2, 0, 2, 3, T0);
        assertEquals(2, floor.replicas());
        assertEquals("TooFewReplicas", floor.limitReason());
    }

    @Test
    void aBehaviorsPodsPolicyLimitsEachPeriod() throws Exception {
        JsonNode behavior = json("""
                {'scaleUp':{'stabilizationWindowSeconds':0,'selectPolicy':'Max','policies':[{'type':'Pods','value':1,'periodSeconds':60}]},
                 'scaleDown':{'selectPolicy':'Max','policies':[{'type':'Percent','value':100,'periodSeconds':15}]}}""");
        ScalingHistory h = new ScalingHistory();
        h.initialize("ns/web", 1, T0);
        ScalingHistory.Decision first = h.normalize("ns/web", behavior, 1, 5, 1, 10, T0.plusSeconds(15));
        assertEquals(2, first.replicas());
        assertEquals("ScaleUpLimit", first.limitReason());
        h.recordScale("ns/web", behavior, 1, 2, T0.plusSeconds(15));
        // within the same 60 s the one pod added is the whole allowance
        assertEquals(2, h.normalize("ns/web", behavior, 2, 5, 1, 10, T0.plusSeconds(30)).replicas());
        assertEquals(3, h.normalize("ns/web", behavior, 2, 5, 1, 10, T0.plusSeconds(76)).replicas());
    }

    @Test
    void aBehaviorsScaleDownWindowDefaultsToFiveMinutesAndDisabledHolds() throws Exception {
        JsonNode behavior = json("""
                {'scaleUp':{'stabilizationWindowSeconds':0,'selectPolicy':'Max','policies':[{'type':'Pods','value':4,'periodSeconds':15}]},
                 'scaleDown':{'selectPolicy':'Max','policies':[{'type':'Percent','value':100,'periodSeconds':15}]}}""");
        ScalingHistory h = new ScalingHistory();
        h.initialize("ns/web", 4, T0);
        ScalingHistory.Decision d = h.normalize("ns/web", behavior, 4, 1, 1, 10, T0.plusSeconds(15));
        assertEquals(4, d.replicas());
        assertEquals("ScaleDownStabilized", d.stabilizedReason());
        assertEquals(1, h.normalize("ns/web", behavior, 4, 1, 1, 10, T0.plusSeconds(301)).replicas());
        JsonNode disabled = json("""
                {'scaleUp':{'stabilizationWindowSeconds':0,'selectPolicy':'Disabled','policies':[{'type':'Pods','value':4,'periodSeconds':15}]},
                 'scaleDown':{'stabilizationWindowSeconds':0,'selectPolicy':'Max','policies':[{'type':'Percent','value':100,'periodSeconds':15}]}}""");
        ScalingHistory.Decision held = new ScalingHistory().normalize("ns/x", disabled, 2, 6, 1, 10, T0);
        assertEquals(2, held.replicas());
        assertEquals("ScaleUpLimit", held.limitReason());
    }
}
