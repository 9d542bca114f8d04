package kubefake.server.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.nodesim.ClusterShape;
import kubefake.server.KubefakeCluster;
import kubefake.store.durability.Durability;
import kubefake.store.mvcc.DeferredDurability;
import kubefake.store.registry.Json;
import kubefake.store.registry.request.UserInfo;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Fills a data directory with many Running-looking pods for measuring LISTs at size (not a test): {@code PodPreload
 * DIR COUNT [NAMESPACES]} starts a control-plane-only cluster (no workers) on DIR, creates COUNT pods spread over
 * NAMESPACES namespaces through the in-process registry (the create path a client's POST takes, managedFields and
 * all), gives each the status a kubelet writes for a running one-container pod, and stops. {@code kubefake up
 * --data-dir DIR --workers 0} then serves them. The pods name a scheduler that does not exist, so nothing else
 * writes them; their rows look like a Deployment's Running pods (node column aside: they are bound to no node, which
 * keeps the pod garbage collector off them).
 */
public final class PodPreload {
    private static final UserInfo ADMIN = new UserInfo("preload", "", List.of("system:masters"));

    private PodPreload() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int namespaces = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        long t0 = System.nanoTime();
        try (KubefakeCluster c = KubefakeCluster.start(KubefakeCluster.Options.defaults(dir).withPort(0)
                .withBindAddress("127.0.0.1").withAdvertiseAddress(InetAddress.getByName("127.0.0.1"))
                .withShape(ClusterShape.labWithWorkers(0)).withDurability(Durability.FSYNC))) {
            Client admin = new Client(c.registry(), ADMIN, "kube-controller-manager");
            Client kubelet = new Client(c.registry(), ADMIN, "kubelet");
            for (int n = 0; n < namespaces; n++) ClusterBenchmark.namespace(c, "app-" + n);
            ResourceClient pods = admin.resource("", "pods");
            ResourceClient statuses = kubelet.resource("", "pods");
            int perNamespace = (count + namespaces - 1) / namespaces;
            int made = 0;
            for (int n = 0; n < namespaces && made < count; n++) {
                String ns = "app-" + n;
                var deferral = DeferredDurability.begin();
                try {
                    for (int i = 0; i < perNamespace && made < count; i++, made++) {
                        String name = String.format(Locale.ROOT, "web-%08x-%05d", n * 2654435761L & 0xffffffffL, i);
                        var created = pods.create(pod(ns, name));
                        ObjectNode withStatus = created.tree().deepCopy();
                        withStatus.set("status", runningStatus(made));
                        statuses.updateStatus(withStatus);
                    }
                } finally {
                    deferral.end();
                }
                if (n % 10 == 9) System.err.printf("%d pods, %.1f s%n", made, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf("RESULT %d pods in %d namespaces written in %.1f s, store at revision %d%n", made, namespaces,
                    (System.nanoTime() - t0) / 1e9, c.keyValueStore().currentRevision());
        }
        System.exit(0);
    }

    private static ObjectNode pod(String ns, String name) {
        ObjectNode pod = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata").put("name", name).put("namespace", ns);
        meta.putObject("labels").put("app", "web").put("pod-template-hash", name.substring(4, 12));
        ObjectNode spec = pod.putObject("spec").put("schedulerName", "preload-none");
        ObjectNode container = spec.putArray("containers").addObject().put("name", "web").put("image", "nginx:1.27");
        container.putArray("ports").addObject().put("containerPort", 80).put("protocol", "TCP");
        container.putObject("resources").putObject("requests").put("cpu", "10m").put("memory", "16Mi");
        return pod;
    }

    /** What a kubelet reports for a running one-container pod (times fixed: they do not matter to a LIST). */
    private static ObjectNode runningStatus(int i) {
        String at = "2026-12-07T19:00:00Z";
        String ip = "10.244." + (i >> 8 & 0xff) + "." + (i & 0xff);
        ObjectNode s = Json.MAPPER.createObjectNode().put("phase", "Running");
        ArrayNode conditions = s.putArray("conditions");
        for (String type : List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")) {
            conditions.addObject().put("type", type).put("status", "True").putNull("lastProbeTime").put("lastTransitionTime", at);
        }
        s.put("hostIP", "192.168.1.101");
        s.putArray("hostIPs").addObject().put("ip", "192.168.1.101");
        s.put("podIP", ip);
        s.putArray("podIPs").addObject().put("ip", ip);
        s.put("startTime", at);
        ObjectNode cs = s.putArray("containerStatuses").addObject().put("name", "web");
        cs.putObject("state").putObject("running").put("startedAt", at);
        cs.putObject("lastState");
        cs.put("ready", true).put("restartCount", 0).put("image", "docker.io/library/nginx:1.27")
                .put("imageID", "docker.io/library/nginx@sha256:" + "0123456789abcdef".repeat(4))
                .put("containerID", String.format(Locale.ROOT, "containerd://%064x", (long) i * 0x9E3779B97F4A7C15L))
                .put("started", true);
        s.put("qosClass", "Burstable");
        return s;
    }
}
