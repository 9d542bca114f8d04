package kubefake.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends malformed HTTP requests to a running kubefake and reports how it answered: bad paths and escapes, query
 * parameters of every kind with wrong values, bodies of the wrong shape, broken JSON and YAML, patch bodies of the
 * three patch types, unknown methods, content types and Accept headers. Prints the status histogram, every 500
 * with its request, and the requests that got no answer; then checks that the server still serves.
 *
 * <p>How answers are judged: a 500 without a reason is right only when it is one of the real server's own 500s listed
 * in {@link #REAL_SERVER_500S}, each pinned in a test that cites the Kubernetes source; any other 5xx is kubefake
 * failing, but Go's {@code 505} for a request line whose version is not HTTP/1.x (the real server's net/http answers
 * it before any handler). An answer that says {@code Connection: close} must be followed by the server closing the
 * connection (Go closes at once, or after its 500 ms rstAvoidanceDelay for a 431): the fuzzer waits for it. The exit
 * status is 1 when any failing 5xx, unlisted 500, hang, connection left open or unhealthy end was seen.
 *
 * <p>Usage (see {@code bench/fuzz-http.sh}): {@code HttpFuzzer URL TOKEN [REQUESTS] [SEED] [THREADS]}; the token
 * must be a system:masters one. Talks to loopback addresses only.
 */
public final class HttpFuzzer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String NS = "fuzz";
    private static final int TIMEOUT_MILLIS = 15_000;
    /** How long a connection answered with {@code Connection: close} may stay open: Go's 500 ms delay, and slack. */
    private static final int CLOSE_WAIT_MILLIS = 3_000;

    /**
     * A 500 the real server answers itself: its predicate on the request and the answer's message, and the test that
     * pins it with the Kubernetes source it comes from.
     */
    record RealServer500(String what, String pinnedBy, java.util.function.BiPredicate<Requests.Request, String> matches) {
    }

    static final List<RealServer500> REAL_SERVER_500S = List.of(
            new RealServer500("a DeleteOptions body 1.33 cannot decode (handlers/delete.go hands the decoder's error to "
                    + "scope.err unconverted)", "BadInputHttpTest.aDeleteBodyTheRealServerCannotDecodeIsItsOwn500",
                    (r, m) -> r.method().equals("DELETE") && r.body().length > 0),
            new RealServer500("a malformed resourceVersion on a watch or a get (the watch cache's "
                    + "ParseResourceVersion error passed on as is)",
                    "BadInputHttpTest.aMalformedResourceVersionOnAWatchOrAGetIsTheRealServers500",
                    (r, m) -> r.method().equals("GET") && m.startsWith("resourceVersion: Invalid value: ")
                            && m.contains("strconv.ParseUint")),
            new RealServer500("a strategic merge patch error that handlers/patch.go's interpretStrategicMergePatchError "
                    + "does not classify", "BadInputHttpTest.aStrategicMergePatchErrorThePatchHandlerDoesNotClassifyIsA500",
                    (r, m) -> r.method().equals("PATCH") && r.headers().stream().anyMatch(h -> h[0].equals("Content-Type")
                            && h[1].startsWith("application/strategic-merge-patch+json"))));
    /** -Dfuzz.trace=true prints every request with its answer (to find what desynchronised a connection). */
    private static final boolean TRACE = Boolean.getBoolean("fuzz.trace");

    private final String host;
    private final int port;
    private final String token;
    private final SSLContext tls = RawHttpConnection.trustingTls();
    private final Map<String, Integer> histogram = new TreeMap<>();
    private final List<String> internalErrors = new ArrayList<>();
    private final Map<String, Integer> realServer500s = new TreeMap<>();
    private final List<String> hangs = new ArrayList<>();
    private final List<String> keptOpen = new ArrayList<>();
    private final AtomicInteger sent = new AtomicInteger();

    private HttpFuzzer(String url, String token) {
        URI u = URI.create(url);
        this.host = u.getHost();
        this.port = u.getPort();
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: HttpFuzzer URL TOKEN [REQUESTS] [SEED] [THREADS]");
            System.exit(2);
        }
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 11;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        HttpFuzzer fuzzer = new HttpFuzzer(args[0], args[1]);
        boolean ok = fuzzer.run(count, seed, threads);
        System.exit(ok ? 0 : 1);
    }

    private boolean run(int count, long seed, int threads) throws Exception {
        seedObjects();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        int perThread = (count + threads - 1) / threads;
        for (int t = 0; t < threads; t++) {
            long workerSeed = seed * 1_000_003L + t;
            int n = Math.min(perThread, count - t * perThread);
            workers.add(pool.submit(() -> worker(new Requests(new Random(workerSeed), host + ":" + port, token), n)));
        }
        for (Future<?> w : workers) w.get();
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        boolean healthy = healthy();
        report(seconds, seed, healthy);
        return healthy && internalErrors.isEmpty() && hangs.isEmpty() && keptOpen.isEmpty();
    }

    private Void worker(Requests requests, int n) {
        RawHttpConnection conn = null;
        for (int i = 0; i < n; i++) {
            if (i % 400 == 0) seedObjects();
            Requests.Request r = requests.next();
            try {
                if (conn == null || !conn.isOpen() || r.fresh()) {
                    if (conn != null) conn.close();
                    conn = new RawHttpConnection(tls, host, port, TIMEOUT_MILLIS);
                }
                RawHttpConnection.Response res = conn.exchange(r.bytes(), r.method().equals("HEAD"));
                if (res.status() >= 500 && r.method().equals("HEAD") && conn.isOpen()) {
                    // a HEAD answer has no body to tell why: the same request as a GET shows the Status
                    r = requests.request("GET", r.target(), r.headers(), r.body(), false);
                    res = conn.exchange(r.bytes(), false);
                }
                if (TRACE) System.out.println(res.status() + (conn.isOpen() ? "" : " (closing)") + " <- " + r.describe());
                record(r, res);
                if (res.closing() && !conn.closedByServer(CLOSE_WAIT_MILLIS)) {
                    synchronized (this) {
                        keptOpen.add(res.status() + " <- " + r.describe());
                    }
                }
                // a request sent on its own connection (a raw request line) leaves it: the next one starts afresh
                if (r.fresh()) conn.close();
            } catch (SocketTimeoutException e) {
                if (TRACE) System.out.println("TIMEOUT <- " + r.describe());
                synchronized (this) {
                    hangs.add(r.describe());
                }
                conn.close();
            } catch (IOException e) {
                if (TRACE) System.out.println("CLOSED (" + e.getMessage() + ") <- " + r.describe());
                // the server closed the connection without an answer: only acceptable for unreadable requests
                synchronized (this) {
                    histogram.merge("closed", 1, Integer::sum);
                    if (!r.fresh()) hangs.add("closed without an answer: " + r.describe() + " (" + e.getMessage() + ")");
                }
                if (conn != null) conn.close();
            }
            sent.incrementAndGet();
        }
        if (conn != null) conn.close();
        return null;
    }

    private synchronized void record(Requests.Request r, RawHttpConnection.Response res) {
        histogram.merge(Integer.toString(res.status()), 1, Integer::sum);
        if (res.status() < 500) return;
        StatusBody status = StatusBody.of(res);
        if (res.status() == 505 && unsupportedVersion(r)) return;
        if (res.status() == 504) return; // the request timeout filter's or a too-large resourceVersion's answer
        if (res.status() == 500 && status.reason().isEmpty()) {
            RealServer500 known = REAL_SERVER_500S.stream().filter(k -> k.matches().test(r, status.message())).findFirst().orElse(null);
            if (known != null) {
                realServer500s.merge(known.what() + "\n            " + shape(status.message()), 1, Integer::sum);
                return;
            }
        }
        internalErrors.add(res.status() + " " + status.reason() + ": " + status.message() + "\n    after " + r.describe());
    }

    /** A request line whose version is not HTTP/1.x: Go's server answers 505 before any handler runs. */
    private static boolean unsupportedVersion(Requests.Request r) {
        String line = new String(r.bytes(), StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
        int at = line.lastIndexOf(" HTTP/");
        return at >= 0 && !line.startsWith("1.", at + 6);
    }

    /** A message with its quoted values and numbers blanked, to count the cases by kind. */
    private static String shape(String message) {
        String oneLine = message.replaceAll("\"[^\"]*\"", "\"…\"").replaceAll("\\d+", "N").replace('\n', ' ');
        return oneLine.length() > 140 ? oneLine.substring(0, 140) + "…" : oneLine;
    }

    /** The namespace and a few objects of each kind, so that gets, updates, patches and deletes find something. */
    private void seedObjects() {
        try (RawHttpConnection c = new RawHttpConnection(tls, host, port, TIMEOUT_MILLIS)) {
            Requests requests = new Requests(new Random(0), host + ":" + port, token);
            post(c, requests, "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NS + "\"}}");
            for (Requests.Resource res : Requests.RESOURCES) {
                if (res.template() == null) continue;
                for (String name : Requests.NAMES.subList(0, 2)) {
                    ObjectNode body = res.template().deepCopy();
                    ((ObjectNode) body.get("metadata")).put("name", name);
                    post(c, requests, res.collection(NS), body.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void post(RawHttpConnection c, Requests requests, String path, String body) throws IOException {
        if (!c.isOpen()) return;
        c.exchange(requests.build("POST", path, List.<String[]>of(new String[] {"Content-Type", "application/json"}),
                body.getBytes(StandardCharsets.UTF_8)), false);
    }

    /** After the run: /readyz says ok and a list is served. */
    private boolean healthy() {
        try (RawHttpConnection c = new RawHttpConnection(tls, host, port, TIMEOUT_MILLIS)) {
            Requests requests = new Requests(new Random(0), host + ":" + port, token);
            RawHttpConnection.Response ready = c.exchange(requests.build("GET", "/readyz", List.of(), new byte[0]), false);
            RawHttpConnection.Response list = c.exchange(requests.build("GET", "/api/v1/namespaces/" + NS + "/configmaps",
                    List.of(), new byte[0]), false);
            return ready.status() == 200 && ready.text().equals("ok") && list.status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private void report(double seconds, long seed, boolean healthy) {
        System.out.printf("requests: %d in %.1f s (seed %d)%n", sent.get(), seconds, seed);
        System.out.println("status histogram:");
        histogram.forEach((k, v) -> System.out.printf("  %-7s %6d%n", k, v));
        System.out.println("500 as the real server answers (listed real-server cases, each pinned in a test), by kind:");
        realServer500s.forEach((k, v) -> System.out.printf("  %6d  %s%n", v, k));
        System.out.println("5xx from kubefake failing (InternalError, or a 500 no listed real-server case explains): "
                + internalErrors.size());
        internalErrors.forEach(e -> System.out.println("  " + e));
        System.out.println("no answer within " + TIMEOUT_MILLIS / 1000 + " s or connection dropped: " + hangs.size());
        hangs.forEach(h -> System.out.println("  " + h));
        System.out.println("connections answered with Connection: close but still open after " + CLOSE_WAIT_MILLIS / 1000
                + " s: " + keptOpen.size());
        keptOpen.forEach(k -> System.out.println("  " + k));
        System.out.println("server healthy after the run: " + healthy);
    }

    /** The request generator: valid requests with one or more parts broken. */
    static final class Requests {
        record Resource(String group, String version, String plural, boolean namespaced, ObjectNode template) {
            String prefix() {
                return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
            }

            String collection(String ns) {
                return prefix() + (namespaced ? "/namespaces/" + ns : "") + "/" + plural;
            }
        }

        record Request(String method, String target, List<String[]> headers, byte[] body, boolean fresh, byte[] bytes) {
            String describe() {
                String b = new String(body, StandardCharsets.UTF_8);
                if (b.length() > 300) b = b.substring(0, 300) + "…";
                StringBuilder h = new StringBuilder();
                for (String[] kv : headers) h.append(" [").append(kv[0]).append(": ").append(kv[1]).append(']');
                return method + " " + target + h + (b.isEmpty() ? "" : " body=" + b);
            }
        }

        static final List<String> NAMES = List.of("a", "b", "x", "kubernetes", "no-such", "Bad_Name", "", "a.b", "-x-");
        static final List<Resource> RESOURCES = List.of(
                core("configmaps", true, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{},\"data\":{\"k\":\"v\"}}"),
                core("secrets", true, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{},\"data\":{\"k\":\"dg==\"},\"stringData\":{\"s\":\"t\"}}"),
                core("pods", true, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"labels\":{\"app\":\"f\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\",\"ports\":[{\"containerPort\":80}],\"env\":[{\"name\":\"A\",\"value\":\"1\"}],\"resources\":{\"limits\":{\"cpu\":\"1\"}}}],\"volumes\":[{\"name\":\"v\",\"emptyDir\":{}}]}}"),
                core("services", true, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{},\"spec\":{\"type\":\"NodePort\",\"selector\":{\"app\":\"f\"},\"ports\":[{\"name\":\"http\",\"port\":80,\"targetPort\":8080}]}}"),
                core("endpoints", true, "{\"apiVersion\":\"v1\",\"kind\":\"Endpoints\",\"metadata\":{},\"subsets\":[{\"addresses\":[{\"ip\":\"10.0.0.1\"}],\"ports\":[{\"port\":80}]}]}"),
                core("serviceaccounts", true, "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{}}"),
                core("events", true, "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{},\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"a\"},\"reason\":\"R\",\"message\":\"m\"}"),
                core("limitranges", true, "{\"apiVersion\":\"v1\",\"kind\":\"LimitRange\",\"metadata\":{},\"spec\":{\"limits\":[{\"type\":\"Container\",\"default\":{\"cpu\":\"1\"}}]}}"),
                core("resourcequotas", true, "{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{},\"spec\":{\"hard\":{\"pods\":\"10\"}}}"),
                core("persistentvolumeclaims", true, "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\",\"metadata\":{},\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],\"resources\":{\"requests\":{\"storage\":\"1Gi\"}}}}"),
                core("replicationcontrollers", true, "{\"apiVersion\":\"v1\",\"kind\":\"ReplicationController\",\"metadata\":{},\"spec\":{\"replicas\":1,\"selector\":{\"app\":\"f\"},\"template\":{\"metadata\":{\"labels\":{\"app\":\"f\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}"),
                core("podtemplates", true, "{\"apiVersion\":\"v1\",\"kind\":\"PodTemplate\",\"metadata\":{},\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}"),
                core("namespaces", false, null),
                core("nodes", false, "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"labels\":{\"fuzz\":\"yes\"}},\"spec\":{\"unschedulable\":true}}"),
                core("persistentvolumes", false, "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolume\",\"metadata\":{},\"spec\":{\"capacity\":{\"storage\":\"1Gi\"},\"accessModes\":[\"ReadWriteOnce\"],\"hostPath\":{\"path\":\"/tmp\"}}}"),
                group("apps", "deployments", "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{},\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"f\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"f\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}"),
                group("apps", "replicasets", "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"f\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"f\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}"),
                group("apps", "statefulsets", "{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\",\"metadata\":{},\"spec\":{\"serviceName\":\"s\",\"selector\":{\"matchLabels\":{\"app\":\"f\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"f\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}"),
                group("apps", "daemonsets", "{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\",\"metadata\":{},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"f\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"f\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}"),
                group("apps", "controllerrevisions", "{\"apiVersion\":\"apps/v1\",\"kind\":\"ControllerRevision\",\"metadata\":{},\"revision\":1,\"data\":{\"a\":1}}"),
                new Resource("events.k8s.io", "v1", "events", true, parse("{\"apiVersion\":\"events.k8s.io/v1\",\"kind\":\"Event\",\"metadata\":{},\"eventTime\":\"2024-01-01T00:00:00.000000Z\",\"reportingController\":\"x/y\",\"reportingInstance\":\"i\",\"action\":\"A\",\"reason\":\"R\",\"regarding\":{\"kind\":\"Pod\",\"name\":\"a\"}}")),
                new Resource("coordination.k8s.io", "v1", "leases", true, parse("{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{},\"spec\":{\"holderIdentity\":\"h\",\"leaseDurationSeconds\":10}}")),
                new Resource("discovery.k8s.io", "v1", "endpointslices", true, parse("{\"apiVersion\":\"discovery.k8s.io/v1\",\"kind\":\"EndpointSlice\",\"metadata\":{},\"addressType\":\"IPv4\",\"endpoints\":[{\"addresses\":[\"10.0.0.1\"]}],\"ports\":[{\"port\":80}]}")),
                new Resource("authorization.k8s.io", "v1", "selfsubjectaccessreviews", false, null),
                new Resource("authentication.k8s.io", "v1", "selfsubjectreviews", false, null));
        private static final List<String> SUBRESOURCES = List.of("status", "scale", "finalize", "log", "exec", "bogus", "");
        private static final List<String> METHODS = List.of("GET", "GET", "POST", "POST", "PUT", "PUT", "PATCH", "PATCH",
                "PATCH", "DELETE");
        private static final List<String> ODD_METHODS = List.of("HEAD", "OPTIONS", "CONNECT", "TRACE", "FOO", "get");
        private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json",
                "application/yaml", "application/vnd.kubernetes.protobuf", "application/json-patch+json",
                "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml",
                "text/plain", "application/json; charset=utf-8", "application/json;;;", "*/*", "", "garbage/");
        private static final List<String> ACCEPTS = List.of("application/json", "application/yaml",
                "application/json;as=Table;v=v1;g=meta.k8s.io", "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io",
                "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io", "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json",
                "application/vnd.kubernetes.protobuf", "application/vnd.kubernetes.protobuf,application/json", "text/html",
                "*/*", "application/json;as=Nope;g=meta.k8s.io", "", ";;;", "application/json;stream=watch");
        private static final List<String> PARAMS = List.of("watch", "limit", "timeoutSeconds", "resourceVersion",
                "resourceVersionMatch", "continue", "labelSelector", "fieldSelector", "dryRun", "fieldManager",
                "fieldValidation", "propagationPolicy", "gracePeriodSeconds", "orphanDependents", "force", "includeObject",
                "allowWatchBookmarks", "sendInitialEvents", "pretty", "verbose", "timeout", "hash");
        private static final List<String> VALUES = List.of("", "0", "1", "-1", "true", "True", "TRUE", "t", "F", "no",
                "false", "All", "all", "Foo", "Exact", "NotOlderThan", "Strict", "Warn", "Ignore", "Orphan", "Background",
                "Foreground", "None", "Object", "Metadata", "99999999999999999999", "1e3", "0x10", " 1", "+5", "abc",
                "app=f", "app in (f,g)", "!app", "app notin ()", "a=b,c", "metadata.name=a", "metadata.namespace!=x",
                "spec.nodeName=", "status.phase=Running", "nosuch.field=1", "a==b==c", "(", "app in (", "=x", "\u00e9",
                "%zz", "%", "%2", "%00", "a%2Cb", "a+b", "a;b", "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiJhXHUwMDAwIn0",
                "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6LTEsInN0YXJ0IjoiLi4vLi4veCJ9", "e30", "!!!", "1000000", "30s");

        private final Random rnd;
        private final String hostHeader;
        private final String token;

        Requests(Random rnd, String hostHeader, String token) {
            this.rnd = rnd;
            this.hostHeader = hostHeader;
            this.token = token;
        }

        private static Resource core(String plural, boolean namespaced, String template) {
            return new Resource("", "v1", plural, namespaced, template == null ? null : parse(template));
        }

        private static Resource group(String group, String plural, String template) {
            return new Resource(group, "v1", plural, true, parse(template));
        }

        private static ObjectNode parse(String json) {
            try {
                return (ObjectNode) JSON.readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private <T> T pick(List<T> from) {
            return from.get(rnd.nextInt(from.size()));
        }

        Request next() {
            int kind = rnd.nextInt(100);
            if (kind < 3) return malformedRequestLine();
            Resource res = pick(RESOURCES);
            String method = rnd.nextInt(10) == 0 ? pick(ODD_METHODS) : pick(METHODS);
            String name = rnd.nextBoolean() ? pick(List.of("a", "b")) : pick(NAMES);
            String target = path(res, method, name) + query();
            List<String[]> headers = new ArrayList<>();
            String contentType = pick(CONTENT_TYPES);
            if (method.equals("PATCH") && rnd.nextInt(4) > 0) {
                contentType = pick(List.of("application/json-patch+json", "application/merge-patch+json",
                        "application/strategic-merge-patch+json"));
            } else if ((method.equals("POST") || method.equals("PUT")) && rnd.nextInt(3) > 0) {
                contentType = "application/json";
            }
            if (!contentType.isEmpty()) headers.add(new String[] {"Content-Type", contentType});
            String accept = rnd.nextInt(3) == 0 ? pick(ACCEPTS) : "application/json";
            if (!accept.isEmpty()) headers.add(new String[] {"Accept", accept});
            if (rnd.nextInt(30) == 0) headers.add(new String[] {"Authorization", "Bearer " + pick(List.of("", "wrong", "x y"))});
            byte[] body = body(res, method, contentType, rnd.nextInt(5) > 0 ? name : pick(NAMES));
            return request(method, target, headers, body, false);
        }

        Request request(String method, String target, List<String[]> headers, byte[] body, boolean fresh) {
            return new Request(method, target, headers, body, fresh, build(method, target, headers, body));
        }

        byte[] build(String method, String target, List<String[]> headers, byte[] body) {
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(hostHeader).append("\r\n");
            boolean auth = false;
            for (String[] h : headers) {
                head.append(h[0]).append(": ").append(h[1]).append("\r\n");
                auth |= h[0].equals("Authorization");
            }
            if (!auth) head.append("Authorization: Bearer ").append(token).append("\r\n");
            if (body.length > 0 || !method.equals("GET") && !method.equals("HEAD")) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[h.length + body.length];
            System.arraycopy(h, 0, out, 0, h.length);
            System.arraycopy(body, 0, out, h.length, body.length);
            return out;
        }

        /** A request line or header block the HTTP parser must refuse; sent on its own connection. */
        private Request malformedRequestLine() {
            String line = pick(List.of("GET\r\n\r\n", "GET / HTTP/9.9\r\nHost: x\r\n\r\n", "GET /healthz\r\n\r\n",
                    " / HTTP/1.1\r\nHost: x\r\n\r\n", "GET /api HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
                    "GET /api HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                    "POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                    "GET relative/path HTTP/1.1\r\nHost: x\r\n\r\n", "GET http://h HTTP/1.1\r\nHost: x\r\n\r\n",
                    "GET * HTTP/1.1\r\nHost: x\r\n\r\n", "GET /api/v1/%zz HTTP/1.1\r\nHost: x\r\n\r\n"));
            byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1);
            return new Request("RAW", line.replace("\r\n", "\\r\\n"), List.of(), new byte[0], true, bytes);
        }

        private String path(Resource res, String method, String name) {
            int shape = rnd.nextInt(100);
            if (shape < 5) {
                return pick(List.of("/healthz", "/livez?verbose", "/readyz/etcd", "/version", "/api", "/apis",
                        "/apis/apps", "/apis/nosuch", "/openapi/v2", "/openapi/v3", "/openapi/v3/api/v1?hash=x",
                        "/openapi/v3/nosuch", "/metrics", "/", "//", "/api/v1", "/apis/apps/v1", "/apis/apps/v9"));
            }
            String ns = rnd.nextInt(4) > 0 ? NS : pick(List.of("default", "no-such-ns", "Bad_NS", "kube-system"));
            String base = shape < 9 ? pick(List.of("/api/v2", "/apis/apps/v2", "/apis/nosuch.io/v1", "/api", "/apis/apps"))
                    : res.prefix();
            StringBuilder p = new StringBuilder(base);
            if (rnd.nextInt(20) == 0) p.append("/watch");
            if (res.namespaced() ? rnd.nextInt(15) > 0 : rnd.nextInt(15) == 0) p.append("/namespaces/").append(ns);
            p.append('/').append(res.plural());
            boolean named = switch (method) {
                case "PUT", "PATCH", "DELETE" -> rnd.nextInt(8) > 0;
                case "POST" -> rnd.nextInt(8) == 0;
                default -> rnd.nextBoolean();
            };
            if (named) {
                p.append('/').append(name);
                if (rnd.nextInt(6) == 0) p.append('/').append(pick(SUBRESOURCES));
            }
            String path = p.toString();
            return switch (rnd.nextInt(25)) {
                case 0 -> path + pick(List.of("%zz", "%", "%2", "%2F", "%00", "/", "//x", "/..", "/./", "%C3%A9", "é"));
                case 1 -> path.replace("/namespaces/", pick(List.of("/namespaces//", "/namespaces/%2e%2e/", "/NAMESPACES/")));
                case 2 -> path + "/" + "x".repeat(rnd.nextInt(300));
                default -> path;
            };
        }

        private String query() {
            int n = rnd.nextInt(4);
            if (n == 0) return rnd.nextInt(20) == 0 ? "?" : "";
            StringBuilder q = new StringBuilder("?");
            for (int i = 0; i < n; i++) {
                if (i > 0) q.append(rnd.nextInt(15) == 0 ? ";" : "&");
                String param = pick(PARAMS);
                if (param.equals("watch") && rnd.nextBoolean()) {
                    q.append("watch=").append(pick(List.of("1", "True", "true"))).append("&timeoutSeconds=1");
                    continue;
                }
                q.append(param);
                if (rnd.nextInt(10) > 0) q.append('=').append(encodeSome(pick(VALUES)));
            }
            return q.toString();
        }

        /** Leaves values mostly raw (spaces and brackets become escapes the way clients send them). */
        private String encodeSome(String v) {
            StringBuilder out = new StringBuilder();
            for (char c : v.toCharArray()) {
                if (c == ' ') {
                    out.append(rnd.nextBoolean() ? "+" : "%20");
                } else if (c == '(' || c == ')' || c == '!' || c == ',' || c == '=' && rnd.nextBoolean()) {
                    out.append('%').append(String.format("%02X", (int) c));
                } else if (c > 127) {
                    for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) out.append('%').append(String.format("%02X", b & 0xff));
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        private byte[] body(Resource res, String method, String contentType, String name) {
            if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
                return rnd.nextInt(20) == 0 ? "{\"x\":1}".getBytes(StandardCharsets.UTF_8) : new byte[0];
            }
            if (method.equals("DELETE")) return deleteBody();
            if (method.equals("PATCH")) return patchBody(res, contentType);
            ObjectNode template = res.template() != null ? res.template()
                    : parse("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{}}");
            ObjectNode obj = template.deepCopy();
            ((ObjectNode) obj.get("metadata")).put("name", name);
            int mutations = rnd.nextInt(4);
            for (int i = 0; i < mutations; i++) mutate(obj, 0);
            String text = obj.toString();
            return switch (rnd.nextInt(12)) {
                case 0 -> text.substring(0, rnd.nextInt(text.length())).getBytes(StandardCharsets.UTF_8);
                case 1 -> pick(List.of("", "null", "[]", "1", "\"s\"", "{", "}", "{\"a\":}", "[1,2", "\u0000", "{\"kind\":1}",
                        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"},\"metadata\":{}}",
                        "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: y\ndata:\n  a: [1,", "---\n- a\n- b"))
                        .getBytes(StandardCharsets.UTF_8);
                case 2 -> new byte[] {(byte) 0xff, (byte) 0xfe, 'k', '8', 's', 0, 1, 2, 3};
                default -> text.getBytes(StandardCharsets.UTF_8);
            };
        }

        /** Replaces or removes one value somewhere in the tree with one of another shape. */
        private void mutate(JsonNode node, int depth) {
            if (node instanceof ObjectNode o && o.size() > 0) {
                List<String> names = new ArrayList<>();
                o.fieldNames().forEachRemaining(names::add);
                String field = pick(names);
                JsonNode child = o.get(field);
                if (depth < 6 && child.isContainerNode() && rnd.nextInt(3) > 0) {
                    mutate(child, depth + 1);
                } else if (rnd.nextInt(5) == 0) {
                    o.remove(field);
                } else {
                    o.set(field, randomValue());
                }
            } else if (node instanceof ArrayNode a && a.size() > 0) {
                int i = rnd.nextInt(a.size());
                if (depth < 6 && a.get(i).isContainerNode() && rnd.nextInt(3) > 0) {
                    mutate(a.get(i), depth + 1);
                } else {
                    a.set(i, randomValue());
                }
            }
        }

        private JsonNode randomValue() {
            return switch (rnd.nextInt(12)) {
                case 0 -> F.nullNode();
                case 1 -> F.numberNode(rnd.nextInt(200_000) - 100_000);
                case 2 -> F.numberNode(Long.MAX_VALUE);
                case 3 -> F.numberNode(-1);
                case 4 -> F.booleanNode(rnd.nextBoolean());
                case 5 -> F.textNode(pick(VALUES));
                case 6 -> F.arrayNode().add(-1).add("x");
                case 7 -> F.objectNode().put("k", 1);
                case 8 -> F.arrayNode();
                case 9 -> F.objectNode();
                case 10 -> F.numberNode(new java.math.BigDecimal(pick(List.of("1.5", "1e99999", "-0.0"))));
                default -> F.textNode("x".repeat(rnd.nextInt(70_000)));
            };
        }

        private byte[] deleteBody() {
            String body = switch (rnd.nextInt(10)) {
                case 0, 1, 2, 3 -> "";
                case 4 -> "{\"propagationPolicy\":\"" + pick(List.of("Background", "Orphan", "Foo", "")) + "\"}";
                case 5 -> "{\"gracePeriodSeconds\":" + pick(List.of("0", "-1", "\"x\"", "1.5", "null", "99999999999999999999")) + "}";
                case 6 -> "{\"kind\":" + pick(List.of("\"DeleteOptions\"", "\"Pod\"", "true", "\"CreateOptions\"")) + ",\"apiVersion\":"
                        + pick(List.of("\"v1\"", "\"a/b/c\"", "1", "\"meta.k8s.io/v1\"")) + "}";
                case 7 -> "{\"preconditions\":" + pick(List.of("{\"uid\":\"x\"}", "{\"resourceVersion\":1}", "[]", "\"x\"")) + "}";
                case 8 -> "{\"dryRun\":" + pick(List.of("[\"All\"]", "\"All\"", "[1]", "[\"x\"]", "null")) + ",\"orphanDependents\":" + pick(List.of("true", "1")) + "}";
                default -> pick(List.of("{", "[]", "null", "x", "{\"a\":1}", "---\nkind: x"));
            };
            return body.getBytes(StandardCharsets.UTF_8);
        }

        private byte[] patchBody(Resource res, String contentType) {
            String body;
            if (contentType.startsWith("application/json-patch")) {
                ArrayNode ops = F.arrayNode();
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    ObjectNode op = ops.addObject();
                    op.put("op", pick(List.of("add", "remove", "replace", "move", "copy", "test", "nope", "")));
                    op.put("path", pick(List.of("/metadata/labels/a", "/spec/replicas", "/spec/ports/0/nodePort",
                            "/spec/clusterIP", "/spec/clusterIPs", "/spec/type", "/data/k", "/spec/containers/-", "/spec/containers/9",
                            "/metadata/name", "", "/", "x", "/spec/template/spec/containers/0/image", "/status", "/a~2b", "/~1")));
                    if (rnd.nextBoolean()) op.set("value", randomValue());
                    if (rnd.nextInt(4) == 0) op.put("from", pick(List.of("/metadata/labels", "/data", "/nope", "")));
                }
                body = rnd.nextInt(8) == 0 ? pick(List.of("{}", "[1]", "[{\"op\":1}]", "[", "null")) : ops.toString();
            } else {
                ObjectNode patch = res.template() != null ? res.template().deepCopy() : F.objectNode();
                patch.remove(List.of("apiVersion", "kind"));
                if (patch.get("metadata") instanceof ObjectNode meta) meta.remove("name");
                mutate(patch, 0);
                if (contentType.startsWith("application/strategic") && rnd.nextBoolean()) {
                    ObjectNode spec = patch.get("spec") instanceof ObjectNode o ? o : patch.putObject("spec");
                    switch (rnd.nextInt(5)) {
                        case 0 -> spec.put("$patch", pick(List.of("replace", "delete", "merge", "bogus")));
                        case 1 -> spec.putArray("$retainKeys").add(pick(List.of("type", "x"))).add(1);
                        case 2 -> spec.putArray("$setElementOrder/containers").addObject().put("name", "c");
                        case 3 -> spec.putArray("$deleteFromPrimitiveList/finalizers").add("x");
                        default -> spec.putArray("containers").addObject().put("$patch", "delete").put("name", "c");
                    }
                }
                body = rnd.nextInt(8) == 0 ? pick(List.of("[]", "1", "{", "null", "\"x\"")) : patch.toString();
            }
            return body.getBytes(StandardCharsets.UTF_8);
        }
    }
}
