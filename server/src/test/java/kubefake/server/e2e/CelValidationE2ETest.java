package kubefake.server.e2e;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static kubefake.server.e2e.Kubectl.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CRD {@code x-kubernetes-validations} driven by kubectl 1.29 and 1.33: a rule that does not compile refuses the CRD
 * with the compiler's message, a CR breaking a rule is refused with the rule's message as kubectl prints a 422, a
 * transition rule ({@code oldSelf}) refuses a decrease made by {@code kubectl scale} and {@code patch}.
 */
class CelValidationE2ETest {

    private static String crd(String group, String replicasRule) {
        return """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: foos.%1$s
                spec:
                  group: %1$s
                  scope: Namespaced
                  names: {plural: foos, singular: foo, kind: Foo}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    subresources:
                      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            x-kubernetes-validations:
                            - rule: "%2$s"
                              message: replicas must not exceed maxReplicas
                            - rule: "self.replicas >= oldSelf.replicas"
                              messageExpression: "'replicas may not decrease from ' + string(oldSelf.replicas)"
                            properties:
                              replicas: {type: integer}
                              maxReplicas: {type: integer}
                          status:
                            type: object
                            properties:
                              replicas: {type: integer}
                """.formatted(group, replicasRule);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void rulesRefuseWhatTheySay(String v) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String suffix = v.replace(".", "");
        String group = "cel" + suffix + ".example.com";
        String ns = "cel-" + suffix;
        Path dir = Files.createTempDirectory(TestCluster.dataDir(), "cel");

        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, crd(group, "self.replicas <= self.maxReplica"));
        Kubectl.Result refusedCrd = k.run("apply", "-f", broken.toString());
        assertEquals(1, refusedCrd.exitCode(), refusedCrd::toString);
        assertTrue(refusedCrd.err().contains("The CustomResourceDefinition \"foos." + group + "\" is invalid: "
                + "spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: "
                + "apiextensions.ValidationRule{Rule:\"self.replicas <= self.maxReplica\", Message:\"replicas must not exceed "
                + "maxReplicas\", MessageExpression:\"\", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:\"\", "
                + "OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:22: undefined field 'maxReplica'\n"
                + " | self.replicas <= self.maxReplica\n | .....................^"), refusedCrd::toString);

        Path crd = dir.resolve("crd.yaml");
        Files.writeString(crd, crd(group, "self.replicas <= self.maxReplicas"));
        ok(k.run("apply", "-f", crd.toString()));
        ok(k.run("wait", "--for", "condition=established", "--timeout=30s", "crd/foos." + group));
        ok(k.run("create", "namespace", ns));

        Path tooMany = dir.resolve("too-many.yaml");
        Files.writeString(tooMany, """
                apiVersion: %s/v1
                kind: Foo
                metadata: {name: x}
                spec: {replicas: 7, maxReplicas: 5}
                """.formatted(group));
        Kubectl.Result refused = k.run("-n", ns, "apply", "-f", tooMany.toString());
        assertEquals(1, refused.exitCode(), refused::toString);
        assertEquals("The Foo \"x\" is invalid: spec: Invalid value: \"object\": replicas must not exceed maxReplicas\n",
                refused.err(), refused::toString);

        Path fits = dir.resolve("fits.yaml");
        Files.writeString(fits, """
                apiVersion: %s/v1
                kind: Foo
                metadata: {name: x}
                spec: {replicas: 3, maxReplicas: 5}
                """.formatted(group));
        assertEquals("foo." + group + "/x created\n", ok(k.run("-n", ns, "apply", "-f", fits.toString())).out());
        assertEquals("foo." + group + "/x scaled\n", ok(k.run("-n", ns, "scale", "foo", "x", "--replicas=4")).out());
        Kubectl.Result decrease = k.run("-n", ns, "patch", "foo", "x", "--type=merge", "-p", "{\"spec\":{\"replicas\":2}}");
        assertEquals(1, decrease.exitCode(), decrease::toString);
        assertEquals("The Foo \"x\" is invalid: spec: Invalid value: \"object\": replicas may not decrease from 4\n",
                decrease.err(), decrease::toString);
        assertEquals("4", ok(k.run("-n", ns, "get", "foo", "x", "-o", "jsonpath={.spec.replicas}")).out());

        ok(k.run("delete", "crd", "foos." + group));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void kubernetesLibrariesInRulesAndTheCostBudget(String v) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String suffix = v.replace(".", "");
        String group = "cellib" + suffix + ".example.com";
        String ns = "cellib-" + suffix;
        Path dir = Files.createTempDirectory(TestCluster.dataDir(), "cel");

        // an unbounded list of unbounded strings, each matched against a regex: far over the budget
        Path expensive = dir.resolve("expensive.yaml");
        Files.writeString(expensive, """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: tags.%1$s}
                spec:
                  group: %1$s
                  scope: Namespaced
                  names: {plural: tags, singular: tag, kind: Tag}
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
                              tags:
                                type: array
                                items: {type: string}
                                x-kubernetes-validations:
                                - rule: "self.all(t, t.matches('^[a-z]+$'))"
                """.formatted(group));
        Kubectl.Result refused = k.run("apply", "-f", expensive.toString());
        assertEquals(1, refused.exitCode(), refused::toString);
        String rule = "spec.validation.openAPIV3Schema.properties[spec].properties[tags].x-kubernetes-validations[0].rule";
        String advice = " (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, "
                + "and strings are declared)";
        assertTrue(refused.err().contains("The CustomResourceDefinition \"tags." + group + "\" is invalid: \n"
                + "* " + rule + ": Forbidden: estimated rule cost exceeds budget by factor of more than 100x" + advice + "\n"
                + "* " + rule + ": Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema\n"
                + "* spec.validation.openAPIV3Schema: Forbidden: x-kubernetes-validations estimated rule cost total for entire "
                + "OpenAPIv3 schema exceeds budget by factor of more than 100x" + advice + "\n"), refused::toString);
        Kubectl.Result absent = k.run("get", "crd", "tags." + group);
        assertEquals(1, absent.exitCode(), absent::toString);

        Path crd = dir.resolve("crd.yaml");
        Files.writeString(crd, """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: backends.%1$s}
                spec:
                  group: %1$s
                  scope: Namespaced
                  names: {plural: backends, singular: backend, kind: Backend}
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
                            x-kubernetes-validations:
                            - rule: "isQuantity(self.memory) && quantity(self.memory).isLessThan(quantity('2Gi'))"
                              message: memory must be a quantity below 2Gi
                            - rule: "isURL(self.url) && url(self.url).getScheme() == 'https'"
                              messageExpression: "'url must be https, not ' + self.url"
                            - rule: "isIP(self.address) && cidr('10.0.0.0/8').containsIP(ip(self.address))"
                              message: address must be an IP in 10.0.0.0/8
                            properties:
                              memory: {type: string, maxLength: 32}
                              url: {type: string, maxLength: 256}
                              address: {type: string, maxLength: 64}
                """.formatted(group));
        ok(k.run("apply", "-f", crd.toString()));
        ok(k.run("wait", "--for", "condition=established", "--timeout=30s", "crd/backends." + group));
        ok(k.run("create", "namespace", ns));

        String[][] cases = {
                {"3Gi", "https://example.com", "10.1.2.3", "spec: Invalid value: \"object\": memory must be a quantity below 2Gi"},
                {"lots", "https://example.com", "10.1.2.3", "spec: Invalid value: \"object\": memory must be a quantity below 2Gi"},
                {"512Mi", "http://example.com", "10.1.2.3", "spec: Invalid value: \"object\": url must be https, not http://example.com"},
                {"512Mi", "https://example.com", "192.168.0.1", "spec: Invalid value: \"object\": address must be an IP in 10.0.0.0/8"},
        };
        Path backend = dir.resolve("backend.yaml");
        for (String[] c : cases) {
            Files.writeString(backend, backend(group, c[0], c[1], c[2]));
            Kubectl.Result invalid = k.run("-n", ns, "apply", "-f", backend.toString());
            assertEquals(1, invalid.exitCode(), invalid::toString);
            assertEquals("The Backend \"b\" is invalid: " + c[3] + "\n", invalid.err(), invalid::toString);
        }
        Files.writeString(backend, backend(group, "1.5Gi", "https://example.com:8443/api", "10.0.0.7"));
        assertEquals("backend." + group + "/b created\n", ok(k.run("-n", ns, "apply", "-f", backend.toString())).out());

        ok(k.run("delete", "crd", "backends." + group));
    }

    private static String backend(String group, String memory, String url, String address) {
        return """
                apiVersion: %s/v1
                kind: Backend
                metadata: {name: b}
                spec: {memory: "%s", url: "%s", address: "%s"}
                """.formatted(group, memory, url, address);
    }
}
