package kubefake.controllers.rootcacertpublisher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.ResourceClient;
import kubefake.controllers.ControllerTestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static kubefake.controllers.ControllerTestCluster.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The root CA publisher on the manual runtime: kube-root-ca.crt in every namespace, as the real one keeps it. */
class RootCaCertPublisherTest {
    private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIC/jCCAeagAwIBAgIBADANBgkqhkiG9w0BAQsFADAV\n-----END CERTIFICATE-----\n";
    private final ControllerTestCluster cluster = new ControllerTestCluster("default", "kube-system");
    private final ResourceClient configMaps = cluster.admin.resource("", "configmaps");
    private RootCaCertPublisher publisher;

    private void start() {
        publisher = new RootCaCertPublisher(cluster.controllerClient(RootCaCertPublisher.SERVICE_ACCOUNT), cluster.informers,
                cluster.runtime, CA);
        publisher.start();
        cluster.start();
    }

    @AfterEach
    void close() {
        if (publisher != null) publisher.close();
        cluster.close();
    }

    private ObjectNode rootCa(String namespace) {
        return configMaps.get(namespace, "kube-root-ca.crt").toNode();
    }

    private void assertPublished(ObjectNode cm) {
        assertEquals(CA, cm.path("data").path("ca.crt").asText());
        assertEquals(1, cm.path("data").size());
        assertEquals("Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the"
                        + " internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of"
                        + " Kubernetes clusters.",
                cm.path("metadata").path("annotations").path("kubernetes.io/description").asText());
    }

    @Test
    void everyNamespaceExistingOrNewGetsTheConfigMap() {
        start();
        assertPublished(rootCa("default"));
        assertPublished(rootCa("kube-system"));
        cluster.admin.resource("", "namespaces").create(object("v1", "Namespace", null, "lab"));
        cluster.runtime.runUntilIdle();
        assertPublished(rootCa("lab"));
    }

    @Test
    void deletedItComesBack() {
        start();
        configMaps.delete("default", "kube-root-ca.crt");
        cluster.runtime.runUntilIdle();
        assertPublished(rootCa("default"));
    }

    @Test
    void editedItIsRestoredKeepingOtherAnnotations() {
        start();
        configMaps.patch("default", "kube-root-ca.crt", cm -> {
            cm.with("data").put("ca.crt", "not a CA").put("extra", "x");
            ObjectNode annotations = cm.with("metadata").with("annotations");
            annotations.remove("kubernetes.io/description");
            annotations.put("team", "infra");
            return cm;
        });
        cluster.runtime.runUntilIdle();
        ObjectNode cm = rootCa("default");
        assertPublished(cm);
        assertEquals("infra", cm.path("metadata").path("annotations").path("team").asText());
    }

    @Test
    void otherConfigMapsAreLeftAlone() {
        start();
        configMaps.create(object("v1", "ConfigMap", "default", "settings"));
        configMaps.delete("default", "settings");
        cluster.runtime.runUntilIdle();
        assertTrue(configMaps.find("default", "settings").isEmpty());
        assertEquals(List.of("kube-root-ca.crt"), configMaps.list("default").stream()
                .map(o -> o.toNode().path("metadata").path("name").asText()).toList());
    }

    @Test
    void aTerminatingNamespaceIsNotRefilled() {
        cluster.admin.resource("", "namespaces").create(object("v1", "Namespace", null, "going"));
        configMaps.create(object("v1", "ConfigMap", "going", "keeps-it-terminating"));
        start();
        cluster.admin.resource("", "namespaces").delete("", "going");
        configMaps.delete("going", "kube-root-ca.crt");
        cluster.runtime.runUntilIdle();
        assertTrue(configMaps.find("going", "kube-root-ca.crt").isEmpty());
    }
}
