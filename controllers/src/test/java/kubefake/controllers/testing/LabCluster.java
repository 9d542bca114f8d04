package kubefake.controllers.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.store.registry.request.UserInfo;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ManualRuntime;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.StoredObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The course's kubeadm lab on the manual runtime with the real registry: m-k8s (2 CPUs, the control-plane taint and
 * label) and w1-k8s..w3-k8s (1 CPU each), Ready, with their Leases, as the bootstrap writes them; the namespaces
 * default, kube-system, kube-node-lease and lab. Tests play the kubelets themselves.
 */
public final class LabCluster implements AutoCloseable {
    public static final List<String> WORKERS = List.of("w1-k8s", "w2-k8s", "w3-k8s");
    public final ManualRuntime runtime = new ManualRuntime();
    public final Registry registry = new Registry(new MemoryKeyValueStore(), runtime.clock(), ResourceCatalogue.builtIn());
    public final Client admin = new Client(registry, new UserInfo("kubernetes-admin", "", List.of("kubeadm:cluster-admins")), "kubectl");
    public final SharedInformers informers = new SharedInformers(registry, runtime);
    public final ResourceClient pods = admin.resource("", "pods");
    public final ResourceClient nodes = admin.resource("", "nodes");
    public final ResourceClient leases = admin.resource("coordination.k8s.io", "leases");

    public LabCluster() {
        for (String ns : List.of("default", "kube-system", "kube-node-lease", "lab")) {
            admin.resource("", "namespaces").create(json("{'apiVersion': 'v1', 'kind': 'Namespace', 'metadata': {'name': '" + ns + "'}}"));
        }
        addNode("m-k8s", 2, 1862124, true);
        for (String w : WORKERS) addNode(w, 1, 838124, false);
    }

    /** JSON written with single quotes. */
    public static ObjectNode json(String singleQuoted) {
        return Json.parseObject(singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    public String now() {
        return DateTimeFormatter.ISO_INSTANT.format(runtime.clock().instant().truncatedTo(ChronoUnit.SECONDS));
    }

    /** A kubeadm node (allocatable memory = capacity less the kubelet's 100Mi eviction threshold) and its Lease. */
    public void addNode(String name, int cpus, long memoryKi, boolean controlPlane) {
        ObjectNode node = json("{'apiVersion': 'v1', 'kind': 'Node', 'metadata': {'name': '" + name + "', 'labels': {"
                + "'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',"
                + " 'kubernetes.io/hostname': '" + name + "', 'kubernetes.io/os': 'linux'}}, 'spec': {}, 'status': {}}");
        if (controlPlane) {
            ((ObjectNode) node.path("metadata").path("labels")).put("node-role.kubernetes.io/control-plane", "")
                    .put("node.kubernetes.io/exclude-from-external-load-balancers", "");
            node.with("spec").putArray("taints").addObject().put("key", "node-role.kubernetes.io/control-plane").put("effect", "NoSchedule");
        }
        ObjectNode status = node.with("status");
        status.putObject("capacity").put("cpu", Integer.toString(cpus)).put("memory", memoryKi + "Ki").put("pods", "110");
        status.putObject("allocatable").put("cpu", Integer.toString(cpus)).put("memory", (memoryKi - 102400) + "Ki").put("pods", "110");
        ArrayNode conditions = status.putArray("conditions");
        String t = now();
        condition(conditions, "MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", t);
        condition(conditions, "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", t);
        condition(conditions, "PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", t);
        condition(conditions, "Ready", "True", "KubeletReady", "kubelet is posting ready status", t);
        nodes.create(node);
        leases.create(json("{'apiVersion': 'coordination.k8s.io/v1', 'kind': 'Lease', 'metadata': {'name': '" + name
                + "', 'namespace': 'kube-node-lease'}, 'spec': {'holderIdentity': '" + name + "', 'leaseDurationSeconds': 40,"
                + " 'renewTime': '" + microTime(runtime.clock().instant()) + "'}}"));
    }

    private static void condition(ArrayNode conditions, String type, String status, String reason, String message, String time) {
        conditions.addObject().put("type", type).put("status", status).put("lastHeartbeatTime", time)
                .put("lastTransitionTime", time).put("reason", reason).put("message", message);
    }

    static String microTime(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC).format(t);
    }

    /** What a kubelet does every 10 s: renews its node's Lease. */
    public void renewLease(String node) {
        String time = microTime(runtime.clock().instant());
        leases.patch("kube-node-lease", node, l -> {
            l.with("spec").put("renewTime", time);
            return l;
        });
    }

    /** What a kubelet does when it comes back: every condition posted afresh, Ready=True. */
    public void postReadyStatus(String node) {
        String t = now();
        nodes.patchStatus("", node, n -> {
            for (JsonNode c : n.path("status").path("conditions")) {
                ObjectNode cond = (ObjectNode) c;
                String type = cond.path("type").asText();
                String wanted = type.equals("Ready") ? "True" : "False";
                if (!cond.path("status").asText().equals(wanted)) cond.put("lastTransitionTime", t);
                cond.put("status", wanted).put("lastHeartbeatTime", t);
                switch (type) {
                    case "Ready" -> cond.put("reason", "KubeletReady").put("message", "kubelet is posting ready status");
                    case "MemoryPressure" -> cond.put("reason", "KubeletHasSufficientMemory").put("message", "kubelet has sufficient memory available");
                    case "DiskPressure" -> cond.put("reason", "KubeletHasNoDiskPressure").put("message", "kubelet has no disk pressure");
                    case "PIDPressure" -> cond.put("reason", "KubeletHasSufficientPID").put("message", "kubelet has sufficient PID available");
                    default -> { }
                }
            }
            return n;
        });
    }

    /** A pod in lab with one nginx container; {@code spec} adds fields (JSON members with single quotes, or ""). */
    public StoredObject createPod(String name, String spec) {
        return pods.create(json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': '" + name + "', 'namespace': 'lab'},"
                + " 'spec': {" + (spec.isEmpty() ? "" : spec + ", ") + "'containers': [{'name': 'c', 'image': 'nginx'}]}}"));
    }

    public ObjectNode pod(String name) {
        return pods.get("lab", name).toNode();
    }

    public String nodeOf(String pod) {
        return pod(pod).path("spec").path("nodeName").asText();
    }

    /** Marks a pod Running and Ready, as its kubelet would. */
    public void markReady(String namespace, String name) {
        String t = now();
        pods.patchStatus(namespace, name, p -> {
            ObjectNode s = p.with("status");
            s.put("phase", "Running");
            ArrayNode conditions = s.withArray("conditions");
            for (String type : List.of("Initialized", "Ready", "ContainersReady")) {
                conditions.addObject().put("type", type).put("status", "True").putNull("lastProbeTime").put("lastTransitionTime", t);
            }
            return p;
        });
    }

    /** Marks a pod Running with an IP, ready or not, its Ready condition changing now, as its kubelet would. */
    public void markRunning(String namespace, String name, String ip, boolean ready) {
        String t = now();
        pods.patchStatus(namespace, name, p -> {
            ObjectNode s = p.with("status");
            s.put("phase", "Running").put("podIP", ip);
            s.putArray("podIPs").addObject().put("ip", ip);
            s.putArray("conditions").addObject().put("type", "Ready").put("status", ready ? "True" : "False")
                    .put("lastTransitionTime", t);
            return p;
        });
    }

    /** The events of a namespace, as the events.k8s.io API shows them, oldest first. */
    public List<ObjectNode> events(String namespace) {
        List<ObjectNode> out = new ArrayList<>();
        for (StoredObject e : admin.resource("events.k8s.io", "events").list(namespace)) out.add(e.toNode());
        out.sort(java.util.Comparator.comparingLong(e -> Long.parseLong(e.path("metadata").path("resourceVersion").asText())));
        return out;
    }

    /** The core/v1 events of a namespace, oldest first. */
    public List<ObjectNode> coreEvents(String namespace) {
        List<ObjectNode> out = new ArrayList<>();
        for (StoredObject e : admin.resource("", "events").list(namespace)) out.add(e.toNode());
        out.sort(java.util.Comparator.comparingLong(e -> Long.parseLong(e.path("metadata").path("resourceVersion").asText())));
        return out;
    }

    @Override
    public void close() {
        informers.close();
        runtime.close();
    }
}
