package kubefake.server.e2e;

import io.kubernetes.client.ProtoClient;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.util.Config;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official Java client in its protobuf mode ({@code ProtoClient}: Accept and Content-Type
 * application/vnd.kubernetes.protobuf only) against the test cluster, with the admin.conf kubeadm would write.
 */
class OfficialJavaClientProtobufE2ETest {
    private static final String NS = "java-proto";
    private static ProtoClient client;

    @BeforeAll
    static void client() throws Exception {
        ApiClient api = Config.fromConfig(TestCluster.get().adminConf().toString());
        client = new ProtoClient(api);
        client.create(V1.Namespace.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName(NS)).build(),
                "/api/v1/namespaces", "v1", "Namespace");
    }

    @Test
    void createGetListUpdateAndDeleteAConfigMap() throws Exception {
        String path = "/api/v1/namespaces/" + NS + "/configmaps";
        V1.ConfigMap cm = V1.ConfigMap.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("cm").putLabels("app", "proto"))
                .putData("k", "v").build();
        ProtoClient.ObjectOrStatus<V1.ConfigMap> created = client.create(cm, path, "v1", "ConfigMap");
        assertNull(created.status, String.valueOf(created.status));
        assertEquals("cm", created.object.getMetadata().getName());
        assertEquals(NS, created.object.getMetadata().getNamespace());
        assertTrue(created.object.getMetadata().getCreationTimestamp().getSeconds() > 0);
        assertEquals("v", created.object.getDataMap().get("k"));

        ProtoClient.ObjectOrStatus<V1.ConfigMap> got = client.get(V1.ConfigMap.newBuilder(), path + "/cm");
        assertEquals(created.object.getMetadata().getUid(), got.object.getMetadata().getUid());
        assertEquals("proto", got.object.getMetadata().getLabelsMap().get("app"));

        V1.ConfigMap changed = got.object.toBuilder().putData("k", "w").build();
        ProtoClient.ObjectOrStatus<V1.ConfigMap> updated = client.update(changed, path + "/cm", "v1", "ConfigMap");
        assertNull(updated.status, String.valueOf(updated.status));
        assertEquals("w", updated.object.getDataMap().get("k"));

        ProtoClient.ObjectOrStatus<V1.ConfigMapList> list = client.list(V1.ConfigMapList.newBuilder(), path);
        assertTrue(list.object.getItemsList().stream().anyMatch(i -> i.getMetadata().getName().equals("cm")));
        assertTrue(Long.parseLong(list.object.getMetadata().getResourceVersion()) > 0);

        ProtoClient.ObjectOrStatus<V1.ConfigMap> deleted = client.delete(V1.ConfigMap.newBuilder(), path + "/cm");
        assertNotNull(deleted.status, "a deleted ConfigMap is answered with a Success Status");
        assertEquals("Success", deleted.status.getStatus());
    }

    @Test
    void errorsArriveAsStatuses() throws Exception {
        ProtoClient.ObjectOrStatus<V1.ConfigMap> missing = client.get(V1.ConfigMap.newBuilder(), "/api/v1/namespaces/" + NS + "/configmaps/nope");
        assertNull(missing.object);
        assertEquals(404, missing.status.getCode());
        assertEquals("NotFound", missing.status.getReason());
        assertEquals("configmaps \"nope\" not found", missing.status.getMessage());

        V1.ConfigMap bad = V1.ConfigMap.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("Bad_Name")).build();
        ProtoClient.ObjectOrStatus<V1.ConfigMap> invalid = client.create(bad, "/api/v1/namespaces/" + NS + "/configmaps", "v1", "ConfigMap");
        assertEquals(422, invalid.status.getCode());
        assertEquals("metadata.name", invalid.status.getDetails().getCauses(0).getField());
    }

    @Test
    void readsNodesAndTheirStatus() throws Exception {
        ProtoClient.ObjectOrStatus<V1.NodeList> nodes = client.list(V1.NodeList.newBuilder(), "/api/v1/nodes");
        assertEquals(4, nodes.object.getItemsCount());
        V1.Node node = nodes.object.getItemsList().stream().filter(n -> n.getMetadata().getName().equals("w1-k8s")).findFirst().orElseThrow();
        assertTrue(node.getStatus().getCapacityMap().containsKey("cpu"));
        assertTrue(node.getStatus().getConditionsList().stream().anyMatch(c -> c.getType().equals("Ready")));
    }
}
