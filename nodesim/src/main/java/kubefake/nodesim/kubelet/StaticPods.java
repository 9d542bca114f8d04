package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import kubefake.nodesim.runtime.Image;
import kubefake.nodesim.runtime.ImageCatalogue;
import kubefake.store.registry.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A node's static pods: the manifests kubeadm writes in {@code /etc/kubernetes/manifests} of a control-plane node
 * (etcd, kube-apiserver, kube-controller-manager, kube-scheduler), read by the kubelet's file source
 * ({@code pkg/kubelet/config/common.go}: name {@code <name>-<node>}, uid and {@code kubernetes.io/config.hash} the md5
 * of the manifest and its node and path, the NoExecute toleration) and mirrored in the API as mirror pods
 * ({@code pkg/kubelet/pod/mirror_client.go}: the {@code kubernetes.io/config.mirror} annotation and the Node as
 * controller owner).
 */
final class StaticPods {
    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
    static final String HASH_ANNOTATION = "kubernetes.io/config.hash";
    static final String SEEN_ANNOTATION = "kubernetes.io/config.seen";
    static final String SOURCE_ANNOTATION = "kubernetes.io/config.source";
    /** The manifests of kubeadm 1.33, in the order their files sort. */
    static final List<String> KUBEADM_MANIFESTS = List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");
    /** The etcd kubeadm 1.33 deploys. */
    static final String ETCD_VERSION = "3.5.21-0";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One static pod as the kubelet read it. */
    record StaticPod(ObjectNode pod, String hash) {
        /** The mirror pod the kubelet creates for it. */
        ObjectNode mirrorPod(String nodeName, String nodeUid) {
            ObjectNode mirror = pod.deepCopy();
            ObjectNode meta = Json.metadata(mirror);
            meta.remove("uid");
            meta.remove("creationTimestamp");
            meta.with("annotations").put(MIRROR_ANNOTATION, hash);
            ArrayNode owners = meta.putArray("ownerReferences");
            owners.addObject().put("apiVersion", "v1").put("controller", true).put("kind", "Node")
                    .put("name", nodeName).put("uid", nodeUid);
            mirror.remove("status");
            return mirror;
        }
    }

    private final List<StaticPod> pods;
    private List<PodWorker> workers;

    private StaticPods(List<StaticPod> pods) {
        this.pods = pods;
    }

    /** A node without static pods (a worker). */
    static StaticPods none() {
        return new StaticPods(List.of());
    }

    /**
     * kubeadm's control plane on a node: its manifests filled with the node's name and address, the cluster's
     * networks and version, the kubelet's defaults applied.
     */
    static StaticPods kubeadmControlPlane(String nodeName, String advertiseAddress, String kubernetesVersion,
                                          String podCidr, String serviceCidr, Instant seen) {
        Map<String, String> values = Map.of("nodeName", nodeName, "advertiseAddress", advertiseAddress,
                "apiServerPort", "6443", "kubernetesVersion", kubernetesVersion, "etcdVersion", ETCD_VERSION,
                "podCIDR", podCidr, "serviceCIDR", serviceCidr);
        List<StaticPod> pods = new ArrayList<>();
        for (String manifest : KUBEADM_MANIFESTS) {
            String text = read("/kubefake/nodesim/static-pods/" + manifest + ".yaml");
            for (Map.Entry<String, String> v : values.entrySet()) text = text.replace("{{" + v.getKey() + "}}", v.getValue());
            pods.add(fromFile(text, "/etc/kubernetes/manifests/" + manifest + ".yaml", nodeName, seen));
        }
        return new StaticPods(List.copyOf(pods));
    }

    private static String read(String resource) {
        try (InputStream in = StaticPods.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kubelet's file source: a manifest as the pod it runs. */
    static StaticPod fromFile(String manifest, String path, String nodeName, Instant seen) {
        ObjectNode pod;
        try {
            pod = (ObjectNode) YAML.readTree(manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String hash = md5(manifest + "host:" + nodeName + "file:" + path);
        ObjectNode meta = Json.metadata(pod);
        meta.remove("creationTimestamp");
        meta.put("name", Json.text(meta, "name") + "-" + nodeName);
        if (Json.text(meta, "namespace").isEmpty()) meta.put("namespace", "default");
        meta.put("uid", hash);
        ObjectNode annotations = meta.with("annotations");
        annotations.put(HASH_ANNOTATION, hash);
        annotations.put(SEEN_ANNOTATION, rfc3339Nano(seen));
        annotations.put(SOURCE_ANNOTATION, "file");
        ObjectNode spec = (ObjectNode) pod.path("spec");
        spec.put("nodeName", nodeName);
        ArrayNode tolerations = spec.withArray("tolerations");
        boolean has = false;
        for (JsonNode t : tolerations) {
            if (t.path("operator").asText().equals("Exists") && t.path("effect").asText().equals("NoExecute") && !t.has("key")) has = true;
        }
        if (!has) tolerations.addObject().put("effect", "NoExecute").put("operator", "Exists");
        pod.remove("status");
        return new StaticPod(pod, hash);
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Go's RFC3339Nano: nanoseconds with their trailing zeros dropped. */
    static String rfc3339Nano(Instant t) {
        String base = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(t);
        if (t.getNano() == 0) return base + "Z";
        String nanos = String.format("%09d", t.getNano()).replaceAll("0+$", "");
        return base + "." + nanos + "Z";
    }

    List<StaticPod> pods() {
        return pods;
    }

    /** The images the static pods run (on the node from the start, as kubeadm pulled them before init). */
    List<Image> images(ImageCatalogue catalogue) {
        List<Image> out = new ArrayList<>();
        for (StaticPod p : pods) {
            for (JsonNode c : p.pod().path("spec").path("containers")) out.add(catalogue.resolve(c.path("image").asText()));
        }
        return out;
    }

    /** The kubelet's workers for its static pods, made once (null until then). */
    List<PodWorker> workers() {
        return workers;
    }

    List<PodWorker> createWorkers(Kubelet kubelet) {
        List<PodWorker> list = new ArrayList<>();
        for (StaticPod p : pods) list.add(new PodWorker(kubelet, p.pod().deepCopy(), null, p));
        workers = List.copyOf(list);
        return workers;
    }
}
