package kubefake.server.e2e.fabric8;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIVersions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fabric8 Kubernetes client against kubefake: the cluster's shape and the create/read/update/delete of the objects
 * Java code under test typically handles, with the defaults a real 1.33 API server fills in.
 */
class Fabric8ClientE2ETest {
    private static KubernetesClient client;
    private static String ns;

    @BeforeAll
    static void connect() {
        client = Fabric8Clients.adminWithHttpWatches();
        ns = Fabric8Clients.newNamespace(client, "fabric8-crud");
    }

    @AfterAll
    static void close() {
        Fabric8Clients.deleteNamespace(ns);
        client.close();
    }

    @Test
    void versionIs133() {
        VersionInfo v = client.getKubernetesVersion();
        assertEquals("1", v.getMajor());
        assertEquals("33", v.getMinor());
        assertTrue(v.getGitVersion().startsWith("v1.33."), v.getGitVersion());
        assertEquals("linux/amd64", v.getPlatform());
    }

    /**
     * fabric8 asks /api and /apis without an Accept header: the real server negotiates no conversion then, so it
     * answers the legacy APIVersions and APIGroupList, not the aggregated document kubectl asks for by name.
     */
    @Test
    void discoveryWithoutAnAcceptHeaderIsTheLegacyDocuments() {
        APIVersions api = client.getAPIVersions();
        assertEquals("APIVersions", api.getKind());
        assertEquals(List.of("v1"), api.getVersions());
        assertEquals(1, api.getServerAddressByClientCIDRs().size(), api::toString);
        assertEquals("0.0.0.0/0", api.getServerAddressByClientCIDRs().get(0).getClientCIDR());
        assertFalse(api.getServerAddressByClientCIDRs().get(0).getServerAddress().isBlank());

        APIGroupList groups = client.getApiGroups();
        assertEquals("APIGroupList", groups.getKind());
        APIGroup apps = groups.getGroups().stream().filter(g -> g.getName().equals("apps")).findFirst().orElseThrow();
        assertEquals("apps/v1", apps.getPreferredVersion().getGroupVersion());
        // what client.hasApiGroup (and so adapt checks) reads
        assertTrue(client.hasApiGroup("apps", false));
        assertFalse(client.hasApiGroup("no-such-group.example.com", false));
    }

    @Test
    void listsTheFourLabNodesWithTheControlPlaneTaint() {
        List<Node> nodes = client.nodes().list().getItems();
        assertEquals(List.of("m-k8s", "w1-k8s", "w2-k8s", "w3-k8s"),
                nodes.stream().map(n -> n.getMetadata().getName()).sorted().toList());
        Node master = client.nodes().withName("m-k8s").get();
        List<Taint> taints = master.getSpec().getTaints();
        assertEquals(1, taints.size(), taints::toString);
        assertEquals("node-role.kubernetes.io/control-plane", taints.get(0).getKey());
        assertEquals("NoSchedule", taints.get(0).getEffect());
        assertTrue(master.getMetadata().getLabels().containsKey("node-role.kubernetes.io/control-plane"));
        for (String worker : List.of("w1-k8s", "w2-k8s", "w3-k8s")) {
            Node n = client.nodes().withName(worker).get();
            assertTrue(n.getSpec().getTaints() == null || n.getSpec().getTaints().isEmpty(), worker + " has no taints");
            assertEquals(worker, n.getMetadata().getLabels().get("kubernetes.io/hostname"));
        }
    }

    @Test
    void namespaceIsCreatedThenDeletedWithItsContents() {
        String name = Fabric8Clients.newNamespace(client, "fabric8-ns");
        Namespace created = client.namespaces().withName(name).get();
        assertEquals("Active", created.getStatus().getPhase());
        assertEquals(name, created.getMetadata().getLabels().get("kubernetes.io/metadata.name"));
        assertEquals(List.of("kubernetes"), created.getSpec().getFinalizers());
        client.configMaps().inNamespace(name).resource(configMap("inside", Map.of("k", "v"))).create();

        client.namespaces().withName(name).delete();
        Namespace terminating = client.namespaces().withName(name).get();
        if (terminating != null) { // the namespace controller may already have removed it
            assertEquals("Terminating", terminating.getStatus().getPhase());
            assertNotNull(terminating.getMetadata().getDeletionTimestamp());
        }
        client.namespaces().withName(name).waitUntilCondition(n -> n == null, 10, TimeUnit.SECONDS);
        assertNull(client.configMaps().inNamespace(name).withName("inside").get());
    }

    @Test
    void configMapCrud() {
        ConfigMap created = client.configMaps().inNamespace(ns).resource(configMap("settings", Map.of("mode", "fast"))).create();
        assertEquals(ns, created.getMetadata().getNamespace());
        assertNotNull(created.getMetadata().getUid());
        assertNotNull(created.getMetadata().getResourceVersion());
        assertNotNull(created.getMetadata().getCreationTimestamp());

        ConfigMap read = client.configMaps().inNamespace(ns).withName("settings").get();
        assertEquals(Map.of("mode", "fast"), read.getData());
        assertEquals(created.getMetadata().getResourceVersion(), read.getMetadata().getResourceVersion());

        read.getData().put("mode", "slow");
        ConfigMap updated = client.configMaps().inNamespace(ns).resource(read).update();
        assertEquals("slow", updated.getData().get("mode"));
        assertTrue(Long.parseLong(updated.getMetadata().getResourceVersion())
                > Long.parseLong(created.getMetadata().getResourceVersion()));
        assertEquals(created.getMetadata().getUid(), updated.getMetadata().getUid());

        assertTrue(client.configMaps().inNamespace(ns).list().getItems().stream()
                .anyMatch(c -> c.getMetadata().getName().equals("settings")));
        assertEquals(1, client.configMaps().inNamespace(ns).withName("settings").delete().size());
        assertNull(client.configMaps().inNamespace(ns).withName("settings").get());
    }

    @Test
    void secretDataIsBase64AndStringDataIsMergedIntoIt() {
        Secret secret = new SecretBuilder().withNewMetadata().withName("credentials").endMetadata()
                .addToData("password", base64("s3cret"))
                .addToStringData("user", "admin")
                .build();
        Secret created = client.secrets().inNamespace(ns).resource(secret).create();
        assertEquals("Opaque", created.getType());
        assertEquals(Map.of("password", base64("s3cret"), "user", base64("admin")), created.getData());
        // the API server folds stringData into data; fabric8's model shows an absent map as empty
        assertTrue(created.getStringData() == null || created.getStringData().isEmpty(), created.getStringData()::toString);

        Secret read = client.secrets().inNamespace(ns).withName("credentials").get();
        assertEquals("s3cret", new String(Base64.getDecoder().decode(read.getData().get("password")), StandardCharsets.UTF_8));
        assertEquals("admin", new String(Base64.getDecoder().decode(read.getData().get("user")), StandardCharsets.UTF_8));
        client.secrets().inNamespace(ns).withName("credentials").delete();
        assertNull(client.secrets().inNamespace(ns).withName("credentials").get());
    }

    @Test
    void podIsCreatedWithTheApiServersDefaults() {
        Pod pod = new PodBuilder().withNewMetadata().withName("web").addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("nginx").withImage("nginx").endContainer().endSpec()
                .build();
        Pod created = client.pods().inNamespace(ns).resource(pod).create();

        assertEquals("Always", created.getSpec().getRestartPolicy());
        assertEquals("ClusterFirst", created.getSpec().getDnsPolicy());
        assertEquals(30L, created.getSpec().getTerminationGracePeriodSeconds());
        assertEquals("default-scheduler", created.getSpec().getSchedulerName());
        assertEquals(Boolean.TRUE, created.getSpec().getEnableServiceLinks());
        assertNotNull(created.getSpec().getSecurityContext());
        Container c = created.getSpec().getContainers().get(0);
        assertEquals("Always", c.getImagePullPolicy()); // no tag means :latest
        assertEquals("/dev/termination-log", c.getTerminationMessagePath());
        assertEquals("File", c.getTerminationMessagePolicy());
        // admission: ServiceAccount, Priority, DefaultTolerationSeconds
        assertEquals("default", created.getSpec().getServiceAccountName());
        assertEquals("/var/run/secrets/kubernetes.io/serviceaccount", c.getVolumeMounts().get(0).getMountPath());
        assertTrue(created.getSpec().getVolumes().get(0).getName().startsWith("kube-api-access-"));
        assertEquals(0, created.getSpec().getPriority());
        assertEquals("PreemptLowerPriority", created.getSpec().getPreemptionPolicy());
        List<Toleration> tolerations = created.getSpec().getTolerations();
        assertEquals(List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"),
                tolerations.stream().map(Toleration::getKey).toList());
        assertTrue(tolerations.stream().allMatch(t -> t.getTolerationSeconds() == 300L && "NoExecute".equals(t.getEffect())));

        assertEquals("Pending", created.getStatus().getPhase());
        assertEquals("BestEffort", created.getStatus().getQosClass());
        assertEquals(1L, created.getMetadata().getGeneration());

        Pod tagged = client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("tagged").endMetadata()
                .withNewSpec().addNewContainer().withName("nginx").withImage("nginx:1.27").endContainer().endSpec().build()).create();
        assertEquals("IfNotPresent", tagged.getSpec().getContainers().get(0).getImagePullPolicy());
    }

    @Test
    void clusterIpServiceGetsAnAddressInTheServiceRange() throws UnknownHostException {
        Service svc = new ServiceBuilder().withNewMetadata().withName("backend").endMetadata()
                .withNewSpec().addToSelector("app", "backend").addNewPort().withPort(8080).endPort().endSpec().build();
        Service created = client.services().inNamespace(ns).resource(svc).create();

        assertEquals("ClusterIP", created.getSpec().getType());
        String ip = created.getSpec().getClusterIP();
        assertTrue(inServiceRange(ip), ip + " is in 10.96.0.0/12");
        assertEquals(List.of(ip), created.getSpec().getClusterIPs());
        assertEquals(List.of("IPv4"), created.getSpec().getIpFamilies());
        assertEquals("SingleStack", created.getSpec().getIpFamilyPolicy());
        assertEquals("None", created.getSpec().getSessionAffinity());
        assertEquals("Cluster", created.getSpec().getInternalTrafficPolicy());
        ServicePort port = created.getSpec().getPorts().get(0);
        assertEquals("TCP", port.getProtocol());
        assertEquals(new IntOrString(8080), port.getTargetPort());
        assertNull(port.getNodePort());
    }

    @Test
    void nodePortServiceGetsAPortInTheNodePortRange() throws UnknownHostException {
        Service svc = new ServiceBuilder().withNewMetadata().withName("frontend").endMetadata()
                .withNewSpec().withType("NodePort").addToSelector("app", "frontend")
                .addNewPort().withPort(80).withTargetPort(new IntOrString(8080)).endPort().endSpec().build();
        Service created = client.services().inNamespace(ns).resource(svc).create();

        assertTrue(inServiceRange(created.getSpec().getClusterIP()), created.getSpec().getClusterIP());
        int nodePort = created.getSpec().getPorts().get(0).getNodePort();
        assertTrue(nodePort >= 30000 && nodePort <= 32767, nodePort + " is in 30000-32767");
        assertEquals("Cluster", created.getSpec().getExternalTrafficPolicy());
        assertEquals(new IntOrString(8080), created.getSpec().getPorts().get(0).getTargetPort());

        Service other = client.services().inNamespace(ns).resource(new ServiceBuilder(svc).editMetadata().withName("frontend2")
                .endMetadata().build()).create();
        assertNotEquals(created.getSpec().getClusterIP(), other.getSpec().getClusterIP());
        assertNotEquals(nodePort, other.getSpec().getPorts().get(0).getNodePort());
    }

    @Test
    void deploymentCrudInAppsV1() {
        Deployment d = deployment("api", null);
        Deployment created = client.apps().deployments().inNamespace(ns).resource(d).create();
        assertEquals("apps/v1", created.getApiVersion());
        assertEquals("Deployment", created.getKind());
        assertEquals(1, created.getSpec().getReplicas());
        assertEquals(10, created.getSpec().getRevisionHistoryLimit());
        assertEquals(600, created.getSpec().getProgressDeadlineSeconds());
        assertEquals("RollingUpdate", created.getSpec().getStrategy().getType());
        assertEquals(new IntOrString("25%"), created.getSpec().getStrategy().getRollingUpdate().getMaxSurge());
        assertEquals(new IntOrString("25%"), created.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable());
        assertEquals("Always", created.getSpec().getTemplate().getSpec().getRestartPolicy());
        assertEquals(1L, created.getMetadata().getGeneration());

        Deployment listed = client.apps().deployments().inNamespace(ns).list().getItems().stream()
                .filter(x -> x.getMetadata().getName().equals("api")).findFirst().orElseThrow();
        assertEquals(created.getMetadata().getUid(), listed.getMetadata().getUid());

        client.apps().deployments().inNamespace(ns).withName("api").delete();
        client.apps().deployments().inNamespace(ns).withName("api").waitUntilCondition(x -> x == null, 5, TimeUnit.SECONDS);
    }

    static ConfigMap configMap(String name, Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().withData(data).build();
    }

    static Deployment deployment(String name, Integer replicas) {
        return new DeploymentBuilder().withNewMetadata().withName(name).addToLabels("app", name).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.27").endContainer()
                .addNewContainer().withName("sidecar").withImage("busybox:1.36").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** 10.96.0.0/12: the first 12 bits are those of 10.96.0.0. */
    private static boolean inServiceRange(String ip) throws UnknownHostException {
        byte[] a = InetAddress.getByName(ip).getAddress();
        return a.length == 4 && (a[0] & 0xff) == 10 && (a[1] & 0xf0) == 96;
    }
}
