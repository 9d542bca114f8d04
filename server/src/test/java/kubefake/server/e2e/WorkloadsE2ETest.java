package kubefake.server.e2e;

import static kubefake.server.e2e.Kubectl.ok;
import static kubefake.server.e2e.Kubectl.lines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deployments, ReplicaSets and the garbage collector driven by the real kubectl: what {@code create deployment},
 * {@code scale}, {@code set image}, {@code rollout status|history|undo} and {@code delete --cascade=...} show, with the
 * simulated kubelets running the pods.
 */
class WorkloadsE2ETest {
    private static final String HASH = "[bcdfghjklmnpqrstvwxz2456789]{6,10}";
    private static final String SUFFIX = "[bcdfghjklmnpqrstvwxz2456789]{5}";

    static List<String> versions() {
        return List.of("1.29", "1.33");
    }

    private static String ns(Kubectl k, String what) {
        return "e2e-wl-" + what + "-" + k.version().replace('.', '-');
    }



    /** How long a command is retried while controllers work in the background. */
    private static final java.time.Duration UNTIL = java.time.Duration.ofSeconds(15);

    @ParameterizedTest
    @MethodSource("versions")
    void createDeploymentMakesAHashNamedReplicaSetAndItsPods(String v) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "create");
        ok(k.run("create", "namespace", ns));
        ok(k.run("-n", ns, "create", "deployment", "web", "--image=nginx", "--replicas=3"));

        Kubectl.Result rs = k.runUntil(UNTIL, r -> lines(r).size() == 2 && lines(r).get(1).matches("web-" + HASH + " +3 +3 +[0-3] +\\d+[sm]\\S*"),
                "-n", ns, "get", "rs");
        assertEquals("NAME DESIRED CURRENT READY AGE", lines(rs).get(0).replaceAll(" +", " "));
        String rsName = lines(rs).get(1).split(" +")[0];
        String hash = rsName.substring("web-".length());

        Kubectl.Result pods = k.runUntil(UNTIL, r -> lines(r).size() == 4, "-n", ns, "get", "pods");
        for (String line : lines(pods).subList(1, 4)) {
            assertTrue(line.matches(rsName + "-" + SUFFIX + " +[01]/1 +(Pending|ContainerCreating|Running) +0 +\\d+s"), line);
        }
        assertEquals("web " + hash + " " + hash, ok(k.run("-n", ns, "get", "rs", rsName, "-o",
                "jsonpath={.metadata.labels.app} {.metadata.labels.pod-template-hash} {.spec.selector.matchLabels.pod-template-hash}")).out());
        String owners = ok(k.run("-n", ns, "get", "pods", "-o",
                "jsonpath={range .items[*]}{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {end}")).out();
        assertEquals(("ReplicaSet/" + rsName + " ").repeat(3), owners);
        String describe = ok(k.run("-n", ns, "describe", "deployment", "web")).out();
        assertTrue(Pattern.compile("NewReplicaSet: +" + rsName + " \\(3/3 replicas created\\)").matcher(describe).find(), describe);
        assertTrue(Pattern.compile("Normal +ScalingReplicaSet +\\S+ +deployment-controller +Scaled up replica set " + rsName + " from 0 to 3")
                .matcher(describe).find(), describe);
        String events = ok(k.run("-n", ns, "get", "events", "--field-selector", "reason=SuccessfulCreate")).out();
        assertEquals(3, Pattern.compile("replicaset/" + rsName + " +Created pod: " + rsName + "-" + SUFFIX).matcher(events).results().count(), events);

        // a deleted pod is replaced by exactly one new pod
        String victim = lines(pods).get(1).split(" +")[0];
        ok(k.run("-n", ns, "delete", "pod", victim));
        Kubectl.Result after = k.runUntil(UNTIL, r -> lines(r).size() == 4 && !r.out().contains(victim), "-n", ns, "get", "pods");
        Thread.sleep(300);
        assertEquals(lines(after).size(), lines(ok(k.run("-n", ns, "get", "pods"))).size(), "no second replacement");

        ok(k.run("-n", ns, "scale", "deployment", "web", "--replicas=5"));
        k.runUntil(UNTIL, r -> lines(r).size() == 6, "-n", ns, "get", "pods");
        ok(k.run("delete", "namespace", ns, "--wait=false"));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void setImageRollsOutAndUndoRestoresThePreviousImage(String v) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "rollout");
        ok(k.run("create", "namespace", ns));
        ok(k.run("-n", ns, "create", "deployment", "web", "--image=nginx:1.25", "--replicas=2"));
        rolloutCompletes(k, ns);

        assertEquals("deployment.apps/web image updated\n", ok(k.run("-n", ns, "set", "image", "deployment/web", "nginx=nginx:1.26")).out());
        String status = rolloutCompletes(k, ns).out();
        // kubectl prints where the rollout stands until it is done
        assertTrue(status.endsWith("deployment \"web\" successfully rolled out\n"), status);
        for (String line : status.split("\n")) {
            assertTrue(line.matches("Waiting for deployment \"web\" rollout to finish: .*\\.\\.\\.|deployment \"web\" successfully rolled out"), line);
        }
        Kubectl.Result history = ok(k.run("-n", ns, "rollout", "history", "deployment/web"));
        assertEquals("deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n", history.out());
        assertEquals("nginx:1.26 nginx:1.26 ", podImages(k, ns));

        assertEquals("deployment.apps/web rolled back\n", ok(k.run("-n", ns, "rollout", "undo", "deployment/web")).out());
        rolloutCompletes(k, ns);
        assertEquals("nginx:1.25", ok(k.run("-n", ns, "get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}")).out());
        assertEquals("nginx:1.25 nginx:1.25 ", podImages(k, ns));
        assertEquals("deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n",
                ok(k.run("-n", ns, "rollout", "history", "deployment/web")).out());
        assertEquals(2, lines(ok(k.run("-n", ns, "get", "rs", "--no-headers"))).size());
        ok(k.run("delete", "namespace", ns, "--wait=false"));
    }

    /** kubectl rollout status: the simulated kubelets run the pods the rollout creates. */
    private static Kubectl.Result rolloutCompletes(Kubectl k, String ns) {
        return ok(k.run("-n", ns, "rollout", "status", "deployment/web", "--timeout=60s"));
    }

    private static String podImages(Kubectl k, String ns) throws Exception {
        k.runUntil(UNTIL, r -> lines(r).size() == 2, "-n", ns, "get", "pods", "--no-headers");
        return ok(k.run("-n", ns, "get", "pods", "-o", "jsonpath={range .items[*]}{.spec.containers[0].image} {end}")).out();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void deleteDeploymentRemovesItsReplicaSetsAndPodsUnlessOrphaned(String v) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = ns(k, "gc");
        ok(k.run("create", "namespace", ns));
        for (String d : List.of("background", "orphan", "foreground")) {
            ok(k.run("-n", ns, "create", "deployment", d, "--image=nginx", "--replicas=2"));
        }
        k.runUntil(UNTIL, r -> lines(r).size() == 6, "-n", ns, "get", "pods", "--no-headers");

        assertEquals("deployment.apps \"background\" deleted\n", ok(k.run("-n", ns, "delete", "deployment", "background")).out());
        k.runUntil(UNTIL, r -> !r.out().contains("background"), "-n", ns, "get", "rs,pods", "--no-headers");

        assertEquals("deployment.apps \"foreground\" deleted\n",
                ok(k.run("-n", ns, "delete", "deployment", "foreground", "--cascade=foreground")).out());
        k.runUntil(UNTIL, r -> !r.out().contains("foreground"), "-n", ns, "get", "deploy,rs,pods", "--no-headers");

        assertEquals("deployment.apps \"orphan\" deleted\n", ok(k.run("-n", ns, "delete", "deployment", "orphan", "--cascade=orphan")).out());
        Kubectl.Result rs = k.runUntil(UNTIL, r -> r.out().isEmpty(), "-n", ns, "get", "deploy", "--no-headers", "--ignore-not-found");
        rs = ok(k.run("-n", ns, "get", "rs", "--no-headers"));
        assertEquals(1, lines(rs).size(), rs::toString);
        assertTrue(lines(rs).get(0).startsWith("orphan-"), rs::toString);
        assertEquals("", ok(k.run("-n", ns, "get", "rs", "-o", "jsonpath={.items[0].metadata.ownerReferences}")).out());
        Thread.sleep(300);
        assertEquals(2, lines(ok(k.run("-n", ns, "get", "pods", "--no-headers"))).size(), "the orphaned pods stay");
        ok(k.run("delete", "namespace", ns, "--wait=false"));
    }
}
