package kubefake.server.e2e;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static kubefake.server.e2e.Kubectl.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * networking.k8s.io/v1 with the real kubectl: {@code create ingress} with its rules and class, Tables, describe (with
 * the backends' endpoints), validation's 422s, the default IngressClass filled in, {@code create ingressclass} not
 * being a command, and NetworkPolicies shown by describe and honoured by the pod network (a denied curl times out).
 */
class NetworkingE2ETest {

    private static String namespace(Kubectl k, String prefix, String version) {
        String ns = prefix + "-" + version.replace('.', '-');
        k.run("create", "namespace", ns);
        return ns;
    }

    /**
     * nginx pods {@code web} (its port 80 named http) and {@code client} and a Service {@code web} on port 80, ready
     * with the endpoint; the web pod's IP.
     */
    private static String webPodServiceAndClient(Kubectl k, String ns, Path tmp) throws Exception {
        Path pods = Files.writeString(tmp.resolve("pods.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: web, labels: {app: web}}
                spec:
                  containers: [{name: nginx, image: nginx, ports: [{name: http, containerPort: 80}]}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: client}
                spec:
                  containers: [{name: nginx, image: nginx}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{port: 80}]
                """);
        ok(k.run("-n", ns, "create", "-f", pods.toString()));
        ok(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/web", "pod/client", "--timeout=60s"));
        String podIp = ok(k.run("-n", ns, "get", "pod", "web", "-o", "jsonpath={.status.podIP}")).out();
        k.runUntil(Duration.ofSeconds(30), r -> r.out().equals(podIp), "-n", ns, "get", "endpoints", "web", "-o",
                "jsonpath={.subsets[0].addresses[0].ip}");
        return podIp;
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void createGetDescribeAndDeleteAnIngress(String version, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(version);
        String ns = namespace(k, "e2e-ing", version);
        String podIp = webPodServiceAndClient(k, ns, tmp);

        assertEquals("ingress.networking.k8s.io/web created\n", ok(k.run("-n", ns, "create", "ingress", "web", "--class=nginx",
                "--rule=foo.com/=web:80", "--rule=bar.com/api*=web:80,tls=bar-cert")).out());
        List<String> table = Kubectl.lines(ok(k.run("-n", ns, "get", "ingress")));
        assertEquals("NAME   CLASS   HOSTS             ADDRESS   PORTS     AGE", table.get(0));
        assertTrue(table.get(1).matches("web    nginx   foo\\.com,bar\\.com             80, 443   \\d+s"), table.get(1));
        assertEquals("Exact Prefix /api", ok(k.run("-n", ns, "get", "ing", "web", "-o",
                "jsonpath={.spec.rules[0].http.paths[0].pathType} {.spec.rules[1].http.paths[0].pathType} "
                        + "{.spec.rules[1].http.paths[0].path}")).out());
        String describe = ok(k.run("-n", ns, "describe", "ingress", "web")).out();
        assertEquals("""
                Name:             web
                Labels:           <none>
                Namespace:        %s
                Address:         \s
                Ingress Class:    nginx
                Default backend:  <default>
                TLS:
                  bar-cert terminates bar.com
                Rules:
                  Host        Path  Backends
                  ----        ----  --------
                  foo.com    \s
                              /   web:80 (%s:80)
                  bar.com    \s
                              /api   web:80 (%s:80)
                Annotations:  <none>
                Events:       <none>
                """.formatted(ns, podIp, podIp), describe);

        Kubectl.Result ip = k.run("-n", ns, "create", "ingress", "bad", "--rule=10.0.0.1/=web:80");
        assertEquals(1, ip.exitCode(), ip::toString);
        assertEquals("error: failed to create ingress: Ingress.networking.k8s.io \"bad\" is invalid: spec.rules[0].host: "
                + "Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address\n", k.streamErr(ip));
        Path noType = Files.writeString(tmp.resolve("bad.yaml"), """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: bad}
                spec:
                  rules:
                  - host: "*foo.com"
                    http:
                      paths:
                      - path: /
                        backend: {service: {name: web}}
                """);
        Kubectl.Result invalid = k.run("-n", ns, "apply", "-f", noType.toString());
        assertEquals(1, invalid.exitCode(), invalid::toString);
        assertTrue(k.streamErr(invalid).contains("The Ingress \"bad\" is invalid: \n"
                + "* spec.rules[0].host: Invalid value: \"*foo.com\": a wildcard DNS-1123 subdomain must start with '*.', "
                + "followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and "
                + "end with an alphanumeric character (e.g. '*.example.com', regex used for validation is "
                + "'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n"
                + "* spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified\n"), invalid::toString);

        assertEquals("ingress.networking.k8s.io \"web\" deleted\n", ok(k.run("-n", ns, "delete", "ingress", "web")).out());
        Kubectl.Result none = ok(k.run("-n", ns, "get", "ingress"));
        assertEquals("No resources found in " + ns + " namespace.\n", k.streamErr(none));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void theDefaultIngressClassIsFilledIn(String version, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(version);
        String ns = namespace(k, "e2e-ingclass", version);
        String name = "nginx-" + version.replace('.', '-');
        Path yaml = Files.writeString(tmp.resolve("class.yaml"), """
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata:
                  name: %s
                  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
                spec:
                  controller: k8s.io/ingress-nginx
                """.formatted(name));
        try {
            ok(k.run("apply", "-f", yaml.toString()));
            List<String> classes = Kubectl.lines(ok(k.run("get", "ingressclass", name)));
            assertTrue(classes.get(0).matches("NAME\\s+CONTROLLER\\s+PARAMETERS\\s+AGE"), classes::toString);
            assertTrue(classes.get(1).matches(name + "\\s+k8s\\.io/ingress-nginx\\s+<none>\\s+\\d+s"), classes::toString);
            ok(k.run("-n", ns, "create", "ingress", "web", "--rule=foo.com/=web:80"));
            assertEquals(name, ok(k.run("-n", ns, "get", "ingress", "web", "-o", "jsonpath={.spec.ingressClassName}")).out());

            Kubectl.Result immutable = k.run("patch", "ingressclass", name, "-p", "{\"spec\":{\"controller\":\"example.com/other\"}}");
            assertEquals(1, immutable.exitCode(), immutable::toString);
            assertEquals("The IngressClass \"" + name + "\" is invalid: spec.controller: Invalid value: \"example.com/other\": "
                    + "field is immutable\n", k.streamErr(immutable));
            Kubectl.Result noCommand = k.run("create", "ingressclass", "x");
            assertEquals(1, noCommand.exitCode(), noCommand::toString);
            assertTrue(k.streamErr(noCommand).startsWith(version.equals("1.33") ? "error: Unexpected args: [ingressclass x]\n"
                    : "Error: must specify one of -f and -k\n\nerror: unknown command \"ingressclass x\"\n"), noCommand::toString);
            String explain = ok(k.run("explain", "ingressclass.spec.controller")).out();
            assertTrue(explain.startsWith("GROUP:      networking.k8s.io\nKIND:       IngressClass\nVERSION:    v1\n\n"
                    + "FIELD: controller <string>\n"), explain);
        } finally {
            k.run("delete", "ingressclass", name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aNetworkPolicyIsDescribedAndADeniedConnectionTimesOut(String version, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(version);
        String ns = namespace(k, "e2e-netpol", version);
        String podIp = webPodServiceAndClient(k, ns, tmp);
        assertEquals(0, k.run("-n", ns, "exec", "client", "--", "curl", "-sS", "--connect-timeout", "1", podIp).exitCode());

        Path policy = Files.writeString(tmp.resolve("policy.yaml"), """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-allow}
                spec:
                  podSelector:
                    matchLabels: {app: web}
                  ingress:
                  - from:
                    - podSelector:
                        matchLabels: {access: "true"}
                    ports:
                    - port: http
                """);
        ok(k.run("-n", ns, "apply", "-f", policy.toString()));
        List<String> table = Kubectl.lines(ok(k.run("-n", ns, "get", "netpol")));
        assertEquals("NAME        POD-SELECTOR   AGE", table.get(0));
        assertTrue(table.get(1).matches("web-allow   app=web        \\d+s"), table.get(1));
        String describe = ok(k.run("-n", ns, "describe", "networkpolicy", "web-allow")).out();
        assertTrue(describe.matches("(?s)Name:         web-allow\nNamespace:    " + ns + "\nCreated on:   \\d{4}-\\d\\d-\\d\\d "
                + "\\d\\d:\\d\\d:\\d\\d \\+0000 UTC\nLabels:       <none>\nAnnotations:  <none>\nSpec:\n"
                + "  PodSelector:     app=web\n  Allowing ingress traffic:\n    To Port: http/TCP\n    From:\n"
                + "      PodSelector: access=true\n  Not affecting egress traffic\n  Policy Types: Ingress\n"), describe);

        for (String target : new String[] {podIp, "web"}) {
            Kubectl.Result denied = k.run("-n", ns, "exec", "client", "--", "curl", "-sS", "--connect-timeout", "1", target);
            assertEquals(28, denied.exitCode(), denied::toString);
            assertEquals("curl: (28) Connection timed out after 1001 milliseconds\ncommand terminated with exit code 28\n",
                    k.streamErr(denied));
        }
        Kubectl.Result maxTime = k.run("-n", ns, "exec", "client", "--", "curl", "-s", "-m", "2", "web");
        assertEquals(28, maxTime.exitCode(), maxTime::toString);
        assertEquals("command terminated with exit code 28\n", k.streamErr(maxTime));

        ok(k.run("-n", ns, "label", "pod", "client", "access=true"));
        Kubectl.Result allowed = k.run("-n", ns, "exec", "client", "--", "curl", "-sS", "--connect-timeout", "1", "web");
        assertEquals(0, allowed.exitCode(), allowed::toString);
        assertTrue(allowed.out().contains("<title>Welcome to nginx!</title>"), allowed::toString);
        assertEquals("networkpolicy.networking.k8s.io \"web-allow\" deleted\n",
                ok(k.run("-n", ns, "delete", "netpol", "web-allow")).out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void theServiceCidrAndAnIpAddressPerClusterIp(String version) {
        Kubectl k = TestCluster.kubectl(version);
        String ns = namespace(k, "e2e-svcip", version);
        List<String> cidrs = Kubectl.lines(ok(k.run("get", "servicecidr")));
        assertEquals("NAME         CIDRS          AGE", cidrs.get(0));
        assertTrue(cidrs.get(1).matches("kubernetes   10\\.96\\.0\\.0/12   \\d+[smh].*"), cidrs::toString);
        assertEquals("Ready=True networking.k8s.io/service-cidr-finalizer", ok(k.run("get", "servicecidr", "kubernetes", "-o",
                "jsonpath={.status.conditions[0].type}={.status.conditions[0].status} {.metadata.finalizers[0]}")).out());

        ok(k.run("-n", ns, "create", "service", "clusterip", "web", "--tcp=80:80"));
        String ip = ok(k.run("-n", ns, "get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}")).out();
        Kubectl.Result address = k.runUntil(Duration.ofSeconds(20), r -> r.exitCode() == 0, "get", "ipaddress", ip);
        List<String> table = Kubectl.lines(address);
        assertEquals(List.of("NAME", "PARENTREF"), List.of(table.get(0).trim().split("\\s+")), table::toString);
        assertTrue(table.get(1).matches(java.util.regex.Pattern.quote(ip) + "\\s+services/" + ns + "/web\\s*"), table::toString);
        assertEquals("IPv4 ipallocator.k8s.io", ok(k.run("get", "ip", ip, "-o",
                "jsonpath={.metadata.labels.ipaddress\\.kubernetes\\.io/ip-family} "
                        + "{.metadata.labels.ipaddress\\.kubernetes\\.io/managed-by}")).out());

        ok(k.run("-n", ns, "delete", "service", "web"));
        k.runUntil(Duration.ofSeconds(20), r -> !r.out().contains(ip), "get", "ipaddress", "-o", "name");
        Kubectl.Result gone = k.run("get", "ipaddress", ip);
        assertEquals("Error from server (NotFound): ipaddresses.networking.k8s.io \"" + ip + "\" not found\n", k.streamErr(gone));
    }
}
