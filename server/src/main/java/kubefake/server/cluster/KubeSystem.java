package kubefake.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import kubefake.nodesim.ClusterShape;
import kubefake.nodesim.NodeSpec;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.errors.StatusException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kube-system of the course's kubeadm cluster, as objects: kubeadm's ConfigMaps and add-ons (CoreDNS, kube-proxy)
 * and Calico, created at bootstrap (data in {@code kubefake/cluster/kube-system/*.yaml}) and then run by the
 * controllers like anyone's workloads: the DaemonSets kube-proxy and calico-node, the Deployments coredns (2 replicas)
 * and calico-kube-controllers. kubeadm's static pods (etcd, the API server, the controller manager, the scheduler) are
 * the control plane kubelet's.
 */
public final class KubeSystem {
    /** The Calico release of the lab. */
    public static final String CALICO_VERSION = "v3.29.3";
    public static final String COREDNS_IMAGE = "registry.k8s.io/coredns/coredns:v1.12.0";
    private static final List<String> FILES = List.of("kubeadm", "coredns", "kube-proxy", "calico");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private KubeSystem() {
    }

    /** The add-ons' objects for a cluster of this shape and version. */
    static List<ObjectNode> objects(ClusterShape shape, String kubernetesVersion) {
        NodeSpec controlPlane = shape.controlPlanes().get(0);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("kubernetesVersion", kubernetesVersion);
        values.put("podCIDR", shape.podCidr());
        values.put("serviceCIDR", shape.serviceCidr());
        values.put("controlPlaneEndpoint", controlPlane.internalIp() + ":6443");
        values.put("calicoVersion", CALICO_VERSION);
        List<ObjectNode> out = new ArrayList<>();
        for (String file : FILES) {
            String text = read("/kubefake/cluster/kube-system/" + file + ".yaml");
            for (Map.Entry<String, String> v : values.entrySet()) text = text.replace("{{" + v.getKey() + "}}", v.getValue());
            for (ObjectNode o : documents(text)) out.add(withConfigHash(o));
        }
        return out;
    }

    /** The images kube-system's workloads run: every node has them from the start (kubeadm and Calico pulled them). */
    public static List<String> images(String kubernetesVersion) {
        return List.of("registry.k8s.io/kube-proxy:" + kubernetesVersion, COREDNS_IMAGE,
                "docker.io/calico/node:" + CALICO_VERSION, "docker.io/calico/cni:" + CALICO_VERSION,
                "docker.io/calico/kube-controllers:" + CALICO_VERSION);
    }

    /** Creates what is missing (a second start on the same registry leaves what exists alone). */
    static void create(Registry registry, ClusterShape shape, String kubernetesVersion) {
        for (ObjectNode o : objects(shape, kubernetesVersion)) {
            String apiVersion = Json.text(o, "apiVersion");
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            ResourceStore store = registry.resources().stream()
                    .filter(rs -> rs.type().group().equals(group) && rs.type().kind().equals(Json.text(o, "kind")) && rs.type().storage() == null)
                    .findFirst().orElseThrow(() -> new IllegalStateException("no resource for " + apiVersion + " " + Json.text(o, "kind")));
            ObjectNode meta = Json.metadata(o);
            if (store.find(Json.text(meta, "namespace"), Json.text(meta, "name")) != null) continue;
            try {
                store.create(Json.text(meta, "namespace"), o, RequestContext.LOOPBACK);
            } catch (StatusException e) {
                if (e.code() != 409) throw e;
            }
        }
    }

    /** kubeadm's {@code kubeadm.kubernetes.io/component-config.hash} of a component's ConfigMap: sha256 of its data. */
    private static ObjectNode withConfigHash(ObjectNode o) {
        JsonNode annotations = o.path("metadata").path("annotations");
        var it = annotations.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue().asText().contains("{{")) {
                ((ObjectNode) annotations).put(e.getKey(), "sha256:" + sha256(o.path("data").toString()));
            }
        }
        return o;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<ObjectNode> documents(String text) {
        List<ObjectNode> out = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(text)) {
            var it = YAML.readValues(parser, ObjectNode.class);
            while (it.hasNext()) {
                ObjectNode o = it.next();
                if (o != null && !o.isEmpty()) out.add(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String read(String resource) {
        try (InputStream in = KubeSystem.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
