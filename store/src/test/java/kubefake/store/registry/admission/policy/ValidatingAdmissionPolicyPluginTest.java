package kubefake.store.registry.admission.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.admission.AdmissionChain;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The ValidatingAdmissionPolicy plugin in a registry's admission chain: what it refuses, with which Status. */
class ValidatingAdmissionPolicyPluginTest {
    private final Registry registry = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());
    private final ResourceStore policies = registry.resource("admissionregistration.k8s.io", "validatingadmissionpolicies");
    private final ResourceStore bindings = registry.resource("admissionregistration.k8s.io", "validatingadmissionpolicybindings");

    ValidatingAdmissionPolicyPluginTest() {
        registry.useAdmission(AdmissionChain.NONE.withValidating(new ValidatingAdmissionPolicyPlugin(
                () -> all(policies), () -> all(bindings), registry)));
        registry.resource("", "namespaces").create("", Json.parseObject("{\"metadata\":{\"name\":\"default\"}}".getBytes()),
                RequestContext.LOOPBACK);
    }

    private static List<ObjectNode> all(ResourceStore rs) {
        return rs.list(null, kubefake.store.registry.ListOptions.ALL).items().stream().map(o -> o.tree()).toList();
    }

    private static ObjectNode json(String s) {
        return Json.parseObject(s.getBytes());
    }

    private static ObjectNode deployment(String name, int replicas) {
        return json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"},"spec":{"replicas":%d,
                 "selector":{"matchLabels":{"app":"a"}},"template":{"metadata":{"labels":{"app":"a"}},
                 "spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""".formatted(name, replicas));
    }

    @Test
    void aDenyBindingRefusesWithTheRealStatus() {
        policies.create("", json("""
                {"metadata":{"name":"max"},"spec":{"matchConstraints":{"resourceRules":[{"apiGroups":["apps"],
                 "apiVersions":["v1"],"operations":["CREATE","UPDATE"],"resources":["deployments"]}]},
                 "validations":[{"expression":"object.spec.replicas <= 5"}]}}"""), RequestContext.LOOPBACK);
        bindings.create("", json("""
                {"metadata":{"name":"max-binding"},"spec":{"policyName":"max","validationActions":["Deny"]}}"""),
                RequestContext.LOOPBACK);
        ResourceStore deployments = registry.resource("apps", "deployments");
        deployments.create("default", deployment("small", 2), RequestContext.LOOPBACK);
        StatusException e = assertThrows(StatusException.class,
                () -> deployments.create("default", deployment("big", 6), RequestContext.LOOPBACK));
        assertEquals(422, e.code());
        assertEquals("Invalid", e.reason());
        assertEquals("deployments.apps \"big\" is forbidden: ValidatingAdmissionPolicy 'max' with binding 'max-binding' "
                + "denied request: failed expression: object.spec.replicas <= 5", e.message());
    }

    @Test
    void expressionsThatDoNotCompileAreRefused() {
        StatusException e = assertThrows(StatusException.class, () -> policies.create("", json("""
                {"metadata":{"name":"bad"},"spec":{"matchConstraints":{"resourceRules":[{"apiGroups":["apps"],
                 "apiVersions":["v1"],"operations":["CREATE"],"resources":["deployments"]}]},
                 "validations":[{"expression":"object.spec.replicas <="}]}}"""), RequestContext.LOOPBACK));
        assertEquals(422, e.code());
        assertEquals(true, e.message().startsWith("ValidatingAdmissionPolicy.admissionregistration.k8s.io \"bad\" is invalid: "
                + "spec.validations[0].expression: Invalid value: \"object.spec.replicas <=\": compilation failed: "
                + "ERROR: <input>:1:24: Syntax error: mismatched input '<EOF>'"), e.message());
        StatusException noActions = assertThrows(StatusException.class, () -> bindings.create("", json("""
                {"metadata":{"name":"b"},"spec":{"policyName":"bad"}}"""), RequestContext.LOOPBACK));
        assertEquals("ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io \"b\" is invalid: spec.validationActions: "
                + "Required value: at least one validation action is required", noActions.message());
    }
}
