package kubefake.controllers.resourcequota;

import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.controllers.testing.LabCluster;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.UserInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static kubefake.controllers.testing.LabCluster.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The quota controller on the manual runtime: status.hard and status.used as kubectl describe quota shows them. */
class ResourceQuotaControllerTest {
    private final LabCluster lab = new LabCluster();
    private final ResourceClient quotas = lab.admin.resource("", "resourcequotas");
    private final ResourceClient configMaps = lab.admin.resource("", "configmaps");
    private ResourceQuotaController controller;

    @BeforeEach
    void start() {
        controller = new ResourceQuotaController(new Client(lab.registry,
                UserInfo.controllerServiceAccount(ResourceQuotaController.SERVICE_ACCOUNT), "kube-controller-manager"),
                lab.informers, lab.runtime);
        controller.start();
        lab.informers.start();
        lab.runtime.runUntilIdle();
    }

    @AfterEach
    void close() {
        controller.close();
        lab.close();
    }

    private void quota(String name, String spec) {
        quotas.create(json("{'apiVersion': 'v1', 'kind': 'ResourceQuota', 'metadata': {'name': '" + name
                + "', 'namespace': 'lab'}, 'spec': {" + spec + "}}"));
        lab.runtime.runUntilIdle();
    }

    private String status(String name) {
        return quotas.get("lab", name).toNode().path("status").toString();
    }

    private void pod(String name, String cpu) {
        lab.pods.create(json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': '" + name + "', 'namespace': 'lab'},"
                + " 'spec': {'containers': [{'name': 'c', 'image': 'nginx', 'resources': {'requests': {'cpu': '" + cpu
                + "'}, 'limits': {'cpu': '" + cpu + "'}}}]}}"));
        lab.runtime.runUntilIdle();
    }

    @Test
    void countsWhatTheNamespaceUsesAndRefusesWhatWouldGoOver() {
        pod("a", "250m");
        quota("q", "'hard': {'pods': '2', 'requests.cpu': '1', 'count/configmaps': '1', 'services.loadbalancers': '0'}");
        assertEquals("{\"hard\":{\"count/configmaps\":\"1\",\"pods\":\"2\",\"requests.cpu\":\"1\",\"services.loadbalancers\":\"0\"},"
                + "\"used\":{\"count/configmaps\":\"0\",\"pods\":\"1\",\"requests.cpu\":\"250m\",\"services.loadbalancers\":\"0\"}}",
                status("q"));
        pod("b", "500m");
        assertEquals("{\"count/configmaps\":\"0\",\"pods\":\"2\",\"requests.cpu\":\"750m\",\"services.loadbalancers\":\"0\"}",
                quotas.get("lab", "q").toNode().path("status").path("used").toString());
        StatusException e = assertThrows(StatusException.class, () -> pod("c", "100m"));
        assertEquals("pods \"c\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2", e.getMessage());
    }

    @Test
    void finishedAndDeletedObjectsAreGivenBack() {
        quota("q", "'hard': {'pods': '1', 'configmaps': '1'}");
        pod("a", "100m");
        configMaps.create(json("{'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c', 'namespace': 'lab'}}"));
        lab.runtime.runUntilIdle();
        assertEquals("{\"configmaps\":\"1\",\"pods\":\"1\"}", quotas.get("lab", "q").toNode().path("status").path("used").toString());
        lab.pods.patchStatus("lab", "a", p -> {
            p.with("status").put("phase", "Succeeded");
            return p;
        });
        configMaps.delete("lab", "c");
        lab.runtime.runUntilIdle();
        assertEquals("{\"configmaps\":\"0\",\"pods\":\"0\"}", quotas.get("lab", "q").toNode().path("status").path("used").toString());
        pod("b", "100m");
    }

    @Test
    void scopedQuotasCountOnlyTheirPods() {
        quota("best-effort", "'hard': {'pods': '5'}, 'scopes': ['BestEffort']");
        pod("a", "100m");
        lab.pods.create(json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'free', 'namespace': 'lab'},"
                + " 'spec': {'containers': [{'name': 'c', 'image': 'nginx'}]}}"));
        lab.runtime.runUntilIdle();
        assertEquals("{\"pods\":\"1\"}", quotas.get("lab", "best-effort").toNode().path("status").path("used").toString());
    }
}
