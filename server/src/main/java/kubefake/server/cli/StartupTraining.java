package kubefake.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.server.KubefakeCluster;
import kubefake.store.registry.Json;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The workload the package step records the class data archive (AppCDS, server/target/kubefake.jsa) from, run by
 * the hidden {@code up --exit-when-ready} (its --data-dir is not used): what a start does and what its first clients ask (the TLS handshake,
 * /readyz, /version, discovery, a list), until every kube-system pod runs; then a restart on the same data directory
 * (the PKI read rather than made). The classes loaded meanwhile are the ones the archive then serves pre-parsed and
 * pre-verified to the launcher's starts.
 */
final class StartupTraining {
    private static final Duration KUBE_SYSTEM_WAIT = Duration.ofSeconds(30);
    /**
     * How long the training client waits to connect and for each answer: generous, for a build on a loaded machine
     * (at a load average of ~100 on 2 cores a 10 s connect timed out and failed the package step).
     */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);

    private StartupTraining() {
    }

    /**
     * A first start and a restart of the cluster {@code options} describe, each exercised, then stopped; in a
     * temporary data directory of its own (removed after), so that the first start makes its PKI.
     */
    static void run(KubefakeCluster.Options options, PrintWriter out) throws IOException, InterruptedException {
        Path dataDir = Files.createTempDirectory("kubefake-training");
        try {
            for (String start : List.of("first start", "restart")) {
                try (KubefakeCluster cluster = KubefakeCluster.start(options.withDataDir(dataDir))) {
                    out.println("training run, " + start + ": " + exercise(cluster));
                    out.flush();
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    /**
     * Asks what a first client asks, then waits (a bounded time) until the kube-system pods are all Running; says how
     * many were.
     */
    private static String exercise(KubefakeCluster cluster) throws IOException, InterruptedException {
        // as super-admin.conf's identity (system:masters): RBAC lets the kubelet-client user read nodes only
        var admin = cluster.pki().issueClientCertificate(kubefake.kubeconfig.Kubeconfigs.SUPER_ADMIN_USER,
                List.of(kubefake.kubeconfig.Kubeconfigs.SUPER_ADMIN_GROUP), Duration.ofHours(1));
        HttpClient client = HttpClient.newBuilder()
                .sslContext(cluster.pki().clientSslContext(admin))
                .connectTimeout(CLIENT_TIMEOUT).build();
        // the cluster's URL names the advertised address, which a training run sets to loopback
        for (String path : List.of("/readyz", "/version", "/api", "/apis", "/api/v1", "/apis/apps/v1")) {
            get(client, cluster, path);
        }
        long deadline = System.nanoTime() + KUBE_SYSTEM_WAIT.toNanos();
        // the 4 static pods, kube-proxy and calico-node on every node, 2 coredns, calico-kube-controllers
        int expected = 4 + 2 * cluster.nodes().names().size() + 3;
        int running;
        while ((running = runningKubeSystemPods(client, cluster)) < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return running + " of " + expected + " kube-system pods Running";
    }

    private static int runningKubeSystemPods(HttpClient client, KubefakeCluster cluster) throws IOException, InterruptedException {
        JsonNode pods = Json.MAPPER.readTree(get(client, cluster, "/api/v1/namespaces/kube-system/pods")).path("items");
        int running = 0;
        for (JsonNode pod : pods) {
            if ("Running".equals(pod.path("status").path("phase").asText())) running++;
        }
        return running;
    }

    private static String get(HttpClient client, KubefakeCluster cluster, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.serverUrl() + path))
                .header("Accept", "application/json").timeout(CLIENT_TIMEOUT).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
