package kubefake.server.e2e;

import kubefake.kubeconfig.KubeconfigYaml;
import kubefake.kubeconfig.Kubeconfigs;
import kubefake.server.KubefakeCluster;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a container sees of its pod, through {@code kubectl exec}: the environment the kubelet gives it (ConfigMap and
 * Secret keys, envFrom with a prefix, the downward API, {@code $(VAR)} expansion, the service links) and the volumes
 * it mounts (ConfigMap, Secret, downward API, emptyDir, a subPath, and the {@code kube-api-access-*} projected volume
 * whose token acts as the pod's service account against the API while the pod exists).
 */
class PodVolumesE2ETest {

    private static Kubectl.Result exec(Kubectl k, String ns, String... command) {
        String[] args = new String[command.length + 5];
        args[0] = "-n";
        args[1] = ns;
        args[2] = "exec";
        args[3] = "app";
        args[4] = "--";
        System.arraycopy(command, 0, args, 5, command.length);
        Kubectl.Result r = k.run(args);
        assertEquals(0, r.exitCode(), r::toString);
        return r;
    }

    private static String podIn(Kubectl k, String test, String v, Path tmp) throws Exception {
        String ns = "e2e-" + test + "-" + v.replace('.', '-');
        Kubectl.ok(k.run("create", "namespace", ns));
        k.runUntil(Duration.ofSeconds(10), r -> r.exitCode() == 0, "-n", ns, "get", "serviceaccount", "default");
        Path file = Files.createTempFile(tmp, "app", ".yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: app-config}
                data:
                  greeting: hello
                  app.properties: |
                    a=1
                    b=2
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: app-secret}
                stringData: {password: s3cret}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web-front}
                spec:
                  selector: {app: nothing}
                  ports: [{name: http, port: 8080, targetPort: 80}]
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: app
                  labels: {app: vol, tier: back}
                spec:
                  containers:
                  - name: main
                    image: nginx
                    resources:
                      limits: {memory: 16Mi}
                    envFrom:
                    - prefix: CFG_
                      configMapRef: {name: app-config}
                    env:
                    - name: GREETING
                      valueFrom: {configMapKeyRef: {name: app-config, key: greeting}}
                    - name: PASSWORD
                      valueFrom: {secretKeyRef: {name: app-secret, key: password}}
                    - name: POD_NAME
                      valueFrom: {fieldRef: {fieldPath: metadata.name}}
                    - name: NODE
                      valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
                    - name: MEMORY_MI
                      valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}
                    - name: MESSAGE
                      value: "$(GREETING) from $(POD_NAME), $(UNSET) stays, $$(GREETING) is escaped"
                    volumeMounts:
                    - {name: config, mountPath: /etc/config}
                    - {name: config, mountPath: /etc/app.properties, subPath: app.properties}
                    - {name: secret, mountPath: /etc/secret, readOnly: true}
                    - {name: podinfo, mountPath: /etc/podinfo}
                    - {name: cache, mountPath: /cache}
                  volumes:
                  - name: config
                    configMap: {name: app-config}
                  - name: secret
                    secret: {secretName: app-secret, defaultMode: 0400}
                  - name: podinfo
                    downwardAPI:
                      items:
                      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
                      - {path: name, fieldRef: {fieldPath: metadata.name}}
                  - name: cache
                    emptyDir: {}
                """);
        Kubectl.ok(k.run("-n", ns, "apply", "-f", file.toString()));
        Kubectl.ok(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/app", "--timeout=60s"));
        return ns;
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void theEnvironmentHasTheReferencedValues(String v, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = podIn(k, "podenv", v, tmp);
        String node = Kubectl.ok(k.run("-n", ns, "get", "pod", "app", "-o", "jsonpath={.spec.nodeName}")).out();
        assertEquals("hello\ns3cret\napp\n" + node + "\n16\n", exec(k, ns, "printenv", "GREETING", "PASSWORD", "POD_NAME", "NODE", "MEMORY_MI").out());
        assertEquals("hello from app, $(UNSET) stays, $(GREETING) is escaped\n", exec(k, ns, "printenv", "MESSAGE").out());
        assertEquals("hello\n", exec(k, ns, "printenv", "CFG_greeting").out());
        // dots are allowed in names the kubelet takes from envFrom
        assertEquals("a=1\nb=2\n\n", exec(k, ns, "printenv", "CFG_app.properties").out());
        Kubectl.Result missing = k.run("-n", ns, "exec", "app", "--", "printenv", "GREETING", "NOT_SET");
        assertEquals(1, missing.exitCode(), missing::toString);
        assertEquals("hello\n", missing.out());
        String all = exec(k, ns, "env").out();
        for (String line : new String[] {"KUBERNETES_SERVICE_HOST=10.96.0.1", "KUBERNETES_SERVICE_PORT=443",
                "KUBERNETES_SERVICE_PORT_HTTPS=443", "KUBERNETES_PORT=tcp://10.96.0.1:443",
                "KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443", "KUBERNETES_PORT_443_TCP_PROTO=tcp",
                "KUBERNETES_PORT_443_TCP_PORT=443", "KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1", "WEB_FRONT_SERVICE_PORT=8080",
                "WEB_FRONT_SERVICE_PORT_HTTP=8080", "HOSTNAME=app"}) {
            assertTrue(all.contains(line + "\n"), () -> line + " in\n" + all);
        }
        String ip = Kubectl.ok(k.run("-n", ns, "get", "service", "web-front", "-o", "jsonpath={.spec.clusterIP}")).out();
        assertTrue(all.contains("WEB_FRONT_SERVICE_HOST=" + ip + "\n"), all);
        assertTrue(all.contains("WEB_FRONT_PORT_8080_TCP=tcp://" + ip + ":8080\n"), all);
        k.run("delete", "namespace", ns, "--wait=false"); // frees the shared cluster's nodes for later tests
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void theVolumesAreMountedWithTheirFiles(String v, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = podIn(k, "podvol", v, tmp);
        assertEquals("app.properties\ngreeting\n", exec(k, ns, "ls", "/etc/config").out());
        assertEquals("hello", exec(k, ns, "cat", "/etc/config/greeting").out());
        assertEquals("a=1\nb=2\n", exec(k, ns, "cat", "/etc/app.properties").out());
        assertEquals("s3cret", exec(k, ns, "cat", "/etc/secret/password").out());
        assertEquals("app=\"vol\"\ntier=\"back\"", exec(k, ns, "cat", "/etc/podinfo/labels").out());
        assertEquals("app", exec(k, ns, "cat", "/etc/podinfo/name").out());
        assertEquals("", exec(k, ns, "ls", "/cache").out());
        exec(k, ns, "sh", "-c", "echo cached > /cache/x");
        assertEquals("cached\n", exec(k, ns, "cat", "/cache/x").out());
        k.run("delete", "namespace", ns, "--wait=false");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void theServiceAccountVolumeHoldsAWorkingTokenBoundToThePod(String v, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = podIn(k, "podtoken", v, tmp);
        String dir = "/var/run/secrets/kubernetes.io/serviceaccount";
        assertEquals("ca.crt\nnamespace\ntoken\n", exec(k, ns, "ls", dir).out());
        assertEquals(ns, exec(k, ns, "cat", dir + "/namespace").out());
        KubefakeCluster c = TestCluster.get();
        assertEquals(new String(c.pki().caCertificatePem(), StandardCharsets.US_ASCII), exec(k, ns, "cat", dir + "/ca.crt").out());

        String token = exec(k, ns, "cat", dir + "/token").out();
        Path conf = tmp.resolve("pod.conf");
        KubeconfigYaml.write(Kubeconfigs.forToken(c.pki(), c.serverUrl(), "pod", token), conf);
        Kubectl asPod = new Kubectl(v, conf, Files.createTempDirectory(tmp, "home"));
        String uid = Kubectl.ok(k.run("-n", ns, "get", "pod", "app", "-o", "jsonpath={.metadata.uid}")).out();
        String whoami = Kubectl.ok(asPod.run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.extra}")).out();
        assertTrue(whoami.startsWith("system:serviceaccount:" + ns + ":default "), whoami);
        assertTrue(whoami.contains("\"authentication.kubernetes.io/pod-name\":[\"app\"]"), whoami);
        assertTrue(whoami.contains("\"authentication.kubernetes.io/pod-uid\":[\"" + uid + "\"]"), whoami);
        RbacE2ETest.assertForbidden("pods is forbidden: User \"system:serviceaccount:" + ns + ":default\" cannot list resource "
                + "\"pods\" in API group \"\" in the namespace \"" + ns + "\"", asPod.run("-n", ns, "get", "pods"));

        // bound to the pod: once it is gone, so is the token's identity
        Kubectl.ok(k.run("-n", ns, "delete", "pod", "app", "--grace-period=0", "--force"));
        k.runUntil(Duration.ofSeconds(30), r -> r.out().isBlank(), "-n", ns, "get", "pods", "-o", "name");
        Kubectl.Result after = asPod.run("auth", "whoami");
        assertEquals(1, after.exitCode(), after::toString);
        assertTrue(after.err().contains("Unauthorized"), after::toString);
        k.run("delete", "namespace", ns, "--wait=false");
    }
}
