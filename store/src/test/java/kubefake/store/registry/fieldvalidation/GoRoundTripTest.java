package kubefake.store.registry.fieldvalidation;

import static kubefake.store.registry.fieldvalidation.Bodies.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import kubefake.testkit.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Objects shaped as the real server's decode, protobuf storage and encode shape them. */
class GoRoundTripTest {

    private static ObjectNode shaped(String group, String version, String kind, String singleQuoted) {
        ObjectNode object = object(singleQuoted);
        GoRoundTrip.of(group, version, kind).apply(object);
        return object;
    }

    /** What a real 1.33 server returned is already in the round trip's shape: the round trip leaves it alone. */
    @ParameterizedTest
    @ValueSource(strings = {"yaml-configmap-cfg", "yaml-deploy-pod", "yaml-deployment-echo-hname", "yaml-endpoints",
            "yaml-endpointslices", "yaml-events", "yaml-kube-system-pods", "yaml-namespace-ref", "yaml-node-w1",
            "yaml-pod-nginx-pod", "yaml-replicaset", "yaml-secret-sec", "yaml-service-web", "yaml-serviceaccount-default"})
    void recordedObjectsAreFixedPoints(String recording) {
        JsonNode recorded = Reference.kubectlYaml(recording);
        List<JsonNode> objects = new ArrayList<>();
        if (recorded.path("kind").asText().equals("List")) {
            recorded.path("items").forEach(objects::add);
        } else {
            objects.add(recorded);
        }
        for (JsonNode item : objects) {
            String apiVersion = item.path("apiVersion").asText();
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            String version = apiVersion.substring(slash + 1);
            ObjectNode copy = item.deepCopy();
            GoRoundTrip.of(group, version, item.path("kind").asText()).apply(copy);
            assertEquals(item, copy, recording + ": " + item.path("metadata").path("name").asText());
        }
    }

    @Test
    void aNodeWithoutSpecGetsTheStructsGoAlwaysWrites() {
        ObjectNode node = shaped("", "v1", "Node", "{'apiVersion':'v1','kind':'Node','metadata':{'name':'n'}}");
        assertEquals(object("{'apiVersion':'v1','kind':'Node','metadata':{'name':'n','creationTimestamp':null},"
                + "'spec':{},'status':{'daemonEndpoints':{'kubeletEndpoint':{'Port':0}},'nodeInfo':{'machineID':'',"
                + "'systemUUID':'','bootID':'','kernelVersion':'','osImage':'','containerRuntimeVersion':'',"
                + "'kubeletVersion':'','kubeProxyVersion':'','operatingSystem':'','architecture':''}}}"), node);
    }

    @Test
    void emptyOmitemptyValuesAreDropped() {
        ObjectNode cm = shaped("", "v1", "ConfigMap", "{'metadata':{'name':'c','creationTimestamp':'2024-01-01T00:00:00Z',"
                + "'labels':{},'annotations':{},'finalizers':[],'ownerReferences':[],'generateName':'','generation':0},"
                + "'data':{},'binaryData':null,'immutable':false,'extra':{'x':1}}");
        assertEquals(object("{'metadata':{'name':'c','creationTimestamp':'2024-01-01T00:00:00Z'},'immutable':false}"), cm);
    }

    @Test
    void collectionsWithoutOmitemptyAreNullWhenEmpty() {
        ObjectNode slice = shaped("discovery.k8s.io", "v1", "EndpointSlice",
                "{'metadata':{'name':'s','creationTimestamp':'2024-01-01T00:00:00Z'},'addressType':'IPv4','endpoints':[]}");
        assertEquals(object("{'metadata':{'name':'s','creationTimestamp':'2024-01-01T00:00:00Z'},'addressType':'IPv4',"
                + "'endpoints':null,'ports':null}"), slice);
    }

    @Test
    void canonicalNumbersQuantitiesBytesAndTimes() {
        ObjectNode pod = shaped("", "v1", "Pod", "{'metadata':{'name':'p','creationTimestamp':'2024-01-01T10:00:00.5+02:00'},"
                + "'spec':{'containers':[{'name':'c','resources':{'requests':{'cpu':'0.5','memory':'1024Mi'},"
                + "'limits':{'cpu':2,'memory':'1.5Gi','ephemeral-storage':'1e3'}}}],'priority':0,"
                + "'terminationGracePeriodSeconds':30}}");
        JsonNode resources = pod.path("spec").path("containers").get(0).path("resources");
        assertEquals(object("{'requests':{'cpu':'500m','memory':'1Gi'},'limits':{'cpu':'2','memory':'1536Mi',"
                + "'ephemeral-storage':'1e3'}}"), resources);
        assertEquals("2024-01-01T08:00:00Z", pod.path("metadata").path("creationTimestamp").textValue());
        assertEquals(0, pod.path("spec").path("priority").intValue(), "a pointer keeps its zero");
        assertTrue(pod.path("spec").path("containers").get(0).has("resources"));
        assertEquals(object("{}"), pod.path("status"));
        ObjectNode cm = shaped("", "v1", "ConfigMap", "{'metadata':{'name':'c'},'binaryData':{'a':'YWJj\\nZGVm','b':[1,2]}}");
        assertEquals(object("{'a':'YWJjZGVm','b':'AQI='}"), cm.path("binaryData"));
    }

    @Test
    void templatesAndConditionsShowGosZeroTimesAsNull() {
        ObjectNode deployment = shaped("apps", "v1", "Deployment", "{'metadata':{'name':'d'},'spec':{'template':{"
                + "'metadata':{'labels':{'app':'d'}},'spec':{'containers':[{'name':'c','image':'i'}]}}}}");
        JsonNode template = deployment.path("spec").path("template");
        assertTrue(template.path("metadata").has("creationTimestamp"));
        assertTrue(template.path("metadata").get("creationTimestamp").isNull());
        assertEquals(object("{}"), deployment.path("spec").path("strategy"));
        assertEquals(object("{}"), deployment.path("status"));
        ObjectNode pod = shaped("", "v1", "Pod", "{'metadata':{'name':'p'},'status':{'conditions':[{'type':'Ready',"
                + "'status':'True'}]}}");
        assertEquals(object("{'type':'Ready','status':'True','lastProbeTime':null,'lastTransitionTime':null}"),
                pod.path("status").path("conditions").get(0));
    }

    @Test
    void kindsWithoutGoFactsAreLeftAlone() {
        ObjectNode custom = shaped("example.com", "v1", "Widget", "{'spec':{'labels':{}},'x':[]}");
        assertEquals(object("{'spec':{'labels':{}},'x':[]}"), custom);
    }
}
