package kubefake.nodesim.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.store.registry.request.UserInfo;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.SystemRuntime;
import kubefake.nodesim.ClusterShape;
import kubefake.nodesim.LabTopology;
import kubefake.nodesim.NodeSpec;
import kubefake.nodesim.SimulatedNodes;
import kubefake.nodesim.lifecycle.LifecycleProfile;
import kubefake.nodesim.network.CalicoIpam;
import kubefake.nodesim.network.Ipv4Cidr;
import kubefake.nodesim.runtime.ImageCatalogue;
import kubefake.store.mvcc.Compactor;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.StoredObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The simulated nodes' figures (run by bench/nodesim.sh, not a test): pods brought from create to Running per second
 * with the fast profile, and a cluster of 1,000 nodes with 30 pods each: how long until every pod runs, and the heap
 * it takes. In process, on real time with the production runtime (2 threads); pods are bound by nodeName (no
 * scheduler involved).
 *
 * <p>Usage: {@code NodeSimBenchmark pods N WORKERS} or {@code NodeSimBenchmark cluster NODES PODS_PER_NODE}.
 */
public final class NodeSimBenchmark {
    private NodeSimBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "pods";
        if (what.equals("pods")) {
            int pods = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
            int workers = args.length > 2 ? Integer.parseInt(args[2]) : 10;
            podsPerSecond(Math.max(1, pods / 3), workers, false); // warm-up: the JIT compiles the paths the figure measures
            podsPerSecond(pods, workers, true);
        } else {
            int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
            int perNode = args.length > 2 ? Integer.parseInt(args[2]) : 30;
            bigCluster(nodes, perNode);
        }
        System.exit(0);
    }

    /** A cluster on real time: registry, runtime, informers, nodes registered, kubelets started. */
    private record Cluster(MemoryKeyValueStore store, Registry registry, SystemRuntime runtime, SharedInformers informers,
                           SimulatedNodes nodes, Client admin, Set<String> running, long startedNanos) {
    }

    private static Cluster start(ClusterShape shape) {
        long t0 = System.nanoTime();
        SystemRuntime runtime = SystemRuntime.start();
        MemoryKeyValueStore store = new MemoryKeyValueStore();
        Registry registry = new Registry(store, runtime.clock(), ResourceCatalogue.builtIn());
        Client admin = new Client(registry, new UserInfo("bench", "", List.of("system:masters")), "bench");
        for (String ns : List.of("default", "kube-system", "kube-node-lease", "bench")) {
            ObjectNode o = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
            o.putObject("metadata").put("name", ns);
            admin.resource("", "namespaces").create(o);
        }
        CalicoIpam ipam = new CalicoIpam(Ipv4Cidr.parse(shape.podCidr()));
        for (ObjectNode n : SimulatedNodes.register(shape, ipam, "v1.33.1", runtime.clock().instant())) {
            admin.resource("", "nodes").create(n);
        }
        SharedInformers informers = new SharedInformers(registry, runtime);
        Set<String> running = ConcurrentHashMap.newKeySet();
        informers.informer("", "pods").addHandler(new ResourceEventHandler() {
            @Override
            public void onUpdate(StoredObject old, StoredObject pod) {
                ObjectNode p = pod.toNode();
                if (p.path("status").path("phase").asText().equals("Running")) running.add(Json.text(Json.metadata(p), "uid"));
            }
        });
        SimulatedNodes nodes = new SimulatedNodes(registry, informers, runtime, ipam, new SimulatedNodes.Config(shape,
                LifecycleProfile.shipped("fast"), ImageCatalogue.builtIn(), "v1.33.1", List.of(), 1));
        informers.start();
        nodes.start();
        return new Cluster(store, registry, runtime, informers, nodes, admin, running, t0);
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    private static ObjectNode pod(String name, String node) {
        ObjectNode pod = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", name).put("namespace", "bench");
        ObjectNode spec = pod.putObject("spec");
        spec.put("nodeName", node);
        spec.putArray("containers").addObject().put("name", "web").put("image", "nginx");
        return pod;
    }

    private static void await(Cluster c, int expected, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (c.running().size() < expected) {
            if (System.nanoTime() > deadline) throw new IllegalStateException(c.running().size() + " of " + expected + " running after " + timeoutSeconds + " s");
            Thread.sleep(5);
        }
    }

    /** {@code pods} pods created one after the other on {@code workers} workers: pods per second from create to Running. */
    private static void podsPerSecond(int pods, int workers, boolean report) throws Exception {
        Cluster c = start(ClusterShape.labWithWorkers(workers).withProfile("fast"));
        Thread.sleep(500); // the kubelets' start (leases, static pods) out of the way
        int before = c.running().size();
        long t0 = System.nanoTime();
        for (int i = 0; i < pods; i++) c.admin().resource("", "pods").create(pod("web-" + i, "w" + (i % workers + 1) + "-k8s"));
        long created = System.nanoTime();
        await(c, before + pods, 120);
        long t1 = System.nanoTime();
        double seconds = (t1 - t0) / 1e9;
        if (report) System.out.printf("RESULT %d pods on %d workers (fast profile): created in %.2f s, all Running after %.2f s: %.0f pods/s%n",
                pods, workers, (created - t0) / 1e9, seconds, pods / seconds);
        c.runtime().close();
    }

    /** {@code nodes} workers with {@code perNode} pods each: launch to every pod Running, and the heap afterwards. */
    private static void bigCluster(int nodes, int perNode) throws Exception {
        NodeSpec lab = LabTopology.withWorkers(0).get(0);
        List<NodeSpec> specs = new ArrayList<>(List.of(new NodeSpec(lab.name(), lab.internalIp(), "10.240.0.0/24", null,
                lab.capacity(), true, lab.labels(), lab.taints())));
        for (int i = 1; i <= nodes; i++) {
            specs.add(new NodeSpec("node-" + i, Ipv4Cidr.format(Ipv4Cidr.parseAddress("10.1.0.0") + i), Ipv4Cidr.format(
                    Ipv4Cidr.parseAddress("10.240.0.0") + (long) i * 256) + "/24", null,
                    new NodeSpec.Capacity("4", "16777216Ki", "64194248Ki", 110), false, null, null));
        }
        ClusterShape shape = new ClusterShape(specs, "10.240.0.0/12", ClusterShape.SERVICE_CIDR, "fast", null); // the pod CIDR of --config's 1,000-node example
        Cluster c = start(shape);
        long podsStart = System.nanoTime();
        int total = nodes * perNode;
        for (int i = 0; i < total; i++) c.admin().resource("", "pods").create(pod("p-" + i, "node-" + (i % nodes + 1)));
        await(c, total + 4, 600);
        long t1 = System.nanoTime();
        long withHistory = heapAfterGc();
        // the server compacts the store's history every 5 minutes: what stays is the cluster's state
        Compactor compactor = new Compactor(c.store());
        compactor.tick();
        compactor.tick();
        long compacted = heapAfterGc();
        System.out.printf("RESULT %d nodes, %d pods (fast profile): launch to every pod Running %.1f s (pods created and run in %.1f s),"
                        + " heap after GC %d MiB (%d MiB with the store's uncompacted history), %d threads%n", nodes + 1, total,
                (t1 - c.startedNanos()) / 1e9, (t1 - podsStart) / 1e9, compacted >> 20, withHistory >> 20, Thread.activeCount());
        if (Boolean.getBoolean("bench.hold")) Thread.sleep(Long.MAX_VALUE); // for a heap histogram (jmap -histo)
        c.runtime().close();
    }
}
