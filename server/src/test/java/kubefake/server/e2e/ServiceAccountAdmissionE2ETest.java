package kubefake.server.e2e;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        Kubectl k = TestCluster.kubectl(v);
        String ns = "e2e-sa-" + v.replace('.', '-');
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
