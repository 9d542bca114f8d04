package kubefake.server.e2e;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scheduling.k8s.io/v1 PriorityClasses with the real kubectl: the two system classes as a real cluster lists them
 * (kube-system's pods with their priorities), {@code create priorityclass}, a pod given its class's priority, and the
 * real refusals (a system class deleted, a value over one billion, a second global default, an unknown class).
 */
class PriorityClassE2ETest {
    @TempDir
    static Path dir;
    @RegisterExtension
    static final LabCluster lab = LabCluster.realClock();

    private static Kubectl kubectl(String v) throws Exception {
        return new Kubectl(v, lab.cluster().adminConf(), Files.createTempDirectory(dir, "home"));
    }

    private static void assertHas(String regex, String text) {
        assertTrue(Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find(), () -> "no /" + regex + "/ in:\n" + text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void systemClassesAreListedAndKept(String v) throws Exception {
        Kubectl k = kubectl(v);
        String table = Kubectl.ok(k.run("get", "priorityclasses")).out();
        assertHas("^NAME                      VALUE        GLOBAL-DEFAULT   AGE\\s+PREEMPTIONPOLICY$", table);
        assertHas("^system-cluster-critical   2000000000   false            \\S+\\s+PreemptLowerPriority$", table);
        assertHas("^system-node-critical      2000001000   false            \\S+\\s+PreemptLowerPriority$", table);
        assertEquals("2000001000 system-node-critical", Kubectl.ok(k.run("-n", "kube-system", "get", "pod", "kube-apiserver-m-k8s",
                "-o", "jsonpath={.spec.priority} {.spec.priorityClassName}")).out());
        Kubectl.Result delete = k.run("delete", "pc", "system-node-critical");
        assertEquals(1, delete.exitCode());
        assertEquals("Error from server (Forbidden): priorityclasses.scheduling.k8s.io \"system-node-critical\" is forbidden: "
                + "this is a system priority class and cannot be deleted\n", delete.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aPodTakesItsClassesPriority(String v) throws Exception {
        Kubectl k = kubectl(v);
        String suffix = v.replace('.', '-');
        String high = "high-" + suffix;
        assertEquals("priorityclass.scheduling.k8s.io/" + high + " created\n", Kubectl.ok(k.run("create", "priorityclass", high,
                "--value=1000", "--description=for the important ones", "--preemption-policy=Never")).out());
        assertHas("^" + high + "\\s+1000\\s+false\\s+\\S+\\s+Never$", Kubectl.ok(k.run("get", "pc", high)).out());
        Kubectl.Result huge = k.run("create", "priorityclass", "huge-" + suffix, "--value=2000000000");
        assertEquals(1, huge.exitCode());
        assertEquals("error: failed to create priorityclass: PriorityClass.scheduling.k8s.io \"huge-" + suffix + "\" is invalid: "
                + "value: Forbidden: maximum allowed value of a user defined priority is 1000000000\n", huge.err());

        String ns = "prio-" + suffix;
        Kubectl.ok(k.run("create", "namespace", ns));
        k.runUntil(Duration.ofSeconds(20), r -> r.exitCode() == 0, "-n", ns, "get", "serviceaccount", "default");
        Kubectl.ok(k.run("-n", ns, "run", "important", "--image=nginx", "--restart=Never",
                "--overrides={\"spec\":{\"priorityClassName\":\"" + high + "\"}}"));
        assertEquals("1000 Never", Kubectl.ok(k.run("-n", ns, "get", "pod", "important", "-o",
                "jsonpath={.spec.priority} {.spec.preemptionPolicy}")).out());
        Kubectl.Result unknown = k.run("-n", ns, "run", "lost", "--image=nginx", "--restart=Never",
                "--overrides={\"spec\":{\"priorityClassName\":\"nope\"}}");
        assertEquals(1, unknown.exitCode());
        assertEquals("Error from server (Forbidden): pods \"lost\" is forbidden: no PriorityClass with name nope was found\n",
                unknown.err());
        List<String> described = Kubectl.lines(Kubectl.ok(k.run("describe", "priorityclass", high)));
        assertTrue(described.contains("Name:              " + high), described::toString);
        assertTrue(described.contains("Value:             1000"), described::toString);
        assertTrue(described.contains("Description:       for the important ones"), described::toString);
        Kubectl.ok(k.run("delete", "namespace", ns, "--wait=false"));
        Kubectl.ok(k.run("delete", "pc", high));
    }
}
