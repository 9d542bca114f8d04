package kubefake.server.e2e;

import kubefake.certs.ClientCertificate;
import kubefake.certs.ClusterPki;
import kubefake.certs.PkiSpec;
import kubefake.kubeconfig.Kubeconfig;
import kubefake.kubeconfig.KubeconfigYaml;
import kubefake.kubeconfig.Kubeconfigs;
import kubefake.server.KubefakeCluster;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What kubectl prints against kubefake without credentials, with a wrong token, and with another CA's certificate. */
class AuthenticationE2ETest {

    static List<String> versions() {
        return Kubectl.VERSIONS;
    }

    /**
     * A kubectl with these credentials. Its HOME is shared with an admin kubectl that ran first, so discovery is
     * cached as on a machine where kubectl worked before: the request that fails is the command's own.
     */
    private static Kubectl kubectlWith(String version, Kubeconfig config, Path dir) throws Exception {
        Path file = dir.resolve("kubeconfig-" + version);
        KubeconfigYaml.write(config, file);
        Path home = Files.createDirectories(dir.resolve("home-" + version));
        Kubectl admin = new Kubectl(version, TestCluster.get().adminConf(), home);
        assertEquals(0, admin.run("get", "pods", "-n", "kube-system").exitCode());
        return new Kubectl(version, file, home);
    }

    /** With nothing cached the failing request is discovery's, which client-go reports without reading the Status. */
    private static Kubectl kubectlWithoutCache(String version, Kubeconfig config, Path dir) throws Exception {
        Path file = dir.resolve("kubeconfig-cold-" + version);
        KubeconfigYaml.write(config, file);
        return new Kubectl(version, file, Files.createDirectories(dir.resolve("cold-home-" + version)));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void aWrongTokenIsUnauthorized(String v, @TempDir Path dir) throws Exception {
        KubefakeCluster c = TestCluster.get();
        Kubeconfig wrong = Kubeconfigs.forToken(c.pki(), c.serverUrl(), "mallory", "not-a-token");
        Kubectl.Result r = kubectlWith(v, wrong, dir).run("get", "pods");
        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("error: You must be logged in to the server (Unauthorized)\n", lastLine(r.err()));
        Kubectl.Result cold = kubectlWithoutCache(v, wrong, dir).run("get", "pods");
        assertEquals(1, cold.exitCode(), cold::toString);
        assertEquals("error: You must be logged in to the server (the server has asked for the client to provide credentials)\n",
                lastLine(cold.err()));
        Kubectl.Result ok = kubectlWith(v, Kubeconfigs.forToken(c.pki(), c.serverUrl(), "admin", TestCluster.ADMIN_TOKEN), dir)
                .run("get", "namespace", "default", "-o", "name");
        assertEquals("namespace/default\n", ok.out(), ok::toString);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void aCertificateFromAnotherCaIsUnauthorized(String v, @TempDir Path dir) throws Exception {
        KubefakeCluster c = TestCluster.get();
        ClusterPki other = ClusterPki.loadOrCreate(dir.resolve("other-pki"),
                new PkiSpec("other", InetAddress.getByName("127.0.0.1"), List.of(), List.of()));
        ClientCertificate foreign = other.issueClientCertificate("kubernetes-admin", List.of("system:masters"), Duration.ofDays(1));
        Kubeconfig config = Kubeconfigs.forClientCertificate(c.pki(), c.serverUrl(), foreign);
        Kubectl.Result r = kubectlWith(v, config, dir).run("get", "pods");
        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("error: You must be logged in to the server (Unauthorized)\n", lastLine(r.err()));
    }

    /** kubectl ≥1.28 may log the failed discovery attempts first; the last line is what it ends with. */
    private static String lastLine(String err) {
        List<String> lines = err.lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1) + "\n";
    }
}
