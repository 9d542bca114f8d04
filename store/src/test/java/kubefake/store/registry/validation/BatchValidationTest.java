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

/**
 * Jobs (their podFailurePolicy too) and CronJobs created through the registry as a client posts them: the 422 message
 * the user sees.
 */
class BatchValidationTest {
    private static final String POLICY_RULE = "spec.podFailurePolicy.rules[0]";
    private final Registry registry = new Registry(new MemoryKeyValueStore(), Clock.fixed(Instant.parse("2026-12-06T10:00:30Z"),
            ZoneOffset.UTC), ResourceCatalogue.builtIn());
    private final ResourceStore jobs = registry.resource("batch", "jobs");
    private final ResourceStore cronJobs = registry.resource("batch", "cronjobs");

    BatchValidationTest() {
        registry.resource("", "namespaces").create("", parse("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'lab'}}"),
                RequestContext.LOOPBACK);
    }

    private static ObjectNode parse(String json) {
        return Json.parseObject(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode job(String spec, String podSpec) {
        return parse("{'apiVersion':'batch/v1','kind':'Job','metadata':{'name':'pi'},'spec':{" + spec
                + "'template':{'spec':{" + podSpec + "'containers':[{'name':'pi','image':'perl'}]}}}}");
    }

    /** A Job with a podFailurePolicy of these rules. */
    private static ObjectNode policyJob(String spec, String rules, String restartPolicy) {
        return parse("{'apiVersion':'batch/v1','kind':'Job','metadata':{'name':'pi'},'spec':{" + spec
                + "'podFailurePolicy':{'rules':" + rules + "},"
                + "'template':{'spec':{'restartPolicy':'" + restartPolicy + "','containers':[{'name':'pi','image':'perl'}]}}}}");
    }

    private static ObjectNode cronJob(String spec) {
        return parse("{'apiVersion':'batch/v1','kind':'CronJob','metadata':{'name':'tick'},'spec':{" + spec
                + "'jobTemplate':{'spec':{'template':{'spec':{'restartPolicy':'OnFailure',"
                + "'containers':[{'name':'tick','image':'busybox'}]}}}}}}");
    }

    private String refused(ResourceStore store, ObjectNode object) {
        StatusException e = assertThrows(StatusException.class, () -> store.create("lab", object, RequestContext.LOOPBACK));
        assertEquals(422, e.code());
        return e.getMessage();
    }

    @Test
    void aJobTemplateMustNotRestartAlways() {
        assertEquals("Job.batch \"pi\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Always\": "
                + "supported values: \"OnFailure\", \"Never\"", refused(jobs, job("", "")));
    }

    @Test
    void anIndexedJobNeedsItsCompletionsAndCountsAreNotNegative() {
        assertEquals("Job.batch \"pi\" is invalid: spec.completions: Required value: when completion mode is Indexed",
                refused(jobs, job("'parallelism':2,'completionMode':'Indexed',", "'restartPolicy':'Never',")));
        assertEquals("Job.batch \"pi\" is invalid: spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0",
                refused(jobs, job("'backoffLimit':-1,", "'restartPolicy':'Never',")));
    }

    @Test
    void completionsAreImmutable() {
        ObjectNode created = jobs.create("lab", job("'completions':2,", "'restartPolicy':'Never',"), RequestContext.LOOPBACK).toNode();
        ObjectNode changed = created.deepCopy();
        changed.with("spec").put("completions", 3);
        StatusException e = assertThrows(StatusException.class, () -> jobs.update("lab", "pi", changed, RequestContext.LOOPBACK));
        assertEquals("Job.batch \"pi\" is invalid: spec.completions: Invalid value: 3: field is immutable", e.getMessage());
    }

    @Test
    void aCronJobScheduleIsFiveFieldsOrADescriptorAndItsTimeZoneMustExist() {
        assertEquals("CronJob.batch \"tick\" is invalid: spec.schedule: Invalid value: \"every minute\": "
                + "expected exactly 5 fields, found 2: [every minute]", refused(cronJobs, cronJob("'schedule':'every minute',")));
        assertEquals("CronJob.batch \"tick\" is invalid: spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus",
                refused(cronJobs, cronJob("'schedule':'@hourly','timeZone':'Mars/Olympus',")));
        ObjectNode ok = cronJobs.create("lab", cronJob("'schedule':'*/5 9-17 * * MON-FRI','timeZone':'Europe/Berlin',"),
                RequestContext.LOOPBACK).toNode();
        assertEquals("Allow", ok.path("spec").path("concurrencyPolicy").asText());
        assertEquals(3, ok.path("spec").path("successfulJobsHistoryLimit").asInt());
        assertEquals(1, ok.path("spec").path("failedJobsHistoryLimit").asInt());
        assertEquals(false, ok.path("spec").path("suspend").asBoolean(true));
    }

    @Test
    void schedulesStepInTheirTimeZone() {
        CronSchedule berlinMornings = CronSchedule.parse("30 9 * * *", java.time.ZoneId.of("Europe/Berlin"));
        assertEquals(Instant.parse("2026-12-06T08:30:00Z"), berlinMornings.next(Instant.parse("2026-12-06T00:00:00Z")).orElseThrow());
        CronSchedule hourly = CronSchedule.parse("@hourly", ZoneOffset.UTC);
        assertEquals(Instant.parse("2026-12-06T11:00:00Z"), hourly.next(Instant.parse("2026-12-06T10:00:00Z")).orElseThrow());
        CronSchedule every = CronSchedule.parse("@every 1m30s", ZoneOffset.UTC);
        assertEquals(Instant.parse("2026-12-06T10:01:30Z"), every.next(Instant.parse("2026-12-06T10:00:00.5Z")).orElseThrow());
        assertEquals("failed to parse duration @every soon: time: invalid duration \"soon\"", CronSchedule.problem("@every soon"));
        // a restricted day of month and day of week: either matches (1st of the month or a Monday)
        CronSchedule either = CronSchedule.parse("0 0 1 * 1", ZoneOffset.UTC);
        assertEquals(Instant.parse("2026-12-07T00:00:00Z"), either.next(Instant.parse("2026-12-02T00:00:00Z")).orElseThrow());
    }

    @Test
    void aPolicyNeedsRestartPolicyNeverAndPodReplacementPolicyFailed() {
        String rules = "[{'action':'FailJob','onExitCodes':{'operator':'In','values':[42]}}]";
        assertEquals("Job.batch \"pi\" is invalid: spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": "
                + "only \"Never\" is supported when podFailurePolicy is specified", refused(jobs, policyJob("", rules, "OnFailure")));
        assertEquals("Job.batch \"pi\" is invalid: spec.podReplacementPolicy: Unsupported value: \"TerminatingOrFailed\": "
                + "supported values: \"Failed\"", refused(jobs, policyJob("'podReplacementPolicy':'TerminatingOrFailed',", rules, "Never")));
        ObjectNode created = jobs.create("lab", policyJob("", rules, "Never"), RequestContext.LOOPBACK).toNode();
        assertEquals("Failed", created.path("spec").path("podReplacementPolicy").asText());
    }

    @Test
    void aRuleHasAKnownActionAndExactlyOneRequirement() {
        assertEquals("Job.batch \"pi\" is invalid: [" + POLICY_RULE + ".action: Required value: valid values: "
                        + "[\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"], " + POLICY_RULE
                        + ": Invalid value: specifying one of OnExitCodes and OnPodConditions is required]",
                refused(jobs, policyJob("", "[{}]", "Never")));
        assertEquals("Job.batch \"pi\" is invalid: [" + POLICY_RULE + ".action: Unsupported value: \"Retry\": supported values: "
                        + "\"Count\", \"FailIndex\", \"FailJob\", \"Ignore\", " + POLICY_RULE
                        + ": Invalid value: specifying both OnExitCodes and OnPodConditions is not supported]",
                refused(jobs, policyJob("", "[{'action':'Retry','onExitCodes':{'operator':'In','values':[1]},"
                        + "'onPodConditions':[{'type':'DisruptionTarget'}]}]", "Never")));
        assertEquals("Job.batch \"pi\" is invalid: " + POLICY_RULE + ".action: Invalid value: \"FailIndex\": "
                        + "requires the backoffLimitPerIndex to be set",
                refused(jobs, policyJob("", "[{'action':'FailIndex','onExitCodes':{'operator':'In','values':[1]}}]", "Never")));
    }

    @Test
    void exitCodesAreDistinctOrderedNotZeroForInAndNameATemplateContainer() {
        assertEquals("Job.batch \"pi\" is invalid: [" + POLICY_RULE + ".onExitCodes.containerName: Invalid value: \"side\": "
                        + "must be one of the container or initContainer names in the pod template, "
                        + POLICY_RULE + ".onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator, "
                        + POLICY_RULE + ".onExitCodes.values[2]: Duplicate value: 3, "
                        + POLICY_RULE + ".onExitCodes.values: Invalid value: []int32{3, 0, 3}: must be ordered]",
                refused(jobs, policyJob("", "[{'action':'Ignore','onExitCodes':{'containerName':'side','operator':'In','values':[3,0,3]}}]",
                        "Never")));
        assertEquals("Job.batch \"pi\" is invalid: [" + POLICY_RULE + ".onExitCodes.operator: Required value: valid values: "
                        + "[\"In\" \"NotIn\"], " + POLICY_RULE + ".onExitCodes.values: Invalid value: []int32(nil): "
                        + "at least one value is required]",
                refused(jobs, policyJob("", "[{'action':'Count','onExitCodes':{}}]", "Never")));
        // 0 is fine with NotIn
        jobs.create("lab", policyJob("", "[{'action':'Count','onExitCodes':{'operator':'NotIn','values':[0,1]}}]", "Never"),
                RequestContext.LOOPBACK);
    }

    @Test
    void podConditionPatternsHaveAQualifiedTypeAndAKnownStatus() {
        assertEquals("Job.batch \"pi\" is invalid: " + POLICY_RULE + ".onPodConditions[0].status: Unsupported value: \"Maybe\": "
                        + "supported values: \"False\", \"True\", \"Unknown\"",
                refused(jobs, policyJob("", "[{'action':'Ignore','onPodConditions':[{'type':'DisruptionTarget','status':'Maybe'}]}]", "Never")));
    }

    @Test
    void aPodFailurePolicyHasAtMostTwentyRules() {
        String rule = "{'action':'Count','onExitCodes':{'operator':'In','values':[1]}}";
        String rules = "[" + String.join(",", Collections.nCopies(21, rule)) + "]";
        assertEquals("Job.batch \"pi\" is invalid: spec.podFailurePolicy.rules: Too many: 21: must have at most 20 items",
                refused(jobs, policyJob("", rules, "Never")));
    }
}
