package kubefake.kubeconfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import kubefake.certs.ClientCertificate;
import kubefake.certs.ClientIdentity;
import kubefake.certs.ClusterPki;
import kubefake.certs.PkiSpec;

class KubeconfigsTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T13:12:21Z"), ZoneOffset.UTC);
    static final String SERVER = "https://127.0.0.1:16443";

    @TempDir
    Path tmp;

    static PkiSpec spec() throws Exception {
        return new PkiSpec("m-k8s", InetAddress.getByName("192.0.2.2"), List.of(), List.of());
    }

    private static ClientCertificate clientOf(Path file, String user) {
        Kubeconfig.User entry = KubeconfigYaml.read(file).user(user).orElseThrow();
        return ClientCertificate.fromPem(entry.clientCertificateData(), entry.clientKeyData());
    }

    @Test
    void writesAdminAndSuperAdminConfsLikeKubeadm() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(tmp.resolve("pki"), spec(), CLOCK);

        Path admin = Kubeconfigs.writeAdminConfs(pki, SERVER, tmp);

        assertEquals(tmp.resolve("admin.conf"), admin);
        Kubeconfig config = KubeconfigYaml.read(admin);
        assertEquals("kubernetes-admin@kubernetes", config.currentContext());
        assertEquals(SERVER, config.cluster("kubernetes").orElseThrow().server());
        assertArrayEquals(pki.caCertificatePem(), config.cluster("kubernetes").orElseThrow().certificateAuthorityData());
        assertEquals(new ClientIdentity("kubernetes-admin", List.of("kubeadm:cluster-admins")),
                pki.clientCertificateVerifier().verify(List.of(clientOf(admin, "kubernetes-admin").certificate())));

        Path superAdmin = tmp.resolve("super-admin.conf");
        assertEquals("kubernetes-super-admin@kubernetes", KubeconfigYaml.read(superAdmin).currentContext());
        assertEquals(new ClientIdentity("kubernetes-super-admin", List.of("system:masters")),
                pki.clientCertificateVerifier().verify(List.of(clientOf(superAdmin, "kubernetes-super-admin").certificate())));
        for (Path file : List.of(admin, superAdmin)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
    }

    @Test
    void restartKeepsTheFilesAndTheirCertificates() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(tmp.resolve("pki"), spec(), CLOCK);
        Path admin = Kubeconfigs.writeAdminConfs(pki, SERVER, tmp);
        byte[] before = Files.readAllBytes(admin);

        ClusterPki restarted = ClusterPki.loadOrCreate(tmp.resolve("pki"), spec(), Clock.offset(CLOCK, Duration.ofDays(10)));
        Kubeconfigs.writeAdminConfs(restarted, SERVER, tmp);

        assertArrayEquals(before, Files.readAllBytes(admin));
    }

    @Test
    void newServerUrlRewritesTheFileButKeepsTheCertificate() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(tmp.resolve("pki"), spec(), CLOCK);
        Path admin = Kubeconfigs.writeAdminConfs(pki, SERVER, tmp);
        ClientCertificate before = clientOf(admin, "kubernetes-admin");

        Kubeconfigs.writeAdminConfs(pki, "https://192.0.2.2:6443", tmp);

        assertEquals("https://192.0.2.2:6443", KubeconfigYaml.read(admin).cluster("kubernetes").orElseThrow().server());
        assertEquals(before.certificate(), clientOf(admin, "kubernetes-admin").certificate());
    }

    @Test
    void certificateOfAnotherCaOrExpiredIsReissued() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(tmp.resolve("pki"), spec(), CLOCK);
        Path admin = Kubeconfigs.writeAdminConfs(pki, SERVER, tmp);
        ClientCertificate first = clientOf(admin, "kubernetes-admin");

        ClusterPki newCluster = ClusterPki.loadOrCreate(tmp.resolve("other-pki"), spec(), CLOCK);
        Kubeconfigs.writeAdminConfs(newCluster, SERVER, tmp);
        ClientCertificate second = clientOf(admin, "kubernetes-admin");
        assertNotEquals(first.certificate(), second.certificate());
        second.certificate().verify(newCluster.caCertificate().getPublicKey());

        ClusterPki aYearLater = ClusterPki.loadOrCreate(tmp.resolve("other-pki"), spec(), Clock.offset(CLOCK, Duration.ofDays(400)));
        Kubeconfigs.writeAdminConfs(aYearLater, SERVER, tmp);
        ClientCertificate third = clientOf(admin, "kubernetes-admin");
        assertNotEquals(second.certificate(), third.certificate());
        assertEquals(new ClientIdentity("kubernetes-admin", List.of("kubeadm:cluster-admins")),
                aYearLater.clientCertificateVerifier().verify(List.of(third.certificate())));
    }

    @Test
    void garbageAdminConfIsReplaced() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(tmp.resolve("pki"), spec(), CLOCK);
        Files.writeString(tmp.resolve("admin.conf"), "{not: [yaml");

        Path admin = Kubeconfigs.writeAdminConfs(pki, SERVER, tmp);

        assertEquals("kubernetes-admin", clientOf(admin, "kubernetes-admin").commonName());
    }

    @Test
    void realKubectlAcceptsTheWrittenAdminConf() throws Exception {
        Kubectl kubectl = Kubectl.v133();
        ClusterPki pki = ClusterPki.loadOrCreate(tmp.resolve("pki"), spec());
        Path admin = Kubeconfigs.writeAdminConfs(pki, SERVER, tmp);

        Kubectl.Result raw = kubectl.run(admin, "config", "view", "--raw", "-o",
                "jsonpath={.clusters[0].cluster.server} {.users[0].name} {.users[0].user.client-certificate-data}");
        assertEquals(0, raw.exitCode(), raw.stderr());
        assertEquals(SERVER + " kubernetes-admin "
                + Base64.getEncoder().encodeToString(clientOf(admin, "kubernetes-admin").certificatePem()), raw.stdout());

        Kubectl.Result contexts = kubectl.run(admin, "config", "get-contexts");
        assertEquals(0, contexts.exitCode(), contexts.stderr());
        List<String> lines = contexts.stdout().lines().toList();
        assertEquals(List.of("CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"), List.of(lines.get(0).trim().split("\\s+")));
        assertEquals(List.of("*", "kubernetes-admin@kubernetes", "kubernetes", "kubernetes-admin"),
                List.of(lines.get(1).trim().split("\\s+")));
        assertEquals(2, lines.size());
    }

    @Test
    void realKubectlTrustsTheServingCertificateAndPresentsTheAdminCertificate() throws Exception {
        Kubectl kubectl = Kubectl.v133();
        ClusterPki pki = ClusterPki.loadOrCreate(tmp.resolve("pki"), spec());
        try (WhoAmIServer server = WhoAmIServer.start(pki)) {
            Path admin = Kubeconfigs.writeAdminConfs(pki, server.url(), tmp);

            Kubectl.Result result = kubectl.run(admin, "get", "--raw", "/version");

            assertEquals(0, result.exitCode(), result.stderr());
            assertEquals("{\"user\":\"kubernetes-admin\",\"groups\":[\"kubeadm:cluster-admins\"]}", result.stdout().trim());
            assertTrue(server.requests() >= 1);
        }
    }
}
