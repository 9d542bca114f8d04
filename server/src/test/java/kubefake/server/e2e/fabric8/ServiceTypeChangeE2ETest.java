package kubefake.server.e2e.fabric8;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import kubefake.server.e2e.Kubectl;
import kubefake.server.e2e.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ClusterIP Service turned into an ExternalName one, as kubectl replace and fabric8's update do it: accepted,
 * the address released (a new Service may take it), as on a real 1.33 server (the REST storage's
 * normalizeClusterIPs and the allocator's release, the strategy's dropTypeDependentFields).
 */
class ServiceTypeChangeE2ETest {
    private static KubernetesClient client;
    private static String ns;

    @BeforeAll
    static void connect() {
        client = Fabric8Clients.adminWithHttpWatches();
        ns = Fabric8Clients.newNamespace(client, "service-types");
    }

    @AfterAll
    static void close() {
        Fabric8Clients.deleteNamespace(ns);
        client.close();
    }

    private static String clusterIpService(String name, String ip) {
        return "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + name + "\n  namespace: " + ns + "\nspec:\n"
                + "  clusterIP: " + ip + "\n  selector:\n    app: web\n  ports:\n  - port: 80\n";
    }

    @Test
    void kubectlReplaceToExternalNameReleasesTheAddress() {
        int octet = 20;
        for (String version : List.of("1.27", "1.33")) {
            Kubectl k = TestCluster.kubectl(version);
            String ip = "10.100.201." + octet++;
            String name = "replaced-" + version.replace('.', '-');
            Kubectl.Result created = k.runWithInput(clusterIpService(name, ip), "create", "-f", "-");
            assertEquals(0, created.exitCode(), created.toString());
            String external = "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + name + "\n  namespace: " + ns + "\nspec:\n"
                    + "  type: ExternalName\n  externalName: db.example.com\n  clusterIP: \"\"\n  ports:\n  - port: 80\n";
            Kubectl.Result replaced = k.runWithInput(external, "replace", "-f", "-");
            assertEquals(0, replaced.exitCode(), replaced.toString());
            assertEquals("service/" + name + " replaced\n", replaced.out());
            Kubectl.Result reused = k.runWithInput(clusterIpService(name + "-next", ip), "create", "-f", "-");
            assertEquals(0, reused.exitCode(), "the address " + ip + " is free again: " + reused);
        }
    }

    @Test
    void fabric8UpdateToExternalNameReleasesTheAddress() {
        Service created = client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName("updated")
                .endMetadata().withNewSpec().withClusterIP("10.100.201.40").withSelector(Map.of("app", "web"))
                .addNewPort().withPort(80).endPort().endSpec().build()).create();
        created.getSpec().setType("ExternalName");
        created.getSpec().setExternalName("db.example.com");
        created.getSpec().setClusterIP("");
        created.getSpec().setClusterIPs(null);
        Service updated = client.services().inNamespace(ns).resource(created).update();
        assertEquals("ExternalName", updated.getSpec().getType());
        assertTrue(updated.getSpec().getClusterIP() == null || updated.getSpec().getClusterIP().isEmpty());
        // fabric8 reads an absent list as an empty one
        assertTrue(updated.getSpec().getClusterIPs() == null || updated.getSpec().getClusterIPs().isEmpty());
        assertTrue(updated.getSpec().getIpFamilies() == null || updated.getSpec().getIpFamilies().isEmpty());
        assertNull(updated.getSpec().getIpFamilyPolicy());
        Service next = client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName("updated-next")
                .endMetadata().withNewSpec().withClusterIP("10.100.201.40").withSelector(Map.of("app", "web"))
                .addNewPort().withPort(80).endPort().endSpec().build()).create();
        assertEquals("10.100.201.40", next.getSpec().getClusterIP());
    }
}
