package kubefake.store.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.fieldvalidation.FieldValidation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The write path of a create below the HTTP layer, with the bodies {@code bench/load.sh} sends: decoding the body
 * (strict reading, typed checks), dropping unknown fields, and the registry's create (defaulting, the typed round
 * trip, validation, storage), then a delete so the store stays small. Not a test; run with
 * {@code BENCH='kubefake\.store\.bench\.WritePathBenchmark' store/bench/run-jmh.sh}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WritePathBenchmark {

    static final byte[] CONFIGMAP = ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\","
            + "\"labels\":{\"app\":\"bench\"}},\"data\":{\"key\":\"value\",\"other\":\"a longer value for the bench\"}}")
            .getBytes(StandardCharsets.UTF_8);
    static final byte[] POD = ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"labels\":{\"app\":"
            + "\"bench\"}},\"spec\":{\"schedulerName\":\"bench-none\",\"containers\":[{\"name\":\"c\",\"image\":\"nginx\","
            + "\"ports\":[{\"containerPort\":80}],\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"}}}]}}")
            .getBytes(StandardCharsets.UTF_8);

    @State(Scope.Benchmark)
    public static class Cluster {
        MemoryKeyValueStore kv;
        ResourceStore configmaps;
        ResourceStore pods;
        long counter;

        @Setup(Level.Trial)
        public void start() {
            kv = new MemoryKeyValueStore();
            Registry registry = new Registry(kv, Clock.systemUTC(), ResourceCatalogue.builtIn());
            ObjectNode ns = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
            ns.putObject("metadata").put("name", "default");
            registry.resource("", "namespaces").create("", ns, RequestContext.LOOPBACK);
            configmaps = registry.resource("", "configmaps");
            pods = registry.resource("", "pods");
        }

        @Setup(Level.Iteration)
        public void compact() {
            kv.compact(kv.currentRevision());
        }

        @TearDown(Level.Trial)
        public void close() {
            kv.close();
        }
    }

    private static ObjectNode decode(byte[] body, String kind) {
        ObjectNode object = (ObjectNode) FieldValidation.decode(body, false, "", "v1", kind).object();
        FieldValidation.dropUnknownFields(object, "", "v1", kind);
        return object;
    }

    @Benchmark
    public Object decodeConfigMap() {
        return decode(CONFIGMAP, "ConfigMap");
    }

    @Benchmark
    public Object decodePod() {
        return decode(POD, "Pod");
    }

    @Benchmark
    public Object createConfigMap(Cluster c) {
        ObjectNode object = decode(CONFIGMAP, "ConfigMap");
        String name = "cm-" + c.counter++;
        ((ObjectNode) object.get("metadata")).put("name", name);
        Object created = c.configmaps.create("default", object, RequestContext.LOOPBACK);
        c.configmaps.delete("default", name, new DeleteOptions(null, null, null, null, false), RequestContext.LOOPBACK);
        return created;
    }

    @Benchmark
    public Object createPod(Cluster c) {
        ObjectNode object = decode(POD, "Pod");
        String name = "p-" + c.counter++;
        ((ObjectNode) object.get("metadata")).put("name", name);
        Object created = c.pods.create("default", object, RequestContext.LOOPBACK);
        c.pods.delete("default", name, new DeleteOptions(null, null, null, null, false), RequestContext.LOOPBACK);
        return created;
    }
}
