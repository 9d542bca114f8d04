package kubefake.store.registry.defaulting;

import kubefake.store.registry.Kinds;
import kubefake.store.registry.admission.CreateAdmission;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import kubefake.testkit.Reference;
import kubefake.store.registry.fieldvalidation.GoRoundTrip;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The minimal manifests of the recorded lab objects, defaulted and shaped by the typed round trip here, against what
 * the real 1.33 server stored
 * ({@code kubectl get -o yaml}). Fields that other components add are removed from the recording first:
 * <ul>
 *   <li>Pod {@code spec.nodeName}: the scheduler's binding; {@code status} apart from phase/qosClass: the
 *       kubelet; the token volume's random 5-character suffix differs per run (normalized).</li>
 *   <li>Deployment/ReplicaSet {@code status} and the {@code deployment.kubernetes.io/*} annotations: the
 *       deployment controller; ReplicaSet {@code pod-template-hash} labels and owner references: the deployment
 *       controller.</li>
 *   <li>Service {@code clusterIP}, {@code clusterIPs}, {@code ports[].nodePort}: the registry's IP and port
 *       allocators.</li>
 *   <li>metadata uid, resourceVersion, creationTimestamp, generation: the generic registry.</li>
 * </ul>
 */
class RecordedDefaultsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static ObjectNode manifest(String yaml) {
        try {
            return (ObjectNode) YAML.readTree(yaml);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Defaulted, then shaped by the typed round trip: what the server stores for the manifest. */
    private static ObjectNode defaulted(String group, String kind, String yaml) {
        ObjectNode obj = manifest(yaml);
        Kinds.defaulter(group, kind).apply(obj);
        CreateAdmission.admit(group, kind, obj, new Random(42));
        String apiVersion = obj.path("apiVersion").asText();
        GoRoundTrip.of(group, apiVersion.substring(apiVersion.indexOf('/') + 1), kind).apply(obj);
        return obj;
    }

    /** Replaces the random token volume suffix so recorded and defaulted pods compare equal. */
    private static JsonNode normalizeTokenVolume(JsonNode spec) {
        String text = spec.toString().replaceAll("kube-api-access-[a-z0-9]{5}", "kube-api-access-xxxxx");
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void bareNginxPod() {
        ObjectNode pod = defaulted("", "Pod", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: nginx-pod
                spec:
                  containers:
                  - name: container-name
                    image: nginx
                """);
        ObjectNode recorded = (ObjectNode) Reference.kubectlYaml("yaml-pod-nginx-pod");
        ObjectNode recordedSpec = (ObjectNode) recorded.get("spec");
        recordedSpec.remove("nodeName");
        assertEquals(normalizeTokenVolume(recordedSpec), normalizeTokenVolume(pod.get("spec")));
        assertTrue(pod.path("spec").path("volumes").get(0).path("name").asText()
                .matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}"));
        assertEquals("Pending", pod.path("status").path("phase").asText());
        assertEquals(recorded.path("status").path("qosClass"), pod.path("status").path("qosClass"));
    }

    @Test
    void podCreatedFromTheReplicaSetTemplate() {
        JsonNode rs = Reference.kubectlYaml("yaml-replicaset");
        ObjectNode pod = new ObjectMapper().createObjectNode();
        pod.put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("generateName", "echo-hname-6d4db5f9d9-");
        pod.set("spec", rs.path("spec").path("template").path("spec").deepCopy());
        Kinds.defaulter("", "Pod").apply(pod);
        CreateAdmission.admit("", "Pod", pod, new Random(7));
        ObjectNode recordedSpec = (ObjectNode) Reference.kubectlYaml("yaml-deploy-pod").get("spec");
        recordedSpec.remove("nodeName");
        assertEquals(normalizeTokenVolume(recordedSpec), normalizeTokenVolume(pod.get("spec")));
    }

    /**
     * Control-plane mirror pods: the kubelet posts the kubeadm manifest with the mirror annotation and a
     * NoExecute toleration of its own; the server adds scheme defaults and the system-node-critical priority
     * but no service account. The manifests' advertise address is redacted, so probe hosts are left out.
     */
    @Test
    void controlPlaneMirrorPods() {
        JsonNode recordedPods = Reference.kubectlYaml("yaml-kube-system-pods");
        for (String component : new String[]{"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"}) {
            ObjectNode pod = Reference.yaml("cluster-shape/kubeadm-manifests/" + component + ".yaml").deepCopy();
            ((ObjectNode) pod.path("metadata")).putObject("annotations").put("kubernetes.io/config.mirror", "hash");
            ((ObjectNode) pod.path("spec")).putArray("tolerations").addObject()
                    .put("effect", "NoExecute").put("operator", "Exists");
            Kinds.defaulter("", "Pod").apply(pod);
            CreateAdmission.admit("", "Pod", pod, new Random(1));
            JsonNode recorded = null;
            for (JsonNode p : recordedPods.path("items")) {
                if (p.path("metadata").path("name").asText().equals(component + "-m-k8s")) {
                    recorded = p.path("spec").deepCopy();
                }
            }
            ((ObjectNode) recorded).remove("nodeName");
            assertEquals(withoutProbeHosts(recorded), withoutProbeHosts(pod.get("spec")), component);
        }
    }

    private static JsonNode withoutProbeHosts(JsonNode spec) {
        JsonNode copy = spec.deepCopy();
        for (JsonNode c : copy.path("containers")) {
            for (String probe : new String[]{"livenessProbe", "readinessProbe", "startupProbe"}) {
                if (c.path(probe).get("httpGet") instanceof ObjectNode http) {
                    http.remove("host");
                }
            }
        }
        return copy;
    }

    @Test
    void echoHnameDeployment() {
        ObjectNode d = defaulted("apps", "Deployment", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: echo-hname
                  labels:
                    app: nginx
                spec:
                  replicas: 3
                  selector:
                    matchLabels:
                      app: nginx
                  template:
                    metadata:
                      labels:
                        app: nginx
                    spec:
                      containers:
                      - name: echo-hname
                        image: sysnet4admin/echo-hname
                """);
        assertEquals(Reference.kubectlYaml("yaml-deployment-echo-hname").get("spec"), d.get("spec"));
    }

    @Test
    void replicaSetAsTheDeploymentControllerPostsIt() {
        ObjectNode rs = defaulted("apps", "ReplicaSet", """
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: echo-hname-6d4db5f9d9
                spec:
                  replicas: 3
                  selector:
                    matchLabels:
                      app: nginx
                      pod-template-hash: 6d4db5f9d9
                  template:
                    metadata:
                      labels:
                        app: nginx
                        pod-template-hash: 6d4db5f9d9
                    spec:
                      containers:
                      - name: echo-hname
                        image: sysnet4admin/echo-hname
                """);
        assertEquals(Reference.kubectlYaml("yaml-replicaset").get("spec"), rs.get("spec"));
    }

    @Test
    void nodePortService() {
        ObjectNode svc = defaulted("", "Service", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  type: NodePort
                  selector:
                    app: nginx
                  ports:
                  - port: 80
                    targetPort: 80
                """);
        ObjectNode recorded = (ObjectNode) Reference.kubectlYaml("yaml-service-web");
        ObjectNode spec = (ObjectNode) recorded.get("spec");
        spec.remove("clusterIP");
        spec.remove("clusterIPs");
        ((ObjectNode) spec.path("ports").get(0)).remove("nodePort");
        assertEquals(spec, svc.get("spec"));
        assertEquals(recorded.get("status"), svc.get("status"));
        // targetPort defaults to the port when omitted.
        ObjectNode bare = defaulted("", "Service", "spec: {ports: [{port: 8080}]}");
        assertEquals(8080, bare.path("spec").path("ports").get(0).path("targetPort").asInt());
        assertEquals("ClusterIP", bare.path("spec").path("type").asText());
        assertTrue(bare.path("spec").path("externalTrafficPolicy").isMissingNode());
    }

    @Test
    void namespaceSecretServiceAccountConfigMap() {
        JsonNode ns = Reference.kubectlYaml("yaml-namespace-ref");
        ObjectNode created = defaulted("", "Namespace", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ref\n");
        assertEquals(ns.path("metadata").path("labels"), created.path("metadata").path("labels"));
        assertEquals(ns.get("spec"), created.get("spec"));
        assertEquals(ns.get("status"), created.get("status"));

        JsonNode sec = Reference.kubectlYaml("yaml-secret-sec");
        ObjectNode secret = defaulted("", "Secret", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: sec\n"
                + "stringData:\n  pw: x\n");
        assertEquals(sec.get("data"), secret.get("data"));
        assertEquals(sec.get("type"), secret.get("type"));
        assertTrue(secret.path("stringData").isMissingNode());

        for (String[] plain : new String[][]{{"ServiceAccount", "yaml-serviceaccount-default"},
                {"ConfigMap", "yaml-configmap-cfg"}}) {
            ObjectNode obj = manifest("apiVersion: v1\nkind: " + plain[0] + "\nmetadata:\n  name: x\n");
            ObjectNode before = obj.deepCopy();
            Kinds.defaulter("", plain[0]).apply(obj);
            assertEquals(before, obj);
            ObjectNode recorded = (ObjectNode) Reference.kubectlYaml(plain[1]);
            recorded.remove("metadata");
            before.remove("metadata");
            assertEquals(recorded, before, "nothing but metadata is stored for a bare " + plain[0]);
        }
    }

    @Test
    void defaultingTwiceChangesNothing() {
        String[][] cases = {
                {"", "Pod", "metadata: {name: p}\nspec: {containers: [{name: c, image: 'nginx:1.25', ports: [{containerPort: 80}]}]}"},
                {"apps", "Deployment", "spec: {template: {spec: {containers: [{name: c, image: i}]}}}"},
                {"apps", "StatefulSet", "spec: {volumeClaimTemplates: [{metadata: {name: d}}], template: {spec: {containers: [{name: c, image: i}]}}}"},
                {"apps", "DaemonSet", "spec: {template: {spec: {containers: [{name: c, image: i}]}}}"},
                {"", "Service", "spec: {type: LoadBalancer, sessionAffinity: ClientIP, ports: [{port: 80}]}"},
                {"", "Namespace", "metadata: {name: n}"},
                {"batch", "Job", "spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: i}]}}}"},
        };
        for (String[] c : cases) {
            ObjectNode once = defaulted(c[0], c[1], c[2]);
            ObjectNode twice = once.deepCopy();
            Kinds.defaulter(c[0], c[1]).apply(twice);
            CreateAdmission.admit(c[0], c[1], twice, new Random(42));
            assertEquals(once, twice, c[1]);
        }
    }
}
