package kubefake.server.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * policy/v1 with the real kubectl: PodDisruptionBudgets as {@code get}, {@code describe} and validation show them,
 * {@code drain} evicting through a budget (the pods come back on other nodes, the node stays cordoned until
 * {@code uncordon}), and a drain the budget blocks with the real 429 message until the Deployment has a pod to spare.
 * Each test drains a node of its own cluster's lab, so the class runs one cluster (the fast profile).
 */
class PolicyE2ETest {
    @TempDir
    static Path dir;
    @RegisterExtension
    static final LabCluster lab = LabCluster.realClock();
    private final List<String> namespaces = new ArrayList<>();

    /**
     * Whatever a test left (it may have failed half-way): its namespaces go and every worker is schedulable again,
     * or its pods and budget would block the next test's drain.
     */
    @AfterEach
    void cleanUp() throws Exception {
        Kubectl k = kubectl("1.33");
        for (String ns : namespaces) k.run("delete", "namespace", ns, "--wait=false");
        namespaces.clear();
        Kubectl.ok(k.run("uncordon", "w1-k8s", "w2-k8s", "w3-k8s"));
    }

    private static Kubectl kubectl(String v) throws Exception {
        return new Kubectl(v, lab.cluster().adminConf(), Files.createTempDirectory(dir, "home"));
    }

    private String namespace(Kubectl k, String prefix, String v) {
        String ns = prefix + "-" + v.replace('.', '-');
        namespaces.add(ns);
        Kubectl.ok(k.run("create", "namespace", ns));
        k.runUntil(Duration.ofSeconds(20), r -> r.exitCode() == 0, "-n", ns, "get", "serviceaccount", "default");
        return ns;
    }

    /** A Deployment of nginx with every replica Ready. */
    private static void deployment(Kubectl k, String ns, String name, int replicas) {
        Kubectl.ok(k.run("-n", ns, "create", "deployment", name, "--image=nginx", "--replicas=" + replicas));
        Kubectl.ok(k.run("-n", ns, "rollout", "status", "deployment/" + name, "--timeout=60s"));
    }

    /** The node of one of the Deployment's pods. */
    private static String nodeOf(Kubectl k, String ns, String app) {
        return Kubectl.ok(k.run("-n", ns, "get", "pods", "-l", "app=" + app, "-o", "jsonpath={.items[0].spec.nodeName}")).out();
    }

    private static List<String> podsOn(Kubectl k, String ns, String app, String node) {
        return Kubectl.lines(Kubectl.ok(k.run("-n", ns, "get", "pods", "-l", "app=" + app, "--field-selector",
                "spec.nodeName=" + node, "-o", "name")));
    }

    private static void assertHas(String regex, String text) {
        assertTrue(Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find(), () -> "no /" + regex + "/ in:\n" + text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aBudgetIsListedDescribedAndValidated(String v) throws Exception {
        Kubectl k = kubectl(v);
        String ns = namespace(k, "pdb", v);
        deployment(k, ns, "web", 3);
        assertEquals("poddisruptionbudget.policy/web created\n",
                Kubectl.ok(k.run("-n", ns, "create", "pdb", "web", "--selector=app=web", "--min-available=2")).out());
        Kubectl.ok(k.run("-n", ns, "create", "pdb", "web-max", "--selector=app=web", "--max-unavailable=34%"));
        Kubectl.Result table = k.runUntil(Duration.ofSeconds(20), r -> r.out().contains("   1   "),
                "-n", ns, "get", "pdb", "web");
        List<String> rows = Kubectl.lines(table);
        assertEquals("NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE", rows.get(0));
        assertHas("^web    2               N/A               1                     \\d+s$", rows.get(1));
        // 34% of 3 expected pods, rounded up, may be unavailable: 1 healthy pod is needed, 2 may go
        rows = Kubectl.lines(k.runUntil(Duration.ofSeconds(20), r -> r.out().contains("   2   "),
                "get", "poddisruptionbudgets", "-n", ns, "web-max"));
        assertHas("^web-max   N/A             34%               2                     \\d+s$", rows.get(1));
        assertEquals("1 2 3 3 True SufficientPods", Kubectl.ok(k.run("-n", ns, "get", "pdb", "web", "-o", "jsonpath="
                + "{.status.disruptionsAllowed} {.status.desiredHealthy} {.status.currentHealthy} {.status.expectedPods} "
                + "{.status.conditions[?(@.type==\"DisruptionAllowed\")].status} "
                + "{.status.conditions[?(@.type==\"DisruptionAllowed\")].reason}")).out());

        String described = Kubectl.ok(k.run("-n", ns, "describe", "pdb", "web")).out();
        assertHas("^Name:           web$", described);
        assertHas("^Namespace:      " + ns + "$", described);
        assertHas("^Min available:  2$", described);
        assertHas("^Selector:       app=web$", described);
        assertHas("^    Allowed disruptions:  1$", described);
        assertHas("^    Current:              3$", described);
        assertHas("^    Desired:              2$", described);
        assertHas("^    Total:                3$", described);

        Path bad = Files.createTempFile(dir, "pdb", ".yaml");
        Files.writeString(bad, """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata:
                  name: bad
                spec:
                  minAvailable: 120%
                  selector:
                    matchLabels:
                      app: web
                  unhealthyPodEvictionPolicy: Sometimes
                """);
        Kubectl.Result refused = k.run("-n", ns, "create", "-f", bad.toString());
        assertEquals(1, refused.exitCode());
        assertTrue(refused.err().contains("The PodDisruptionBudget \"bad\" is invalid: \n"
                + "* spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"120%\"}: must not be "
                + "greater than 100%\n"
                + "* spec.unhealthyPodEvictionPolicy: Unsupported value: \"Sometimes\": supported values: "
                + "\"AlwaysAllow\", \"IfHealthyBudget\""), refused::toString);

        Kubectl.ok(k.run("-n", ns, "delete", "pdb", "web", "web-max"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void drainEvictsThroughTheBudgetAndThePodsComeBackElsewhere(String v) throws Exception {
        Kubectl k = kubectl(v);
        String ns = namespace(k, "drain", v);
        deployment(k, ns, "web", 3);
        Kubectl.ok(k.run("-n", ns, "create", "pdb", "web", "--selector=app=web", "--min-available=2"));
        k.runUntil(Duration.ofSeconds(20), r -> r.out().equals("1"), "-n", ns, "get", "pdb", "web", "-o",
                "jsonpath={.status.disruptionsAllowed}");
        String node = nodeOf(k, ns, "web");
        List<String> before = podsOn(k, ns, "web", node);
        assertFalse(before.isEmpty());

        Kubectl.Result drained = Kubectl.ok(k.run("drain", node, "--ignore-daemonsets", "--delete-emptydir-data",
                "--timeout=90s"));
        List<String> out = Kubectl.lines(drained);
        assertEquals("node/" + node + " cordoned", out.get(0));
        assertEquals("node/" + node + " drained", out.get(out.size() - 1));
        for (String pod : before) {
            String name = pod.substring("pod/".length());
            assertTrue(out.contains("evicting pod " + ns + "/" + name), drained::toString);
            assertTrue(out.contains("pod/" + name + " evicted"), drained::toString);
        }
        assertHas("^Warning: ignoring DaemonSet-managed Pods: kube-system/calico-node-[a-z0-9]{5}, "
                + "kube-system/kube-proxy-[a-z0-9]{5}$", drained.err());

        // the ReplicaSet replaces the evicted pods, and the scheduler keeps them off the cordoned node
        Kubectl.ok(k.run("-n", ns, "rollout", "status", "deployment/web", "--timeout=60s"));
        k.runUntil(Duration.ofSeconds(30), r -> Kubectl.lines(r).size() == 3, "-n", ns, "get", "pods", "-l", "app=web",
                "--field-selector", "status.phase=Running", "-o", "name");
        assertEquals(List.of(), podsOn(k, ns, "web", node));
        assertHas("^" + node + " +Ready,SchedulingDisabled ", Kubectl.ok(k.run("get", "node", node)).out());
        assertEquals("node.kubernetes.io/unschedulable:NoSchedule", k.runUntil(Duration.ofSeconds(20),
                r -> r.out().contains("unschedulable"), "get", "node", node, "-o",
                "jsonpath={range .spec.taints[*]}{.key}:{.effect}{end}").out());

        assertEquals("node/" + node + " uncordoned\n", Kubectl.ok(k.run("uncordon", node)).out());
        assertHas("^" + node + " +Ready +<none> ", Kubectl.ok(k.run("get", "node", node)).out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aDrainWaitsForTheBudget(String v) throws Exception {
        Kubectl k = kubectl(v);
        String ns = namespace(k, "blocked", v);
        deployment(k, ns, "db", 2);
        Kubectl.ok(k.run("-n", ns, "create", "pdb", "db", "--selector=app=db", "--min-available=2"));
        k.runUntil(Duration.ofSeconds(20), r -> r.out().equals("2 0"), "-n", ns, "get", "pdb", "db", "-o",
                "jsonpath={.status.currentHealthy} {.status.disruptionsAllowed}");
        String node = nodeOf(k, ns, "db");
        List<String> pods = podsOn(k, ns, "db", node);

        Kubectl.Result blocked = k.run("drain", node, "--ignore-daemonsets", "--timeout=7s");
        assertNotEquals(0, blocked.exitCode(), blocked::toString);
        String name = pods.get(0).substring("pod/".length());
        assertTrue(Kubectl.lines(blocked).contains("evicting pod " + ns + "/" + name), blocked::toString);
        assertHas("^error when evicting pods/\"" + Pattern.quote(name) + "\" -n \"" + ns + "\" \\(will retry after 5s\\): "
                + "Cannot evict pod as it would violate the pod's disruption budget\\.$", blocked.err());
        // kubectl 1.29 prints no space after "error:" there
        assertHas("^error: unable to drain node \"" + node + "\" due to error: ?error when evicting pods/\"" + Pattern.quote(name)
                + "\" -n \"" + ns + "\": global timeout reached: 7s, continuing command\\.\\.\\.$", blocked.err());
        assertEquals(pods, podsOn(k, ns, "db", node));

        // what the 429 says, as kubectl -v shows it: the budget needs both pods
        Path eviction = Files.createTempFile(dir, "eviction", ".json");
        Files.writeString(eviction, "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"" + name + "\"}}");
        Kubectl.Result raw = k.run("create", "--raw", "/api/v1/namespaces/" + ns + "/pods/" + name + "/eviction",
                "-f", eviction.toString());
        assertEquals(1, raw.exitCode());
        assertHas("^Error from server \\(TooManyRequests\\): Cannot evict pod as it would violate the pod's disruption "
                + "budget\\.$", raw.err());

        // a third replica (off the cordoned node) gives the budget a pod to spare: the next drain goes through
        Kubectl.ok(k.run("-n", ns, "scale", "deployment/db", "--replicas=3"));
        k.runUntil(Duration.ofSeconds(30), r -> r.out().equals("3 1"), "-n", ns, "get", "pdb", "db", "-o",
                "jsonpath={.status.currentHealthy} {.status.disruptionsAllowed}");
        Kubectl.Result drained = Kubectl.ok(k.run("drain", node, "--ignore-daemonsets", "--timeout=90s"));
        assertTrue(Kubectl.lines(drained).contains("pod/" + name + " evicted"), drained::toString);
        assertTrue(drained.out().endsWith("node/" + node + " drained\n"), drained::toString);
        Matcher m = Pattern.compile("node/(\\S+) already cordoned").matcher(drained.out());
        assertTrue(m.find() && m.group(1).equals(node), drained::toString);
    }
}
