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
}
