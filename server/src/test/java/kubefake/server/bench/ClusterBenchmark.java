package kubefake.server.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.store.registry.request.UserInfo;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.nodesim.ClusterShape;
import kubefake.server.KubefakeCluster;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The whole cluster's figures (run by bench/cluster.sh, not a test), in process on real time with everything a
 * {@code kubefake up} runs: the HTTPS front end, the controllers (the scheduler binds every pod here) and the
 * simulated kubelets, with the {@code fast} lifecycle profile.
 *
 * <ul>
 * <li>{@code pods N WORKERS}: N pods created one after the other (no nodeName: the scheduler places them) on a lab of
 * WORKERS workers, pods per second from the first create to the last pod Running (after warm-up rounds of N/3 pods in
 * all, or -Dbench.warmup, in the same cluster, so that the JIT has compiled the paths measured);</li>
 * <li>{@code cluster NODES PODS_PER_NODE}: launch → every node Ready, then NODES × PODS_PER_NODE pods created and
 * Running; the heap after a full GC, and the largest classes of the heap histogram.</li>
 * </ul>
 */
public final class ClusterBenchmark {
    private static final UserInfo BENCH = new UserInfo("bench", "", List.of("system:masters"));

    private ClusterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "pods";
        if (what.equals("pods")) {
            pods(arg(args, 1, 1000), arg(args, 2, 20));
        } else if (what.equals("idle")) {
            idle(arg(args, 1, 5000), arg(args, 2, 30), arg(args, 3, 0));
        } else if (what.equals("kube-system")) {
            int repeats = arg(args, 2, 1);
            for (int i = 1; i <= repeats; i++) {
                if (repeats > 1) System.out.printf("run %d of %d (one JVM: later runs have the JIT warm)%n", i, repeats);
                kubeSystem(arg(args, 1, 15));
            }
        } else {
            cluster(arg(args, 1, 1000), arg(args, 2, 30));
        }
        System.exit(0);
    }

    private static int arg(String[] args, int i, int otherwise) {
        return args.length > i ? Integer.parseInt(args[i]) : otherwise;
    }

    private static KubefakeCluster start(ClusterShape shape) throws Exception {
        Path dir = temporaryDataDirectory();
        return KubefakeCluster.start(KubefakeCluster.Options.defaults(dir).withPort(0).withBindAddress("127.0.0.1")
                .withAdvertiseAddress(InetAddress.getByName("127.0.0.1")).withShape(shape).withDurability(DURABILITY));
    }

    /**
     * The cluster's data directory, deleted when the JVM exits: a 5,001-node run leaves 2-3 GB of write-ahead log.
     */
    private static Path temporaryDataDirectory() throws java.io.IOException {
        Path dir = Files.createTempDirectory("kubefake-bench");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException | RuntimeException e) {
                System.err.println("could not delete " + dir + ": " + e);
            }
        }));
        return dir;
    }

    /** {@code -Dbench.durability=none}: the store without its write-ahead log (what waits for fsync), else as {@code up}'s default. */
    /** {@code -Dbench.kubelets=stopped}: the scheduler's figure without the kubelets starting the pods it binds. */
    private static final boolean STOP_KUBELETS = "stopped".equals(System.getProperty("bench.kubelets"));

    private static final kubefake.store.durability.Durability DURABILITY =
            kubefake.store.durability.Durability.parse(System.getProperty("bench.durability", "fsync"));

    /** The pods of namespace {@code ns} seen Running by the cluster's own pod informer. */
    private static Set<String> running(KubefakeCluster c, String ns, java.util.concurrent.atomic.AtomicLong writes) {
        Set<String> running = ConcurrentHashMap.newKeySet();
        c.informers().informer("", "pods").addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject pod) {
                note(pod);
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject pod) {
                note(pod);
            }

            private void note(StoredObject pod) {
                ObjectNode p = pod.tree(); // read only
                if (!Json.text(Json.metadata(p), "namespace").equals(ns)) return;
                writes.incrementAndGet();
                if (p.path("status").path("phase").asText().equals("Running")) running.add(Json.text(Json.metadata(p), "name"));
            }
        });
        return running;
    }

    /** Creates namespace {@code ns} and waits for its default service account; returns a client of its pods. */
    static ResourceClient namespace(KubefakeCluster c, String ns) {
        Client admin = new Client(c.registry(), BENCH, "bench");
        ObjectNode o = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
        o.putObject("metadata").put("name", ns);
        admin.resource("", "namespaces").create(o);
        // as clients do: pods are refused until the serviceaccount controller made the namespace's default account
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (c.registry().resource("", "serviceaccounts").find(ns, "default") == null) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("no default service account in " + ns);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return admin.resource("", "pods");
    }

    private static ObjectNode pod(String ns, String name) {
        ObjectNode pod = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", name).put("namespace", ns);
        pod.putObject("spec").putArray("containers").addObject().put("name", "web").put("image", "nginx");
        return pod;
    }

    private static void await(Set<String> running, int expected, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (running.size() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(running.size() + " of " + expected + " Running after " + timeoutSeconds + " s");
            }
            Thread.sleep(2);
        }
    }

    /**
     * What bringing pods to Running took: wall-clock seconds, the process's CPU seconds (every thread) and the bytes its
     * live threads allocated (which, unlike time, the machine's other work does not change).
     */
    private record Run(double seconds, double cpuSeconds, long allocatedBytes, long podWrites, long events, double jitSeconds,
                       double gcSeconds) {
        String perPod(int count) {
            return String.format("%.0f pods/s; %.2f ms of CPU per pod (%.0f pods/s for each core the process gets; of it the JIT"
                            + " compilers %.2f ms, the GC %.2f ms, the rest %.2f ms); %d KiB allocated per pod; %.1f writes of"
                            + " each pod and %.1f events per pod",
                    count / seconds, cpuSeconds * 1e3 / count, count / cpuSeconds, jitSeconds * 1e3 / count,
                    gcSeconds * 1e3 / count, (cpuSeconds - jitSeconds - gcSeconds) * 1e3 / count,
                    allocatedBytes / 1024 / count, podWrites / (double) count, events / (double) count);
        }
    }

    /**
     * CPU seconds so far of this process's JIT compiler threads ([0]) and garbage collector threads ([1]), from
     * /proc/self/task (zeros where there is none): a run's CPU less these is the work itself, which a longer warm-up
     * or another machine's load does not change.
     */
    private static double[] jitAndGcSeconds() {
        double[] s = new double[2];
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (java.io.IOException gone) {
                    continue; // the thread ended meanwhile
                }
                int open = stat.indexOf('('), close = stat.lastIndexOf(')');
                String comm = stat.substring(open + 1, close);
                int group = comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") ? 0
                        : comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread") ? 1 : -1;
                if (group < 0) continue;
                String[] f = stat.substring(close + 2).split(" ");
                s[group] += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime, in USER_HZ ticks
            }
        } catch (java.io.IOException | RuntimeException noProc) {
            return new double[2];
        }
        return s;
    }

    /** Bytes allocated so far by the threads alive now. */
    private static long allocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) if (b > 0) sum += b;
        return sum;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** From the first create to the last of {@code count} pods Running. */
    private static Run createAndRun(KubefakeCluster c, String ns, int count) throws InterruptedException {
        var writes = new java.util.concurrent.atomic.AtomicLong();
        return createAndRun(c, ns, count, running(c, ns, writes), writes);
    }

    /** The same, counting with a handler added earlier (see {@link #pods}). */
    private static Run createAndRun(KubefakeCluster c, String ns, int count, Set<String> running,
                                    java.util.concurrent.atomic.AtomicLong writes) throws InterruptedException {
        ResourceClient pods = namespace(c, ns);
        long cpu0 = cpuNanos();
        double[] jitGc0 = jitAndGcSeconds();
        long allocated0 = allocatedBytes();
        long t0 = System.nanoTime();
        // to cut a profile to the measured part
        System.err.println("measuring " + ns + " from " + java.time.Instant.now());
        for (int i = 0; i < count; i++) pods.create(pod(ns, "web-" + i));
        await(running, count, 1800);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.err.println("measured " + ns + " until " + java.time.Instant.now());
        double cpu = (cpuNanos() - cpu0) / 1e9;
        double[] jitGc = jitAndGcSeconds();
        long allocated = allocatedBytes() - allocated0;
        // the pods' events (Scheduled, Pulling, Pulled, Created, Started ...): counted once all are Running
        long events = c.registry().resource("", "events").list(ns, kubefake.store.registry.ListOptions.ALL).items().size();
        return new Run(seconds, cpu, allocated, writes.get(), events, jitGc[0] - jitGc0[0], jitGc[1] - jitGc0[1]);
    }

    /**
     * {@code -Dbench.warmup=N}: N pods brought up first, unmeasured, in rounds of at most {@code count} pods, each in a
     * namespace of its own as the measured round is, with a pause after each for the JIT's queue to drain. One round of
     * 4,000 pods left the JIT compiling through the measured round (0.5-1.7 ms of its CPU per pod, 350 compilations in
     * 1.6 s, nearly all of methods compiled before: C1's tier 2, used while C2's queue is long, promoted to 3 and 4,
     * and code deoptimized by the first writes in a new namespace); each round's figures are printed, so that a reader
     * sees whether the last one had the JIT settled.
     */
    private static void warmUp(KubefakeCluster c, int count, int pods) throws InterruptedException {
        int round = 0;
        for (int left = pods; left > 0; left -= count) {
            int n = Math.min(left, count);
            Run r = createAndRun(c, "warm-up-" + ++round, n);
            System.out.printf("warm-up round %d: %d pods in %.2f s: %s%n", round, n, r.seconds(), r.perPod(n));
            awaitJitIdle();
        }
    }

    /** Until the JIT compiler threads use under 5 ms of CPU in 200 ms (at most 5 s): what they queued is compiled. */
    private static void awaitJitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        double last = jitAndGcSeconds()[0];
        while (System.nanoTime() < deadline) {
            Thread.sleep(200);
            double now = jitAndGcSeconds()[0];
            if (now - last < 0.005) return;
            last = now;
        }
    }

    private static void pods(int count, int workers) throws Exception {
        try (KubefakeCluster c = start(ClusterShape.labWithWorkers(workers).withProfile("fast"))) {
            // added before the warm-up: a handler added later is first handed every pod there is, the warm-up's
            // too, and that replay ran inside the measured part (with 4,000 warm-up pods, half its allocation)
            var writes = new java.util.concurrent.atomic.AtomicLong();
            Set<String> running = running(c, "bench", writes);
            warmUp(c, count, Integer.getInteger("bench.warmup", Math.max(1, count / 3)));
            Run run = createAndRun(c, "bench", count, running, writes);
            System.out.printf("RESULT %d pods (scheduled to %d workers, fast profile) from create to Running in %.2f s: %s%n",
                    count, workers, run.seconds(), run.perPod(count));
        }
    }

    /**
     * The lab's kube-system in process (lab profile, the cluster's own pod informer): when each pod is first seen and
     * Running, from the call of {@code start()}; where bench/cluster.sh's first figure spends its time after the JVM
     * started. {@code kube-system 15 REPEATS} starts clusters one after the other in this JVM: once the JIT is warm, the
     * wall time left beyond what the CPU time explains is waiting (timers, back-offs).
     */
    private static void kubeSystem(int expected) throws Exception {
        long t0 = System.nanoTime();
        long cpu0 = cpuNanos();
        Path dir = temporaryDataDirectory();
        var seen = new java.util.concurrent.ConcurrentSkipListMap<String, String>();
        Set<String> running = ConcurrentHashMap.newKeySet();
        Set<String> bound = ConcurrentHashMap.newKeySet();
        var writes = new ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger>();
        try (KubefakeCluster c = KubefakeCluster.start(KubefakeCluster.Options.defaults(dir).withPort(0).withBindAddress("127.0.0.1")
                .withAdvertiseAddress(InetAddress.getByName("127.0.0.1")))) {
            long started = System.nanoTime();
            long startedRevision = c.keyValueStore().currentRevision();
            c.informers().informer("", "pods").addHandler(new ResourceEventHandler() {
                @Override
                public void onAdd(StoredObject pod) {
                    note(pod);
                }

                @Override
                public void onUpdate(StoredObject old, StoredObject pod) {
                    note(pod);
                }

                private void note(StoredObject pod) {
                    ObjectNode p = pod.tree(); // read only
                    String name = Json.text(Json.metadata(p), "name");
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    seen.putIfAbsent(name, ms + " ms seen");
                    writes.computeIfAbsent(name, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                    if (!p.path("spec").path("nodeName").asText().isEmpty() && bound.add(name)) {
                        seen.computeIfPresent(name, (k, v) -> v + ", bound " + ms + " ms");
                    }
                    if (p.path("status").path("phase").asText().equals("Running") && running.add(name)) {
                        seen.computeIfPresent(name, (k, v) -> v + ", Running " + ms + " ms");
                    }
                }
            });
            await(running, expected, 120);
            long end = System.nanoTime();
            System.out.printf("RESULT start() returned %d ms, %d kube-system pods Running %d ms after start() was called;"
                            + " CPU %d ms in all%n", (started - t0) / 1_000_000, expected, (end - t0) / 1_000_000,
                    (cpuNanos() - cpu0) / 1_000_000);
            seen.forEach((name, v) -> System.out.println("  " + name + ": " + v + " (" + writes.get(name) + " revisions seen)"));
            System.out.println("  writes before start() returned: " + writesByResource(c, 0, startedRevision));
            System.out.println("  writes from then until all Running: " + writesByResource(c, startedRevision, c.keyValueStore().currentRevision()));
        }
    }

    /**
     * The store's writes in (from, to], by resource (events by reason): what a phase of the start cost in writes, which
     * unlike its time the machine's load does not change.
     */
    private static String writesByResource(KubefakeCluster c, long from, long to) {
        var counts = new java.util.TreeMap<String, Integer>();
        try (var watcher = c.keyValueStore().watch("/registry/", from, () -> { }, Integer.MAX_VALUE)) {
            int total = 0;
            while (true) {
                var batch = watcher.poll(1024);
                if (batch.isEmpty()) break;
                boolean past = false;
                for (var e : batch) {
                    if (e.revision() > to) {
                        past = true;
                        break;
                    }
                    total++;
                    String[] parts = e.kv().key().split("/");
                    // /registry/[group/]resource/namespace/name: the resource is the third part from the end at most
                    String resource = parts.length >= 5 ? parts[parts.length - 3] : parts[parts.length - 2];
                    if (resource.equals("events") && e.type() == kubefake.store.mvcc.Event.Type.PUT) {
                        try {
                            resource += ":" + Json.parseObject(e.kv().value()).path("reason").asText("?");
                        } catch (RuntimeException notJson) {
                            // counted without its reason
                        }
                    }
                    if (e.type() == kubefake.store.mvcc.Event.Type.DELETE) resource += "(delete)";
                    counts.merge(resource, 1, Integer::sum);
                }
                if (past) break;
            }
            return total + " " + counts;
        }
    }

    /**
     * Launch → NODES workers Ready, then the CPU the idle cluster takes (heartbeats only: Lease renewals every 10 s,
     * node status looked at every 10 s and written every 5 minutes or on a change) over SECONDS of real time; then,
     * when PODS is given, that many pods created one after the other and placed by the scheduler over those nodes: when
     * the last is bound and when it is Running.
     */
    private static void idle(int nodes, int seconds, int podCount) throws Exception {
        long t0 = System.nanoTime();
        long launchCpu0 = cpuNanos();
        StackSampler sampler = Integer.getInteger("bench.sampleMillis", 0) > 0 ? StackSampler.start(Integer.getInteger("bench.sampleMillis")) : null;
        System.err.println("launch " + java.time.Instant.now());
        try (KubefakeCluster c = start(ClusterShape.load(shapeFile(nodes)))) {
            long started = System.nanoTime();
            System.err.println("start() returned " + java.time.Instant.now());
            double startedCpu = (cpuNanos() - launchCpu0) / 1e9;
            long startedRevision = c.keyValueStore().currentRevision();
            WriteTimeline timeline = Boolean.getBoolean("bench.timeline") ? WriteTimeline.start(c.keyValueStore(), startedRevision, started) : null;
            awaitNodesReady(c, nodes + 1, 600);
            long ready = System.nanoTime();
            if (timeline != null) System.out.println(timeline.stop(t0));
            long readyRevision = c.keyValueStore().currentRevision();
            System.out.printf("RESULT %d nodes (fast profile): start() returned after %.1f s (CPU %.1f s), every node Ready %.1f s"
                            + " after launch (CPU %.1f s since launch, every thread, the JIT's too)%n", nodes + 1, (started - t0) / 1e9,
                    startedCpu, (ready - t0) / 1e9, (cpuNanos() - launchCpu0) / 1e9);
            if (sampler != null) System.out.println(sampler.stop(25));
            // what the launch wrote before every node was Ready: what Ready waited behind
            System.out.println("  writes before start() returned: " + writesByResource(c, 0, startedRevision));
            System.out.println("  writes from then until every node Ready: " + writesByResource(c, startedRevision, readyRevision));
            // every node runs kube-system's two DaemonSets' pods (calico-node, kube-proxy): settled means those are there
            int pods = awaitPodsSettled(c, 2 * (nodes + 1), 3600);
            System.out.printf("RESULT %d pods (kube-system's) Running and settled %.1f s after launch (CPU %.1f s since launch)%n", pods,
                    (System.nanoTime() - t0) / 1e9, (cpuNanos() - launchCpu0) / 1e9);
            // what the idle cluster writes: a kubelet renews its Lease every 10 s and writes its node's status only
            // when it changed or every 5 minutes; nothing else should change
            if (seconds == 0) { // no idle window: straight to the pods
                if (podCount > 0) scheduled(c, nodes, podCount);
                return;
            }
            var leaseWrites = countUpdates(c, "coordination.k8s.io", "leases");
            var nodeWrites = countUpdates(c, "", "nodes");
            var podWrites = countUpdates(c, "", "pods");
            long rev0 = c.registry().resource("", "nodes").currentRevision();
            long cpu0 = cpuNanos();
            long allocated0 = allocatedBytes();
            long w0 = System.nanoTime();
            System.err.println("measuring idle from " + java.time.Instant.now());
            Thread.sleep(seconds * 1000L);
            double wall = (System.nanoTime() - w0) / 1e9;
            double cpu = (cpuNanos() - cpu0) / 1e9;
            long writes = c.registry().resource("", "nodes").currentRevision() - rev0;
            System.err.println("measured idle until " + java.time.Instant.now());
            System.out.printf("RESULT idle %d-node cluster over %.0f s: %.1f %% of one core (%.0f KiB allocated per second)%n",
                    nodes + 1, wall, cpu * 100 / wall, (allocatedBytes() - allocated0) / 1024 / wall);
            System.out.printf("RESULT idle writes: %.1f per second in all (%.0f µs of CPU each); Lease updates %.1f/s (%.2f per node"
                            + " per 10 s), Node updates %.1f/s, pod updates %.1f/s, other writes (creates: events...; deletes) %.1f/s%n", writes / wall,
                    writes == 0 ? 0 : cpu * 1e6 / writes, leaseWrites.get() / wall, leaseWrites.get() * 10 / wall / (nodes + 1),
                    nodeWrites.get() / wall, podWrites.get() / wall,
                    (writes - leaseWrites.get() - nodeWrites.get() - podWrites.get()) / wall);
            long[] heap = heapAfterFullGc();
            System.out.printf("RESULT heap after a full GC: %d MiB used (of %d MiB committed), %d threads%n", heap[0] >> 20, heap[1] >> 20,
                    Thread.activeCount());
            System.out.println(histogram(Integer.getInteger("bench.histogramLines", 15)));
            if (podCount > 0) scheduled(c, nodes, podCount);
        }
    }

    /**
     * Updates of a resource seen by the cluster's informer from now on (not creates: a handler added to a started
     * informer is first told of every object it holds as an add).
     */
    private static java.util.concurrent.atomic.AtomicLong countUpdates(KubefakeCluster c, String group, String resource) {
        var count = new java.util.concurrent.atomic.AtomicLong();
        c.informers().informer(group, resource).addHandler(new ResourceEventHandler() {
            @Override
            public void onUpdate(StoredObject old, StoredObject o) {
                count.incrementAndGet();
            }
        });
        return count;
    }

    /**
     * {@code count} pods created and placed over the cluster's nodes: the scheduler's rate (bindings per second from
     * the first to the last, with its CPU), then when every one is Running. The pods are created by this thread in one
     * log flush (the store's deferred durability, as the HTTP front end writes), so that their creation, not one fsync
     * after the other, keeps the scheduler's queue full; each is visible to the scheduler once durable, as any write.
     */
    private static void scheduled(KubefakeCluster c, int nodes, int count) throws InterruptedException {
        long[] boundAt = new long[count];
        var bound = new java.util.concurrent.atomic.AtomicInteger();
        Set<String> running = ConcurrentHashMap.newKeySet();
        Set<String> seenBound = ConcurrentHashMap.newKeySet();
        c.informers().informer("", "pods").addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject pod) {
                note(pod);
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject pod) {
                note(pod);
            }

            private void note(StoredObject pod) {
                ObjectNode p = pod.tree(); // read only
                if (!Json.text(Json.metadata(p), "namespace").equals("bench")) return;
                String name = Json.text(Json.metadata(p), "name");
                if (!Json.text(p.path("spec"), "nodeName").isEmpty() && seenBound.add(name)) {
                    int i = bound.getAndIncrement();
                    if (i < count) boundAt[i] = System.nanoTime();
                }
                if (p.path("status").path("phase").asText().equals("Running")) running.add(name);
            }
        });
        ResourceClient pods = namespace(c, "bench");
        if (STOP_KUBELETS) {
            // as kube-scheduler's scheduler_perf measures it: nodes without kubelets, so that the pods' lifecycle does
            // not share the cores; the nodes stay Ready for the lifecycle controller's 40 s grace period
            for (String node : c.nodes().names()) c.nodes().stopKubelet(node);
        }
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        System.err.println("measuring the scheduler from " + java.time.Instant.now());
        var deferral = kubefake.store.mvcc.DeferredDurability.begin();
        long last;
        try {
            for (int i = 0; i < count; i++) pods.create(pod("bench", "web-" + i));
        } finally {
            last = deferral.end();
        }
        long created = System.nanoTime();
        var durable = new java.util.concurrent.CompletableFuture<RuntimeException>();
        var durability = c.keyValueStore().deferredDurability();
        if (durability == null) durable.complete(null);
        else durability.whenDurable(last, durable::complete);
        durable.join();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (bound.get() < count && System.nanoTime() < deadline) Thread.sleep(2);
        long allBound = System.nanoTime();
        double cpu = (cpuNanos() - cpu0) / 1e9;
        System.err.println("measured the scheduler until " + java.time.Instant.now());
        int n = Math.min(bound.get(), count);
        double span = n > 1 ? (boundAt[n - 1] - boundAt[0]) / 1e9 : 0;
        System.out.printf("RESULT %d pods on %d nodes: created in %.1f s (%.0f/s, one log flush); %d bound by the scheduler, the first %.2f s"
                        + " and the last %.2f s after the first create: %.0f bindings/s from the first to the last (%.0f pods/s create to"
                        + " bound); CPU %.1f s meanwhile (every thread: the creates, the scheduler, kubelets starting the pods, events)%n",
                count, nodes + 1, (created - t0) / 1e9, count / ((created - t0) / 1e9), n, (boundAt[0] - t0) / 1e9,
                (boundAt[n - 1] - t0) / 1e9, span > 0 ? (n - 1) / span : 0, n / ((allBound - t0) / 1e9), cpu);
        for (int q = 1; q <= 4; q++) { // the rate by quarter: a rate that falls as pods accumulate would show here
            int from = (n - 1) * (q - 1) / 4;
            int to = (n - 1) * q / 4;
            double s = (boundAt[to] - boundAt[from]) / 1e9;
            System.out.printf("  quarter %d: bindings %d..%d, %.0f/s%n", q, from + 1, to + 1, s > 0 ? (to - from) / s : 0);
        }
        if (HEAP_WHILE_STARTING) heapNow("every pod bound");
        if (!STOP_KUBELETS) {
            long runDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (running.size() < count && System.nanoTime() < runDeadline) Thread.sleep(10);
            System.out.printf("RESULT %d of %d pods Running %.1f s after the first create (CPU %.1f s since then, %.2f ms per pod)%n",
                    running.size(), count, (System.nanoTime() - t0) / 1e9, (cpuNanos() - cpu0) / 1e9, (cpuNanos() - cpu0) / 1e6 / count);
            if (HEAP_WHILE_STARTING) heapNow("every pod Running");
        }
        // what the pods cost in heap with their history (every revision since launch is inside the compaction window),
        // once the last pods' events and status writes are done; -Dbench.settleSeconds=N waits longer: the store packs
        // the values nobody used for a while (its sweep every 30 s)
        Thread.sleep(1000L * Integer.getInteger("bench.settleSeconds", 5));
        long[] heap = heapAfterFullGc();
        System.out.printf("RESULT heap after a full GC with the pods: %d MiB used (of %d MiB committed), store at revision %d%n",
                heap[0] >> 20, heap[1] >> 20, c.keyValueStore().currentRevision());
        System.out.println("  the store's live values: " + liveBytesByResource(c));
        System.out.println(histogram(Integer.getInteger("bench.histogramLines", 15)));
        dumpHeapIfAsked();
    }

    /**
     * {@code -Dbench.heapWhileStarting=true}: the live heap (a full GC) and its histogram also once every pod is bound
     * and once every one is Running, before the settling: the peak while pods start, which is what must fit.
     */
    private static final boolean HEAP_WHILE_STARTING = Boolean.getBoolean("bench.heapWhileStarting");

    private static void heapNow(String when) throws InterruptedException {
        long[] heap = heapAfterFullGc();
        System.out.printf("RESULT heap after a full GC, %s: %d MiB used (of %d MiB committed)%n", when, heap[0] >> 20, heap[1] >> 20);
        System.out.println(histogram(Integer.getInteger("bench.histogramLines", 15)));
    }

    /** {@code -Dbench.heapDump=FILE}: the live heap with the pods, for finding which component keeps what. */
    private static void dumpHeapIfAsked() {
        String file = System.getProperty("bench.heapDump");
        if (file == null) return;
        try {
            ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).dumpHeap(file, true);
            System.out.println("  heap dumped to " + file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The newest value of every key, by resource: count and bytes of JSON (what any store must hold somewhere). */
    private static String liveBytesByResource(KubefakeCluster c) {
        var bytes = new java.util.TreeMap<String, long[]>();
        long total = 0;
        for (var kv : c.keyValueStore().range("/registry/", kubefake.store.mvcc.ReadView.prefixEnd("/registry/"), 0, 0).kvs()) {
            String[] parts = kv.key().split("/");
            String resource = parts.length >= 5 ? parts[parts.length - 3] : parts[parts.length - 2];
            long[] b = bytes.computeIfAbsent(resource, r -> new long[2]);
            b[0]++;
            b[1] += kv.value().length;
            total += kv.value().length;
        }
        var top = new StringBuilder((total >> 20) + " MiB in all;");
        bytes.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(8)
                .forEach(e -> top.append(String.format(" %s %d (%.1f MiB)", e.getKey(), e.getValue()[0], e.getValue()[1] / 1048576.0)));
        return top.toString();
    }

    /**
     * The README's --config example: a control plane and NODES workers; pod network 10.240.0.0/12 (4,096 node /24s),
     * or 10.128.0.0/9 for more nodes than that.
     */
    private static Path shapeFile(int nodes) throws java.io.IOException {
        Path config = Files.createTempFile("kubefake-bench", ".yaml");
        Files.writeString(config, """
                apiVersion: kubefake.dev/v1alpha1
                kind: ClusterShape
                podCIDR: %s
                profile: fast
                nodes:
                  - {name: cp, ip: 10.0.0.10, controlPlane: true}
                workers: {count: %d, namePrefix: node-, nameSuffix: "", firstIP: 10.1.0.1}
                """.formatted(nodes < 4000 ? "10.240.0.0/12" : "10.128.0.0/9", nodes));
        return config;
    }

    private static void cluster(int nodes, int perNode) throws Exception {
        long t0 = System.nanoTime();
        try (KubefakeCluster c = start(ClusterShape.load(shapeFile(nodes)))) {
            long started = System.nanoTime();
            awaitNodesReady(c, nodes + 1, 300);
            long ready = System.nanoTime();
            int total = nodes * perNode;
            Run run = createAndRun(c, "bench", total);
            long end = System.nanoTime();
            long[] heap = heapAfterFullGc();
            System.out.printf("RESULT %d nodes (fast profile): start() returned after %.1f s, every node Ready %.1f s after launch%n",
                    nodes + 1, (started - t0) / 1e9, (ready - t0) / 1e9);
            System.out.printf("RESULT %d pods (%d per worker, scheduled) created and Running in %.1f s (%s); launch → every pod"
                    + " Running %.1f s%n", total, perNode, run.seconds(), run.perPod(total), (end - t0) / 1e9);
            System.out.printf("RESULT heap after a full GC: %d MiB used (of %d MiB committed), %d threads%n", heap[0] >> 20, heap[1] >> 20,
                    Thread.activeCount());
            System.out.println(histogram(12));
        }
    }

    /**
     * Until {@code expected} nodes are Ready as their kubelets reported it: Ready=True written by the kubelet's own
     * status update (a managedFields entry of the status subresource), not only as registered at bootstrap. Read from
     * the store, as {@code kubectl get nodes} reads it (the cluster's informers deliver it later, in their turn).
     */
    private static void awaitNodesReady(KubefakeCluster c, int expected, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        // each revision is looked at once, not parsed again at every poll (on two cores the measurement's own parsing
        // of thousands of nodes slowed the cluster it measured)
        Map<Long, Boolean> seen = new java.util.HashMap<>();
        long lastProgress = System.nanoTime();
        while (true) {
            var nodes = c.registry().resource("", "nodes").list("", kubefake.store.registry.ListOptions.ALL).items();
            Set<Long> now = new java.util.HashSet<>();
            for (StoredObject n : nodes) now.add(n.resourceVersion());
            seen.keySet().retainAll(now);
            long ready = nodes.stream().filter(n -> seen.computeIfAbsent(n.resourceVersion(), rv -> reportedReady(n.tree()))).count();
            if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(1)) { // the pace: what Ready waits behind
                lastProgress = System.nanoTime();
                System.err.printf("progress %s: %d nodes Ready, %d events, %d pods%n", java.time.Instant.now(), ready,
                        c.registry().resource("", "events").list("default", kubefake.store.registry.ListOptions.ALL).items().size(),
                        c.registry().resource("", "pods").list("kube-system", kubefake.store.registry.ListOptions.ALL).items().size());
            }
            if (ready >= expected) return;
            if (expected - ready <= 3) { // which nodes Ready waits for at the end
                for (StoredObject n : nodes) {
                    if (!seen.get(n.resourceVersion())) System.err.printf("not Ready at %s: %s%n", java.time.Instant.now(), n.tree().path("metadata").path("name").asText());
                }
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException(ready + " of " + expected + " nodes Ready");
            Thread.sleep(100); // a look at thousands of nodes is work of its own: not more often than the figure needs
        }
    }

    private static boolean reportedReady(ObjectNode node) { // read only
        boolean kubeletReported = false;
        for (var entry : node.path("metadata").path("managedFields")) {
            if (entry.path("subresource").asText().equals("status")) kubeletReported = true;
        }
        if (!kubeletReported) return false;
        for (var cond : node.path("status").path("conditions")) {
            if (cond.path("type").asText().equals("Ready")) return cond.path("status").asText().equals("True");
        }
        return false;
    }

    /**
     * Until every pod of the cluster (kube-system's DaemonSets put two on each node) is Running and their number has
     * not changed for 5 s: the cluster's start is over.
     */
    private static int awaitPodsSettled(KubefakeCluster c, int atLeast, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int last = -1;
        long stableSince = System.nanoTime();
        Map<StoredObject, Boolean> seen = new IdentityHashMap<>(); // as in awaitNodesReady: each revision read once
        long lastProgress = System.nanoTime();
        while (true) {
            var pods = c.informers().informer("", "pods").list();
            Set<StoredObject> now = Collections.newSetFromMap(new IdentityHashMap<>());
            now.addAll(pods);
            seen.keySet().retainAll(now);
            long runningNow = pods.stream().filter(p -> seen.computeIfAbsent(p,
                    o -> o.tree().path("status").path("phase").asText().equals("Running"))).count();
            boolean allRunning = runningNow == pods.size();
            if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(10)) {
                lastProgress = System.nanoTime();
                System.err.printf("progress %s: %d pods, %d Running%n", java.time.Instant.now(), pods.size(), runningNow);
            }
            if (pods.size() != last || !allRunning || pods.size() < atLeast) { // none yet is not settled
                last = pods.size();
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(5)) {
                return last;
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("pods still changing: " + pods.size());
            Thread.sleep(500);
        }
    }

    /** Used and committed heap after full collections (what stays: the cluster's state and its caches). */
    private static long[] heapAfterFullGc() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(200);
        }
        System.gc();
        var usage = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new long[] {usage.getUsed(), usage.getCommitted()};
    }

    /** The top of {@code jcmd PID GC.class_histogram} (which runs a full GC first), from this JVM. */
    private static String histogram(int lines) {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
            String[] all = out.toString().split("\n");
            StringBuilder b = new StringBuilder("HISTOGRAM (top ").append(lines).append(" classes)\n");
            for (int i = 0; i < Math.min(all.length, lines + 2); i++) b.append(all[i]).append('\n');
            b.append(all[all.length - 1]);
            return b.toString();
        } catch (Exception e) {
            return "HISTOGRAM not available: " + e;
        }
    }
}
