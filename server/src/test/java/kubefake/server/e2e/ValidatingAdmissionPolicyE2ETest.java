package kubefake.server.e2e;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static kubefake.server.e2e.Kubectl.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ValidatingAdmissionPolicies driven by kubectl 1.29 and 1.33: a policy capping Deployments at 5 replicas, bound with
 * the Deny action to one namespace, refuses {@code kubectl scale} and {@code apply} above it with the real message,
 * lets other namespaces be, and reads its limit from a ConfigMap param; the policies and bindings list as Tables.
 */
class ValidatingAdmissionPolicyE2ETest {

    private static boolean has(String regex, String text) {
        return Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aPolicyRefusesWhatItsBindingDenies(String v) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String suffix = v.replace(".", "");
        String ns = "vap-" + suffix;
        String other = "vap-free-" + suffix;
        Path dir = Files.createTempDirectory(TestCluster.dataDir(), "vap");
        ok(k.run("create", "namespace", ns));
        ok(k.run("label", "namespace", ns, "vap-test=" + suffix));
        ok(k.run("create", "namespace", other));

        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata:
                  name: max-replicas-%1$s
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    resourceRules:
                    - apiGroups: ["apps"]
                      apiVersions: ["v1"]
                      operations: ["CREATE", "UPDATE"]
                      resources: ["deployments", "deployments/scale"]
                  validations:
                  - expression: "object.spec.replicas <= 5"
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata:
                  name: max-replicas-binding-%1$s
                spec:
                  policyName: max-replicas-%1$s
                  validationActions: [Deny]
                  matchResources:
                    namespaceSelector:
                      matchLabels:
                        vap-test: "%1$s"
                """.formatted(suffix));
        assertEquals("validatingadmissionpolicy.admissionregistration.k8s.io/max-replicas-" + suffix + " created\n"
                        + "validatingadmissionpolicybinding.admissionregistration.k8s.io/max-replicas-binding-" + suffix + " created\n",
                ok(k.run("apply", "-f", policy.toString())).out());

        Kubectl.Result policies = ok(k.run("get", "validatingadmissionpolicies", "max-replicas-" + suffix));
        assertTrue(has("^NAME +VALIDATIONS +PARAMKIND +AGE$", policies.out()), policies::toString);
        assertTrue(has("^max-replicas-" + suffix + " +1 +<unset> +\\d+s$", policies.out()), policies::toString);
        Kubectl.Result bindings = ok(k.run("get", "validatingadmissionpolicybindings", "max-replicas-binding-" + suffix));
        assertTrue(has("^NAME +POLICYNAME +PARAMREF +AGE$", bindings.out()), bindings::toString);
        assertEquals("Fail Equivalent", ok(k.run("get", "validatingadmissionpolicy", "max-replicas-" + suffix, "-o",
                "jsonpath={.spec.failurePolicy} {.spec.matchConstraints.matchPolicy}")).out());

        ok(k.run("-n", ns, "create", "deployment", "web", "--image=nginx", "--replicas=2"));
        Kubectl.Result scaled = k.run("-n", ns, "scale", "deployment", "web", "--replicas=6");
        assertEquals(1, scaled.exitCode(), scaled::toString);
        assertEquals("The deployments \"web\" is invalid: : ValidatingAdmissionPolicy 'max-replicas-" + suffix
                + "' with binding 'max-replicas-binding-" + suffix + "' denied request: failed expression: "
                + "object.spec.replicas <= 5\n", scaled.err(), scaled::toString);
        assertEquals("2", ok(k.run("-n", ns, "get", "deployment", "web", "-o", "jsonpath={.spec.replicas}")).out());
        assertEquals("deployment.apps/web scaled\n", ok(k.run("-n", ns, "scale", "deployment", "web", "--replicas=5")).out());

        Kubectl.Result created = k.run("-n", ns, "create", "deployment", "big", "--image=nginx", "--replicas=7");
        assertEquals(1, created.exitCode(), created::toString);
        assertTrue(created.err().contains("ValidatingAdmissionPolicy 'max-replicas-" + suffix + "' with binding 'max-replicas-binding-"
                + suffix + "' denied request: failed expression: object.spec.replicas <= 5"), created::toString);
        // the binding's namespaceSelector leaves other namespaces alone
        ok(k.run("-n", other, "create", "deployment", "big", "--image=nginx", "--replicas=7"));

        ok(k.run("delete", "validatingadmissionpolicybinding", "max-replicas-binding-" + suffix));
        ok(k.run("delete", "validatingadmissionpolicy", "max-replicas-" + suffix));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void paramsVariablesAndMessageExpressions(String v) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String suffix = v.replace(".", "");
        String ns = "vap-params-" + suffix;
        Path dir = Files.createTempDirectory(TestCluster.dataDir(), "vap");
        ok(k.run("create", "namespace", ns));
        ok(k.run("-n", ns, "create", "configmap", "limits", "--from-literal=maxReplicas=3"));
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata:
                  name: param-limit-%1$s
                spec:
                  paramKind: {apiVersion: v1, kind: ConfigMap}
                  matchConstraints:
                    resourceRules:
                    - apiGroups: ["apps"]
                      apiVersions: ["v1"]
                      operations: ["CREATE", "UPDATE"]
                      resources: ["deployments"]
                  matchConditions:
                  - name: not-exempt
                    expression: "!has(object.metadata.labels) || !('exempt' in object.metadata.labels)"
                  variables:
                  - name: limit
                    expression: "int(params.data.maxReplicas)"
                  validations:
                  - expression: "object.spec.replicas <= variables.limit"
                    messageExpression: "'replicas ' + string(object.spec.replicas) + ' exceed ' + string(variables.limit)"
                    reason: Forbidden
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata:
                  name: param-limit-binding-%1$s
                spec:
                  policyName: param-limit-%1$s
                  validationActions: [Deny]
                  paramRef: {name: limits, namespace: %2$s, parameterNotFoundAction: Deny}
                  matchResources:
                    namespaceSelector:
                      matchLabels:
                        kubernetes.io/metadata.name: %2$s
                """.formatted(suffix, ns));
        ok(k.run("apply", "-f", policy.toString()));
        Kubectl.Result policies = ok(k.run("get", "validatingadmissionpolicies", "param-limit-" + suffix));
        assertTrue(has("^param-limit-" + suffix + " +1 +v1/ConfigMap +\\d+s$", policies.out()), policies::toString);

        Kubectl.Result refused = k.run("-n", ns, "create", "deployment", "web", "--image=nginx", "--replicas=4");
        assertEquals(1, refused.exitCode(), refused::toString);
        assertEquals("error: failed to create deployment: deployments.apps \"web\" is forbidden: ValidatingAdmissionPolicy "
                + "'param-limit-" + suffix + "' with binding 'param-limit-binding-" + suffix
                + "' denied request: replicas 4 exceed 3\n", refused.err(), refused::toString);
        ok(k.run("-n", ns, "create", "deployment", "web", "--image=nginx", "--replicas=3"));

        ok(k.run("-n", ns, "delete", "configmap", "limits"));
        Kubectl.Result noParams = k.run("-n", ns, "scale", "deployment", "web", "--replicas=1");
        assertTrue(noParams.exitCode() == 0, noParams::toString); // the scale subresource is not matched
        Kubectl.Result labelled = k.run("-n", ns, "label", "deployment", "web", "team=a");
        assertEquals(1, labelled.exitCode(), labelled::toString);
        assertTrue(labelled.err().contains("denied request: failed to configure binding: no params found for policy binding with `Deny` "
                + "parameterNotFoundAction"), labelled::toString);

        ok(k.run("delete", "validatingadmissionpolicybinding", "param-limit-binding-" + suffix));
        ok(k.run("delete", "validatingadmissionpolicy", "param-limit-" + suffix));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aWarnBindingWarnsAndAdmits(String v) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String suffix = v.replace(".", "");
        String ns = "vap-warn-" + suffix;
        Path dir = Files.createTempDirectory(TestCluster.dataDir(), "vap");
        ok(k.run("create", "namespace", ns));
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata:
                  name: warn-replicas-%1$s
                spec:
                  matchConstraints:
                    resourceRules:
                    - apiGroups: ["apps"]
                      apiVersions: ["v1"]
                      operations: ["CREATE", "UPDATE"]
                      resources: ["deployments"]
                  validations:
                  - expression: "object.spec.replicas <= 5"
                    message: "more than 5 replicas"
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata:
                  name: warn-replicas-binding-%1$s
                spec:
                  policyName: warn-replicas-%1$s
                  validationActions: [Warn]
                  matchResources:
                    namespaceSelector:
                      matchLabels:
                        kubernetes.io/metadata.name: %2$s
                """.formatted(suffix, ns));
        ok(k.run("apply", "-f", policy.toString()));
        String warning = "Warning: Validation failed for ValidatingAdmissionPolicy 'warn-replicas-" + suffix
                + "' with binding 'warn-replicas-binding-" + suffix + "': more than 5 replicas\n";

        Path deployment = dir.resolve("deployment.yaml");
        Files.writeString(deployment, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: %s}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: nginx}]}
                """.formatted(ns, 7));
        Kubectl.Result created = ok(k.run("apply", "-f", deployment.toString()));
        assertEquals("deployment.apps/web created\n", created.out(), created::toString);
        assertEquals(warning, created.err(), created::toString);
        assertEquals("7", ok(k.run("-n", ns, "get", "deployment", "web", "-o", "jsonpath={.spec.replicas}")).out());
        // the second apply is a patch: admitted with the same warning
        Files.writeString(deployment, Files.readString(deployment).replace("replicas: 7", "replicas: 8"));
        Kubectl.Result patched = ok(k.run("apply", "-f", deployment.toString()));
        assertEquals("deployment.apps/web configured\n", patched.out(), patched::toString);
        assertEquals(warning, patched.err(), patched::toString);
        Kubectl.Result fine = ok(k.run("-n", ns, "scale", "deployment", "web", "--replicas=3"));
        assertEquals("", fine.err(), fine::toString); // the scale subresource is not matched

        // Deny and Warn together: the warning, then the refusal
        ok(k.run("patch", "validatingadmissionpolicybinding", "warn-replicas-binding-" + suffix, "--type=merge",
                "-p", "{\"spec\":{\"validationActions\":[\"Deny\",\"Warn\"]}}"));
        Kubectl.Result refused = k.run("-n", ns, "patch", "deployment", "web", "--type=merge", "-p", "{\"spec\":{\"replicas\":9}}");
        assertEquals(1, refused.exitCode(), refused::toString);
        assertEquals(warning + "The deployments \"web\" is invalid: : ValidatingAdmissionPolicy 'warn-replicas-" + suffix
                + "' with binding 'warn-replicas-binding-" + suffix + "' denied request: more than 5 replicas\n",
                refused.err(), refused::toString);

        ok(k.run("delete", "validatingadmissionpolicybinding", "warn-replicas-binding-" + suffix));
        ok(k.run("delete", "validatingadmissionpolicy", "warn-replicas-" + suffix));
    }
}
