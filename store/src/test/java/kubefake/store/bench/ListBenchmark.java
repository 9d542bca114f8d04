package kubefake.store.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.mvcc.WriteView;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.ListResult;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.fieldvalidation.FieldValidation;
import kubefake.store.registry.request.RequestContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One page of a chunked pod list (kubectl's {@code get pods -A}: 500 per page) below the HTTP layer, over
 * {@code pods} stored pods in 100 namespaces: the first page, a page from the middle and the last page through the
 * continue token, a page whose token is older than the newest writes, and pages with a label selector matching
 * every pod, 1% of them (namespace-wide), and a field selector. What a page costs should not grow with the number
 * of pods (nor with the page's place). The pods are written into the store directly (a registry-made pod, renamed),
 * so a large store fills in seconds. Run with {@code BENCH='kubefake\.store\.bench\.ListBenchmark'
 * store/bench/run-jmh.sh -p pods=10000,150000}; not part of the unit tests.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ListBenchmark {
    static final int NAMESPACES = 100;
    static final int PAGE = 500;
    static final byte[] POD = ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"labels\":{\"app\":"
            + "\"bench\"}},\"spec\":{\"schedulerName\":\"bench-none\",\"containers\":[{\"name\":\"c\",\"image\":\"nginx\","
            + "\"ports\":[{\"containerPort\":80}],\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"}}}]}}")
            .getBytes(StandardCharsets.UTF_8);

    @State(Scope.Benchmark)
    public static class Pods {
        @Param({"10000", "150000"})
        int pods;

        MemoryKeyValueStore kv;
        ResourceStore store;
        String middleToken;
        String lastToken;
        /** A token read before 1,000 pods of the first namespace changed (the list goes on at its old revision). */
        String oldMiddleToken;

        @Setup(Level.Trial)
        public void fill() {
            kv = new MemoryKeyValueStore();
            Registry registry = new Registry(kv, Clock.systemUTC(), ResourceCatalogue.builtIn());
            ObjectNode ns = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
            ns.putObject("metadata").put("name", "default");
            registry.resource("", "namespaces").create("", ns, RequestContext.LOOPBACK);
            store = registry.resource("", "pods");
            ObjectNode decoded = (ObjectNode) FieldValidation.decode(POD, false, "", "v1", "Pod").object();
            ObjectNode template = store.create("default", decoded, RequestContext.LOOPBACK).toNode();
            template.remove("kind");
            template.remove("apiVersion");
            for (int i = 0; i < pods; i++) {
                write(template, i, "bench");
            }
            oldMiddleToken = tokenAfter(pods / 2);
            for (int i = 0; i < 1000; i++) {
                write(template, i * NAMESPACES, "changed");
            }
            middleToken = tokenAfter(pods / 2);
            lastToken = tokenAfter(pods - PAGE);
        }

        private void write(ObjectNode template, int i, String app) {
            ObjectNode pod = template.deepCopy();
            ObjectNode meta = (ObjectNode) pod.get("metadata");
            String namespace = String.format("ns-%03d", i % NAMESPACES);
            String name = String.format("pod-%06d", i);
            meta.put("name", name).put("namespace", namespace).put("uid", "uid-" + i);
            ((ObjectNode) meta.get("labels")).put("app", app).put("shard", "s" + (i / NAMESPACES) % 100);
            ((ObjectNode) pod.get("spec")).put("nodeName", "node-" + (i % 5000));
            kv.put("/registry/pods/" + namespace + "/" + name, revision -> {
                meta.put("resourceVersion", Long.toString(revision));
                return Json.bytes(pod);
            }, WriteView.ANY);
        }

        /** The token of a page ending before the key of the nth pod in key order (namespace-major). */
        private String tokenAfter(int nth) {
            int namespace = nth / (pods / NAMESPACES);
            int within = nth % (pods / NAMESPACES);
            String name = String.format("pod-%06d", within * NAMESPACES + namespace);
            ObjectNode token = Json.MAPPER.createObjectNode().put("v", "meta.k8s.io/v1").put("rv", kv.currentRevision())
                    .put("start", String.format("/ns-%03d/", namespace) + name + "\u0000");
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(token));
        }

        @TearDown(Level.Trial)
        public void close() {
            kv.close();
        }
    }

    static ListOptions page(String labelSelector, String fieldSelector, String token) {
        return new ListOptions(labelSelector, fieldSelector, "", "", PAGE, token, 0, false, null);
    }

    @Benchmark
    public ListResult firstPage(Pods s) {
        return s.store.list(null, page("", "", null));
    }

    @Benchmark
    public ListResult middlePage(Pods s) {
        return s.store.list(null, page("", "", s.middleToken));
    }

    @Benchmark
    public ListResult lastPage(Pods s) {
        return s.store.list(null, page("", "", s.lastToken));
    }

    /** The token's revision is 1,000 writes behind the store's. */
    @Benchmark
    public ListResult middlePageOfAnOlderRevision(Pods s) {
        return s.store.list(null, page("", "", s.oldMiddleToken));
    }

    /** A label selector every pod but the 1,000 changed ones matches. */
    @Benchmark
    public ListResult firstPageLabelSelectedAll(Pods s) {
        return s.store.list(null, page("app=bench", "", null));
    }

    /** A label selector matching 1% of one namespace's pods. */
    @Benchmark
    public ListResult namespacePageLabelSelectedFew(Pods s) {
        return s.store.list("ns-007", page("shard=s42", "", null));
    }

    @Benchmark
    public ListResult firstPageFieldSelected(Pods s) {
        return s.store.list(null, page("", "status.phase=Pending", null));
    }
}
