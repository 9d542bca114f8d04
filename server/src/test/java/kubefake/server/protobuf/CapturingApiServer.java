package kubefake.server.protobuf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny plain-HTTP stand-in for an API server on 127.0.0.1, just enough for {@code kubectl create ...},
 * {@code auth can-i} and {@code auth whoami} to send their request body: minimal aggregated discovery (pods and
 * nodes, for {@code create role --resource=...}; cronjobs; CSRs), the CronJob {@code nightly} for
 * {@code create job --from}, the CertificateSigningRequest {@code csr1} to approve, and a 201 answer echoing
 * the object for every POST/PUT. It records each request body with its Content-Type.
 */
final class CapturingApiServer implements AutoCloseable {

    /** One captured request body. */
    record Body(String method, String path, String contentType, byte[] bytes) {
    }

    private static final String DISCOVERY_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    private static final String CORE_DISCOVERY = """
            {"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2","metadata":{},"items":[
             {"metadata":{},"versions":[{"version":"v1","freshness":"Current","resources":[
              {"resource":"pods","responseKind":{"group":"","version":"v1","kind":"Pod"},"scope":"Namespaced",
               "singularResource":"pod","verbs":["create","delete","get","list","patch","update","watch"]},
              {"resource":"nodes","responseKind":{"group":"","version":"v1","kind":"Node"},"scope":"Cluster",
               "singularResource":"node","verbs":["create","delete","get","list","patch","update","watch"]}]}]}]}
            """;
    private static final String GROUPS_DISCOVERY = """
            {"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2","metadata":{},"items":[
             {"metadata":{"name":"batch"},"versions":[{"version":"v1","freshness":"Current","resources":[
              {"resource":"cronjobs","scope":"Namespaced","singularResource":"cronjob",
               "responseKind":{"group":"batch","version":"v1","kind":"CronJob"},
               "verbs":["create","delete","get","list","patch","update","watch"]}]}]},
             {"metadata":{"name":"certificates.k8s.io"},"versions":[{"version":"v1","freshness":"Current","resources":[
              {"resource":"certificatesigningrequests","scope":"Cluster","singularResource":"certificatesigningrequest",
               "responseKind":{"group":"certificates.k8s.io","version":"v1","kind":"CertificateSigningRequest"},
               "verbs":["create","delete","get","list","patch","update","watch"],
               "subresources":[{"subresource":"approval","verbs":["get","patch","update"],
                 "responseKind":{"group":"certificates.k8s.io","version":"v1","kind":"CertificateSigningRequest"}}]}]}]}]}
            """;

    private static final String CSR_PATH = "/apis/certificates.k8s.io/v1/certificatesigningrequests/csr1";
    private static final String CSR = """
            {"kind":"CertificateSigningRequest","apiVersion":"certificates.k8s.io/v1",
             "metadata":{"name":"csr1","uid":"0b7e1a52-93c5-4b4e-9a3c-7f1f3c1f0a11","resourceVersion":"42",
                         "creationTimestamp":"2024-01-02T03:04:05Z"},
             "spec":{"request":"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K",
                     "signerName":"kubernetes.io/kube-apiserver-client","expirationSeconds":600,
                     "usages":["client auth"],"username":"bob","groups":["system:authenticated"],
                     "extra":{"scopes":["a","b"]}},
             "status":{}}
            """;

    private static final String CRONJOB_PATH = "/apis/batch/v1/namespaces/default/cronjobs/nightly";
    private static final String CRONJOB = """
            {"kind":"CronJob","apiVersion":"batch/v1",
             "metadata":{"name":"nightly","namespace":"default","uid":"5d3c2b1a-0f9e-4d8c-b7a6-958473625140"},
             "spec":{"schedule":"0 3 * * *","jobTemplate":{"metadata":{"labels":{"app":"nightly"}},
               "spec":{"backoffLimit":2,"template":{"spec":{"restartPolicy":"OnFailure",
                 "containers":[{"name":"backup","image":"busybox","args":["sh","-c","date"],
                   "resources":{"limits":{"cpu":"100m","memory":"64Mi"}}}]}}}}}}
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer http;
    private final List<Body> bodies = new ArrayList<>();

    CapturingApiServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", this::handle);
        http.start();
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** The bodies received since the last call. */
    synchronized List<Body> takeBodies() {
        List<Body> taken = List.copyOf(bodies);
        bodies.clear();
        return taken;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("/api")) {
                reply(exchange, 200, DISCOVERY_TYPE, CORE_DISCOVERY.getBytes(StandardCharsets.UTF_8));
            } else if (method.equals("GET") && path.equals("/apis")) {
                reply(exchange, 200, DISCOVERY_TYPE, GROUPS_DISCOVERY.getBytes(StandardCharsets.UTF_8));
            } else if (method.equals("GET") && path.equals(CRONJOB_PATH)) {
                reply(exchange, 200, "application/json", CRONJOB.getBytes(StandardCharsets.UTF_8));
            } else if (method.equals("GET") && path.equals(CSR_PATH)) {
                reply(exchange, 200, "application/json", CSR.getBytes(StandardCharsets.UTF_8));
            } else if (method.equals("POST") || method.equals("PUT")) {
                String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
                synchronized (this) {
                    bodies.add(new Body(method, path, contentType, body));
                }
                reply(exchange, 201, "application/json", echo(contentType, body));
            } else {
                reply(exchange, 404, "application/json", """
                        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"not found",\
                        "reason":"NotFound","code":404}""".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * The created object as the answer, plus what the review commands print: an allowed access review, a token and
     * a user.
     */
    private static byte[] echo(String contentType, byte[] body) throws IOException {
        ObjectNode object;
        try {
            object = contentType != null && contentType.startsWith("application/vnd.kubernetes.protobuf")
                    ? ProtobufDecoder.decode(body)
                    : (ObjectNode) JSON.readTree(body);
        } catch (ProtobufDecodeException e) {
            object = JSON.createObjectNode();
        }
        ObjectNode status = object.putObject("status");
        status.put("allowed", true);
        status.put("token", "captured-token");
        status.putObject("userInfo").put("username", "captured-user");
        return JSON.writeValueAsBytes(object);
    }

    private static void reply(HttpExchange exchange, int code, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(code, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
