package kubefake.store.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.fieldvalidation.FieldValidation;
import kubefake.store.registry.patch.PatchType;
import kubefake.store.registry.patch.Patches;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.request.UserInfo;

/**
 * What packing a superseded pod revision costs (the store's history packer): N pods created with {@code bench/load.sh}'s
 * body, each then given the kubelet's status patch ({@link WriteCost#STATUS_PATCH}), so that each create's revision is
 * superseded; then one pass packs them: the pass's thread CPU per packed value, and the heap the N superseded values
 * take before and after (used heap after a full GC, so run it alone). Not a test: {@code java -cp ...
 * kubefake.store.bench.PackCost [pods] [rounds]}.
 */
public final class PackCost {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final RequestContext KUBELET = RequestContext.of(UserInfo.node("w1-k8s"))
            .withFieldManager("kubelet").withSubresource("status");

    private PackCost() {
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        JsonNode patch = Patches.parseBody(WriteCost.STATUS_PATCH);
        for (int round = 0; round < rounds; round++) {
            MemoryKeyValueStore kv = new MemoryKeyValueStore();
            Registry registry = new Registry(kv, Clock.systemUTC(), ResourceCatalogue.builtIn());
            ObjectNode ns = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
            ns.putObject("metadata").put("name", "default");
            registry.resource("", "namespaces").create("", ns, RequestContext.LOOPBACK);
            ResourceStore pods = registry.resource("", "pods");
            for (int i = 0; i < n; i++) {
                ObjectNode pod = (ObjectNode) FieldValidation.decode(WritePathBenchmark.POD, false, "", "v1", "Pod").object();
                FieldValidation.dropUnknownFields(pod, "", "v1", "Pod");
                Json.metadata(pod).put("name", "p-" + i);
                pods.create("default", pod, RequestContext.LOOPBACK);
            }
            for (int i = 0; i < n; i++) {
                pods.patch("default", "p-" + i,
                        current -> (ObjectNode) Patches.apply(PatchType.MERGE, current, patch, "", "v1", "Pod"), KUBELET);
            }
            long before = heapAfterGc();
            kv.packHistory(); // remembers the revision
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            int packed = kv.packHistory();
            long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
            long after = heapAfterGc();
            System.out.printf("ROUND %d: %d values packed, %.1f µs of CPU each; heap %.0f → %.0f MiB: %.0f bytes less per"
                            + " superseded pod revision%n", round, packed, cpu / 1e3 / Math.max(1, packed), before / 1048576.0,
                    after / 1048576.0, (before - after) / (double) Math.max(1, packed));
            kv.close();
        }
    }
}
