package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** autoscaling/v2 → v1 → v2 keeps every metric kind, the current metrics, the conditions and the behavior. */
class AutoscalingV1ConversionTest {

    private static ObjectNode json(String singleQuoted) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(singleQuoted.replace('\'', '"'));
    }

    @Test
    void everyMetricSourceSurvivesTheRoundTrip() throws Exception {
        ObjectNode v2 = json("""
                {'metadata':{'name':'web','annotations':{'team':'a'}},
                 'spec':{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment','name':'web'},'minReplicas':2,'maxReplicas':9,
                  'metrics':[
                   {'type':'Object','object':{'describedObject':{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','name':'main'},
                     'metric':{'name':'requests'},'target':{'type':'Value','value':'10'}}},
                   {'type':'Pods','pods':{'metric':{'name':'qps'},'target':{'type':'AverageValue','averageValue':'1k'}}},
                   {'type':'Resource','resource':{'name':'memory','target':{'type':'AverageValue','averageValue':'100Mi'}}},
                   {'type':'ContainerResource','containerResource':{'name':'cpu','container':'app','target':{'type':'Utilization','averageUtilization':60}}},
                   {'type':'External','external':{'metric':{'name':'queue','selector':{'matchLabels':{'q':'a'}}},'target':{'type':'Value','value':'30'}}},
                   {'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':50}}}],
                  'behavior':{'scaleUp':{'stabilizationWindowSeconds':0,'selectPolicy':'Max','policies':[{'type':'Pods','value':4,'periodSeconds':15}]},
                   'scaleDown':{'stabilizationWindowSeconds':60,'selectPolicy':'Min','policies':[{'type':'Percent','value':50,'periodSeconds':30}]}}},
                 'status':{'currentReplicas':3,'desiredReplicas':4,'lastScaleTime':'2026-01-05T09:00:00Z',
                  'currentMetrics':[
                   {'type':'Object','object':{'describedObject':{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','name':'main'},
                     'metric':{'name':'requests'},'current':{'value':'5'}}},
                   {'type':'Pods','pods':{'metric':{'name':'qps'},'current':{'averageValue':'2'}}},
                   {'type':'External','external':{'metric':{'name':'queue'},'current':{'value':'3'}}},
                   {'type':'Resource','resource':{'name':'cpu','current':{'averageUtilization':40,'averageValue':'40m'}}}],
                  'conditions':[{'type':'AbleToScale','status':'True','lastTransitionTime':'2026-01-05T09:00:00Z',
                    'reason':'ReadyForNewScale','message':'recommended size matches current size'}]}}""");
        ObjectNode v1 = AutoscalingV1Conversion.toV1(v2);
        assertEquals(50, v1.at("/spec/targetCPUUtilizationPercentage").asInt());
        assertEquals(40, v1.at("/status/currentCPUUtilizationPercentage").asInt());
        assertFalse(v1.path("spec").has("metrics"));
        JsonNode annotations = v1.at("/metadata/annotations");
        assertEquals(5, annotations.size(), annotations.toString());
        assertEquals("{\"type\":\"Object\",\"object\":{\"target\":{\"kind\":\"Ingress\",\"name\":\"main\",\"apiVersion\":\"networking.k8s.io/v1\"},"
                + "\"metricName\":\"requests\",\"targetValue\":\"10\"}}",
                Json.MAPPER.readTree(annotations.path(AutoscalingV1Conversion.METRICS).asText()).get(0).toString());
        assertEquals("{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"currentAverageUtilization\":40,\"currentAverageValue\":\"40m\"}}",
                Json.MAPPER.readTree(annotations.path(AutoscalingV1Conversion.CURRENT_METRICS).asText()).get(3).toString());
        assertEquals(v2, AutoscalingV1Conversion.toV2(v1));
    }
}
