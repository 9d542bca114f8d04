package kubefake.store.registry.defaulting;

import kubefake.store.registry.Kinds;
import kubefake.store.registry.admission.CreateAdmission;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Defaults that the lab recording does not show but a user meets. */
class DefaulterTest {

    private static ObjectNode defaulted(String group, String kind, String yaml) {
        try {
            ObjectNode obj = (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(yaml);
            Kinds.defaulter(group, kind).apply(obj);
            CreateAdmission.admit(group, kind, obj, new Random(3));
            return obj;
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void imagePullPolicyFollowsTheTag() {
        ObjectNode pod = defaulted("", "Pod", """
                spec:
                  containers:
                  - {name: a, image: nginx}
                  - {name: b, image: 'nginx:latest'}
                  - {name: c, image: 'nginx:1.25'}
                  - {name: d, image: 'registry:5000/team/app'}
                  - {name: e, image: 'nginx@sha256:abc'}
                  - {name: f, image: 'nginx:1.25', imagePullPolicy: Never}
                """);
        String[] expected = {"Always", "Always", "IfNotPresent", "Always", "IfNotPresent", "Never"};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], pod.path("spec").path("containers").get(i).path("imagePullPolicy").asText());
        }
    }

    @Test
    void podDetails() {
        ObjectNode pod = defaulted("", "Pod", """
                spec:
                  serviceAccountName: robot
                  tolerations: [{operator: Exists}]
                  containers:
                  - name: c
                    image: i
                    ports: [{containerPort: 80}]
                    resources: {limits: {cpu: '1', memory: 1Gi}}
                    readinessProbe: {httpGet: {port: 80}}
                    env: [{name: NS, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}]
                  volumes:
                  - name: scratch
                  - {name: cfg, configMap: {name: cfg}}
                """);
        ObjectNode spec = (ObjectNode) pod.get("spec");
        ObjectNode c = (ObjectNode) spec.path("containers").get(0);
        assertEquals("TCP", c.path("ports").get(0).path("protocol").asText());
        assertEquals(c.path("resources").path("limits"), c.path("resources").path("requests"));
        assertEquals("Guaranteed", pod.path("status").path("qosClass").asText());
        assertEquals("/", c.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("HTTP", c.path("readinessProbe").path("httpGet").path("scheme").asText());
        assertEquals(3, c.path("readinessProbe").path("failureThreshold").asInt());
        assertEquals("v1", c.path("env").get(0).path("valueFrom").path("fieldRef").path("apiVersion").asText());
        assertTrue(spec.path("volumes").get(0).path("emptyDir").isObject());
        assertEquals(420, spec.path("volumes").get(1).path("configMap").path("defaultMode").asInt());
        assertEquals("robot", spec.path("serviceAccount").asText());
        assertEquals(1, spec.path("tolerations").size(), "a match-all toleration already covers both taints");
        assertEquals(0, spec.path("priority").asInt());
        assertEquals(3, spec.path("volumes").size(), "the token volume is added");
    }

    @Test
    void noTokenWhenAutomountIsOff() {
        ObjectNode pod = defaulted("", "Pod", "spec: {automountServiceAccountToken: false, containers: [{name: c, image: i}]}");
        assertTrue(pod.path("spec").path("volumes").isMissingNode());
        assertFalse(pod.path("spec").path("containers").get(0).has("volumeMounts"));
        assertEquals("default", pod.path("spec").path("serviceAccountName").asText());
    }

    @Test
    void updatesGetSchemeDefaultsOnly() {
        ObjectNode pod = new ObjectMapper().createObjectNode();
        pod.putObject("spec").putArray("containers").addObject().put("name", "c").put("image", "i");
        Kinds.defaulter("", "Pod").applyOnUpdate(pod);
        assertEquals("ClusterFirst", pod.path("spec").path("dnsPolicy").asText());
        assertTrue(pod.path("spec").path("tolerations").isMissingNode());
        assertTrue(pod.path("status").isMissingNode());
    }

    @Test
    void workloads() {
        ObjectNode sts = defaulted("apps", "StatefulSet",
                "spec: {volumeClaimTemplates: [{metadata: {name: d}, spec: {}}], template: {spec: {containers: [{name: c, image: i}]}}}");
        ObjectNode spec = (ObjectNode) sts.get("spec");
        assertEquals("OrderedReady", spec.path("podManagementPolicy").asText());
        assertEquals(0, spec.path("updateStrategy").path("rollingUpdate").path("partition").asInt());
        assertEquals("Retain", spec.path("persistentVolumeClaimRetentionPolicy").path("whenScaled").asText());
        assertEquals("Filesystem", spec.path("volumeClaimTemplates").get(0).path("spec").path("volumeMode").asText());
        ObjectNode ds = defaulted("apps", "DaemonSet", "spec: {template: {spec: {containers: [{name: c, image: i}]}}}");
        assertEquals(1, ds.path("spec").path("updateStrategy").path("rollingUpdate").path("maxUnavailable").asInt());
        ObjectNode job = defaulted("batch", "Job", "spec: {template: {spec: {containers: [{name: c, image: i}]}}}");
        assertEquals(6, job.path("spec").path("backoffLimit").asInt());
        assertEquals("NonIndexed", job.path("spec").path("completionMode").asText());
        ObjectNode lb = defaulted("", "Service", "spec: {type: LoadBalancer, ports: [{port: 80}]}");
        assertTrue(lb.path("spec").path("allocateLoadBalancerNodePorts").asBoolean());
        assertEquals("Cluster", lb.path("spec").path("externalTrafficPolicy").asText());
    }
}
