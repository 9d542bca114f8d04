package kubefake.client;

import kubefake.store.registry.request.UserInfo;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.runtime.ManualRuntime;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.StoredObject;

/** A registry on a manual runtime's clock, with the namespaces tests write into. */
public final class TestCluster {
    public final ManualRuntime runtime = new ManualRuntime();
    public final MemoryKeyValueStore store = new MemoryKeyValueStore();
    public final Registry registry = new Registry(store, runtime.clock(), ResourceCatalogue.builtIn());
    public final Client admin = new Client(registry, new UserInfo("kubernetes-admin", "", java.util.List.of("kubeadm:cluster-admins")), "kubectl");

    public TestCluster(String... namespaces) {
        for (String ns : namespaces) admin.resource("", "namespaces").create(object("v1", "Namespace", null, ns));
    }

    public static ObjectNode object(String apiVersion, String kind, String namespace, String name) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("apiVersion", apiVersion).put("kind", kind);
        ObjectNode meta = o.putObject("metadata").put("name", name);
        if (namespace != null) meta.put("namespace", namespace);
        return o;
    }

    public static ObjectNode configMap(String namespace, String name, String value) {
        ObjectNode cm = object("v1", "ConfigMap", namespace, name);
        cm.putObject("data").put("v", value);
        return cm;
    }

    public static ObjectNode pod(String namespace, String name, String nodeName) {
        ObjectNode pod = object("v1", "Pod", namespace, name);
        ObjectNode spec = pod.putObject("spec");
        spec.putArray("containers").addObject().put("name", "c").put("image", "nginx");
        if (nodeName != null) spec.put("nodeName", nodeName);
        return pod;
    }

    public static String name(StoredObject o) {
        return Json.parseObject(o.json()).path("metadata").path("name").asText();
    }
}
