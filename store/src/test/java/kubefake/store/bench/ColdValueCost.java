package kubefake.store.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.List;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.request.RequestContext;

/**
 * What keeping newest values packed costs and saves ({@code MemoryKeyValueStore.packUnreadValuesUnder}): N events
 * created as the kubelet's recorder writes them (five reasons per pod), or N pods Running as the kubelet's status patch
 * leaves them; then they are packed: the CPU per value and the heap they take before and after (used heap after a full
 * GC, so run it alone); then the reads that inflate them, before and after packing, each the thread's CPU: a LIST of
 * every one, for events a {@code describe}'s LIST of one pod's events (field selector), and GETs. Not a test:
 * {@code java -cp ... kubefake.store.bench.ColdValueCost events|pods [count] [rounds]}.
 */
public final class ColdValueCost {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final List<String> REASONS = List.of("Scheduled", "Pulling", "Pulled", "Created", "Started");

    private ColdValueCost() {
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** An event as the kubelet's recorder creates it for the {@code i / 5}-th pod. */
    static ObjectNode event(int i) {
        int pod = i / 5;
        String reason = REASONS.get(i % 5);
        ObjectNode e = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Event");
        e.putObject("metadata").put("name", "web-" + pod + "." + Long.toHexString(0x18eefaa9c49ca85aL + i * 7919L))
                .put("namespace", "default");
        e.putObject("involvedObject").put("kind", "Pod").put("namespace", "default").put("name", "web-" + pod)
                .put("uid", java.util.UUID.nameUUIDFromBytes(("pod" + pod).getBytes()).toString()).put("apiVersion", "v1")
                .put("resourceVersion", Integer.toString(1000 + pod * 3)).put("fieldPath", i % 5 == 0 ? null : "spec.containers{web}");
        e.put("reason", reason).put("message", switch (reason) {
            case "Scheduled" -> "Successfully assigned default/web-" + pod + " to node-" + pod % 500;
            case "Pulling" -> "Pulling image \"nginx\"";
            case "Pulled" -> "Successfully pulled image \"nginx\" in 1.021s (1.021s including waiting). Image size: 72099501 bytes.";
            case "Created" -> "Created container: web";
            default -> "Started container web";
        });
        e.putObject("source").put("component", i % 5 == 0 ? "default-scheduler" : "kubelet").put("host", "node-" + pod % 500);
        e.put("firstTimestamp", "2026-12-07T13:08:28Z").put("lastTimestamp", "2026-12-07T13:08:28Z").put("count", 1)
                .put("type", "Normal").putNull("eventTime").put("reportingComponent", "kubelet")
                .put("reportingInstance", "node-" + pod % 500);
        return e;
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** The CPU of reading the events: [LIST all, one pod's LIST by field selector, one GET], in µs. */
    private static double[] reads(ResourceStore events, int n) {
        long t = cpu();
        ListResult all = list(events, ListOptions.ALL);
        long bytes = 0;
        for (StoredObject o : all.items()) bytes += o.json().length;
        double listAll = (cpu() - t) / 1e3;
        if (all.items().size() != n || bytes == 0) throw new IllegalStateException("listed " + all.items().size());
        int pods = 50;
        t = cpu();
        for (int p = 0; p < pods; p++) {
            int pod = p * (n / 5) / pods;
            ListResult one = list(events, ListOptions.fieldSelector("involvedObject.name=web-" + pod + ",involvedObject.namespace=default"));
            if (one.items().size() != 5) throw new IllegalStateException(one.items().size() + " events of web-" + pod);
        }
        double describe = (cpu() - t) / 1e3 / pods;
        int gets = 20_000;
        t = cpu();
        for (int g = 0; g < gets; g++) {
            int i = (int) ((g * 7919L) % n);
            events.get("default", "web-" + i / 5 + "." + Long.toHexString(0x18eefaa9c49ca85aL + i * 7919L)).json();
        }
        double get = (cpu() - t) / 1e3 / gets;
        return new double[] {listAll, describe, get};
    }

    private record ListResult(List<StoredObject> items) {
    }

    private static ListResult list(ResourceStore events, ListOptions options) {
        return new ListResult(events.list("default", options).items());
    }

    /** The CPU of reading N pods: [LIST all, one GET], in µs. */
    private static double[] podReads(ResourceStore pods, int n) {
        long t = cpu();
        List<StoredObject> all = pods.list("default", ListOptions.ALL).items();
        long bytes = 0;
        for (StoredObject o : all) bytes += o.json().length;
        double listAll = (cpu() - t) / 1e3;
        if (all.size() != n || bytes == 0) throw new IllegalStateException("listed " + all.size());
        int gets = 20_000;
        t = cpu();
        for (int g = 0; g < gets; g++) pods.get("default", "p-" + (int) ((g * 7919L) % n)).json();
        return new double[] {listAll, 0, (cpu() - t) / 1e3 / gets};
    }

    public static void main(String[] args) {
        boolean pods = args.length > 0 && args[0].equals("pods");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        com.fasterxml.jackson.databind.JsonNode patch = kubefake.store.registry.patch.Patches.parseBody(WriteCost.STATUS_PATCH);
        RequestContext kubelet = RequestContext.of(kubefake.store.registry.request.UserInfo.node("w1-k8s"))
                .withFieldManager("kubelet").withSubresource("status");
        for (int round = 0; round < rounds; round++) {
            MemoryKeyValueStore kv = new MemoryKeyValueStore();
            Registry registry = new Registry(kv, Clock.systemUTC(), ResourceCatalogue.builtIn());
            ObjectNode ns = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
            ns.putObject("metadata").put("name", "default");
            registry.resource("", "namespaces").create("", ns, RequestContext.LOOPBACK);
            ResourceStore store = registry.resource("", pods ? "pods" : "events");
            for (int i = 0; i < n; i++) {
                if (!pods) {
                    store.create("default", event(i), RequestContext.LOOPBACK);
                    continue;
                }
                // a pod as load.sh creates it, Running as its kubelet's status patch leaves it (two managers' fields)
                ObjectNode pod = (ObjectNode) kubefake.store.registry.fieldvalidation.FieldValidation.decode(
                        WritePathBenchmark.POD, false, "", "v1", "Pod").object();
                kubefake.store.registry.fieldvalidation.FieldValidation.dropUnknownFields(pod, "", "v1", "Pod");
                Json.metadata(pod).put("name", "p-" + i);
                store.create("default", pod, RequestContext.LOOPBACK);
                store.patch("default", "p-" + i, current -> (ObjectNode) kubefake.store.registry.patch.Patches.apply(
                        kubefake.store.registry.patch.PatchType.MERGE, current, patch, "", "v1", "Pod"), kubelet);
            }
            kv.packHistory();
            kv.packHistory(); // the superseded pods' revisions packed, as the cluster's passes leave them
            double[] plain = pods ? podReads(store, n) : reads(store, n);
            long before = heapAfterGc();
            String prefix = pods ? "/registry/pods/" : "/registry/events/";
            kv.packUnreadValuesUnder(prefix); // the reads above count as uses: this look only takes note of them
            long cpu0 = cpu();
            int packed = kv.packUnreadValuesUnder(prefix);
            long packCpu = cpu() - cpu0;
            long after = heapAfterGc();
            double[] inflating = pods ? podReads(store, n) : reads(store, n);
            System.out.printf("ROUND %d: %d %s packed, %.1f µs of CPU each; heap %.0f → %.0f MiB: %.0f bytes less each."
                            + " Reads, CPU before → after packing: LIST of all %.0f → %.0f ms (%.2f → %.2f µs each),"
                            + " a pod's 5 events by field selector %.2f → %.2f ms, GET %.2f → %.2f µs%n", round, packed,
                    pods ? "pods" : "events", packCpu / 1e3 / Math.max(1, packed), before / 1048576.0, after / 1048576.0,
                    (before - after) / (double) Math.max(1, packed), plain[0] / 1e3, inflating[0] / 1e3, plain[0] / n,
                    inflating[0] / n, plain[1] / 1e3, inflating[1] / 1e3, plain[2], inflating[2]);
            kv.close();
        }
    }
}
