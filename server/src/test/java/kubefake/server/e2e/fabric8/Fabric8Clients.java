package kubefake.server.e2e.fabric8;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import kubefake.server.e2e.TestCluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fabric8 clients for the shared end-to-end cluster, configured the way Java code under test configures them: from
 * the cluster's admin.conf, so they authenticate with its client certificate over TLS and trust only its CA.
 */
final class Fabric8Clients {
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private Fabric8Clients() {
    }

    /** A new client from admin.conf with fabric8's defaults; the caller closes it. */
    static KubernetesClient admin() {
        return admin(false);
    }

    /**
     * A new client from admin.conf whose watches (and so informers and waitUntilCondition) are chunked HTTP responses
     * instead of fabric8's default, a WebSocket that falls back to HTTP only when the upgrade is answered 200 or 503.
     * The tests of other things use it so they don't hang on WebSocket watches, which {@link Fabric8WatchE2ETest}
     * and {@link Fabric8WatchWireE2ETest} cover.
     */
    static KubernetesClient adminWithHttpWatches() {
        return admin(true);
    }

    private static KubernetesClient admin(boolean onlyHttpWatches) {
        try {
            Config config = Config.fromKubeconfig(Files.readString(TestCluster.get().adminConf()));
            // fail fast instead of fabric8's retries with back-off: a test wants the server's first answer
            config.setRequestRetryBackoffLimit(0);
            config.setOnlyHttpWatches(onlyHttpWatches);
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a namespace with a fresh name starting with the prefix, so tests sharing the cluster don't meet. */
    /** Creates a CustomResourceDefinition from YAML and waits until it is Established. */
    static void createEstablishedDefinition(KubernetesClient client, String yaml) {
        io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition crd = client.apiextensions().v1()
                .customResourceDefinitions().load(new java.io.ByteArrayInputStream(
                        yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8))).item();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).waitUntilCondition(
                c -> c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
                        .anyMatch(cond -> cond.getType().equals("Established") && cond.getStatus().equals("True")),
                30, TimeUnit.SECONDS);
    }

    static String newNamespace(KubernetesClient client, String prefix) {
        String name = prefix + "-" + NAMESPACES.incrementAndGet();
        Namespace ns = new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
        client.namespaces().resource(ns).create();
        // ready for use as on a real cluster: once the root CA publisher has put its ConfigMap in it
        client.configMaps().inNamespace(name).withName("kube-root-ca.crt")
                .waitUntilCondition(java.util.Objects::nonNull, 30, TimeUnit.SECONDS);
        return name;
    }

    /**
     * Deletes the namespace and waits (over an HTTP watch) until the namespace controller has emptied and removed it:
     * with pods on nodes that takes the controller's second look, half their grace period plus a second later.
     */
    static void deleteNamespace(String name) {
        try (KubernetesClient client = adminWithHttpWatches()) {
            client.namespaces().withName(name).delete();
            client.namespaces().withName(name).waitUntilCondition(n -> n == null, 60, TimeUnit.SECONDS);
        }
    }
}
