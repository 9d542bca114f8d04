package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import kubefake.certs.ClusterPki;
import kubefake.certs.PkiSpec;
import kubefake.nodesim.ClusterShape;
import kubefake.server.KubefakeCluster;
import kubefake.store.registry.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * admissionregistration.k8s.io/v1 webhooks with the real kubectl: a validating webhook this test serves over HTTPS on
 * loopback (its own CA, given as the configuration's caBundle) refuses a pod with its own message, sees the
 * AdmissionReview the real server sends, a mutating one labels pods through its JSONPatch, and a webhook that cannot
 * be reached fails the write or is ignored as its failurePolicy says. The webhooks only see the test's namespaces
 * (a namespaceSelector), so the cluster's own pods are left alone.
 */
class AdmissionWebhookE2ETest {
    @TempDir
    static Path dir;
    private static KubefakeCluster cluster;
    private static HttpsServer webhooks;
    private static String caBundle;
    /** The last AdmissionReview request each webhook path received, by pod name. */
    private static final Map<String, JsonNode> seen = new ConcurrentHashMap<>();
    private static final Map<String, String> queries = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = KubefakeCluster.start(TestCluster.onLoopback(dir.resolve("data"))
                .withShape(ClusterShape.lab().withProfile("fast")));
        // the webhook's own PKI: a CA the cluster does not know, and a serving certificate for 127.0.0.1
        ClusterPki pki = ClusterPki.loadOrCreate(dir.resolve("webhook-pki"),
                new PkiSpec("webhook", PkiSpec.LOOPBACK_IPV4, List.of(), List.of()));
        caBundle = Base64.getEncoder().encodeToString(pki.caCertificatePem());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("webhook", pki.servingKey(), new char[0],
                pki.servingCertificateChain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        webhooks = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhooks.setHttpsConfigurator(new HttpsConfigurator(tls));
        webhooks.createContext("/validate", e -> review(e, (request, response) -> {
            String name = request.path("object").path("metadata").path("name").asText();
            if (name.startsWith("bad-")) {
                response.put("allowed", false);
                response.putObject("status").put("code", 403).put("reason", "Forbidden")
                        .put("message", "pods named bad-* are not allowed here");
            } else {
                response.put("allowed", true);
            }
        }));
        webhooks.createContext("/mutate", e -> review(e, (request, response) -> {
            String patch = "[{\"op\":\"add\",\"path\":\"/metadata/labels/mutated-by\",\"value\":\"webhook\"}]";
            response.put("allowed", true).put("patchType", "JSONPatch")
                    .put("patch", Base64.getEncoder().encodeToString(patch.getBytes(StandardCharsets.UTF_8)));
        }));
        webhooks.start();
    }

    @AfterAll
    static void stop() {
        if (webhooks != null) webhooks.stop(0);
        if (cluster != null) cluster.close();
    }

    private interface Answer {
        void fill(JsonNode request, ObjectNode response);
    }

    /** Answers an AdmissionReview, remembering the request. */
    private static void review(HttpExchange exchange, Answer answer) throws IOException {
        try (exchange) {
            JsonNode review = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            JsonNode request = review.path("request");
            String key = exchange.getHttpContext().getPath() + " " + request.path("object").path("metadata").path("name").asText();
            seen.put(key, request);
            queries.put(key, String.valueOf(exchange.getRequestURI().getQuery()));
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
            ObjectNode response = out.putObject("response").put("uid", request.path("uid").asText());
            answer.fill(request, response);
            byte[] body = Json.bytes(out);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static String configuration(String kind, String name, String url, String failurePolicy, String nsLabel) {
        return """
                apiVersion: admissionregistration.k8s.io/v1
                kind: %s
                metadata:
                  name: %s
                webhooks:
                - name: %s
                  clientConfig:
                    url: %s
                    caBundle: %s
                  rules:
                  - operations: ["CREATE"]
                    apiGroups: [""]
                    apiVersions: ["v1"]
                    resources: ["pods"]
                  namespaceSelector:
                    matchLabels:
                      webhook-test: "%s"
                  failurePolicy: %s
                  sideEffects: None
                  admissionReviewVersions: ["v1"]
                """.formatted(kind, name, name, url, caBundle, nsLabel, failurePolicy);
    }

    private static void apply(Kubectl k, String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "webhook", ".yaml");
        Files.writeString(file, yaml);
        Kubectl.ok(k.run("apply", "-f", file.toString()));
    }

    private static String namespace(Kubectl k, String v) {
        String ns = "webhooks-" + v.replace('.', '-');
        Kubectl.ok(k.run("create", "namespace", ns));
        Kubectl.ok(k.run("label", "namespace", ns, "webhook-test=" + ns));
        k.runUntil(java.time.Duration.ofSeconds(20), r -> r.exitCode() == 0, "-n", ns, "get", "serviceaccount", "default");
        return ns;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aValidatingWebhookRefusesAPodWithItsMessage(String v) throws Exception {
        Kubectl k = new Kubectl(v, cluster.adminConf(), Files.createTempDirectory(dir, "home"));
        String ns = namespace(k, v);
        String name = "deny-" + v.replace('.', '-') + ".kubefake.test";
        String url = "https://127.0.0.1:" + webhooks.getAddress().getPort() + "/validate";
        try {
            apply(k, configuration("ValidatingWebhookConfiguration", name, url, "Fail", ns));
            List<String> table = Kubectl.lines(Kubectl.ok(k.run("get", "validatingwebhookconfigurations", name)));
            assertTrue(table.get(0).matches("NAME +WEBHOOKS +AGE"), table::toString);
            assertTrue(table.get(1).matches(java.util.regex.Pattern.quote(name) + " +1 +\\d+s"), table::toString);

            Kubectl.Result refused = k.run("-n", ns, "run", "bad-pod", "--image=nginx");
            assertEquals(1, refused.exitCode(), refused::toString);
            assertTrue(refused.err().contains("Error from server (Forbidden): admission webhook \"" + name
                    + "\" denied the request: pods named bad-* are not allowed here\n"), refused::toString);
            assertEquals(1, k.run("-n", ns, "get", "pod", "bad-pod").exitCode());

            assertEquals("pod/good-pod created\n", Kubectl.ok(k.run("-n", ns, "run", "good-pod", "--image=nginx")).out());
            // the AdmissionReview the webhook got, as the real server fills it
            JsonNode request = seen.get("/validate good-pod");
            assertEquals("timeout=10s", queries.get("/validate good-pod"));
            assertEquals("{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"}", request.path("kind").toString());
            assertEquals("{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"}", request.path("resource").toString());
            assertEquals("good-pod", request.path("name").asText());
            assertEquals(ns, request.path("namespace").asText());
            assertEquals("CREATE", request.path("operation").asText());
            assertEquals("kubernetes-admin", request.path("userInfo").path("username").asText());
            assertTrue(request.path("userInfo").path("groups").toString().contains("\"kubeadm:cluster-admins\""));
            assertEquals("Pod", request.path("object").path("kind").asText());
            assertEquals("nginx", request.path("object").path("spec").path("containers").path(0).path("image").asText());
            assertTrue(request.path("oldObject").isNull());
            assertEquals(false, request.path("dryRun").asBoolean(true));
            assertEquals("CreateOptions", request.path("options").path("kind").asText());
            assertEquals("kubectl-run", request.path("options").path("fieldManager").asText());
            assertTrue(request.path("uid").asText().matches("[0-9a-f-]{36}"));

            // a webhook that cannot be reached: the write fails (Fail) or goes through without it (Ignore)
            String down = "https://127.0.0.1:" + closedPort() + "/validate";
            apply(k, configuration("ValidatingWebhookConfiguration", name, down, "Fail", ns));
            Kubectl.Result failed = k.run("-n", ns, "run", "while-down", "--image=nginx");
            assertEquals(1, failed.exitCode(), failed::toString);
            assertTrue(failed.err().contains("Error from server (InternalError): Internal error occurred: failed calling "
                    + "webhook \"" + name + "\": failed to call webhook: Post \"" + down + "?timeout=10s\": dial tcp "
                    + down.substring("https://".length(), down.lastIndexOf('/')) + ": connect: connection refused\n"),
                    failed::toString);
            apply(k, configuration("ValidatingWebhookConfiguration", name, down, "Ignore", ns));
            Kubectl.ok(k.run("-n", ns, "run", "while-down", "--image=nginx"));
        } finally {
            k.run("delete", "validatingwebhookconfiguration", name);
            k.run("delete", "namespace", ns, "--wait=false");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aMutatingWebhookLabelsPods(String v) throws Exception {
        Kubectl k = new Kubectl(v, cluster.adminConf(), Files.createTempDirectory(dir, "home"));
        String ns = namespace(k, "m" + v);
        String name = "label-" + v.replace('.', '-') + ".kubefake.test";
        String url = "https://127.0.0.1:" + webhooks.getAddress().getPort() + "/mutate";
        try {
            apply(k, configuration("MutatingWebhookConfiguration", name, url, "Fail", ns));
            assertEquals("Never Equivalent 10 *", Kubectl.ok(k.run("get", "mutatingwebhookconfiguration", name, "-o",
                    "jsonpath={.webhooks[0].reinvocationPolicy} {.webhooks[0].matchPolicy} {.webhooks[0].timeoutSeconds} "
                            + "{.webhooks[0].rules[0].scope}")).out());
            Kubectl.ok(k.run("-n", ns, "run", "labelled", "--image=nginx"));
            assertEquals("labelled webhook", Kubectl.ok(k.run("-n", ns, "get", "pod", "labelled", "-o",
                    "jsonpath={.metadata.labels.run} {.metadata.labels.mutated-by}")).out());
        } finally {
            k.run("delete", "mutatingwebhookconfiguration", name);
            k.run("delete", "namespace", ns, "--wait=false");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.33"})
    void aConfigurationIsValidated(String v) throws Exception {
        Kubectl k = new Kubectl(v, cluster.adminConf(), Files.createTempDirectory(dir, "home"));
        Path file = Files.createTempFile(dir, "webhook", ".yaml");
        Files.writeString(file, """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingWebhookConfiguration
                metadata:
                  name: bad
                webhooks:
                - name: short.name
                  clientConfig:
                    url: http://127.0.0.1:1/x
                  admissionReviewVersions: ["v1"]
                """);
        Kubectl.Result refused = k.run("create", "-f", file.toString());
        assertEquals(1, refused.exitCode());
        assertTrue(refused.err().contains("The ValidatingWebhookConfiguration \"bad\" is invalid: \n"
                + "* webhooks[0].name: Invalid value: \"short.name\": should be a domain with at least three segments "
                + "separated by dots\n"
                + "* webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun\n"
                + "* webhooks[0].clientConfig.url: Invalid value: \"http\": 'https' is the only allowed URL scheme; "
                + "desired format: https://host[/path]"), refused::toString);
    }
}
