package kubefake.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.server.encoding.MediaType;
import kubefake.server.encoding.Serializer;
import kubefake.server.printers.Tables;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.mvcc.WriteView;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.ListResult;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.request.RequestContext;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The server's own work for {@code kubectl get pods -A} over many pods (not a test): the whole chunked sequence of
 * pages of 500 (the store's page after each continue token, the page as a Table, its JSON bytes), on one thread, with
 * that thread's CPU time, without HTTP or TLS. {@code TableListBenchmark [PODS] [ROUNDS]}: PODS registry-made Running
 * pods in 100 namespaces (one made through the create and status paths, the others its copies written straight into the
 * store: the cheapest way to have 150,000 of them), then ROUNDS rounds of: the pages alone, the Table of every object's
 * whole tree ({@link TableRenderer#table}, as before), the Table of {@link RowInput}s ({@link TableRenderer#jsonTable}).
 */
public final class TableListBenchmark {
    private static final int PAGE = 500;
    private static final int NAMESPACES = 100;
    /** Which of the three to run ({@code -Dbench.modes=2}: only the Table a list serves, e.g. to profile it). */
    private static final String MODES = System.getProperty("bench.modes", "012");

    private TableListBenchmark() {
    }

    public static void main(String[] args) {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 150_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        MemoryKeyValueStore kv = new MemoryKeyValueStore();
        Registry registry = new Registry(kv, Clock.systemUTC(), ResourceCatalogue.builtIn());
        ResourceStore store = registry.resource("", "pods");
        ObjectNode template = template(registry, store);
        for (int i = 0; i < pods; i++) write(kv, template, i);
        System.out.printf(Locale.ROOT, "%d pods of %d bytes each (stored JSON)%n", pods, Json.bytes(template).length);
        List<List<Double>> figures = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        String[] names = {"pages only", "Table of whole trees (before)", "Table of RowInputs (after)"};
        for (int round = 0; round <= rounds; round++) { // round 0 warms up
            for (int mode = 0; mode < 3; mode++) {
                if (!MODES.contains(Integer.toString(mode))) continue;
                long cpu0 = cpu();
                long bytes = sequence(store, mode);
                double seconds = (cpu() - cpu0) / 1e9;
                if (round > 0) figures.get(mode).add(seconds);
                System.out.printf(Locale.ROOT, "round %d, %s: %.2f s of CPU, %.1f MB%n", round, names[mode], seconds, bytes / 1e6);
            }
        }
        for (int mode = 0; mode < 3; mode++) {
            if (!MODES.contains(Integer.toString(mode))) continue;
            List<Double> f = new ArrayList<>(figures.get(mode));
            Collections.sort(f);
            System.out.printf(Locale.ROOT, "RESULT %s: median %.2f s of CPU for %d pages (%.2f ms per page), rounds %s%n", names[mode],
                    f.get(f.size() / 2), (pods + PAGE - 1) / PAGE, f.get(f.size() / 2) * 1000 / ((pods + PAGE - 1) / PAGE), f);
        }
    }

    /** One whole chunked list; its bytes (mode 0: none, the pages only). */
    private static long sequence(ResourceStore store, int mode) {
        String token = null;
        long bytes = 0;
        Instant now = Instant.now();
        do {
            ListResult page = store.list("", new ListOptions("", "", "", "", PAGE, token, 0, false, null));
            ObjectNode meta = TableRenderer.listMeta(page);
            if (mode == 1) {
                bytes += Serializer.encode(TableRenderer.table(page.type(), page.items(), meta, Tables.IncludeObject.METADATA, true, now),
                        MediaType.JSON, false).body().length;
            } else if (mode == 2) {
                bytes += TableRenderer.jsonTable(page.type(), page.items(), meta, Tables.IncludeObject.METADATA, "meta.k8s.io/v1", now, true).length;
            }
            token = page.continueToken();
        } while (token != null);
        return bytes;
    }

    /** A Running pod as the registry stores it: created, then its status written as a kubelet writes it. */
    private static ObjectNode template(Registry registry, ResourceStore store) {
        ObjectNode ns = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
        ns.putObject("metadata").put("name", "default");
        registry.resource("", "namespaces").create("", ns, RequestContext.LOOPBACK);
        ObjectNode pod = Json.parseObject(("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-5d4f8-x2x9k\","
                + "\"labels\":{\"app\":\"web\",\"pod-template-hash\":\"5d4f8\"}},\"spec\":{\"containers\":[{\"name\":\"web\","
                + "\"image\":\"nginx:1.27\",\"ports\":[{\"containerPort\":80,\"protocol\":\"TCP\"}],\"resources\":{\"requests\":"
                + "{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}}]}}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ObjectNode created = store.create("default", pod, RequestContext.LOOPBACK).toNode();
        String at = "2026-12-07T19:00:00Z";
        created.set("status", Json.parseObject(("{\"phase\":\"Running\",\"conditions\":["
                + "{\"type\":\"Initialized\",\"status\":\"True\",\"lastProbeTime\":null,\"lastTransitionTime\":\"" + at + "\"},"
                + "{\"type\":\"Ready\",\"status\":\"True\",\"lastProbeTime\":null,\"lastTransitionTime\":\"" + at + "\"},"
                + "{\"type\":\"ContainersReady\",\"status\":\"True\",\"lastProbeTime\":null,\"lastTransitionTime\":\"" + at + "\"},"
                + "{\"type\":\"PodScheduled\",\"status\":\"True\",\"lastProbeTime\":null,\"lastTransitionTime\":\"" + at + "\"}],"
                + "\"hostIP\":\"192.168.1.101\",\"podIP\":\"10.244.1.7\",\"podIPs\":[{\"ip\":\"10.244.1.7\"}],\"startTime\":\"" + at + "\","
                + "\"containerStatuses\":[{\"name\":\"web\",\"state\":{\"running\":{\"startedAt\":\"" + at + "\"}},\"lastState\":{},"
                + "\"ready\":true,\"restartCount\":0,\"image\":\"docker.io/library/nginx:1.27\",\"imageID\":\"docker.io/library/nginx@sha256:"
                + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"containerID\":\"containerd://"
                + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"started\":true}],\"qosClass\":\"Burstable\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        ObjectNode stored = store.update("default", "web-5d4f8-x2x9k", created,
                RequestContext.LOOPBACK.withFieldManager("kubelet").withSubresource("status")).toNode();
        stored.remove("kind");
        stored.remove("apiVersion");
        return stored;
    }

    private static void write(MemoryKeyValueStore kv, ObjectNode template, int i) {
        ObjectNode pod = template.deepCopy();
        ObjectNode meta = (ObjectNode) pod.get("metadata");
        String namespace = String.format(Locale.ROOT, "app-%02d", i % NAMESPACES);
        String name = String.format(Locale.ROOT, "web-5d4f8-%06d", i);
        meta.put("name", name).put("namespace", namespace).put("uid", String.format(Locale.ROOT, "00000000-0000-0000-0000-%012d", i));
        // each pod its own IP, in its status and in the key of the kubelet's managedFields entry for it, as pods have
        // (field names that differ from pod to pod are what a parser's name table sees in a real list)
        String ip = "10.244." + (i >> 8 & 0xff) + "." + (i & 0xff);
        kv.put("/registry/pods/" + namespace + "/" + name, revision -> {
            meta.put("resourceVersion", Long.toString(revision));
            return new String(Json.bytes(pod), java.nio.charset.StandardCharsets.UTF_8).replace("10.244.1.7", ip)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }, WriteView.ANY);
    }

    private static long cpu() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadCpuTime();
    }
}
