package kubefake.kubeconfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigYamlTest {
    static final byte[] CA = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] CERT = "-----BEGIN CERTIFICATE-----\nME\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] KEY = "-----BEGIN EC PRIVATE KEY-----\nK\n-----END EC PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    static Kubeconfig admin() {
        return Kubeconfig.single("kubernetes", Kubeconfig.Cluster.withCaData("https://127.0.0.1:16443", CA),
                "kubernetes-admin", Kubeconfig.User.withClientCertificate(CERT, KEY));
    }

    @Test
    void writesTheShapeOfKubeadmAdminConf() {
        String yaml = KubeconfigYaml.toYaml(admin());

        // The recorded kubeadm 1.33 admin.conf, with the base64 values redacted.
        String redacted = yaml.replaceAll("(-data: )\\S+", "$1<base64 redacted>");
        assertEquals("""
                apiVersion: v1
                clusters:
                - cluster:
                    certificate-authority-data: <base64 redacted>
                    server: https://127.0.0.1:16443
                  name: kubernetes
                contexts:
                - context:
                    cluster: kubernetes
                    user: kubernetes-admin
                  name: kubernetes-admin@kubernetes
                current-context: kubernetes-admin@kubernetes
                kind: Config
                preferences: {}
                users:
                - name: kubernetes-admin
                  user:
                    client-certificate-data: <base64 redacted>
                    client-key-data: <base64 redacted>
                """, redacted);
        assertEquals(true, yaml.contains("certificate-authority-data: "
                + java.util.Base64.getEncoder().encodeToString(CA) + "\n"), "one unwrapped base64 line");
    }

    @Test
    void readsWhatItWrites() {
        Kubeconfig parsed = KubeconfigYaml.parse(KubeconfigYaml.toYaml(admin()));

        assertEquals("kubernetes-admin@kubernetes", parsed.currentContext());
        assertEquals("https://127.0.0.1:16443", parsed.cluster("kubernetes").orElseThrow().server());
        assertArrayEquals(CA, parsed.cluster("kubernetes").orElseThrow().certificateAuthorityData());
        assertArrayEquals(CERT, parsed.user("kubernetes-admin").orElseThrow().clientCertificateData());
        assertArrayEquals(KEY, parsed.user("kubernetes-admin").orElseThrow().clientKeyData());
        assertEquals(new Kubeconfig.Context("kubernetes", "kubernetes-admin", null),
                parsed.context("kubernetes-admin@kubernetes").orElseThrow());
    }

    @Test
    void tokenUserAndNamespaceAreWrittenInGoKeyOrder() {
        Kubeconfig config = new Kubeconfig(
                List.of(new Kubeconfig.NamedCluster("kubernetes", Kubeconfig.Cluster.withCaData("https://10.0.0.1:6443", CA))),
                List.of(new Kubeconfig.NamedContext("dev", new Kubeconfig.Context("kubernetes", "sa", "team-a"))),
                "dev",
                List.of(new Kubeconfig.NamedUser("sa", Kubeconfig.User.withToken("abc.def"))));

        String yaml = KubeconfigYaml.toYaml(config);

        assertEquals(true, yaml.contains("""
                - context:
                    cluster: kubernetes
                    namespace: team-a
                    user: sa
                  name: dev
                """), yaml);
        assertEquals(true, yaml.endsWith("""
                users:
                - name: sa
                  user:
                    token: abc.def
                """), yaml);
        Kubeconfig parsed = KubeconfigYaml.parse(yaml);
        assertEquals("abc.def", parsed.user("sa").orElseThrow().token());
        assertNull(parsed.user("sa").orElseThrow().clientKeyData());
        assertEquals("team-a", parsed.context("dev").orElseThrow().namespace());
    }

    @Test
    void fileIsPrivate() throws Exception {
        Path file = tmp.resolve("kube/admin.conf");
        KubeconfigYaml.write(admin(), file);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(KubeconfigYaml.toYaml(admin()), Files.readString(file));
        assertEquals("kubernetes-admin@kubernetes", KubeconfigYaml.read(file).currentContext());
    }

    @Test
    void rejectsWhatIsNotAKubeconfig() {
        assertThrows(IllegalArgumentException.class, () -> KubeconfigYaml.parse("- a\n- b\n"));
        assertThrows(IllegalArgumentException.class, () -> KubeconfigYaml.parse("kind: Pod\napiVersion: v1\n"));
        assertThrows(IllegalArgumentException.class, () -> KubeconfigYaml.parse("users:\n- user: {token: x}\n"));
    }
}
