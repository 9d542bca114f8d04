package kubefake.store.registry.admission.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.admission.AdmissionChain;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.AuditAnnotations;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.request.Warnings;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;

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

    private void policy(String name, String specExtra) {
        policies.create("", json("""
                {"metadata":{"name":"%s"},"spec":{"matchConstraints":{"resourceRules":[{"apiGroups":["apps"],
                 "apiVersions":["v1"],"operations":["CREATE","UPDATE"],"resources":["deployments"]}]},%s}}"""
                .formatted(name, specExtra)), RequestContext.LOOPBACK);
    }

    private void binding(String name, String policy, String actions) {
        bindings.create("", json("""
                {"metadata":{"name":"%s"},"spec":{"policyName":"%s","validationActions":%s}}""".formatted(name, policy, actions)),
                RequestContext.LOOPBACK);
    }

    private static RequestContext collecting() {
        return new RequestContext(kubefake.store.registry.request.UserInfo.API_SERVER, null, null, false, null,
                new Warnings(), new AuditAnnotations());
    }

    @Test
    void aWarnBindingAdmitsTheWriteAndWarns() {
        policy("max", "\"validations\":[{\"expression\":\"object.spec.replicas <= 5\",\"message\":\"at most 5 replicas\"}]");
        binding("max-warn", "max", "[\"Warn\"]");
        RequestContext context = collecting();
        registry.resource("apps", "deployments").create("default", deployment("big", 6), context);
        assertEquals(List.of("Validation failed for ValidatingAdmissionPolicy 'max' with binding 'max-warn': at most 5 replicas"),
                context.warnings().texts());
        assertEquals(Map.of(), context.audit().values());
        RequestContext small = collecting();
        registry.resource("apps", "deployments").create("default", deployment("small", 1), small);
        assertEquals(List.of(), small.warnings().texts());
    }

    @Test
    void denyAndWarnTogetherRefuseAndWarn() {
        policy("max", "\"validations\":[{\"expression\":\"object.spec.replicas <= 5\"}]");
        binding("both", "max", "[\"Deny\",\"Warn\"]");
        RequestContext context = collecting();
        StatusException e = assertThrows(StatusException.class,
                () -> registry.resource("apps", "deployments").create("default", deployment("big", 6), context));
        assertEquals("deployments.apps \"big\" is forbidden: ValidatingAdmissionPolicy 'max' with binding 'both' "
                + "denied request: failed expression: object.spec.replicas <= 5", e.message());
        assertEquals(List.of("Validation failed for ValidatingAdmissionPolicy 'max' with binding 'both': "
                + "failed expression: object.spec.replicas <= 5"), context.warnings().texts());
    }

    @Test
    void auditBindingsAndAuditAnnotationsAreRecordedForTheAuditLog() {
        policy("max", """
                "validations":[{"expression":"true"},{"expression":"object.spec.replicas <= 5"}],
                "auditAnnotations":[{"key":"replicas","valueExpression":"'wanted ' + string(object.spec.replicas)"},
                                    {"key":"none","valueExpression":"null"}]""");
        binding("max-audit", "max", "[\"Audit\"]");
        RequestContext context = collecting();
        registry.resource("apps", "deployments").create("default", deployment("big", 6), context);
        assertEquals(Map.of("validation.policy.admission.k8s.io/validation_failure",
                        "[{\"message\":\"failed expression: object.spec.replicas <= 5\",\"policy\":\"max\","
                                + "\"binding\":\"max-audit\",\"expressionIndex\":1,\"validationActions\":[\"Audit\"]}]",
                        "max/replicas", "wanted 6"),
                context.audit().values());
        assertEquals(List.of(), context.warnings().texts());
    }

    @Test
    void failurePolicyDecidesWhatAnEvaluationErrorDoes() {
        policy("fails", "\"failurePolicy\":\"Fail\",\"validations\":[{\"expression\":\"object.spec.nosuch > 1\"}]");
        policy("ignores", "\"failurePolicy\":\"Ignore\",\"validations\":[{\"expression\":\"object.spec.nosuch > 1\"}]");
        binding("b-ignores", "ignores", "[\"Deny\"]");
        ResourceStore deployments = registry.resource("apps", "deployments");
        deployments.create("default", deployment("first", 1), RequestContext.LOOPBACK);
        binding("b-fails", "fails", "[\"Deny\"]");
        StatusException e = assertThrows(StatusException.class,
                () -> deployments.create("default", deployment("second", 1), RequestContext.LOOPBACK));
        assertEquals("deployments.apps \"second\" is forbidden: ValidatingAdmissionPolicy 'fails' with binding 'b-fails' "
                + "denied request: expression 'object.spec.nosuch > 1' resulted in error: no such key: nosuch", e.message());
    }

    @Test
    void aMissingParamWithDenyIsABindingConfigurationError() {
        policy("limits", """
                "paramKind":{"apiVersion":"v1","kind":"ConfigMap"},
                "validations":[{"expression":"object.spec.replicas <= int(params.data.max)"}]""");
        bindings.create("", json("""
                {"metadata":{"name":"limits-b"},"spec":{"policyName":"limits","validationActions":["Warn"],
                 "paramRef":{"name":"limits","parameterNotFoundAction":"Deny"}}}"""), RequestContext.LOOPBACK);
        ResourceStore deployments = registry.resource("apps", "deployments");
        StatusException e = assertThrows(StatusException.class,
                () -> deployments.create("default", deployment("web", 1), RequestContext.LOOPBACK));
        assertEquals("deployments.apps \"web\" is forbidden: ValidatingAdmissionPolicy 'limits' with binding 'limits-b' "
                + "denied request: failed to configure binding: no params found for policy binding with `Deny` "
                + "parameterNotFoundAction", e.message());
        registry.resource("", "configmaps").create("default", json("""
                {"metadata":{"name":"limits"},"data":{"max":"3"}}"""), RequestContext.LOOPBACK);
        RequestContext context = collecting();
        deployments.create("default", deployment("web", 4), context);
        assertEquals(List.of("Validation failed for ValidatingAdmissionPolicy 'limits' with binding 'limits-b': "
                + "failed expression: object.spec.replicas <= int(params.data.max)"), context.warnings().texts());
    }
}
