package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static kubefake.server.e2e.Kubectl.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kubectl apply --server-side} of custom resources by several field managers: what each owns and what merges
 * follows the CRD's schema ({@code x-kubernetes-list-type: map} with its keys, {@code set}, atomic by default), as on a
 * real cluster, so two managers each adding an entry of a map-list keep both, and changing another's entry conflicts.
 */
class CustomResourceApplyE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String crd(String group) {
        return """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: gateways.%1$s
                spec:
                  group: %1$s
                  scope: Namespaced
                  names: {plural: gateways, singular: gateway, kind: Gateway}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            properties:
                              listeners:
                                type: array
                                x-kubernetes-list-type: map
                                x-kubernetes-list-map-keys: [name]
                                items:
                                  type: object
                                  required: [name]
                                  properties:
                                    name: {type: string}
                                    port: {type: integer}
                              hosts:
                                type: array
                                x-kubernetes-list-type: set
                                items: {type: string}
                              args:
                                type: array
                                items: {type: string}
                """.formatted(group);
    }

    private static Path gateway(Path dir, String file, String group, String spec) throws Exception {
        Path p = dir.resolve(file);
        Files.writeString(p, """
                apiVersion: %s/v1
                kind: Gateway
                metadata:
                  name: edge
                spec:
                %s""".formatted(group, spec.indent(2)));
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void managersShareMapListsAndSetsAndConflictOnTheSameEntry(String v) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String suffix = v.replace(".", "");
        String group = "ssa" + suffix + ".example.com";
        String ns = "crd-apply-" + suffix;
        Path dir = Files.createTempDirectory(TestCluster.dataDir(), "crdapply");
        Path crdFile = dir.resolve("crd.yaml");
        Files.writeString(crdFile, crd(group));
        ok(k.run("apply", "-f", crdFile.toString()));
        ok(k.run("wait", "--for", "condition=established", "--timeout=30s", "crd/gateways." + group));
        ok(k.run("create", "namespace", ns));
        try {
            Path web = gateway(dir, "web.yaml", group, """
                    listeners:
                    - {name: http, port: 80}
                    hosts: [a.example]
                    args: [x]""");
            assertEquals("gateway." + group + "/edge serverside-applied\n",
                    ok(k.run("-n", ns, "apply", "--server-side", "--field-manager=web", "-f", web.toString())).out());
            Path dns = gateway(dir, "dns.yaml", group, """
                    listeners:
                    - {name: dns, port: 53}
                    hosts: [b.example]""");
            ok(k.run("-n", ns, "apply", "--server-side", "--field-manager=dns", "-f", dns.toString()));

            JsonNode live = JSON.readTree(ok(k.run("-n", ns, "get", "gateway", "edge", "-o", "json", "--show-managed-fields")).out());
            assertEquals(JSON.readTree("[{\"name\":\"http\",\"port\":80},{\"name\":\"dns\",\"port\":53}]"),
                    live.at("/spec/listeners"), live::toString);
            assertEquals(JSON.readTree("[\"a.example\",\"b.example\"]"), live.at("/spec/hosts"));
            JsonNode dnsEntry = entry(live, "dns");
            assertEquals(JSON.readTree("""
                    {"f:spec":{"f:hosts":{"v:\\"b.example\\"":{}},"f:listeners":{"k:{\\"name\\":\\"dns\\"}":{".":{},"f:name":{},"f:port":{}}}}}"""),
                    dnsEntry.get("fieldsV1"));

            // another manager's entry, or the atomic list, is a conflict
            Path takeover = gateway(dir, "takeover.yaml", group, """
                    listeners:
                    - {name: http, port: 8080}
                    args: [y]""");
            Kubectl.Result refused = k.run("-n", ns, "apply", "--server-side", "--field-manager=dns", "-f", takeover.toString());
            assertEquals(1, refused.exitCode(), refused::toString);
            assertTrue(refused.err().startsWith("""
                    error: Apply failed with 2 conflicts: conflicts with "web":
                    - .spec.args
                    - .spec.listeners[name="http"].port
                    """), refused::toString);

            // a manager dropping its entry removes it, and leaves the other's
            Path dnsOnlyHosts = gateway(dir, "dns2.yaml", group, "hosts: [b.example]");
            ok(k.run("-n", ns, "apply", "--server-side", "--field-manager=dns", "-f", dnsOnlyHosts.toString()));
            live = JSON.readTree(ok(k.run("-n", ns, "get", "gateway", "edge", "-o", "json")).out());
            assertEquals(JSON.readTree("[{\"name\":\"http\",\"port\":80}]"), live.at("/spec/listeners"), live::toString);
        } finally {
            k.run("delete", "namespace", ns, "--wait=false");
            k.run("delete", "-f", crdFile.toString(), "--wait=false");
        }
    }

    private static JsonNode entry(JsonNode live, String manager) {
        for (JsonNode e : live.at("/metadata/managedFields")) {
            if (e.path("manager").asText().equals(manager)) return e;
        }
        throw new AssertionError("no managedFields entry of " + manager + " in " + live);
    }
}
