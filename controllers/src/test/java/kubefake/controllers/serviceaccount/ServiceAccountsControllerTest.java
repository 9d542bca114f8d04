package kubefake.controllers.serviceaccount;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.ResourceClient;
import kubefake.controllers.ControllerTestCluster;
import kubefake.store.registry.StoredObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeSet;

import static kubefake.controllers.ControllerTestCluster.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service account controller on the manual runtime: {@code default} in every namespace, as {@code get sa -A} shows. */
class ServiceAccountsControllerTest {
    private final ControllerTestCluster cluster = new ControllerTestCluster("default", "kube-system", "kube-public", "kube-node-lease");
    private final ResourceClient namespaces = cluster.admin.resource("", "namespaces");
    private final ResourceClient accounts = cluster.admin.resource("", "serviceaccounts");
    private ServiceAccountsController controller;

    private void start() {
        controller = new ServiceAccountsController(cluster.controllerClient(ServiceAccountsController.SERVICE_ACCOUNT),
                cluster.informers, cluster.runtime);
        controller.start();
        cluster.start();
    }

    @AfterEach
    void close() {
        if (controller != null) controller.close();
        cluster.close();
    }

    /** namespace/name of every ServiceAccount. */
    private TreeSet<String> all() {
        TreeSet<String> out = new TreeSet<>();
        for (StoredObject o : accounts.list(null)) {
            ObjectNode sa = o.toNode();
            out.add(sa.path("metadata").path("namespace").asText() + "/" + sa.path("metadata").path("name").asText());
        }
        return out;
    }

    @Test
    void everyExistingNamespaceGetsItsDefaultAccount() {
        start();
        assertEquals(new TreeSet<>(List.of("default/default", "kube-node-lease/default", "kube-public/default", "kube-system/default")), all());
    }

    @Test
    void aNewNamespaceGetsItWithoutTimePassing() {
        start();
        namespaces.create(object("v1", "Namespace", null, "lab"));
        cluster.runtime.runUntilIdle();
        ObjectNode sa = accounts.get("lab", "default").toNode();
        // what `get sa default -o yaml` shows on a real cluster: metadata only, no secrets, no automount field
        assertEquals(new TreeSet<>(List.of("apiVersion", "kind", "metadata")), new TreeSet<>(fieldNames(sa)));
        assertEquals(List.of("creationTimestamp", "name", "namespace", "resourceVersion", "uid"),
                new TreeSet<>(fieldNames((ObjectNode) sa.path("metadata"))).stream().toList());
    }

    @Test
    void aDeletedDefaultAccountComesBack() {
        start();
        String before = accounts.get("default", "default").toNode().path("metadata").path("uid").asText();
        accounts.delete("default", "default");
        cluster.runtime.runUntilIdle();
        String after = accounts.get("default", "default").toNode().path("metadata").path("uid").asText();
        assertTrue(!after.equals(before), "a new account");
    }

    @Test
    void otherAccountsAreLeftAlone() {
        start();
        accounts.create(object("v1", "ServiceAccount", "default", "builder"));
        cluster.runtime.runUntilIdle();
        accounts.delete("default", "builder");
        cluster.runtime.runUntilIdle();
        assertTrue(accounts.find("default", "builder").isEmpty());
    }

    @Test
    void aTerminatingNamespaceIsNotRefilled() {
        namespaces.create(object("v1", "Namespace", null, "going"));
        cluster.admin.resource("", "configmaps").create(object("v1", "ConfigMap", "going", "keeps-it-terminating"));
        start();
        namespaces.delete("", "going");
        accounts.delete("going", "default");
        cluster.runtime.runUntilIdle();
        assertTrue(accounts.find("going", "default").isEmpty(), "no account created in a namespace being deleted");
    }

    private static List<String> fieldNames(ObjectNode o) {
        List<String> names = new java.util.ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
