package kubefake.server.e2e;

import kubefake.server.KubefakeCluster;
import kubefake.server.cli.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RBAC as kubectl users meet it: a user from {@code kubefake kubeconfig user} bound to {@code view} in one namespace
 * reads there, is refused elsewhere with the real {@code Error from server (Forbidden)} line and exit code 1, and
 * {@code auth can-i} (also {@code --list} and {@code --as}) and {@code auth whoami} say what a real cluster says.
 */
class RbacE2ETest {
    static final String NS = "rbac-e2e";
    static Path aliceConf;

    static List<String> versions() {
        return Kubectl.VERSIONS;
    }

    @BeforeAll
    static void aliceMayViewOneNamespace() throws IOException {
        KubefakeCluster c = TestCluster.get();
        Kubectl admin = TestCluster.kubectl("1.33");
        Kubectl.ok(admin.run("create", "namespace", NS));
        Kubectl.ok(admin.run("create", "namespace", NS + "-other"));
        Kubectl.ok(admin.run("-n", NS, "create", "rolebinding", "alice-view", "--clusterrole=view", "--user=alice"));
        Kubectl.ok(admin.run("-n", NS, "create", "configmap", "settings", "--from-literal=mode=slow"));
        aliceConf = TestCluster.dataDir().resolve("alice.conf");
        int rc = Main.commandLine().execute("kubeconfig", "user", "alice", "--group", "devs",
                "--data-dir", c.adminConf().getParent().toString(), "-o", aliceConf.toString());
        assertEquals(0, rc);
    }

    static Kubectl alice(String v) throws IOException {
        return new Kubectl(v, aliceConf, Files.createTempDirectory(TestCluster.dataDir(), "home"));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void aViewerReadsItsNamespaceAndIsRefusedTheRest(String v) throws IOException {
        Kubectl k = alice(v);
        Kubectl.Result cm = k.run("-n", NS, "get", "configmap", "settings", "-o", "name");
        assertEquals(0, cm.exitCode(), cm::toString);
        assertEquals("configmap/settings\n", cm.out());
        assertForbidden("pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"" + NS + "-other\"",
                k.run("-n", NS + "-other", "get", "pods"));
        // `create configmap` words the same Status its own way
        Kubectl.Result create = k.run("-n", NS, "create", "configmap", "nope", "--from-literal=a=b");
        assertEquals(1, create.exitCode(), create::toString);
        assertEquals("error: failed to create configmap: configmaps is forbidden: User \"alice\" cannot create resource "
                + "\"configmaps\" in API group \"\" in the namespace \"" + NS + "\"\n", create.err());
        assertForbidden("error when creating \"STDIN\": configmaps is forbidden: User \"alice\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"" + NS + "\"",
                k.runWithInput("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nope\n", "-n", NS, "create", "-f", "-"));
        assertForbidden("secrets is forbidden: User \"alice\" cannot list resource \"secrets\" in API group \"\" in the namespace \"" + NS + "\"",
                k.run("-n", NS, "get", "secrets"));
        assertForbidden("nodes is forbidden: User \"alice\" cannot list resource \"nodes\" in API group \"\" at the cluster scope",
                k.run("get", "nodes"));
        assertForbidden("configmaps \"settings\" is forbidden: User \"alice\" cannot delete resource \"configmaps\" in API group \"\" in the namespace \"" + NS + "\"",
                k.run("-n", NS, "delete", "configmap", "settings"));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void canIAnswersFromTheSameRules(String v) throws IOException {
        Kubectl k = alice(v);
        assertCanI(k, "yes", "-n", NS, "list", "pods");
        assertCanI(k, "yes", "-n", NS, "get", "pods", "--subresource=log");
        assertCanI(k, "yes", "-n", NS, "get", "deployments.apps/scale");
        assertCanI(k, "no", "-n", NS, "create", "pods");
        assertCanI(k, "no", "-n", NS, "get", "secrets");
        assertCanI(k, "no", "-n", NS + "-other", "list", "pods");
        assertCanI(k, "yes", "get", "/healthz");
        assertCanI(k, "no", "get", "/metrics");
        Kubectl admin = TestCluster.kubectl(v);
        assertCanI(admin, "yes", "-n", NS, "list", "pods", "--as", "alice");
        assertCanI(admin, "no", "-n", NS, "create", "pods", "--as", "alice");
        assertCanI(admin, "no", "-n", NS, "list", "pods", "--as", "bob");
        assertCanI(admin, "yes", "-n", NS, "list", "pods", "--as", "bob", "--as-group", "system:masters");
        Kubectl.Result impersonating = k.run("-n", NS, "auth", "can-i", "list", "pods", "--as", "bob");
        assertForbidden("users \"bob\" is forbidden: User \"alice\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope",
                impersonating);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void canIListShowsTheGrantedRules(String v) throws IOException {
        Kubectl.Result list = alice(v).run("-n", NS, "auth", "can-i", "--list");
        assertEquals(0, list.exitCode(), list::toString);
        List<String> lines = Kubectl.lines(list);
        assertTrue(lines.get(0).matches("Resources +Non-Resource URLs +Resource Names +Verbs"), lines.get(0));
        assertTrue(lines.get(1).matches("selfsubjectreviews\\.authentication\\.k8s\\.io +\\[\\] +\\[\\] +\\[create\\]"), lines.get(1));
        assertTrue(lines.stream().anyMatch(l -> l.matches("pods/log +\\[\\] +\\[\\] +\\[get list watch\\]")), list::toString);
        assertTrue(lines.stream().anyMatch(l -> l.matches("deployments\\.apps/scale +\\[\\] +\\[\\] +\\[get list watch\\]")), list::toString);
        assertTrue(lines.stream().anyMatch(l -> l.matches(" +\\[/healthz\\] +\\[\\] +\\[get\\]")), list::toString);
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("secrets ") || l.startsWith("*.*")), list::toString);

        Kubectl.Result adminList = TestCluster.kubectl(v).run("auth", "can-i", "--list");
        List<String> admin = Kubectl.lines(adminList);
        assertTrue(admin.get(1).matches("\\*\\.\\* +\\[\\] +\\[\\] +\\[\\*\\]"), adminList::toString);
        assertTrue(admin.get(2).matches(" +\\[\\*\\] +\\[\\] +\\[\\*\\]"), adminList::toString);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void whoAmINamesTheCertificatesUserAndGroups(String v) throws IOException {
        Kubectl.Result whoami = alice(v).run("auth", "whoami");
        if (v.equals("1.27")) {
            // kubectl 1.27 asks for v1alpha1/v1beta1 only, which a 1.33 server no longer serves
            assertEquals(1, whoami.exitCode(), whoami::toString);
            assertTrue(whoami.err().startsWith("error: the selfsubjectreviews API is not enabled in the cluster"), whoami::toString);
            return;
        }
        assertEquals(0, whoami.exitCode(), whoami::toString);
        assertEquals("ATTRIBUTE   VALUE\nUsername    alice\nGroups      [devs system:authenticated]\n", whoami.out());
    }

    static void assertCanI(Kubectl k, String answer, String... question) {
        String[] args = new String[question.length + 2];
        args[0] = "auth";
        args[1] = "can-i";
        System.arraycopy(question, 0, args, 2, question.length);
        Kubectl.Result r = k.run(args);
        assertEquals(answer + "\n", r.out(), () -> List.of(question) + ": " + r);
        assertEquals(answer.equals("yes") ? 0 : 1, r.exitCode(), r::toString);
    }

    static void assertForbidden(String message, Kubectl.Result r) {
        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("Error from server (Forbidden): " + message + "\n", r.err(), r::toString);
    }
}
