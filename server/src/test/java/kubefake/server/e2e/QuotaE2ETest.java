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
 * ResourceQuotas and LimitRanges with the real kubectl: {@code create quota}, the quota controller's counts in
 * {@code get} and {@code describe quota|namespace}, pods refused over quota with the real 403 and kubectl's exit code
 * 1, LimitRanges' defaults filled into pods, {@code describe limitrange}, and the LimitRanger's 403s.
 */
class QuotaE2ETest {
    @TempDir
    static Path dir;
    @RegisterExtension
    static final LabCluster lab = LabCluster.realClock();

    private static Kubectl kubectl(String v) throws Exception {
        return new Kubectl(v, lab.cluster().adminConf(), Files.createTempDirectory(dir, "home"));
    }

    private static String namespace(Kubectl k, String prefix, String v) {
        String ns = prefix + "-" + v.replace('.', '-');
        Kubectl.ok(k.run("create", "namespace", ns));
        k.runUntil(Duration.ofSeconds(20), r -> r.exitCode() == 0, "-n", ns, "get", "serviceaccount", "default");
        return ns;
    }

    private static String pod(String name, String requests) {
        return "{\"spec\":{\"containers\":[{\"name\":\"" + name + "\",\"image\":\"nginx\",\"resources\":{\"requests\":"
                + requests + "}}]}}";
    }

    private static void assertHas(String regex, String text) {
        assertTrue(Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find(), () -> "no /" + regex + "/ in:\n" + text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aQuotaCountsAndRefusesWhatWouldGoOver(String v) throws Exception {
        Kubectl k = kubectl(v);
        String ns = namespace(k, "quota", v);
        assertEquals("resourcequota/q created\n", Kubectl.ok(k.run("-n", ns, "create", "quota", "q",
                "--hard=pods=2,requests.cpu=1,count/configmaps=3")).out());
        // the controller has counted the namespace's kube-root-ca.crt
        Kubectl.Result table = k.runUntil(Duration.ofSeconds(20), r -> r.out().contains("count/configmaps: 1/3"), "-n", ns, "get", "quota");
        List<String> rows = Kubectl.lines(table);
        assertEquals("NAME   REQUEST                                               LIMIT   AGE", rows.get(0));
        assertHas("^q      count/configmaps: 1/3, pods: 0/2, requests.cpu: 0/1           \\d+s$", rows.get(1));

        Kubectl.Result missing = k.run("-n", ns, "run", "a", "--image=nginx", "--restart=Never");
        assertEquals(1, missing.exitCode());
        assertEquals("Error from server (Forbidden): pods \"a\" is forbidden: failed quota: q: must specify requests.cpu for: a\n",
                missing.err());
        Kubectl.ok(k.run("-n", ns, "run", "a", "--image=nginx", "--restart=Never", "--overrides=" + pod("a", "{\"cpu\":\"200m\"}")));
        Kubectl.ok(k.run("-n", ns, "run", "b", "--image=nginx", "--restart=Never", "--overrides=" + pod("b", "{\"cpu\":\"300m\"}")));
        Kubectl.Result over = k.run("-n", ns, "run", "c", "--image=nginx", "--restart=Never", "--overrides=" + pod("c", "{\"cpu\":\"100m\"}"));
        assertEquals(1, over.exitCode());
        assertEquals("Error from server (Forbidden): pods \"c\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, "
                + "limited: pods=2\n", over.err());

        String described = Kubectl.ok(k.run("-n", ns, "describe", "quota", "q")).out();
        assertEquals("Name:             q\n"
                + "Namespace:        " + ns + "\n"
                + "Resource          Used  Hard\n"
                + "--------          ----  ----\n"
                + "count/configmaps  1     3\n"
                + "pods              2     2\n"
                + "requests.cpu      500m  1\n", described);
        String namespace = Kubectl.ok(k.run("describe", "namespace", ns)).out();
        assertTrue(namespace.contains("Resource Quotas\n"
                + "  Name:             q\n"
                + "  Resource          Used  Hard\n"
                + "  --------          ---   ---\n"
                + "  count/configmaps  1     3\n"
                + "  pods              2     2\n"
                + "  requests.cpu      500m  1\n"), namespace);

        // a deleted pod is given back: the next one fits
        Kubectl.ok(k.run("-n", ns, "delete", "pod", "b", "--grace-period=0", "--force"));
        k.runUntil(Duration.ofSeconds(20), r -> r.exitCode() == 0, "-n", ns, "run", "c", "--image=nginx", "--restart=Never",
                "--overrides=" + pod("c", "{\"cpu\":\"100m\"}"));
        Kubectl.ok(k.run("delete", "namespace", ns, "--wait=false"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aDeploymentStopsAtTheQuotaWithTheReplicaSetsFailedCreateEvent(String v) throws Exception {
        Kubectl k = kubectl(v);
        String ns = namespace(k, "rsquota", v);
        Kubectl.ok(k.run("-n", ns, "create", "quota", "q", "--hard=pods=1"));
        k.runUntil(Duration.ofSeconds(20), r -> r.out().contains("pods: 0/1"), "-n", ns, "get", "quota", "q");
        Kubectl.ok(k.run("-n", ns, "create", "deployment", "web", "--image=nginx", "--replicas=2"));
        String events = k.runUntil(Duration.ofSeconds(30), r -> r.out().startsWith("Error creating"), "-n", ns, "get", "events",
                "--field-selector=reason=FailedCreate", "-o", "jsonpath={.items[0].message}").out();
        assertHas("^Error creating: pods \"web-[a-z0-9]+-[a-z0-9]{5}\" is forbidden: exceeded quota: q, requested: pods=1, "
                + "used: pods=1, limited: pods=1$", events);
        assertEquals("1", Kubectl.ok(k.run("-n", ns, "get", "rs", "-l", "app=web", "-o", "jsonpath={.items[0].status.replicas}")).out());
        Kubectl.ok(k.run("delete", "namespace", ns, "--wait=false"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aLimitRangeDefaultsAndBoundsContainers(String v) throws Exception {
        Kubectl k = kubectl(v);
        String ns = namespace(k, "limits", v);
        Kubectl.ok(k.runWithInput("""
                apiVersion: v1
                kind: LimitRange
                metadata:
                  name: limits
                spec:
                  limits:
                  - type: Container
                    default: {cpu: 500m, memory: 256Mi}
                    defaultRequest: {cpu: 100m}
                    max: {cpu: "1"}
                    min: {cpu: 50m}
                    maxLimitRequestRatio: {cpu: "10"}
                  - type: Pod
                    max: {memory: 1Gi}
                """, "-n", ns, "apply", "-f", "-"));
        // kubectl prints a limit's resources in Go's map order, which changes from run to run: compare them as a set
        List<String> described = List.of(Kubectl.ok(k.run("-n", ns, "describe", "limitrange", "limits")).out().split("\n"));
        assertEquals(List.of(
                "Name:       limits",
                "Namespace:  " + ns,
                "Type        Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio",
                "----        --------  ---  ---  ---------------  -------------  -----------------------"), described.subList(0, 4));
        assertEquals(java.util.Set.of(
                "Container   cpu       50m  1    100m             500m           10",
                "Container   memory    -    -    256Mi            256Mi          -",
                "Pod         memory    -    1Gi  -                -              -"), java.util.Set.copyOf(described.subList(4, described.size())));
        assertEquals(7, described.size());
        assertHas("^NAME     CREATED AT\nlimits   \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$",
                Kubectl.ok(k.run("-n", ns, "get", "limits")).out());

        Kubectl.ok(k.run("-n", ns, "run", "p", "--image=nginx", "--restart=Never"));
        assertEquals("LimitRanger plugin set: cpu, memory request for container p; cpu, memory limit for container p "
                        + "{\"limits\":{\"cpu\":\"500m\",\"memory\":\"256Mi\"},\"requests\":{\"cpu\":\"100m\",\"memory\":\"256Mi\"}}",
                Kubectl.ok(k.run("-n", ns, "get", "pod", "p", "-o",
                        "jsonpath={.metadata.annotations.kubernetes\\.io/limit-ranger} {.spec.containers[0].resources}")).out());

        Kubectl.Result big = k.run("-n", ns, "run", "big", "--image=nginx", "--restart=Never", "--overrides="
                + "{\"spec\":{\"containers\":[{\"name\":\"big\",\"image\":\"nginx\",\"resources\":{\"limits\":{\"cpu\":\"2\",\"memory\":\"2Gi\"}}}]}}");
        assertEquals(1, big.exitCode());
        assertEquals("Error from server (Forbidden): pods \"big\" is forbidden: [maximum cpu usage per Container is 1, but limit is 2., "
                + "maximum memory usage per Pod is 1Gi, but limit is 2Gi.]\n", big.err());
        Kubectl.ok(k.run("delete", "namespace", ns, "--wait=false"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void anInconsistentLimitRangeIsRefusedWithTheRealCauses(String v) throws Exception {
        Kubectl k = kubectl(v);
        String ns = namespace(k, "badlimits", v);
        Kubectl.Result ratio = k.runWithInput("""
                apiVersion: v1
                kind: LimitRange
                metadata:
                  name: ratio
                spec:
                  limits:
                  - type: Pod
                    maxLimitRequestRatio: {cpu: 500m}
                """, "-n", ns, "create", "-f", "-");
        assertEquals(1, ratio.exitCode(), ratio::toString);
        assertEquals("The LimitRange \"ratio\" is invalid: spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value:"
                + " resource.Quantity{i:resource.int64Amount{value:500, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)},"
                + " s:\"500m\", Format:\"DecimalSI\"}: ratio 500m is less than 1\n", ratio.err());

        // max 1 becomes the default limit and request: min 2 is above all three
        Kubectl.Result bounds = k.runWithInput("""
                apiVersion: v1
                kind: LimitRange
                metadata:
                  name: bounds
                spec:
                  limits:
                  - type: Container
                    min: {cpu: "2"}
                    max: {cpu: "1"}
                """, "-n", ns, "create", "-f", "-");
        assertEquals(1, bounds.exitCode(), bounds::toString);
        String two = "resource.Quantity{i:resource.int64Amount{value:2, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"2\","
                + " Format:\"DecimalSI\"}";
        String one = two.replace("value:2", "value:1").replace("s:\"2\"", "s:\"1\"");
        assertEquals("The LimitRange \"bounds\" is invalid: \n"
                + "* spec.limits[0].min[cpu]: Invalid value: " + two + ": min value 2 is greater than max value 1\n"
                + "* spec.limits[0].defaultRequest[cpu]: Invalid value: " + one + ": min value 2 is greater than default request value 1\n"
                + "* spec.limits[0].default[cpu]: Invalid value: " + two + ": min value 2 is greater than default value 1\n", bounds.err());
        assertEquals("No resources found in " + ns + " namespace.\n", k.run("-n", ns, "get", "limits").err());
        Kubectl.ok(k.run("delete", "namespace", ns, "--wait=false"));
    }
}
