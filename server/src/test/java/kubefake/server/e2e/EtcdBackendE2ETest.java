package kubefake.server.e2e;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import kubefake.nodesim.ClusterShape;
import kubefake.server.KubefakeCluster;
import kubefake.store.etcd.EtcdConnection;
import kubefake.testkit.EtcdServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster on a real etcd (issue 15: `up --etcd-servers`), driven by kubectl: a Deployment rolls out (controllers
 * and kubelets run on etcd's watches), objects sit under kube-apiserver's keys with resourceVersion = etcd's mod
 * revision, a stale update is a Conflict, chunked lists use continue tokens, a second start on the same etcd has the
 * same objects and resumes a watch from before it, and a watch from a compacted revision gets 410 Expired.
 */
class EtcdBackendE2ETest {
    private static EtcdServer etcd;
    private static Client client;

    @TempDir
    Path dir;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdServer.start(); // a server of its own: the test compacts it
        client = Client.builder().endpoints(etcd.clientUrl()).build();
    }

    @AfterAll
    static void stopEtcd() {
        if (client != null) client.close();
        if (etcd != null) etcd.close();
    }

    private KubefakeCluster start() throws IOException, InterruptedException {
        return KubefakeCluster.start(TestCluster.onLoopback(dir.resolve("data"))
                .withShape(ClusterShape.lab().withProfile("fast"))
                .withEtcd(new EtcdConnection(List.of(etcd.clientUrl()), null, null, null, EtcdConnection.DEFAULT_PREFIX)));
    }

    private Kubectl kubectl(KubefakeCluster c) throws IOException {
        return new Kubectl("1.33", c.adminConf(), Files.createDirectories(dir.resolve("home")));
    }

    private static String ok(Kubectl.Result r) {
        assertEquals(0, r.exitCode(), r.toString());
        return r.out();
    }

    private static GetResponse etcdGet(String key) throws Exception {
        return client.getKVClient().get(ByteSequence.from(key, StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void theClusterRunsOnEtcd() throws Exception {
        String watchFrom;
        String identities;
        try (KubefakeCluster c = start()) {
            Kubectl k = kubectl(c);
            ok(k.run("create", "namespace", "shop"));
            ok(k.run("create", "deployment", "web", "--image=nginx", "--replicas=2", "-n", "shop"));
            ok(k.run("expose", "deployment", "web", "--port=80", "-n", "shop"));
            ok(k.run("create", "configmap", "settings", "--from-literal=color=blue", "-n", "shop"));
            ok(k.run("create", "configmap", "second", "--from-literal=a=b", "-n", "shop"));
            ok(k.run("rollout", "status", "deployment/web", "-n", "shop", "--timeout=60s"));
            ok(k.run("wait", "--for=condition=Ready", "pods", "--all", "-n", "shop", "--timeout=60s"));
            assertEquals(2, ok(k.run("get", "pods", "-n", "shop", "--no-headers")).lines()
                    .filter(l -> l.contains("Running")).count());

            // kube-apiserver's key layout; the stored object has no resourceVersion, etcd's mod revision is it
            String rv = ok(k.run("get", "configmap", "settings", "-n", "shop", "-o", "jsonpath={.metadata.resourceVersion}"));
            GetResponse settings = etcdGet("/registry/configmaps/shop/settings");
            assertEquals(1, settings.getKvs().size());
            assertEquals(Long.parseLong(rv), settings.getKvs().get(0).getModRevision());
            String stored = settings.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8);
            assertTrue(stored.contains("\"color\":\"blue\""), stored);
            assertFalse(stored.contains("resourceVersion"), stored);
            for (String key : List.of("/registry/deployments/shop/web", "/registry/services/specs/shop/web",
                    "/registry/services/endpoints/shop/web", "/registry/namespaces/shop", "/registry/minions/w1-k8s",
                    "/registry/leases/kube-node-lease/w1-k8s")) {
                assertEquals(1, etcdGet(key).getKvs().size(), key);
            }
            assertEquals(2, client.getKVClient().get(ByteSequence.from("/registry/pods/shop/", StandardCharsets.UTF_8),
                    GetOption.builder().isPrefix(true).withCountOnly(true).build()).get(30, TimeUnit.SECONDS).getCount());

            // optimistic concurrency: an update from a stale resourceVersion is refused as on a real server
            String stale = ok(k.run("get", "configmap", "settings", "-n", "shop", "-o", "yaml"));
            ok(k.run("patch", "configmap", "settings", "-n", "shop", "-p", "{\"data\":{\"color\":\"green\"}}"));
            Kubectl.Result conflict = k.runWithInput(stale, "replace", "-f", "-");
            assertEquals(1, conflict.exitCode(), conflict.toString());
            assertEquals("Error from server (Conflict): error when replacing \"STDIN\": Operation cannot be fulfilled on"
                    + " configmaps \"settings\": the object has been modified; please apply your changes to the latest"
                    + " version and try again\n", conflict.err());

            // a chunked list: every object, in pages joined by continue tokens
            assertEquals("second\nsettings\n", ok(k.run("get", "configmaps", "-n", "shop", "--chunk-size=1",
                    "-o", "custom-columns=NAME:.metadata.name", "--no-headers")).replace("kube-root-ca.crt\n", ""));

            watchFrom = ok(k.run("get", "configmap", "settings", "-n", "shop", "-o", "jsonpath={.metadata.resourceVersion}"));
            identities = ok(k.run("get", "namespaces,configmaps,services", "-A", "--sort-by=.metadata.name", "-o",
                    "custom-columns=KIND:.kind,NS:.metadata.namespace,NAME:.metadata.name,UID:.metadata.uid"));
        }

        try (KubefakeCluster c = start()) {
            Kubectl k = kubectl(c);
            assertEquals(identities, ok(k.run("get", "namespaces,configmaps,services", "-A", "--sort-by=.metadata.name",
                    "-o", "custom-columns=KIND:.kind,NS:.metadata.namespace,NAME:.metadata.name,UID:.metadata.uid")));
            ok(k.run("rollout", "status", "deployment/web", "-n", "shop", "--timeout=60s"));
            ok(k.run("patch", "configmap", "settings", "-n", "shop", "-p", "{\"data\":{\"color\":\"red\"}}"));
            String events = ok(k.run("get", "--raw", "/api/v1/namespaces/shop/configmaps?watch=1&timeoutSeconds=1&resourceVersion=" + watchFrom));
            assertTrue(events.contains("\"type\":\"MODIFIED\"") && events.contains("\"color\":\"red\""), events);

            // compacted history: a watch from before it is told 410 Expired
            long current = c.keyValueStore().currentRevision();
            c.keyValueStore().compact(current);
            String expired = ok(k.run("get", "--raw", "/api/v1/namespaces/shop/configmaps?watch=1&timeoutSeconds=1&resourceVersion=" + watchFrom));
            assertTrue(expired.contains("\"type\":\"ERROR\"") && expired.contains("\"code\":410")
                    && expired.contains("too old resource version: " + watchFrom), expired);
        }
    }
}
