package kubefake.server.e2e;

import kubefake.certs.ClientCertificate;
import kubefake.certs.ClusterPki;
import kubefake.certs.PkiSpec;
import kubefake.store.etcd.EtcdConnection;
import kubefake.store.etcd.EtcdKeyValueStore;
import kubefake.store.mvcc.KeyValueStore;
import kubefake.store.mvcc.RevisionStamper;
import kubefake.store.mvcc.StoreUnavailableException;
import kubefake.store.mvcc.WriteView;
import kubefake.testkit.EtcdServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * --etcd-cafile, --etcd-certfile and --etcd-keyfile against an etcd that serves TLS and requires client certificates
 * (as kubeadm's does), with PEM files as kubeadm writes them (EC keys in SEC1 "EC PRIVATE KEY" form).
 */
class EtcdTlsTest {
    @TempDir
    Path dir;

    @Test
    void theStoreTalksTlsWithAClientCertificate() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dir.resolve("pki"),
                new PkiSpec("etcd", PkiSpec.LOOPBACK_IPV4, List.of(), List.of()));
        Path ca = Files.write(dir.resolve("ca.crt"), pki.caCertificatePem());
        Path serverCert = Files.write(dir.resolve("server.crt"), pki.servingCertificatePem());
        Path serverKey = Files.write(dir.resolve("server.key"), pki.servingKeyPem());
        ClientCertificate client = pki.issueClientCertificate("kube-apiserver-etcd-client", List.of(), Duration.ofHours(1));
        Path clientCert = Files.write(dir.resolve("client.crt"), client.certificatePem());
        Path clientKey = Files.write(dir.resolve("client.key"), client.privateKeyPem());

        try (EtcdServer etcd = EtcdServer.startTls(ca, serverCert, serverKey)) {
            assertEquals("https", etcd.clientUrl().getScheme());
            EtcdConnection connection = new EtcdConnection(List.of(etcd.clientUrl()), ca, clientCert, clientKey, "/registry");
            try (EtcdKeyValueStore store = connection.open(RevisionStamper.NONE)) {
                long revision = store.put("/registry/configmaps/default/tls", rev -> "over tls".getBytes(StandardCharsets.UTF_8),
                        WriteView.ABSENT).revision();
                assertEquals("over tls", new String(store.get("/registry/configmaps/default/tls").value(), StandardCharsets.UTF_8));
                assertEquals(revision, store.get("/registry/configmaps/default/tls").modRevision());
            }

            // without a client certificate etcd refuses the handshake: one error once the request timeout (30 s) passed
            EtcdConnection anonymous = new EtcdConnection(List.of(etcd.clientUrl()), ca, null, null, "/registry");
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> {
                try (KeyValueStore store = anonymous.open(RevisionStamper.NONE)) {
                    store.get("/registry/configmaps/default/tls");
                }
            });
            assertEquals(true, e.getMessage().startsWith("etcd"), e.getMessage());
        }
    }
}
