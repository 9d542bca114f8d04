package kubefake.server.e2e;

import kubefake.server.KubefakeCluster;
import kubefake.store.durability.Durability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ServiceAccount admission plugin as kubectl meets it on a running cluster, with the serviceaccount controller
 * making each namespace's default account: a pod in a namespace created a moment ago is admitted, a pod naming an
 * account that does not exist is refused with the real message.
 */
class ServiceAccountAdmissionE2ETest {

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void podsNeedAServiceAccountThatExists(String v) {
        podsNeedAServiceAccountThatExists(TestCluster.kubectl(v), "e2e-sa-" + v.replace('.', '-'));
    }

    /**
     * With {@code --durability none} writes are served on the event loops, where the plugin may not wait: the pod
     * create that has to wait for the default account is served again where it may, and kubectl sees no difference.
     */
    @Test
    void aPodThatWaitsForItsAccountIsAdmittedWhenWritesAreServedOnTheEventLoops(@TempDir Path dir) throws Exception {
        try (KubefakeCluster c = KubefakeCluster.start(TestCluster.onLoopback(dir.resolve("data"))
                .withDurability(Durability.NONE))) {
            Kubectl k = new Kubectl("1.33", c.adminConf(), Files.createDirectories(dir.resolve("home")));
            // the controllers at work (the cluster has just started): the default namespace's account is there
            Kubectl.ok(k.runUntil(Duration.ofSeconds(60), r -> r.exitCode() == 0, "get", "serviceaccount", "default"));
            podsNeedAServiceAccountThatExists(k, "e2e-sa-inline");
        }
    }

    private static void podsNeedAServiceAccountThatExists(Kubectl k, String ns) {
        Kubectl.Result created = k.run("create", "namespace", ns);
        assertEquals(0, created.exitCode(), created::toString);
        // at once: the plugin waits for the namespace's default account as the real one does
        Kubectl.Result run = k.run("run", "web", "--image=nginx", "-n", ns);
        assertEquals(0, run.exitCode(), run::toString);
        Kubectl.Result account = k.run("get", "pod", "web", "-n", ns, "-o", "jsonpath={.spec.serviceAccountName}");
        assertEquals("default", account.out());

        Kubectl.Result refused = k.run("run", "robotic", "--image=nginx", "-n", ns,
                "--overrides={\"apiVersion\":\"v1\",\"spec\":{\"serviceAccountName\":\"robot\"}}");
        assertEquals(1, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains("Error from server (Forbidden): pods \"robotic\" is forbidden: error looking up "
                + "service account " + ns + "/robot: serviceaccount \"robot\" not found"), refused::toString);
    }
}
