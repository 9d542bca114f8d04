package kubefake.server.e2e;

import kubefake.kubeconfig.KubeconfigYaml;
import kubefake.kubeconfig.Kubeconfigs;
import kubefake.server.KubefakeCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A service account's token from {@code kubectl create token}: a kubeconfig holding it acts as
 * {@code system:serviceaccount:NS:NAME}, with what its RoleBinding grants and nothing more, until it expires or the
 * service account is deleted.
 */
class ServiceAccountTokenE2ETest {
    static final String NS = "sa-e2e";
    static String token;
    static Path tokenConf;

    static List<String> versions() {
        return Kubectl.VERSIONS;
    }

    @BeforeAll
    static void aServiceAccountMayEditItsNamespace() throws IOException {
        KubefakeCluster c = TestCluster.get();
        Kubectl admin = TestCluster.kubectl("1.33");
        Kubectl.ok(admin.run("create", "namespace", NS));
        Kubectl.ok(admin.run("-n", NS, "create", "serviceaccount", "builder"));
        Kubectl.ok(admin.run("-n", NS, "create", "rolebinding", "builder-edit", "--clusterrole=edit", "--serviceaccount=" + NS + ":builder"));
        Kubectl.Result created = admin.run("-n", NS, "create", "token", "builder");
        Kubectl.ok(created);
        token = created.out().strip();
        tokenConf = TestCluster.dataDir().resolve("builder.conf");
        KubeconfigYaml.write(Kubeconfigs.forToken(c.pki(), c.serverUrl(), "builder", token), tokenConf);
    }

    static Kubectl builder(String v) throws IOException {
        return new Kubectl(v, tokenConf, Files.createTempDirectory(TestCluster.dataDir(), "home"));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void theTokensUserHasItsBindingsPermissions(String v) throws IOException {
        Kubectl k = builder(v);
        RbacE2ETest.assertCanI(k, "yes", "-n", NS, "create", "deployments.apps");
        RbacE2ETest.assertCanI(k, "no", "-n", "default", "create", "deployments.apps");
        Kubectl.Result cm = k.run("-n", NS, "create", "configmap", "made-by-builder", "--from-literal=a=b");
        assertEquals(0, cm.exitCode(), cm::toString);
        RbacE2ETest.assertForbidden("pods is forbidden: User \"system:serviceaccount:" + NS + ":builder\" cannot list resource "
                + "\"pods\" in API group \"\" in the namespace \"default\"", k.run("-n", "default", "get", "pods"));
        Kubectl.ok(k.run("-n", NS, "delete", "configmap", "made-by-builder"));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void whoAmINamesTheServiceAccount(String v) throws IOException {
        Kubectl.Result whoami = builder(v).run("auth", "whoami");
        if (v.equals("1.27")) {
            assertEquals(1, whoami.exitCode(), whoami::toString);
            return;
        }
        assertEquals(0, whoami.exitCode(), whoami::toString);
        List<String> lines = Kubectl.lines(whoami);
        assertTrue(lines.get(0).matches("ATTRIBUTE +VALUE"), whoami::toString);
        assertTrue(lines.get(1).matches("Username +system:serviceaccount:" + NS + ":builder"), whoami::toString);
        assertTrue(lines.get(2).matches("UID +[0-9a-f-]{36}"), whoami::toString);
        assertTrue(lines.get(3).matches("Groups +\\[system:serviceaccounts system:serviceaccounts:" + NS + " system:authenticated\\]"), whoami::toString);
        assertTrue(lines.get(4).matches("Extra: authentication\\.kubernetes\\.io/credential-id +\\[JTI=[0-9a-f-]{36}\\]"), whoami::toString);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void theAdministratorMayActAsTheServiceAccount(String v) {
        Kubectl admin = TestCluster.kubectl(v);
        String sa = "system:serviceaccount:" + NS + ":builder";
        RbacE2ETest.assertCanI(admin, "yes", "-n", NS, "create", "deployments.apps", "--as", sa);
        RbacE2ETest.assertCanI(admin, "no", "-n", "default", "create", "deployments.apps", "--as", sa);
        RbacE2ETest.assertForbidden("pods is forbidden: User \"" + sa + "\" cannot list resource \"pods\" in API group \"\" in the "
                + "namespace \"default\"", admin.run("-n", "default", "get", "pods", "--as", sa));
        if (v.equals("1.27")) return; // whoami needs kubectl 1.28 against a 1.33 server
        Kubectl.Result whoami = admin.run("auth", "whoami", "--as", sa, "--as-uid", "u-1");
        assertEquals(0, whoami.exitCode(), whoami::toString);
        assertEquals(List.of("ATTRIBUTE   VALUE", "Username    " + sa, "UID         u-1",
                "Groups      [system:serviceaccounts system:serviceaccounts:" + NS + " system:authenticated]"), Kubectl.lines(whoami));
    }

    @Test
    void aDurationUnderTenMinutesIsRefused() {
        Kubectl.Result r = TestCluster.kubectl("1.33").run("-n", NS, "create", "token", "builder", "--duration", "1m");
        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("error: failed to create token: TokenRequest.authentication.k8s.io \"builder\" is invalid: "
                + "spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes\n", r.err());
        Kubectl.Result missing = TestCluster.kubectl("1.33").run("-n", NS, "create", "token", "nobody");
        assertEquals(1, missing.exitCode(), missing::toString);
        assertEquals("error: failed to create token: serviceaccounts \"nobody\" not found\n", missing.err());
    }

    @Test
    void aDeletedServiceAccountsTokenNoLongerAuthenticates() throws IOException {
        Kubectl admin = TestCluster.kubectl("1.33");
        Kubectl.ok(admin.run("-n", NS, "create", "serviceaccount", "short-lived"));
        Kubectl.Result created = admin.run("-n", NS, "create", "token", "short-lived", "--duration", "10m");
        Kubectl.ok(created);
        Path conf = TestCluster.dataDir().resolve("short-lived.conf");
        KubefakeCluster c = TestCluster.get();
        KubeconfigYaml.write(Kubeconfigs.forToken(c.pki(), c.serverUrl(), "short-lived", created.out().strip()), conf);
        Kubectl k = new Kubectl("1.33", conf, Files.createTempDirectory(TestCluster.dataDir(), "home"));
        RbacE2ETest.assertCanI(k, "no", "-n", NS, "list", "pods");
        Kubectl.ok(admin.run("-n", NS, "delete", "serviceaccount", "short-lived"));
        Kubectl.Result after = k.run("-n", NS, "get", "pods");
        assertEquals(1, after.exitCode(), after::toString);
        assertEquals("error: You must be logged in to the server (Unauthorized)\n", after.err());
    }
}
