package kubefake.kubeconfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KubeconfigMergeTest {
    private static final String EXISTING = """
            apiVersion: v1
            clusters:
            - cluster:
                server: https://prod.example:6443
              name: prod
            contexts:
            - context:
                cluster: prod
                user: sso
              name: prod
            current-context: prod
            kind: Config
            preferences:
              colors: true
            users:
            - name: sso
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: sso-login
            """;

    private static Kubeconfig cluster(String server) {
        return Kubeconfig.single("kubernetes", Kubeconfig.Cluster.withCaData(server, "CA".getBytes(StandardCharsets.US_ASCII)),
                "kubernetes-admin", Kubeconfig.User.withClientCertificate("CERT".getBytes(StandardCharsets.US_ASCII),
                        "KEY".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void mergeAddsTheEntriesKeepsEverythingElseAndSwitchesContext(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, EXISTING);
        KubeconfigMerge.merge(file, "kubefake-a", cluster("https://127.0.0.1:40001"));
        KubeconfigMerge.merge(file, "kubefake-b", cluster("https://127.0.0.1:40002"));
        KubeconfigMerge.merge(file, "kubefake-a", cluster("https://127.0.0.1:40003")); // up again: replaced, not added

        Kubeconfig merged = KubeconfigYaml.read(file);
        assertEquals("kubefake-a", merged.currentContext());
        assertEquals(java.util.List.of("prod", "kubefake-a", "kubefake-b"), merged.clusters().stream().map(Kubeconfig.NamedCluster::name).toList());
        assertEquals("https://127.0.0.1:40003", merged.cluster("kubefake-a").orElseThrow().server());
        assertEquals(new Kubeconfig.Context("kubefake-b", "kubefake-b", null), merged.context("kubefake-b").orElseThrow());
        String text = Files.readString(file);
        assertTrue(text.contains("command: sso-login"), text);
        assertTrue(text.contains("colors: true"), text);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        KubeconfigMerge.remove(file, "kubefake-a");
        Kubeconfig removed = KubeconfigYaml.read(file);
        assertEquals("", removed.currentContext(), "the removed context was current");
        assertFalse(removed.context("kubefake-a").isPresent());
        assertFalse(removed.user("kubefake-a").isPresent());
        assertFalse(removed.cluster("kubefake-a").isPresent());
        assertTrue(removed.context("kubefake-b").isPresent());
        assertTrue(removed.context("prod").isPresent());
        assertFalse(Files.exists(dir.resolve("config.lock")));
    }

    @Test
    void aMissingFileIsCreated(@TempDir Path dir) {
        Path file = dir.resolve(".kube/config");
        KubeconfigMerge.merge(file, "kubefake-x", cluster("https://127.0.0.1:1"));
        assertEquals("kubefake-x", KubeconfigYaml.read(file).currentContext());
    }

    @Test
    void theTargetIsTheFileKubectlWritesTo(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("home");
        assertEquals(home.resolve(".kube/config"), KubeconfigMerge.target(null, home));
        assertEquals(home.resolve(".kube/config"), KubeconfigMerge.target("", home));
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertEquals(b, KubeconfigMerge.target(a + ":" + b, home), "none exists: the last");
        Files.writeString(b, "");
        assertEquals(b, KubeconfigMerge.target(a + ":" + b, home), "the first that exists");
        Files.writeString(a, "");
        assertEquals(a, KubeconfigMerge.target(a + ":" + b, home));
    }
}
