package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A Job's podFailurePolicy as a client posts it: the 422 message the real server gives. */
class PodFailurePolicyValidationTest {
    private static final String RULE = "'spec.podFailurePolicy.rules[0]";
    private final Registry registry = new Registry(new MemoryKeyValueStore(), Clock.fixed(Instant.parse("2026-12-06T10:00:30Z"),
            ZoneOffset.UTC), ResourceCatalogue.builtIn());
    private final ResourceStore jobs = registry.resource("batch", "jobs");

    PodFailurePolicyValidationTest() {
        registry.resource("", "namespaces").create("", parse("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'lab'}}"),
                RequestContext.LOOPBACK);
    }

    private static ObjectNode parse(String json) {
        return Json.parseObject(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode job(String spec, String rules, String restartPolicy) {
        return parse("{'apiVersion':'batch/v1','kind':'Job','metadata':{'name':'pi'},'spec':{" + spec
                + "'podFailurePolicy':{'rules':" + rules + "},"
                + "'template':{'spec':{'restartPolicy':'" + restartPolicy + "','containers':[{'name':'pi','image':'perl'}]}}}}");
    }

    private String refused(ObjectNode job) {
        StatusException e = assertThrows(StatusException.class, () -> jobs.create("lab", job, RequestContext.LOOPBACK));
        assertEquals(422, e.code());
        return e.getMessage();
    }

    @Test
    void aPolicyNeedsRestartPolicyNeverAndPodReplacementPolicyFailed() {
        String rules = "[{'action':'FailJob','onExitCodes':{'operator':'In','values':[42]}}]";
        assertEquals("Job.batch \"pi\" is invalid: spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": "
                + "only \"Never\" is supported when podFailurePolicy is specified", refused(job("", rules, "OnFailure")));
        assertEquals("Job.batch \"pi\" is invalid: spec.podReplacementPolicy: Unsupported value: \"TerminatingOrFailed\": "
                + "supported values: \"Failed\"", refused(job("'podReplacementPolicy':'TerminatingOrFailed',", rules, "Never")));
        ObjectNode created = jobs.create("lab", job("", rules, "Never"), RequestContext.LOOPBACK).toNode();
        assertEquals("Failed", created.path("spec").path("podReplacementPolicy").asText());
    }

    @Test
    void aRuleHasAKnownActionAndExactlyOneRequirement() {
        assertEquals(("Job.batch \"pi\" is invalid: [" + RULE + ".action: Required value: valid values: "
                        + "[\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"], " + RULE
                        + ": Invalid value: specifying one of OnExitCodes and OnPodConditions is required]").replace("'", ""),
                refused(job("", "[{}]", "Never")));
        assertEquals(("Job.batch \"pi\" is invalid: [" + RULE + ".action: Unsupported value: \"Retry\": supported values: "
                        + "\"Count\", \"FailIndex\", \"FailJob\", \"Ignore\", " + RULE
                        + ": Invalid value: specifying both OnExitCodes and OnPodConditions is not supported]").replace("'", ""),
                refused(job("", "[{'action':'Retry','onExitCodes':{'operator':'In','values':[1]},"
                        + "'onPodConditions':[{'type':'DisruptionTarget'}]}]", "Never")));
        assertEquals(("Job.batch \"pi\" is invalid: " + RULE + ".action: Invalid value: \"FailIndex\": "
                        + "requires the backoffLimitPerIndex to be set").replace("'", ""),
                refused(job("", "[{'action':'FailIndex','onExitCodes':{'operator':'In','values':[1]}}]", "Never")));
    }

    @Test
    void exitCodesAreDistinctOrderedNotZeroForInAndNameATemplateContainer() {
        assertEquals(("Job.batch \"pi\" is invalid: [" + RULE + ".onExitCodes.containerName: Invalid value: \"side\": "
                        + "must be one of the container or initContainer names in the pod template, "
                        + RULE + ".onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator, "
                        + RULE + ".onExitCodes.values[2]: Duplicate value: 3, "
                        + RULE + ".onExitCodes.values: Invalid value: []int32{3, 0, 3}: must be ordered]").replace("'", ""),
                refused(job("", "[{'action':'Ignore','onExitCodes':{'containerName':'side','operator':'In','values':[3,0,3]}}]",
                        "Never")));
        assertEquals(("Job.batch \"pi\" is invalid: [" + RULE + ".onExitCodes.operator: Required value: valid values: "
                        + "[\"In\" \"NotIn\"], " + RULE + ".onExitCodes.values: Invalid value: []int32(nil): "
                        + "at least one value is required]").replace("'", ""),
                refused(job("", "[{'action':'Count','onExitCodes':{}}]", "Never")));
        // 0 is fine with NotIn
        jobs.create("lab", job("", "[{'action':'Count','onExitCodes':{'operator':'NotIn','values':[0,1]}}]", "Never"),
                RequestContext.LOOPBACK);
    }

    @Test
    void podConditionPatternsHaveAQualifiedTypeAndAKnownStatus() {
        assertEquals(("Job.batch \"pi\" is invalid: " + RULE + ".onPodConditions[0].status: Unsupported value: \"Maybe\": "
                        + "supported values: \"False\", \"True\", \"Unknown\"").replace("'", ""),
                refused(job("", "[{'action':'Ignore','onPodConditions':[{'type':'DisruptionTarget','status':'Maybe'}]}]", "Never")));
    }

    @Test
    void atMostTwentyRules() {
        String rule = "{'action':'Count','onExitCodes':{'operator':'In','values':[1]}}";
        String rules = "[" + String.join(",", Collections.nCopies(21, rule)) + "]";
        assertEquals("Job.batch \"pi\" is invalid: spec.podFailurePolicy.rules: Too many: 21: must have at most 20 items",
                refused(job("", rules, "Never")));
    }
}
