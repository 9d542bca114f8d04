package kubefake.store.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.admission.AdmissionChain;
import kubefake.store.registry.fieldvalidation.FieldValidation;
import kubefake.store.registry.patch.PatchType;
import kubefake.store.registry.patch.Patches;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.request.UserInfo;

/**
 * What one write costs the registry, in the writing thread's CPU time and bytes allocated (exact, whatever the
 * machine's load), for the writes a cluster does most: a ConfigMap create and a pod create with {@code bench/load.sh}'s
 * bodies (decoded before the measured loop, as the HTTP layer hands them over), and the kubelet's first status merge
 * patch of a pod (the pods just created: phase, IPs, conditions, container statuses), and a core Event create as a
 * kubelet records one ({@code Pulled}: involvedObject, reason, message, source, counts). Admission as a server's
 * (service accounts must exist), in a namespace with its default service account and no quota.
 *
 * <p>Not a test: run {@code store/bench/write-cost.sh [rounds] [writes per round] [cm,pod,patch,event]}. Each round prints its figures;
 * the last line the medians of the second half of the rounds (the first ones are the JIT's).
 */
public final class WriteCost {
    static final byte[] STATUS_PATCH = ("{\"status\":{\"phase\":\"Running\",\"hostIP\":\"192.168.1.101\","
            + "\"hostIPs\":[{\"ip\":\"192.168.1.101\"}],\"podIP\":\"172.16.1.7\",\"podIPs\":[{\"ip\":\"172.16.1.7\"}],"
            + "\"startTime\":\"2026-12-07T05:00:00Z\",\"qosClass\":\"Burstable\",\"conditions\":["
            + "{\"type\":\"PodReadyToStartContainers\",\"status\":\"True\",\"lastProbeTime\":null,\"lastTransitionTime\":\"2026-12-07T05:00:01Z\"},"
            + "{\"type\":\"Initialized\",\"status\":\"True\",\"lastProbeTime\":null,\"lastTransitionTime\":\"2026-12-07T05:00:00Z\"},"
            + "{\"type\":\"Ready\",\"status\":\"True\",\"lastProbeTime\":null,\"lastTransitionTime\":\"2026-12-07T05:00:02Z\"},"
            + "{\"type\":\"ContainersReady\",\"status\":\"True\",\"lastProbeTime\":null,\"lastTransitionTime\":\"2026-12-07T05:00:02Z\"},"
            + "{\"type\":\"PodScheduled\",\"status\":\"True\",\"lastProbeTime\":null,\"lastTransitionTime\":\"2026-12-07T05:00:00Z\"}],"
            + "\"containerStatuses\":[{\"name\":\"c\",\"state\":{\"running\":{\"startedAt\":\"2026-12-07T05:00:02Z\"}},"
            + "\"lastState\":{},\"ready\":true,\"restartCount\":0,\"image\":\"docker.io/library/nginx:latest\","
            + "\"imageID\":\"docker.io/library/nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31\","
            + "\"containerID\":\"containerd://6a2d6b8d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b\","
            + "\"started\":true}]}}").getBytes(StandardCharsets.UTF_8);

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final RequestContext ADMIN = RequestContext.of(
            new UserInfo("kubernetes-admin", "", List.of(UserInfo.MASTERS, UserInfo.AUTHENTICATED)));
    private static final RequestContext KUBELET = RequestContext.of(UserInfo.node("w1-k8s"))
            .withFieldManager("kubelet").withSubresource("status");
    private static final RequestContext KUBELET_EVENTS = RequestContext.of(UserInfo.node("w1-k8s"));
    private static final DeleteOptions NOW = new DeleteOptions(0L, null, null, null, false);

    private final MemoryKeyValueStore kv = new MemoryKeyValueStore();
    private final ResourceStore configmaps;
    private final ResourceStore pods;
    private final ResourceStore events;

    private WriteCost() {
        Registry registry = new Registry(kv, Clock.systemUTC(), ResourceCatalogue.builtIn());
        registry.useAdmission(AdmissionChain.standard(registry.lookups(), true, new SecureRandom()));
        ObjectNode ns = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
        ns.putObject("metadata").put("name", "default");
        registry.resource("", "namespaces").create("", ns, RequestContext.LOOPBACK);
        ObjectNode sa = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "ServiceAccount");
        sa.putObject("metadata").put("name", "default");
        registry.resource("", "serviceaccounts").create("default", sa, RequestContext.LOOPBACK);
        configmaps = registry.resource("", "configmaps");
        pods = registry.resource("", "pods");
        events = registry.resource("", "events");
    }

    /** A kubelet's core Event about pod {@code pod}, as its recorder sends it. */
    private static ObjectNode event(String pod, String name) {
        ObjectNode e = Json.MAPPER.createObjectNode().put("kind", "Event").put("apiVersion", "v1");
        e.putObject("metadata").put("name", name).put("namespace", "default");
        e.putObject("involvedObject").put("kind", "Pod").put("namespace", "default").put("name", pod)
                .put("uid", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0").put("apiVersion", "v1")
                .put("resourceVersion", "1234").put("fieldPath", "spec.containers{c}");
        e.put("reason", "Pulled").put("message", "Container image \"docker.io/library/nginx:latest\" already present on machine");
        e.putObject("source").put("component", "kubelet").put("host", "w1-k8s");
        e.put("firstTimestamp", "2026-12-07T05:00:01Z").put("lastTimestamp", "2026-12-07T05:00:01Z");
        e.put("count", 1).put("type", "Normal");
        e.putNull("eventTime");
        e.put("reportingComponent", "kubelet").put("reportingInstance", "w1-k8s");
        return e;
    }

    /** The CPU nanoseconds and bytes the current thread spent so far. */
    private static long[] spent() {
        long id = Thread.currentThread().getId();
        return new long[] {THREADS.getCurrentThreadCpuTime(), THREADS.getThreadAllocatedBytes(id)};
    }

    /** One round of {@code n} writes of each kind: {µs, bytes} per write of a cm create, pod create, patch, event create. */
    private double[] round(int n, int round, String only) {
        List<ObjectNode> cms = new ArrayList<>(n);
        List<ObjectNode> podBodies = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ObjectNode cm = decode(WritePathBenchmark.CONFIGMAP, "ConfigMap");
            Json.metadata(cm).put("name", "cm-" + round + "-" + i);
            cms.add(cm);
            ObjectNode pod = decode(WritePathBenchmark.POD, "Pod");
            Json.metadata(pod).put("name", "p-" + round + "-" + i);
            podBodies.add(pod);
        }
        List<ObjectNode> eventBodies = new ArrayList<>(n);
        for (int i = 0; only.contains("event") && i < n; i++) {
            eventBodies.add(event("p-" + round + "-" + i, "p-" + round + "-" + i + ".pulled"));
        }
        JsonNode patch = Patches.parseBody(STATUS_PATCH);
        double[] out = new double[8];

        long[] before = spent();
        if (only.contains("cm")) for (ObjectNode cm : cms) configmaps.create("default", cm, ADMIN);
        long[] after = spent();
        out[0] = (after[0] - before[0]) / 1e3 / n;
        out[1] = (after[1] - before[1]) / (double) n;

        before = spent();
        for (ObjectNode pod : podBodies) pods.create("default", pod, ADMIN);
        after = spent();
        out[2] = (after[0] - before[0]) / 1e3 / n;
        out[3] = (after[1] - before[1]) / (double) n;

        before = spent();
        for (int i = 0; only.contains("patch") && i < n; i++) {
            pods.patch("default", "p-" + round + "-" + i,
                    current -> (ObjectNode) Patches.apply(PatchType.MERGE, current, patch, "", "v1", "Pod"), KUBELET);
        }
        after = spent();
        out[4] = (after[0] - before[0]) / 1e3 / n;
        out[5] = (after[1] - before[1]) / (double) n;

        before = spent();
        for (ObjectNode e : eventBodies) events.create("default", e, KUBELET_EVENTS);
        after = spent();
        out[6] = (after[0] - before[0]) / 1e3 / n;
        out[7] = (after[1] - before[1]) / (double) n;

        for (int i = 0; i < n; i++) {
            if (only.contains("cm")) configmaps.delete("default", "cm-" + round + "-" + i, NOW, RequestContext.LOOPBACK);
            pods.delete("default", "p-" + round + "-" + i, NOW, RequestContext.LOOPBACK);
            if (only.contains("event")) events.delete("default", "p-" + round + "-" + i + ".pulled", NOW, RequestContext.LOOPBACK);
        }
        kv.compact(kv.currentRevision());
        return out;
    }

    private static ObjectNode decode(byte[] body, String kind) {
        ObjectNode object = (ObjectNode) FieldValidation.decode(body, false, "", "v1", kind).object();
        FieldValidation.dropUnknownFields(object, "", "v1", kind);
        return object;
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        // for a profile of one kind of write: e.g. "patch" (the pods are created all the same, to be patched)
        String only = args.length > 2 ? args[2] : "cm,pod,patch,event";
        WriteCost bench = new WriteCost();
        String[] names = {"cm_create", "pod_create", "pod_status_patch", "event_create"};
        List<double[]> results = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double[] o = bench.round(n, r, only);
            results.add(o);
            StringBuilder line = new StringBuilder("ROUND " + r);
            for (int k = 0; k < names.length; k++) {
                line.append(String.format(" %s=%.1fus/%.0fB", names[k], o[2 * k], o[2 * k + 1]));
            }
            System.out.println(line);
        }
        StringBuilder line = new StringBuilder("MEDIAN of rounds " + rounds / 2 + "-" + (rounds - 1) + ":");
        for (int k = 0; k < 2 * names.length; k++) {
            double[] v = new double[rounds - rounds / 2];
            for (int r = rounds / 2; r < rounds; r++) v[r - rounds / 2] = results.get(r)[k];
            Arrays.sort(v);
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            line.append(k % 2 == 0 ? String.format(" %s=%.1fus", names[k / 2], median) : String.format("/%.0fB", median));
        }
        System.out.println(line);
        bench.kv.close();
    }
}
