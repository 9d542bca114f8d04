package kubefake.store.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.StatusException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldManagerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-22T13:52:21Z");
    private static final Instant T1 = Instant.parse("2026-11-22T13:53:00Z");
    private final FieldManager deployments = FieldManager.of("apps", "v1", "Deployment", true);

    /** The Deployment of the 1.33 recording's {@code kubectl create -f echo-hname.yaml}, as decoded and defaulted. */
    static ObjectNode echoHname() {
        return (ObjectNode) read("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"echo-hname","namespace":"ref",
                 "labels":{"app":"nginx"}},
                 "spec":{"progressDeadlineSeconds":600,"replicas":3,"revisionHistoryLimit":10,
                  "selector":{"matchLabels":{"app":"nginx"}},
                  "strategy":{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"},"type":"RollingUpdate"},
                  "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"nginx"}},
                   "spec":{"containers":[{"image":"sysnet4admin/echo-hname","imagePullPolicy":"Always","name":"echo-hname",
                     "resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
                    "dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler",
                    "securityContext":{},"terminationGracePeriodSeconds":30}}},
                 "status":{}}""");
    }

    static JsonNode read(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void createRecordsTheFieldsTheRealServerRecords() {
        ObjectNode d = echoHname();
        deployments.update(null, d, null, "kubectl-create", null, T0);
        JsonNode entry = d.at("/metadata/managedFields/0");
        assertEquals(1, d.at("/metadata/managedFields").size());
        // recorded from a real 1.33 API server (table-apis_apps_v1-deployments, manager kubectl-create)
        JsonNode expected = read("""
                {"manager":"kubectl-create","operation":"Update","apiVersion":"apps/v1","time":"2026-11-22T13:52:21Z",
                 "fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},
                 "f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},"f:revisionHistoryLimit":{},"f:selector":{},
                  "f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},
                  "f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{
                   "k:{\\"name\\":\\"echo-hname\\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:resources":{},
                    "f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},
                   "f:dnsPolicy":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},
                   "f:terminationGracePeriodSeconds":{}}}}}}""");
        assertEquals(expected, entry);
        // key order is part of the format
        assertEquals(expected.toString(), entry.toString());
    }

    @Test
    void mapListKeysAtomicMapsAndAtomicListItemsAsTheRealServerRecordsThem() {
        // the 1.33 recording's Service "web" created by kubectl create (table-api_v1-services)
        ObjectNode svc = (ObjectNode) read("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"ref"},
                 "spec":{"ports":[{"port":80,"protocol":"TCP","targetPort":80}],"selector":{"app":"nginx"},
                  "sessionAffinity":"None","type":"NodePort","externalTrafficPolicy":"Cluster","internalTrafficPolicy":"Cluster"},
                 "status":{"loadBalancer":{}}}""");
        FieldManager.of("", "v1", "Service", true).update(null, svc, null, "kubectl-create", null, T0);
        assertEquals("{\"f:spec\":{\"f:externalTrafficPolicy\":{},\"f:internalTrafficPolicy\":{},\"f:ports\":{\".\":{},"
                + "\"k:{\\\"port\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:port\":{},\"f:protocol\":{},\"f:targetPort\":{}}},"
                + "\"f:selector\":{},\"f:sessionAffinity\":{},\"f:type\":{}}}",
                svc.at("/metadata/managedFields/0/fieldsV1").toString());
        // owner references are atomic items: the key alone (the recording's pods from kube-controller-manager)
        ObjectNode pod = (ObjectNode) read("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"web-","labels":{"app":"web"},
                 "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web","uid":"u-1","controller":true,
                  "blockOwnerDeletion":true}]},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""");
        FieldManager.of("", "v1", "Pod", true).update(null, pod, null, "kube-controller-manager", null, T0);
        assertEquals("{\".\":{},\"k:{\\\"uid\\\":\\\"u-1\\\"}\":{}}",
                pod.at("/metadata/managedFields/0/fieldsV1/f:metadata/f:ownerReferences").toString());
        assertTrue(pod.at("/metadata/managedFields/0/fieldsV1/f:metadata/f:generateName").isObject());
    }

    @Test
    void anUpdateMovesOwnershipOfWhatItChanged() {
        ObjectNode live = echoHname();
        deployments.update(null, live, null, "kubectl-create", null, T0);
        ObjectNode scaled = live.deepCopy();
        ((ObjectNode) scaled.get("spec")).put("replicas", 5);
        deployments.update(live, scaled, scaled.at("/metadata/managedFields"), "kubectl-edit", null, T1);
        JsonNode mf = scaled.at("/metadata/managedFields");
        assertEquals(2, mf.size());
        assertEquals("kubectl-create", mf.get(0).path("manager").asText());
        assertTrue(mf.get(0).at("/fieldsV1/f:spec/f:replicas").isMissingNode());
        assertEquals("kubectl-edit", mf.get(1).path("manager").asText());
        assertEquals("{\"f:spec\":{\"f:replicas\":{}}}", mf.get(1).get("fieldsV1").toString());
        assertEquals("2026-11-22T13:53:00Z", mf.get(1).path("time").asText());
    }

    @Test
    void aNoOpUpdateLeavesManagedFieldsAsTheyAre() {
        ObjectNode live = echoHname();
        deployments.update(null, live, null, "kubectl-create", null, T0);
        ObjectNode same = live.deepCopy();
        deployments.update(live, same, same.at("/metadata/managedFields"), "kubectl-edit", null, T1);
        assertEquals(live.get("metadata").get("managedFields"), same.get("metadata").get("managedFields"));
    }

    @Test
    void anEmptyListResetsManagedFieldsAndTheObjectStaysUntracked() {
        ObjectNode live = echoHname();
        deployments.update(null, live, null, "kubectl-create", null, T0);
        live.with("metadata").put("uid", "u1");
        ObjectNode reset = live.deepCopy();
        reset.with("metadata").putArray("managedFields");
        deployments.update(live, reset, reset.at("/metadata/managedFields"), "kubectl-patch", null, T1);
        assertFalse(reset.get("metadata").has("managedFields"));
        ObjectNode later = reset.deepCopy();
        ((ObjectNode) later.get("spec")).put("replicas", 7);
        deployments.update(reset, later, null, "kubectl-edit", null, T1);
        assertFalse(later.get("metadata").has("managedFields"));
    }

    @Test
    void statusWritesAreTheirOwnEntryAndIgnoreSpec() {
        ObjectNode live = echoHname();
        deployments.update(null, live, null, "kubectl-create", null, T0);
        ObjectNode withStatus = live.deepCopy();
        withStatus.with("status").put("replicas", 3).put("observedGeneration", 1);
        deployments.update(live, withStatus, null, "kube-controller-manager", "status", T1);
        JsonNode mf = withStatus.at("/metadata/managedFields");
        assertEquals(2, mf.size());
        JsonNode status = mf.get(1);
        assertEquals("kube-controller-manager", status.path("manager").asText());
        assertEquals("status", status.path("subresource").asText());
        assertEquals("{\"f:status\":{\"f:observedGeneration\":{},\"f:replicas\":{}}}", status.get("fieldsV1").toString());
    }

    // ------------------------------------------------------------------ apply

    static ObjectNode applied(int replicas, String image) {
        return (ObjectNode) read("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
                 "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"web"}},
                  "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"%s"}]}}}}
                """.formatted(replicas, image));
    }

    @Test
    void applyCreatesAnApplyEntryWithTheConfigurationsFields() {
        ObjectNode created = deployments.apply(null, applied(2, "nginx:1"), "kubectl", false, null, T0);
        JsonNode mf = created.at("/metadata/managedFields");
        assertEquals(1, mf.size());
        assertEquals("Apply", mf.get(0).path("operation").asText());
        assertEquals("{\"f:spec\":{\"f:replicas\":{},\"f:selector\":{},\"f:template\":{\"f:metadata\":{\"f:labels\":"
                + "{\"f:app\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},"
                + "\"f:image\":{},\"f:name\":{}}}}}}}", mf.get(0).get("fieldsV1").toString());
        assertEquals(2, created.at("/spec/replicas").asInt());
    }

    /** An object as the store keeps it: in the Go type's shape. */
    static ObjectNode stored(ObjectNode object) {
        kubefake.store.registry.fieldvalidation.GoRoundTrip.of("apps", "v1", "Deployment").apply(object);
        return object;
    }

    @Test
    void applyConflictsWithAnotherManagersFieldUnlessForced() {
        ObjectNode live = stored(deployments.apply(null, applied(2, "nginx:1"), "kubectl", false, null, T0));
        ObjectNode scaled = live.deepCopy();
        ((ObjectNode) scaled.get("spec")).put("replicas", 5);
        deployments.update(live, scaled, scaled.at("/metadata/managedFields"), "kubectl-scale", null, T1);
        stored(scaled);
        StatusException e = assertThrows(StatusException.class,
                () -> deployments.apply(scaled, applied(3, "nginx:1"), "kubectl", false, null, T1));
        assertEquals(409, e.code());
        assertEquals("Apply failed with 1 conflict: conflict with \"kubectl-scale\" using apps/v1: .spec.replicas", e.getMessage());
        ObjectNode forced = deployments.apply(scaled, applied(3, "nginx:1"), "kubectl", true, null, T1);
        assertEquals(3, forced.at("/spec/replicas").asInt());
        assertEquals(1, forced.at("/metadata/managedFields").size());
    }

    @Test
    void applyingTheSameValueSharesOwnership() {
        ObjectNode live = deployments.apply(null, applied(2, "nginx:1"), "a", false, null, T0);
        ObjectNode both = deployments.apply(live, applied(2, "nginx:1"), "b", false, null, T1);
        assertEquals(2, both.at("/metadata/managedFields").size());
    }

    @Test
    void fieldsAManagerStopsApplyingAreRemoved() {
        ObjectNode live = deployments.apply(null, applied(2, "nginx:1"), "kubectl", false, null, T0);
        ObjectNode config = applied(2, "nginx:1");
        ((ObjectNode) config.get("spec")).remove("replicas");
        ObjectNode after = deployments.apply(live, config, "kubectl", false, null, T1);
        assertTrue(after.at("/spec/replicas").isMissingNode());
    }
}
