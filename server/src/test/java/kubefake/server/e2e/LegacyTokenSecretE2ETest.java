package kubefake.server.e2e;

import kubefake.kubeconfig.KubeconfigYaml;
import kubefake.kubeconfig.Kubeconfigs;
import kubefake.server.KubefakeCluster;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Manually create a long-lived API token for a ServiceAccount" (the Kubernetes docs' recipe): a Secret of type
 * {@code kubernetes.io/service-account-token} annotated with the account's name is filled by the controller manager
 * with a token, the CA and the namespace; the token acts as the account until the Secret is deleted; a Secret naming
 * no account, and an account's Secrets once it is deleted, are removed.
 */
class LegacyTokenSecretE2ETest {

    private static void apply(Kubectl k, String ns, Path tmp, String yaml) throws Exception {
        Path file = Files.createTempFile(tmp, "obj", ".yaml");
        Files.writeString(file, yaml);
        Kubectl.ok(k.run("-n", ns, "apply", "-f", file.toString()));
    }

    private static String secretYaml(String name, String account) {
        return """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: %s
                  annotations:
                    kubernetes.io/service-account.name: %s
                type: kubernetes.io/service-account-token
                """.formatted(name, account);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void theSecretIsFilledAndItsTokenActsAsTheAccountUntilItIsDeleted(String v, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = "e2e-legacy-" + v.replace('.', '-');
        Kubectl.ok(k.run("create", "namespace", ns));
        Kubectl.ok(k.run("-n", ns, "create", "serviceaccount", "builder"));
        apply(k, ns, tmp, secretYaml("builder-token", "builder"));
        String encoded = k.runUntil(Duration.ofSeconds(30), r -> !r.out().isBlank(), "-n", ns, "get", "secret", "builder-token",
                "-o", "jsonpath={.data.token}").out();
        String token = new String(Base64.getDecoder().decode(encoded), StandardCharsets.US_ASCII);

        String listed = Kubectl.ok(k.run("-n", ns, "get", "secret", "builder-token")).out();
        assertTrue(Pattern.compile("^NAME +TYPE +DATA +AGE\nbuilder-token +kubernetes.io/service-account-token +3 +\\d+s\n$")
                .matcher(listed).find(), listed);
        String uid = Kubectl.ok(k.run("-n", ns, "get", "serviceaccount", "builder", "-o", "jsonpath={.metadata.uid}")).out();
        assertEquals(uid, Kubectl.ok(k.run("-n", ns, "get", "secret", "builder-token", "-o",
                "jsonpath={.metadata.annotations.kubernetes\\.io/service-account\\.uid}")).out());
        KubefakeCluster c = TestCluster.get();
        assertEquals(Base64.getEncoder().encodeToString(c.pki().caCertificatePem()), Kubectl.ok(k.run("-n", ns, "get", "secret",
                "builder-token", "-o", "jsonpath={.data.ca\\.crt}")).out());
        String described = Kubectl.ok(k.run("-n", ns, "describe", "secret", "builder-token")).out();
        assertTrue(described.contains("Type:  kubernetes.io/service-account-token\n"), described);
        assertTrue(described.contains("token:      " + token + "\n"), described);
        assertTrue(Pattern.compile("\nnamespace:  " + ns.length() + " bytes\n").matcher(described).find(), described);

        Path conf = tmp.resolve("legacy.conf");
        KubeconfigYaml.write(Kubeconfigs.forToken(c.pki(), c.serverUrl(), "builder", token), conf);
        Kubectl asBuilder = new Kubectl(v, conf, Files.createTempDirectory(tmp, "home"));
        assertEquals("system:serviceaccount:" + ns + ":builder", Kubectl.ok(asBuilder.run("auth", "whoami", "-o",
                "jsonpath={.status.userInfo.username}")).out());
        RbacE2ETest.assertForbidden("pods is forbidden: User \"system:serviceaccount:" + ns + ":builder\" cannot list resource "
                + "\"pods\" in API group \"\" in the namespace \"" + ns + "\"", asBuilder.run("-n", ns, "get", "pods"));

        // deleting the Secret revokes the token
        Kubectl.ok(k.run("-n", ns, "delete", "secret", "builder-token"));
        Kubectl.Result revoked = asBuilder.run("auth", "whoami");
        assertEquals(1, revoked.exitCode(), revoked::toString);
        assertEquals("error: You must be logged in to the server (Unauthorized)\n", revoked.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void secretsWithoutTheirAccountAreRemoved(String v, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = "e2e-legacy-gone-" + v.replace('.', '-');
        Kubectl.ok(k.run("create", "namespace", ns));
        apply(k, ns, tmp, secretYaml("nobody-token", "nobody"));
        k.runUntil(Duration.ofSeconds(30), r -> r.out().isBlank(), "-n", ns, "get", "secrets", "-o", "name",
                "--field-selector", "metadata.name=nobody-token");

        Kubectl.ok(k.run("-n", ns, "create", "serviceaccount", "short"));
        apply(k, ns, tmp, secretYaml("short-token", "short"));
        k.runUntil(Duration.ofSeconds(30), r -> !r.out().isBlank(), "-n", ns, "get", "secret", "short-token", "-o", "jsonpath={.data.token}");
        Kubectl.ok(k.run("-n", ns, "delete", "serviceaccount", "short"));
        k.runUntil(Duration.ofSeconds(30), r -> r.out().isBlank(), "-n", ns, "get", "secrets", "-o", "name",
                "--field-selector", "metadata.name=short-token");
    }
}
