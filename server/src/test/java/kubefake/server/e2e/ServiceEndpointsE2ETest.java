package kubefake.server.e2e;

import static kubefake.server.e2e.Kubectl.ok;
import static kubefake.server.e2e.Kubectl.lines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the real kubectl shows of the controllers that make a namespace usable and a service reachable: the
 * {@code default} ServiceAccount and {@code kube-root-ca.crt} in a new namespace, and a service's Endpoints and
 * EndpointSlices following its pods ({@code get ep}, {@code get endpointslices}, the Endpoints line of
 * {@code describe svc}), as on the recorded 1.33 cluster.
 */
class ServiceEndpointsE2ETest {
    private static final String SUFFIX = "[bcdfghjklmnpqrstvwxz2456789]{5}";
    private static final String POD_IP = "172\\.16\\.\\d+\\.\\d+";

    static List<String> versions() {
        return List.of("1.27", "1.29", "1.33");
    }



    /** How long a command is retried while controllers work in the background. */
    private static final java.time.Duration UNTIL = java.time.Duration.ofSeconds(20);

    @ParameterizedTest
    @MethodSource("versions")
    void aNewNamespaceHasItsDefaultAccountAndTheRootCa(String v) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = "e2e-ns-" + v.replace('.', '-');
        ok(k.run("create", "namespace", ns));
        Kubectl.Result sa = k.runUntil(UNTIL, r -> lines(r).size() == 2, "-n", ns, "get", "serviceaccounts");
        assertEquals("NAME SECRETS AGE", lines(sa).get(0).replaceAll(" +", " "));
        assertTrue(lines(sa).get(1).matches("default +0 +\\d+s"), sa::toString);
        Kubectl.Result cm = k.runUntil(UNTIL, r -> r.out().contains("kube-root-ca.crt"), "-n", ns, "get", "configmaps");
        assertTrue(lines(cm).get(1).matches("kube-root-ca\\.crt +1 +\\d+s"), cm::toString);
        String ca = ok(k.run("-n", ns, "get", "configmap", "kube-root-ca.crt", "-o", "jsonpath={.data.ca\\.crt}")).out();
        assertEquals(new String(TestCluster.get().pki().caCertificatePem(), StandardCharsets.US_ASCII), ca);

        // deleted, both come back
        ok(k.run("-n", ns, "delete", "serviceaccount", "default"));
        ok(k.run("-n", ns, "delete", "configmap", "kube-root-ca.crt"));
        k.runUntil(UNTIL, r -> true, "-n", ns, "get", "serviceaccount", "default");
        k.runUntil(UNTIL, r -> true, "-n", ns, "get", "configmap", "kube-root-ca.crt");
    }

    @ParameterizedTest
    @MethodSource("versions")
    void kubeSystemListsTheControllersServiceAccounts(String v) {
        Kubectl k = TestCluster.kubectl(v);
        List<String> names = lines(ok(k.run("-n", "kube-system", "get", "serviceaccounts", "-o", "name")));
        for (String sa : List.of("default", "service-account-controller", "root-ca-cert-publisher", "endpoint-controller",
                "endpointslice-controller", "namespace-controller", "replicaset-controller", "deployment-controller",
                "daemon-set-controller", "statefulset-controller", "generic-garbage-collector", "node-controller",
                "pod-garbage-collector", "kube-proxy", "coredns")) {
            assertTrue(names.contains("serviceaccount/" + sa), sa + " in " + names);
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void endpointsAndSlicesFollowTheServicesPods(String v) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = "e2e-ep-" + v.replace('.', '-');
        ok(k.run("create", "namespace", ns));
        ok(k.run("-n", ns, "create", "deployment", "web", "--image=nginx", "--replicas=3"));
        ok(k.run("-n", ns, "expose", "deployment", "web", "--port=80", "--type=NodePort"));

        String three = "(" + POD_IP + ":80,){2}" + POD_IP + ":80";
        Kubectl.Result ep = k.runUntil(UNTIL, r -> lines(r).size() == 2 && lines(r).get(1).matches("web +" + three + " +\\d+s"),
                "-n", ns, "get", "endpoints");
        assertEquals("NAME ENDPOINTS AGE", lines(ep).get(0).replaceAll(" +", " "));
        Kubectl.Result slices = k.runUntil(UNTIL, r -> lines(r).size() == 2
                        && lines(r).get(1).matches("web-" + SUFFIX + " +IPv4 +80 +(" + POD_IP + ",){2}" + POD_IP + " +\\d+s"),
                "-n", ns, "get", "endpointslices");
        assertEquals("NAME ADDRESSTYPE PORTS ENDPOINTS AGE", lines(slices).get(0).replaceAll(" +", " "));
        String describe = ok(k.run("-n", ns, "describe", "service", "web")).out();
        assertTrue(Pattern.compile("\nEndpoints: +" + three + "\n").matcher(describe).find(), describe);
        assertEquals("web endpoint-controller", ok(k.run("-n", ns, "get", "endpoints", "web", "-o",
                "jsonpath={.metadata.labels.app} {.metadata.labels.endpoints\\.kubernetes\\.io/managed-by}")).out());
        assertEquals("web endpointslice-controller.k8s.io Service/web true", ok(k.run("-n", ns, "get", "endpointslices", "-o",
                "jsonpath={.items[0].metadata.labels.kubernetes\\.io/service-name} "
                        + "{.items[0].metadata.labels.endpointslice\\.kubernetes\\.io/managed-by} "
                        + "{.items[0].metadata.ownerReferences[0].kind}/{.items[0].metadata.ownerReferences[0].name} "
                        + "{.items[0].endpoints[0].conditions.ready}")).out());

        // no pods: no addresses, one placeholder slice
        ok(k.run("-n", ns, "scale", "deployment", "web", "--replicas=0"));
        k.runUntil(UNTIL, r -> lines(r).size() == 2 && lines(r).get(1).matches("web +<none> +\\d+s"), "-n", ns, "get", "endpoints");
        k.runUntil(UNTIL, r -> lines(r).size() == 2 && lines(r).get(1).matches("web-" + SUFFIX + " +IPv4 +<unset> +<unset> +\\d+s"),
                "-n", ns, "get", "endpointslices");

        // the service gone, so are they
        ok(k.run("-n", ns, "delete", "service", "web"));
        k.runUntil(UNTIL, r -> r.out().isEmpty(), "-n", ns, "get", "endpoints,endpointslices", "--ignore-not-found");
    }

    @ParameterizedTest
    @MethodSource("versions")
    void theApiServersOwnEndpointsStayAsTheyAre(String v) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String port = Integer.toString(TestCluster.get().port());
        Kubectl.Result ep = ok(k.run("-n", "default", "get", "endpoints", "kubernetes", "--no-headers"));
        assertTrue(ep.out().matches("kubernetes +127\\.0\\.0\\.1:" + port + " +\\d+[smh]\\S*\n"), ep::toString);
        assertEquals("", ok(k.run("-n", "default", "get", "endpoints", "kubernetes", "-o",
                "jsonpath={.metadata.labels.endpoints\\.kubernetes\\.io/managed-by}")).out(), "not the endpoints controller's");
    }
}
