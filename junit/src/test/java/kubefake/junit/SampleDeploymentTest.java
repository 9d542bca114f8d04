package kubefake.junit;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's example: a Deployment made with fabric8, its pods Running, listed with fabric8 and the official client. */
@KubefakeTest
class SampleDeploymentTest {
    KubernetesClient client;   // fabric8
    ApiClient api;             // the official io.kubernetes:client-java

    @Test
    void deploymentPodsRunAndBothClientsListThem() throws Exception {
        Deployment web = new DeploymentBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("nginx").withImage("nginx:1.27").endContainer().endSpec()
                .endTemplate().endSpec().build();
        client.apps().deployments().inNamespace("default").resource(web).create();

        client.apps().deployments().inNamespace("default").withName("web").waitUntilCondition(
                d -> d != null && d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas()),
                60, TimeUnit.SECONDS);

        List<Pod> fabric8Pods = client.pods().inNamespace("default").withLabel("app", "web").list().getItems();
        assertEquals(List.of("Running", "Running"), fabric8Pods.stream().map(p -> p.getStatus().getPhase()).toList());
        List<V1Pod> officialPods = new CoreV1Api(api).listNamespacedPod("default").labelSelector("app=web").execute().getItems();
        assertEquals(fabric8Pods.stream().map(p -> p.getMetadata().getName()).sorted().toList(),
                officialPods.stream().map(p -> p.getMetadata().getName()).sorted().toList());
        assertEquals(List.of("Running", "Running"), officialPods.stream().map(p -> p.getStatus().getPhase()).toList());
    }
}
