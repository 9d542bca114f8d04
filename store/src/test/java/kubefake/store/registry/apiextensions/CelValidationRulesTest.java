package kubefake.store.registry.apiextensions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static kubefake.store.registry.apiextensions.CustomResourceDefinitionRegistryTest.crd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** CRD x-kubernetes-validations: compile errors refused with the CRD, rules refusing custom resources. */
class CelValidationRulesTest {
    private final Registry registry = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());
    private final ResourceStore crds = registry.resource(CustomResourceDefinitionStrategy.GROUP, "customresourcedefinitions");

    private static ObjectNode foos(String specValidations, String rootValidations) {
        return crd("""
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"foos.example.com"},
                 "spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"foos","kind":"Foo"},
                   "versions":[{"name":"v1","served":true,"storage":true,
                      "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-validations":%s,"properties":{
                        "spec":{"type":"object","x-kubernetes-validations":%s,"properties":{
                          "replicas":{"type":"integer"},"max":{"type":"integer"},"name":{"type":"string"},
                          "labels":{"type":"object","additionalProperties":{"type":"string"}},
                          "items":{"type":"array","items":{"type":"string"}}}}}}}}]}}""".formatted(rootValidations, specValidations));
    }

    private ResourceStore serve(ObjectNode crd) {
        registry.resource("", "namespaces").create("", crd("{\"metadata\":{\"name\":\"default\"}}"), RequestContext.LOOPBACK);
        ObjectNode created = crds.create("", crd, RequestContext.LOOPBACK).toNode();
        ((ObjectNode) created.at("/status/acceptedNames")).setAll((ObjectNode) created.at("/spec/names"));
        registry.serve("foos.example.com", CustomResourceEntries.of(created));
        return registry.resource("example.com", "v1", "foos").orElseThrow();
    }

    private static String refused(Runnable write) {
        StatusException e = assertThrows(StatusException.class, write::run);
        assertEquals(422, e.code());
        return e.message();
    }

    private static ObjectNode foo(String name, String spec) {
        return crd("{\"apiVersion\":\"example.com/v1\",\"kind\":\"Foo\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":" + spec + "}");
    }

    @Test
    void ruleThatDoesNotCompileIsRefusedWithTheCompilerMessage() {
        String message = refused(() -> crds.create("", foos("[{\"rule\":\"self.replicas <=\"}]", "[]"), RequestContext.LOOPBACK));
        assertEquals("CustomResourceDefinition.apiextensions.k8s.io \"foos.example.com\" is invalid: "
                + "spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: "
                + "apiextensions.ValidationRule{Rule:\"self.replicas <=\", Message:\"\", MessageExpression:\"\", "
                + "Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:\"\", OptionalOldSelf:(*bool)(nil)}: "
                + "compilation failed: ERROR: <input>:1:17: Syntax error: mismatched input '<EOF>' expecting {'[', '{', '(', "
                + "'.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}\n"
                + " | self.replicas <=\n | ................^", message);
    }

    @Test
    void unknownFieldsAndNonBooleanRulesAreRefused() {
        assertEquals(true, refused(() -> crds.create("", foos("[{\"rule\":\"self.nosuch > 1\"}]", "[]"), RequestContext.LOOPBACK))
                .contains("compilation failed: ERROR: <input>:1:5: undefined field 'nosuch'"));
        assertEquals(true, refused(() -> crds.create("", foos("[{\"rule\":\"self.replicas\"}]", "[]"), RequestContext.LOOPBACK))
                .endsWith("x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{Rule:\"self.replicas\", "
                        + "Message:\"\", MessageExpression:\"\", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:\"\", "
                        + "OptionalOldSelf:(*bool)(nil)}: cel expression must evaluate to a bool"));
    }

    @Test
    void rulesRefuseWritesWithTheirMessages() {
        ResourceStore foos = serve(foos("""
                [{"rule":"self.replicas <= self.max","message":"replicas must not exceed max"},
                 {"rule":"!has(self.name) || self.name.startsWith('a')","messageExpression":"'name ' + self.name + ' must start with a'",
                  "fieldPath":".name","reason":"FieldValueForbidden"},
                 {"rule":"self.items.all(i, size(i) < 4)"}]""", "[{\"rule\":\"self.metadata.name.size() < 10\"}]"));
        foos.create("default", foo("ok", "{\"replicas\":1,\"max\":2,\"name\":\"abc\",\"items\":[\"x\"]}"), RequestContext.LOOPBACK);
        assertEquals("Foo.example.com \"bad\" is invalid: [spec: Invalid value: \"object\": replicas must not exceed max, "
                        + "spec.name: Forbidden: name bcd must start with a, "
                        + "spec: Invalid value: \"object\": failed rule: self.items.all(i, size(i) < 4)]",
                refused(() -> foos.create("default", foo("bad", "{\"replicas\":3,\"max\":2,\"name\":\"bcd\",\"items\":[\"long\"]}"),
                        RequestContext.LOOPBACK)));
        assertEquals("Foo.example.com \"verylongname\" is invalid: <nil>: Invalid value: \"object\": failed rule: "
                        + "self.metadata.name.size() < 10",
                refused(() -> foos.create("default", foo("verylongname", "{\"replicas\":1,\"max\":2,\"items\":[]}"),
                        RequestContext.LOOPBACK)));
        assertEquals("Foo.example.com \"nokey\" is invalid: spec: Invalid value: \"object\": no such key: max evaluating rule: "
                        + "replicas must not exceed max",
                refused(() -> foos.create("default", foo("nokey", "{\"replicas\":1,\"items\":[]}"), RequestContext.LOOPBACK)));
    }

    @Test
    void transitionRulesCompareWithTheStoredValue() {
        ResourceStore foos = serve(foos("""
                [{"rule":"self.replicas >= oldSelf.replicas","message":"replicas may not decrease"},
                 {"rule":"oldSelf.hasValue() || self.replicas < 10","optionalOldSelf":true,"message":"start below 10"}]""", "[]"));
        assertEquals("Foo.example.com \"f\" is invalid: spec: Invalid value: \"object\": start below 10",
                refused(() -> foos.create("default", foo("f", "{\"replicas\":12}"), RequestContext.LOOPBACK)));
        foos.create("default", foo("f", "{\"replicas\":5}"), RequestContext.LOOPBACK);
        foos.update("default", "f", current(foos, foo("f", "{\"replicas\":20}")), RequestContext.LOOPBACK);
        assertEquals("Foo.example.com \"f\" is invalid: spec: Invalid value: \"object\": replicas may not decrease",
                refused(() -> foos.update("default", "f", current(foos, foo("f", "{\"replicas\":4}")), RequestContext.LOOPBACK)));
    }

    @Test
    void rulesDoNotRunOverAValueOfTheWrongType() {
        ResourceStore foos = serve(foos("[{\"rule\":\"self.replicas < 5\"}]", "[]"));
        assertEquals("Foo.example.com \"f\" is invalid: [spec.replicas: Invalid value: \"string\": spec.replicas in body must be "
                        + "of type integer: \"string\", <nil>: Invalid value: \"null\": some validation rules were not checked because "
                        + "the object was invalid; correct the existing errors to complete validation]",
                refused(() -> foos.create("default", foo("f", "{\"replicas\":\"x\"}"), RequestContext.LOOPBACK)));
    }

    @Test
    void aSchemaSharedByTwoVersionsIsReportedOnce() {
        ObjectNode twoVersions = foos("[{\"rule\":\"self.nosuch\"}]", "[]");
        ObjectNode v1 = (ObjectNode) twoVersions.at("/spec/versions/0");
        ObjectNode v2 = v1.deepCopy().put("name", "v2").put("storage", false);
        ((com.fasterxml.jackson.databind.node.ArrayNode) twoVersions.at("/spec/versions")).add(v2);
        String message = refused(() -> crds.create("", twoVersions, RequestContext.LOOPBACK));
        assertEquals(1, message.split("x-kubernetes-validations\\[0\\]").length - 1, message);
        assertEquals(true, message.contains("spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule"));
    }

    @Test
    void rootRulesSeeTheObjectsNameOnUpdate() {
        ResourceStore foos = serve(foos("[]", "[{\"rule\":\"self.metadata.name != 'frozen' || !has(self.spec.name)\"}]"));
        foos.create("default", foo("frozen", "{\"replicas\":1}"), RequestContext.LOOPBACK);
        assertEquals(true, refused(() -> foos.update("default", "frozen", current(foos, foo("frozen", "{\"replicas\":1,\"name\":\"x\"}")),
                RequestContext.LOOPBACK)).contains("failed rule: self.metadata.name != 'frozen' || !has(self.spec.name)"));
    }

    /** The object with the stored one's resourceVersion, as a PUT of a custom resource must carry. */
    private static ObjectNode current(ResourceStore store, ObjectNode object) {
        String name = object.path("metadata").path("name").asText();
        ((ObjectNode) object.get("metadata")).put("resourceVersion", Long.toString(store.find("default", name).resourceVersion()));
        return object;
    }

    private static ObjectNode tags(String bounds) {
        return crd("""
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"tags.example.com"},
                 "spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"tags","kind":"Tag"},
                   "versions":[{"name":"v1","served":true,"storage":true,
                      "schema":{"openAPIV3Schema":{"type":"object","properties":{
                        "spec":{"type":"object","properties":{
                          "tags":{"type":"array",%s"items":{"type":"string"},
                                  "x-kubernetes-validations":[{"rule":"self.all(t, t.matches('^[a-z]+$'))"}]}}}}}}}]}}"""
                .formatted(bounds));
    }

    @Test
    void aRuleEstimatedOverTheBudgetIsRefusedWithTheCRD() {
        String rule = "spec.validation.openAPIV3Schema.properties[spec].properties[tags].x-kubernetes-validations[0].rule";
        String advice = " (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, "
                + "and strings are declared)";
        assertEquals("CustomResourceDefinition.apiextensions.k8s.io \"tags.example.com\" is invalid: ["
                        + rule + ": Forbidden: estimated rule cost exceeds budget by factor of more than 100x" + advice + ", "
                        + rule + ": Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema, "
                        + "spec.validation.openAPIV3Schema: Forbidden: x-kubernetes-validations estimated rule cost total for entire "
                        + "OpenAPIv3 schema exceeds budget by factor of more than 100x" + advice + "]",
                refused(() -> crds.create("", tags(""), RequestContext.LOOPBACK)));
        // bounded, the same rule is cheap enough
        crds.create("", tags("\"maxItems\":10,"), RequestContext.LOOPBACK);
    }

    @Test
    void costFactorsArePrintedAsTheRealServerPrintsThem() {
        assertEquals("estimated rule cost exceeds budget by factor of 1.200000x (try simplifying the rule, or adding maxItems, "
                + "maxProperties, and maxLength where arrays, maps, and strings are declared)",
                kubefake.store.registry.cel.CostEstimate.exceeds("estimated rule cost", 12_000_000, 10_000_000));
        assertEquals(true, kubefake.store.registry.cel.CostEstimate.exceeds("estimated rule cost", 25_000_000, 10_000_000)
                .contains("by factor of 2.5x ("));
    }
}
