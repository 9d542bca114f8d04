package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HorizontalPodAutoscalers served as autoscaling/v2 and v1 from one stored v2 object: defaults, conversion, validation. */
class HorizontalPodAutoscalerTest {
    private ResourceStore v2;
    private ResourceStore v1;

    @BeforeEach
    void setUp() throws Exception {
        Registry registry = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());
        registry.resource("", "namespaces").create("", json("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'lab'}}"),
                RequestContext.LOOPBACK);
        v2 = registry.resource("autoscaling", "v2", "horizontalpodautoscalers").orElseThrow();
        v1 = registry.resource("autoscaling", "v1", "horizontalpodautoscalers").orElseThrow();
    }

    private static ObjectNode json(String singleQuoted) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(singleQuoted.replace('\'', '"'));
    }

    @Test
    void aV1ObjectIsStoredAsV2WithItsCpuTargetAsAMetric() throws Exception {
        v1.create("lab", json("""
                {'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'name':'web'},
                 'spec':{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment','name':'web'},'maxReplicas':5,
                   'targetCPUUtilizationPercentage':50}}"""), RequestContext.LOOPBACK);
        JsonNode asV2 = v2.get("lab", "web").toNode();
        assertEquals(json("""
                {'maxReplicas':5,'metrics':[{'resource':{'name':'cpu','target':{'averageUtilization':50,'type':'Utilization'}},
                 'type':'Resource'}],'minReplicas':1,'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment','name':'web'}}"""),
                asV2.get("spec"));
        JsonNode asV1 = v1.get("lab", "web").toNode();
        assertEquals(50, asV1.at("/spec/targetCPUUtilizationPercentage").asInt());
        assertEquals(1, asV1.at("/spec/minReplicas").asInt());
        assertEquals(json("{'currentReplicas':0,'desiredReplicas':0}"), asV1.get("status"));
        assertFalse(asV1.path("metadata").has("annotations"));
    }

    @Test
    void aV1ObjectWithoutATargetStandsForEightyPercentCpu() throws Exception {
        v1.create("lab", json("""
                {'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'name':'web'},
                 'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web'},'maxReplicas':5}}"""), RequestContext.LOOPBACK);
        assertEquals(80, v2.get("lab", "web").toNode().at("/spec/metrics/0/resource/target/averageUtilization").asInt());
        assertEquals(80, v1.get("lab", "web").toNode().at("/spec/targetCPUUtilizationPercentage").asInt());
    }

    @Test
    void whatV1CannotSayTravelsInAnnotationsAndBack() throws Exception {
        v2.create("lab", json("""
                {'apiVersion':'autoscaling/v2','kind':'HorizontalPodAutoscaler','metadata':{'name':'mem'},
                 'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web'},'maxReplicas':3,
                   'metrics':[{'type':'Resource','resource':{'name':'memory','target':{'type':'AverageValue','averageValue':'100Mi'}}}],
                   'behavior':{'scaleDown':{'stabilizationWindowSeconds':60}}}}"""), RequestContext.LOOPBACK);
        ObjectNode asV1 = v1.get("lab", "mem").toNode();
        JsonNode annotations = asV1.at("/metadata/annotations");
        assertEquals("[{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\",\"targetAverageValue\":\"100Mi\"}}]",
                annotations.path(AutoscalingV1Conversion.METRICS).asText());
        assertTrue(annotations.path(AutoscalingV1Conversion.BEHAVIOR).asText()
                .startsWith("{\"ScaleUp\":{\"StabilizationWindowSeconds\":0,\"SelectPolicy\":\"Max\",\"Policies\":"));
        assertFalse(asV1.path("spec").has("targetCPUUtilizationPercentage"));
        // a v1 client writing the object back loses nothing
        ((ObjectNode) asV1.get("spec")).put("maxReplicas", 4);
        v1.update("lab", "mem", asV1, RequestContext.LOOPBACK);
        JsonNode back = v2.get("lab", "mem").toNode();
        assertEquals(4, back.at("/spec/maxReplicas").asInt());
        assertEquals("memory", back.at("/spec/metrics/0/resource/name").asText());
        assertEquals(1, back.at("/spec/metrics").size());
        assertEquals(60, back.at("/spec/behavior/scaleDown/stabilizationWindowSeconds").asInt());
        assertFalse(back.path("metadata").has("annotations"));
    }

    @Test
    void v2DefaultsTheBehaviorRulesItLeavesOut() throws Exception {
        v2.create("lab", json("""
                {'apiVersion':'autoscaling/v2','kind':'HorizontalPodAutoscaler','metadata':{'name':'web'},
                 'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web'},'maxReplicas':3,
                   'behavior':{'scaleUp':{'policies':[{'type':'Pods','value':1,'periodSeconds':60}]}}}}"""), RequestContext.LOOPBACK);
        JsonNode spec = v2.get("lab", "web").toNode().get("spec");
        assertEquals(json("""
                {'scaleDown':{'policies':[{'periodSeconds':15,'type':'Percent','value':100}],'selectPolicy':'Max'},
                 'scaleUp':{'policies':[{'periodSeconds':60,'type':'Pods','value':1}],'selectPolicy':'Max','stabilizationWindowSeconds':0}}"""),
                spec.get("behavior"));
        assertEquals(80, spec.at("/metrics/0/resource/target/averageUtilization").asInt());
        assertEquals(1, spec.at("/minReplicas").asInt());
    }

    @Test
    void v1ErrorsNameTheV2Paths() throws Exception {
        StatusException e = assertThrows(StatusException.class, () -> v1.create("lab", json("""
                {'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'name':'web'},
                 'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web'},'minReplicas':3,'maxReplicas':2,
                   'targetCPUUtilizationPercentage':0}}"""), RequestContext.LOOPBACK));
        assertEquals(422, e.code());
        assertEquals("HorizontalPodAutoscaler.autoscaling \"web\" is invalid: ["
                + "spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`, "
                + "spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0]", e.getMessage());
    }

    @Test
    void v2ValidatesEachMetricAndTheBehavior() throws Exception {
        StatusException e = assertThrows(StatusException.class, () -> v2.create("lab", json("""
                {'apiVersion':'autoscaling/v2','kind':'HorizontalPodAutoscaler','metadata':{'name':'web'},
                 'spec':{'scaleTargetRef':{'kind':'Deployment','name':''},'minReplicas':0,'maxReplicas':0,
                   'metrics':[{'type':'Pods'},{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageValue':'-1'}}}],
                   'behavior':{'scaleDown':{'selectPolicy':'Most','policies':[]}}}}"""), RequestContext.LOOPBACK));
        assertEquals("HorizontalPodAutoscaler.autoscaling \"web\" is invalid: ["
                + "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1, "
                + "spec.maxReplicas: Invalid value: 0: must be greater than 0, "
                + "spec.scaleTargetRef.name: Required value, "
                + "spec.metrics[0].pods: Required value: must populate information for the given metric source, "
                + "spec.metrics[1].resource.target.averageValue: Invalid value: \"-1\": must be positive, "
                + "spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas, "
                + "spec.behavior.scaleDown.selectPolicy: Unsupported value: \"Most\": supported values: \"Disabled\", \"Max\", \"Min\", "
                + "spec.behavior.scaleDown.policies: Required value: must specify at least one Policy]", e.getMessage());
    }
}
