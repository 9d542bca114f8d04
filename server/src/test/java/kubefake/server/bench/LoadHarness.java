package kubefake.server.bench;

import kubefake.server.cli.KubeconfigHttp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A load harness for any Kubernetes API server (run by bench/harness.sh, not a test). It talks HTTPS as a kubeconfig's
 * current context says (its server and CA, a client certificate or a bearer token), so the same run can be pointed at
 * kubefake or at a real kube-apiserver + etcd and the figures compared side by side.
 *
 * <p>Every phase works in a namespace of its own making ({@code load-<millis>}, deleted at the end unless
 * {@code --keep}): {@code create} (ConfigMap POSTs), {@code get}, {@code list} (kubectl's chunked list, limit=500 and
 * continue, one operation per whole list), {@code patch} (merge patches), {@code status} (merge patches of pods'
 * status subresource; the pods name a scheduler that does not exist so nothing else writes them) each for
 * {@code --seconds} at {@code --concurrency} threads, unthrottled or at {@code --rate} operations per second in total;
 * {@code watch}: a cluster's watchers ({@code --watch-all} watches of every pod of the namespace, one kubelet-like
 * {@code spec.nodeName} watch per node for the rest of {@code --watches}), then {@code --watch-rate} pod creates per
 * second for {@code --seconds}, with the delay from each create's send to its event at each watcher per class, and a
 * check that every watcher that stayed open saw exactly its pods once and in resourceVersion order. {@code preload}: {@code --preload N}
 * pods created once at {@code --concurrency} (to measure LIST and memory at size; not timed per operation).
 *
 * <p>Latency is kept in 10 µs buckets up to 20 s; it is measured from each request's send (a throttled run does not
 * correct for coordinated omission). Results go to stdout and, as markdown, to {@code --out}.
 */
public final class LoadHarness {
    private final HttpClient http;
    private final String server;
    private final String token;
    private final Map<String, String> options;
    private final String namespace = "load-" + System.currentTimeMillis();
    private final AtomicLong configMaps = new AtomicLong();
    private final List<String> report = new ArrayList<>();

    private LoadHarness(HttpClient http, String server, String token, Map<String, String> options) {
        this.http = http;
        this.server = server.replaceAll("/+$", "");
        this.token = token;
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
            String name = args[i].substring(2);
            if (name.equals("keep")) options.put(name, "true");
            else options.put(name, args[++i]);
        }
        String kubeconfig = options.getOrDefault("kubeconfig", System.getenv("KUBECONFIG"));
        if (kubeconfig == null) throw new IllegalArgumentException("--kubeconfig FILE (or $KUBECONFIG) is required");
        LoadHarness harness = connect(Path.of(kubeconfig.split(java.io.File.pathSeparator)[0]), options);
        harness.run();
        System.exit(0);
    }

    private static LoadHarness connect(Path file, Map<String, String> options) throws Exception {
        KubeconfigHttp kubeconfig = KubeconfigHttp.of(file, Duration.ofSeconds(30));
        return new LoadHarness(kubeconfig.client(), kubeconfig.server(), kubeconfig.token(), options);
    }

    private int option(String name, int otherwise) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(otherwise)));
    }

    private void run() throws Exception {
        int seconds = option("seconds", 10);
        int concurrency = option("concurrency", 16);
        int rate = option("rate", 0);
        List<String> phases = List.of(options.getOrDefault("phases", "create,get,list,patch,status,watch").split(","));
        line("# Load harness run " + Instant.now());
        line("");
        line("- server: " + server + " (" + versionOf() + ")");
        line("- machine: " + Runtime.getRuntime().availableProcessors() + " cores; load average before: " + loadAverage());
        line("- options: " + options.entrySet().stream().filter(e -> !e.getKey().equals("kubeconfig"))
                .map(e -> "--" + e.getKey() + " " + e.getValue()).reduce((a, b) -> a + " " + b).orElse("(defaults)"));
        line("");
        check(send("POST", "/api/v1/namespaces", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + namespace + "\"}}"), 201);
        try {
            line("| phase | operations | errors | operations/s | p50 ms | p99 ms | p99.9 ms | max ms |");
            line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (String phase : phases) {
                switch (phase) {
                    case "create" -> timed(phase, seconds, concurrency, rate, this::createConfigMap);
                    case "get" -> timed(phase, seconds, concurrency, rate, this::getConfigMap);
                    case "list" -> timed(phase, seconds, concurrency, rate, this::listConfigMaps);
                    case "patch" -> timed(phase, seconds, concurrency, rate, this::patchConfigMap);
                    case "status" -> {
                        int pods = Math.max(concurrency * 4, 64);
                        for (int i = 0; i < pods; i++) check(createPod("s-" + i), 201);
                        timed(phase, seconds, concurrency, rate, () -> patchPodStatus("s-" + ThreadLocalRandom.current().nextInt(pods)));
                    }
                    case "preload" -> preload(option("preload", 150_000), concurrency);
                    case "watch" -> { /* after the table */ }
                    default -> throw new IllegalArgumentException("unknown phase " + phase);
                }
            }
            if (phases.contains("watch")) {
                int watches = option("watches", 100);
                watch(watches, option("watch-all", Math.min(10, watches)), option("watch-rate", 100), seconds, concurrency);
            }
        } finally {
            if (!options.containsKey("keep")) send("DELETE", "/api/v1/namespaces/" + namespace, null, null);
        }
        line("");
        line("- load average after: " + loadAverage());
        String out = options.get("out");
        if (out != null) Files.write(Path.of(out), report);
    }

    private void line(String s) {
        System.out.println(s);
        report.add(s);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private String versionOf() {
        try {
            HttpResponse<String> r = send("GET", "/version", null, null);
            var m = java.util.regex.Pattern.compile("\"gitVersion\":\\s*\"([^\"]*)\"").matcher(r.body());
            return m.find() ? m.group(1) : "version " + r.statusCode();
        } catch (Exception e) {
            return "version unknown";
        }
    }

    // ---- operations: each returns the status code, 2xx counts as success ----

    private interface Operation {
        int call() throws Exception;
    }

    private int createConfigMap() throws Exception {
        long n = configMaps.getAndIncrement();
        return send("POST", "/api/v1/namespaces/" + namespace + "/configmaps", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c-" + n
                        + "\",\"labels\":{\"app\":\"load\"}},\"data\":{\"key\":\"value-" + n + "\"}}").statusCode();
    }

    private String someConfigMap() {
        long n = configMaps.get();
        return "c-" + (n == 0 ? 0 : ThreadLocalRandom.current().nextLong(n));
    }

    private int getConfigMap() throws Exception {
        return send("GET", "/api/v1/namespaces/" + namespace + "/configmaps/" + someConfigMap(), null, null).statusCode();
    }

    private int patchConfigMap() throws Exception {
        return send("PATCH", "/api/v1/namespaces/" + namespace + "/configmaps/" + someConfigMap(),
                "application/merge-patch+json", "{\"data\":{\"patched\":\"" + System.nanoTime() + "\"}}").statusCode();
    }

    private int listConfigMaps() throws Exception {
        return listAll("/api/v1/namespaces/" + namespace + "/configmaps");
    }

    /** A whole list as kubectl fetches it: pages of 500, following metadata.continue. */
    private int listAll(String path) throws Exception {
        String next = "";
        while (true) {
            HttpResponse<String> r = send("GET", path + "?limit=500" + (next.isEmpty() ? "" : "&continue=" + next), null, null);
            if (r.statusCode() != 200) return r.statusCode();
            var m = java.util.regex.Pattern.compile("\"continue\":\\s*\"([^\"]+)\"").matcher(r.body());
            if (!m.find()) return 200;
            next = java.net.URLEncoder.encode(m.group(1), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private HttpResponse<String> createPod(String name) throws Exception {
        return send("POST", "/api/v1/namespaces/" + namespace + "/pods", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"load\"}},"
                        + "\"spec\":{\"schedulerName\":\"load-harness-none\",\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}");
    }

    private int patchPodStatus(String name) throws Exception {
        return send("PATCH", "/api/v1/namespaces/" + namespace + "/pods/" + name + "/status", "application/merge-patch+json",
                "{\"status\":{\"message\":\"load " + System.nanoTime() + "\"}}").statusCode();
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        if (token != null && !token.isEmpty()) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void check(HttpResponse<String> r, int expected) {
        if (r.statusCode() != expected) {
            throw new IllegalStateException(r.request().method() + " " + r.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    // ---- phases ----

    private void timed(String phase, int seconds, int threads, int rate, Operation op) throws InterruptedException {
        Histogram latency = new Histogram();
        AtomicLong errors = new AtomicLong();
        AtomicLong slot = new AtomicLong();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long interval = rate > 0 ? 1_000_000_000L / rate : 0;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(start(() -> {
                while (true) {
                    if (interval > 0) {
                        long at = start + slot.getAndIncrement() * interval;
                        if (at >= end) return;
                        long wait = at - System.nanoTime();
                        if (wait > 0) sleepNanos(wait);
                    } else if (System.nanoTime() >= end) {
                        return;
                    }
                    long t0 = System.nanoTime();
                    int code;
                    try {
                        code = op.call();
                    } catch (Exception e) {
                        code = -1;
                    }
                    latency.record(System.nanoTime() - t0);
                    if (code < 200 || code > 299) errors.incrementAndGet();
                }
            }));
        }
        for (Thread w : workers) w.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        line(String.format(Locale.ROOT, "| %s | %d | %d | %.0f | %s | %s | %s | %s |", phase, latency.count(), errors.get(),
                latency.count() / elapsed, latency.ms(0.50), latency.ms(0.99), latency.ms(0.999), latency.ms(1.0)));
    }

    private void preload(int pods, int threads) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(start(() -> {
                for (int i; (i = next.getAndIncrement()) < pods; ) {
                    try {
                        if (createPod("p-" + i).statusCode() != 201) errors.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread w : workers) w.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        line(String.format(Locale.ROOT, "| preload (pods) | %d | %d | %.0f | | | | |", pods, errors.get(), pods / elapsed));
    }

    /**
     * One watcher of pods, as a client keeps it: a watch stream, and when the server closes it (a watcher that fell
     * behind), a relist and a new watch from the list's resourceVersion, as client-go's reflector does. Checks that
     * each create it should see arrives once (by the stream, or by the list after a close) and in resourceVersion
     * order, and times each event from its create's send. A kubelet-like watch ({@code node} set) should see the pods
     * bound to its node, a controller-like one every pod. A slow one stops reading after its first event for
     * {@code stallSeconds}, so that the server has to close it.
     */
    private final class Watcher {
        final java.util.BitSet seen = new java.util.BitSet();
        final Histogram delivery;
        final long[] sentAt;
        /** When each create was answered: the delay after it is the fan-out's own (0 when the event came first). */
        final long[] answeredAt;
        final Histogram afterAnswer;
        final CountDownLatch opened;
        /** The node index whose pods this watch selects, or -1 for every pod. */
        final int node;
        final int stallSeconds;
        long lastResourceVersion = -1;
        int events;
        int duplicates;
        int outOfOrder;
        int unexpected;
        /** Streams the server ended while the run went on, and relists that followed. */
        int closedByServer;
        int relists;
        /** The current stream ended and no relist replaced it (yet). */
        volatile boolean ended;
        volatile boolean stopping;
        volatile Flow.Subscription subscription;

        Watcher(int node, Histogram delivery, long[] sentAt, long[] answeredAt, Histogram afterAnswer, CountDownLatch opened,
                int stallSeconds) {
            this.node = node;
            this.delivery = delivery;
            this.sentAt = sentAt;
            this.answeredAt = answeredAt;
            this.afterAnswer = afterAnswer;
            this.opened = opened;
            this.stallSeconds = stallSeconds;
        }

        String selector() {
            return node < 0 ? "" : "&fieldSelector=spec.nodeName%3D" + nodeName(node);
        }

        /** Opens a watch stream after {@code resourceVersion} (empty: from now). */
        void open(String resourceVersion) {
            Stream stream = new Stream();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + "/api/v1/namespaces/" + namespace
                    + "/pods?watch=1&timeoutSeconds=3600&allowWatchBookmarks=false" + selector()
                    + (resourceVersion.isEmpty() ? "" : "&resourceVersion=" + resourceVersion)))
                    .header("Accept", "application/json");
            if (token != null && !token.isEmpty()) b.header("Authorization", "Bearer " + token);
            http.sendAsync(b.build(), HttpResponse.BodyHandlers.fromLineSubscriber(stream))
                    .whenComplete((r, e) -> stream.end());
        }

        /** After the server ended the stream: the list of this watcher's pods, then a watch from its resourceVersion. */
        void relist() {
            try {
                HttpResponse<String> r = send("GET", "/api/v1/namespaces/" + namespace + "/pods?" + selector().replaceFirst("^&", ""),
                        null, null);
                check(r, 200);
                var list = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(r.body());
                String rv = list.path("metadata").path("resourceVersion").asText();
                synchronized (this) {
                    for (var item : list.path("items")) {
                        String name = item.path("metadata").path("name").asText();
                        if (!name.startsWith("w-")) continue;
                        int seq = Integer.parseInt(name.substring(2));
                        seen.set(seq);
                        if (node >= 0 && seq % nodes != node) unexpected++;
                    }
                    lastResourceVersion = Long.parseLong(rv);
                    relists++;
                }
                ended = false;
                open(rv);
            } catch (Exception e) {
                ended = true;
            }
        }

        void onEvent(String line, long now) {
            int name = line.indexOf("\"name\":\"w-");
            if (!line.startsWith("{\"type\":\"ADDED\"") || name < 0) return;
            int seq = Integer.parseInt(line, name + 10, line.indexOf('"', name + 10), 10);
            synchronized (this) {
                events++;
                if (seen.get(seq)) duplicates++;
                seen.set(seq);
                if (node >= 0 && seq % nodes != node) unexpected++;
                int rv = line.indexOf("\"resourceVersion\":\"");
                if (rv >= 0) {
                    long v = Long.parseLong(line, rv + 19, line.indexOf('"', rv + 19), 10);
                    if (v <= lastResourceVersion) outOfOrder++;
                    lastResourceVersion = v;
                }
            }
            long sent = sentAt[seq];
            if (sent != 0) delivery.record(now - sent);
            long answered = answeredAt[seq];
            if (afterAnswer != null) afterAnswer.record(answered == 0 ? 0 : Math.max(0, now - answered));
        }

        /** How many of the {@code written} creates this watch should see. */
        int expected(java.util.BitSet written) {
            if (node < 0) return written.cardinality();
            int n = 0;
            for (int i = written.nextSetBit(0); i >= 0; i = written.nextSetBit(i + 1)) if (i % nodes == node) n++;
            return n;
        }

        void cancel() {
            stopping = true;
            Flow.Subscription s = subscription;
            if (s != null) s.cancel();
        }

        /** One HTTP watch response of this watcher. */
        private final class Stream implements Flow.Subscriber<String> {
            private final AtomicBoolean over = new AtomicBoolean();
            private boolean stalled;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                opened.countDown();
                // a slow watcher's first stream takes its lines one by one, to stop at the first measured pod
                s.request(stallSeconds > 0 && closedByServer == 0 ? 1 : Long.MAX_VALUE);
            }

            @Override
            public void onNext(String line) {
                onEvent(line, System.nanoTime());
                if (stallSeconds <= 0 || stalled || closedByServer > 0) return;
                Flow.Subscription s = subscription;
                if (!line.contains("\"name\":\"w-")) {
                    s.request(1);
                    return;
                }
                stalled = true; // read nothing more for a while: the server's buffer for this watch fills
                start(() -> {
                    sleepNanos(TimeUnit.SECONDS.toNanos(stallSeconds));
                    s.request(Long.MAX_VALUE);
                });
            }

            @Override
            public void onError(Throwable t) {
                end();
            }

            @Override
            public void onComplete() {
                end();
            }

            void end() {
                if (!over.compareAndSet(false, true)) return;
                ended = true;
                if (stopping) return;
                synchronized (Watcher.this) {
                    closedByServer++;
                }
                start(Watcher.this::relist);
            }
        }
    }

    /**
     * {@code count} pod creates ({@code prefix}0, 1, ...) at {@code rate} per second on {@code threads} threads, pod i
     * bound to node i mod nodes; each records its send and answer times (when the arrays are given) and its success.
     */
    private void writePods(String prefix, int count, int rate, int threads, long[] sentAt, long[] answeredAt,
                           Histogram latency, java.util.BitSet written, AtomicLong errors) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        long interval = 1_000_000_000L / Math.max(rate, 1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            writers.add(start(() -> {
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    long wait = start + i * interval - System.nanoTime();
                    if (wait > 0) sleepNanos(wait);
                    long sent = System.nanoTime();
                    if (sentAt != null) sentAt[i] = sent;
                    try {
                        String bound = nodes == 0 ? "\"schedulerName\":\"load-harness-none\""
                                : "\"nodeName\":\"" + nodeName(i % nodes) + "\"";
                        int code = send("POST", "/api/v1/namespaces/" + namespace + "/pods", "application/json",
                                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + prefix + i
                                        + "\",\"labels\":{\"load\":\"watch\"}},\"spec\":{" + bound
                                        + ",\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}").statusCode();
                        long answered = System.nanoTime();
                        if (answeredAt != null) answeredAt[i] = answered;
                        if (latency != null) latency.record(answered - sent);
                        if (code == 201) {
                            if (written != null) {
                                synchronized (written) {
                                    written.set(i);
                                }
                            }
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread w : writers) w.join();
    }

    /** Kubelet-like watches' nodes in the watch phase (pod w-i is bound to node i mod nodes); 0 until it runs. */
    private int nodes;

    /** A process's CPU time (user + system) from /proc in nanoseconds, or -1 when it cannot be read. */
    private static long processCpuNanos(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // clock ticks of 10 ms
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A process's CPU time per thread name (digits folded, so that a pool's threads add up) in nanoseconds. */
    private static Map<String, Long> threadCpuNanos(String pid) {
        Map<String, Long> byName = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "N");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byName.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return byName;
    }

    /** The thread groups that used the most CPU between two {@link #threadCpuNanos} readings, in seconds. */
    private static String topThreads(Map<String, Long> before, Map<String, Long> after, int n) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(n)
                .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue() / 1e9))
                .reduce((x, y) -> x + ", " + y).orElse("none");
    }

    private static long ownGcMillis() {
        long ms = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) ms += Math.max(0, gc.getCollectionTime());
        return ms;
    }

    /**
     * The watch phase, shaped as a cluster's watchers are: {@code watchAll} controller-like watches of every pod of the
     * namespace, and one kubelet-like watch per node for the rest ({@code fieldSelector=spec.nodeName=N}, as a kubelet
     * watches its pods). The nodes are Node objects of the harness's own ({@code <namespace>-n<i>}, without the
     * {@code kubernetes.io/os} label so that no DaemonSet places pods on them, deleted at the end), so that the pod
     * garbage collector does not take the pods for orphans. Then {@code rate} pod creates per second, pod w-i bound
     * to node i mod nodes, after {@code --warmup} such creates (default: 10 s of them) that are neither timed nor
     * checked, so that the figures are not the JIT's. {@code --slow-watches K} of the controller-like watches stop
     * reading for {@code --slow-stall} seconds at their first timed event (the server should close them; they relist). Over the
     * writes it reports the harness's own CPU and GC time and, given {@code --server-pid}, the server's CPU, so that
     * what the client costs on shared cores is known.
     */
    private void watch(int watches, int watchAll, int rate, int seconds, int concurrency) throws Exception {
        String ns = namespace;
        watchAll = Math.min(watchAll, watches);
        nodes = watches - watchAll;
        int slow = Math.min(option("slow-watches", 0), watchAll);
        int stall = option("slow-stall", 20);
        Histogram nodeDelivery = new Histogram();
        Histogram allDelivery = new Histogram();
        Histogram slowDelivery = new Histogram();
        Histogram createLatency = new Histogram();
        Histogram afterAnswer = new Histogram();
        int writes = rate * seconds;
        long[] sentAt = new long[writes];
        long[] answeredAt = new long[writes];
        java.util.BitSet written = new java.util.BitSet(writes);
        long nodesStart = System.nanoTime();
        AtomicInteger nextNode = new AtomicInteger();
        List<Thread> creators = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            creators.add(start(() -> {
                for (int i; (i = nextNode.getAndIncrement()) < nodes; ) {
                    try {
                        check(send("POST", "/api/v1/nodes", "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"Node\","
                                + "\"metadata\":{\"name\":\"" + nodeName(i) + "\",\"labels\":{\"load\":\"" + ns + "\"}}}"), 201);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        for (Thread t : creators) t.join();
        double nodeSeconds = (System.nanoTime() - nodesStart) / 1e9;
        CountDownLatch opened = new CountDownLatch(watches);
        List<Watcher> watchers = new ArrayList<>();
        Semaphore handshakes = new Semaphore(64);
        long openStart = System.nanoTime();
        String serverPid = options.get("server-pid");
        try {
            for (int i = 0; i < watches; i++) {
                int node = i < watchAll ? -1 : i - watchAll;
                Watcher w = new Watcher(node, i < slow ? slowDelivery : node < 0 ? allDelivery : nodeDelivery, sentAt,
                        answeredAt, i < slow ? null : afterAnswer, opened, i < slow ? stall : 0);
                watchers.add(w);
                handshakes.acquire();
                w.open("");
                // released once this watch streams, so that at most 64 handshakes are under way
                start(() -> {
                    try {
                        while (w.subscription == null && !w.ended) Thread.sleep(5);
                    } catch (InterruptedException ignored) {
                    }
                    handshakes.release();
                });
            }
            if (!opened.await(600, TimeUnit.SECONDS)) throw new IllegalStateException("watches not all open: " + opened.getCount() + " left");
            double openSeconds = (System.nanoTime() - openStart) / 1e9;
            // the first writes warm the server's (and the harness's) code paths up, so that the measured ones do not
            // pay the JIT's compiles; their pods (warm-i) are not checked nor timed
            int warmup = option("warmup", Math.min(writes, rate * 10));
            writePods("warm-", warmup, rate, Math.max(8, concurrency), null, null, null, null, new AtomicLong());
            AtomicLong errors = new AtomicLong();
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            // the server's own background with the watches open and no writes, to set the writes' share apart
            String idle = "";
            if (serverPid != null) {
                Map<String, Long> idle0 = threadCpuNanos(serverPid);
                long idleCpu0 = processCpuNanos(serverPid);
                Thread.sleep(5_000);
                idle = String.format(Locale.ROOT, "In the 5 s before the writes (watches open, nothing written) the server used "
                        + "%.1f s of CPU: %s.", (processCpuNanos(serverPid) - idleCpu0) / 1e9, topThreads(idle0, threadCpuNanos(serverPid), 6));
            }
            long clientCpu0 = os.getProcessCpuTime();
            long clientGc0 = ownGcMillis();
            Map<String, Long> threads0 = serverPid == null ? Map.of() : threadCpuNanos(serverPid);
            long serverCpu0 = serverPid == null ? -1 : processCpuNanos(serverPid);
            long start = System.nanoTime();
            writePods("w-", writes, rate, Math.max(8, concurrency), sentAt, answeredAt, createLatency, written, errors);
            double writeSeconds = (System.nanoTime() - start) / 1e9;
            // wait until every watcher has every event it should see (a closed one once it relisted), or 30 s
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(30, stall + 10));
            while (System.nanoTime() < deadline && watchers.stream().anyMatch(w -> w.ended || count(w) < w.expected(written))) {
                Thread.sleep(50);
            }
            double deliverSeconds = (System.nanoTime() - start) / 1e9;
            long clientCpu = os.getProcessCpuTime() - clientCpu0;
            long clientGc = ownGcMillis() - clientGc0;
            long serverCpu = serverCpu0 < 0 ? -1 : processCpuNanos(serverPid) - serverCpu0;
            String serverThreads = serverPid == null ? "" : " The server's threads over the writes: "
                    + topThreads(threads0, threadCpuNanos(serverPid), 8) + ". " + idle;
            for (Watcher w : watchers) w.cancel();
            int ended = 0;
            int complete = 0;
            int closedByServer = 0;
            int relisted = 0;
            long duplicates = 0;
            long outOfOrder = 0;
            long missing = 0;
            long unexpected = 0;
            for (Watcher w : watchers) {
                synchronized (w) {
                    closedByServer += w.closedByServer;
                    if (w.relists > 0) relisted++;
                    if (w.ended && w.relists < w.closedByServer) {
                        ended++;
                        continue;
                    }
                    int expected = w.expected(written);
                    if (w.seen.cardinality() == expected && w.unexpected == 0) complete++;
                    missing += Math.max(0, expected - (w.seen.cardinality() - w.unexpected));
                    duplicates += w.duplicates;
                    outOfOrder += w.outOfOrder;
                    unexpected += w.unexpected;
                }
            }
            long deliveries = nodeDelivery.count() + allDelivery.count() + slowDelivery.count();
            line("");
            line(String.format(Locale.ROOT, "Watch fan-out: %d watches (%d of every pod, %d of them slow, %d of one node's pods; "
                            + "%d nodes made in %.1f s; open in %.1f s), %d pod creates at %d/s wanted, %.0f/s done (%d errors); "
                            + "%d deliveries, %.0f/s over the writes and the wait for the last events (%.1f s); streams ended by "
                            + "the server %d, watchers that relisted %d, watchers left without a stream %d; watchers with every "
                            + "event %d, events missing %d, duplicates %d, out of resourceVersion order %d, events of another node %d.",
                    watches, watchAll, slow, nodes, nodes, nodeSeconds, openSeconds, writes, rate, writes / writeSeconds,
                    errors.get(), deliveries, deliveries / deliverSeconds, deliverSeconds, closedByServer, relisted, ended,
                    complete, missing, duplicates, outOfOrder, unexpected));
            line("");
            line(String.format(Locale.ROOT, "CPU over those %.1f s: the harness (client) %.1f s (%.1f ms in GC)%s", deliverSeconds,
                    clientCpu / 1e9, (double) clientGc,
                    serverCpu < 0 ? "." : String.format(Locale.ROOT, ", the server %.1f s (%.0f µs per pod create, its deliveries "
                                    + "included; the in-process controllers' work too).", serverCpu / 1e9,
                            written.cardinality() == 0 ? 0 : serverCpu / 1e3 / written.cardinality())) + serverThreads);
            line("");
            line("| | count | p50 ms | p99 ms | p99.9 ms | max ms |");
            line("| --- | ---: | ---: | ---: | ---: | ---: |");
            for (var c : List.of(Map.entry("pod create (send → 201)", createLatency),
                    Map.entry("delivery, every pod (controller-like)", allDelivery),
                    Map.entry("delivery, one node's pods (kubelet-like)", nodeDelivery),
                    Map.entry("delivery, both of these", Histogram.merged(allDelivery, nodeDelivery)),
                    Map.entry("delivery after the create's answer (0 when before it), all but the slow", afterAnswer),
                    Map.entry("delivery, slow watchers (stalled " + stall + " s)", slowDelivery))) {
                Histogram h = c.getValue();
                if (h.count() == 0 && c.getValue() == slowDelivery) continue;
                line(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |", c.getKey(), h.count(), h.ms(0.5), h.ms(0.99),
                        h.ms(0.999), h.ms(1.0)));
            }
        } finally {
            for (Watcher w : watchers) w.cancel();
            if (nodes > 0) send("DELETE", "/api/v1/nodes?labelSelector=load%3D" + ns, null, null);
        }
    }

    private String nodeName(int i) {
        return namespace + "-n" + i;
    }

    private static int count(Watcher w) {
        synchronized (w) {
            return w.seen.cardinality() - w.unexpected;
        }
    }

    private static Thread start(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Latencies in 10 µs buckets up to 20 s (the last bucket takes everything slower). */
    static final class Histogram {
        private static final int BUCKETS = 2_000_001;
        private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
        private final AtomicLong total = new AtomicLong();

        void record(long nanos) {
            counts.incrementAndGet((int) Math.min(BUCKETS - 1, Math.max(0, nanos / 10_000)));
            total.incrementAndGet();
        }

        long count() {
            return total.get();
        }

        /** A histogram of what both recorded. */
        static Histogram merged(Histogram a, Histogram b) {
            Histogram m = new Histogram();
            for (int i = 0; i < BUCKETS; i++) m.counts.set(i, a.counts.get(i) + b.counts.get(i));
            m.total.set(a.total.get() + b.total.get());
            return m;
        }

        /** The latency at quantile q in milliseconds (the bucket's upper bound), or "-" with nothing recorded. */
        String ms(double q) {
            long n = total.get();
            if (n == 0) return "-";
            long rank = Math.max(1, (long) Math.ceil(q * n));
            long seen = 0;
            for (int i = 0; i < BUCKETS; i++) {
                seen += counts.get(i);
                if (seen >= rank) return String.format(Locale.ROOT, "%.2f", (i + 1) / 100.0);
            }
            return "-";
        }
    }
}
