package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.GoFormat;
import kubefake.store.registry.errors.GoLiteral;
import kubefake.store.registry.selection.LabelSelector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The batch/v1 rules (batch validation): a Job's generated selector and its template labels, counts not negative, the
 * completion mode, the pod template validated as a pod whose restartPolicy is OnFailure or Never, and on update the
 * immutable completions, selector, completion mode and template; a CronJob's schedule (Kubernetes' standard cron
 * syntax, see {@link CronSchedule}), time zone, concurrency policy and job template.
 */
final class BatchValidation {

    private BatchValidation() {
    }

    static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    static final String JOB_NAME = "batch.kubernetes.io/job-name";
    private static final FieldPath SPEC = FieldPath.of("spec");
    private static final int MAX_PARALLELISM_FOR_INDEXED_JOB = 100_000;

    static List<FieldError> job(ObjectNode job, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>();
        if (old == null) {
            errs.addAll(ObjectMetaValidation.validate(job.path("metadata"), true, NameRule.DNS_SUBDOMAIN));
        } else {
            errs.addAll(ObjectMetaValidation.validateUpdate(job.path("metadata"), old.path("metadata")));
        }
        errs.addAll(generatedSelector(job));
        JsonNode spec = job.path("spec");
        errs.addAll(jobSpec(spec, SPEC, "Job"));
        JsonNode selector = spec.get("selector");
        if (!Json.present(selector)) {
            errs.add(FieldError.required(SPEC.child("selector"), ""));
        } else {
            errs.addAll(LabelSelectorValidation.validate(selector, SPEC.child("selector")));
            JsonNode labels = spec.path("template").path("metadata").get("labels");
            if (!matches(selector, labels)) {
                errs.add(FieldError.invalid(SPEC.child("template", "metadata", "labels"),
                        new GoLiteral(GoFormat.stringMap(Json.stringMap(labels))),
                        "`selector` does not match template `labels`"));
            }
        }
        if (old != null) errs.addAll(jobSpecUpdate(spec, old.path("spec")));
        return errs;
    }

    /** A generated selector (no {@code manualSelector: true}) must select the labels the server put on the template. */
    private static List<FieldError> generatedSelector(ObjectNode job) {
        JsonNode spec = job.path("spec");
        if (spec.path("manualSelector").asBoolean(false) || !Json.present(spec.get("selector"))) return List.of();
        List<FieldError> errs = new ArrayList<>();
        String uid = Json.text(job.path("metadata"), "uid");
        String name = Json.text(job.path("metadata"), "name");
        FieldPath templateMeta = SPEC.child("template", "metadata");
        Map<String, String> labels = Json.stringMap(spec.path("template").path("metadata").get("labels"));
        if (!uid.isEmpty()) {
            errs.addAll(hasLabel(labels, templateMeta, CONTROLLER_UID, uid));
            errs.addAll(hasLabel(labels, templateMeta, JOB_NAME, name));
            if (!matches(spec.get("selector"), Map.of(CONTROLLER_UID, uid, JOB_NAME, name))) {
                errs.add(FieldError.invalid(SPEC.child("selector"), LabelSelectorValidation.render(spec.get("selector")),
                        "`selector` not auto-generated"));
            }
        }
        return errs;
    }

    private static List<FieldError> hasLabel(Map<String, String> labels, FieldPath meta, String key, String expected) {
        String actual = labels == null ? null : labels.get(key);
        if (actual == null) return List.of(FieldError.required(meta.child("labels").key(key), ""));
        if (!actual.equals(expected)) {
            return List.of(FieldError.invalid(meta.child("labels").key(key), actual, "must be '" + expected + "'"));
        }
        return List.of();
    }

    /** {@code validateJobSpec}: what a Job and a CronJob's job template share. */
    private static List<FieldError> jobSpec(JsonNode spec, FieldPath path, String kind) {
        List<FieldError> errs = new ArrayList<>();
        for (String f : List.of("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
                "ttlSecondsAfterFinished")) {
            JsonNode v = spec.get(f);
            if (Json.present(v) && v.asLong() < 0) {
                errs.add(FieldError.invalid(path.child(f), v.asLong(), ObjectMetaValidation.IS_NEGATIVE));
            }
        }
        String mode = Json.text(spec, "completionMode");
        if (!mode.isEmpty() && !mode.equals("NonIndexed") && !mode.equals("Indexed")) {
            errs.add(FieldError.notSupported(path.child("completionMode"), mode, List.of("NonIndexed", "Indexed")));
        }
        if (mode.equals("Indexed")) {
            if (!Json.present(spec.get("completions"))) {
                errs.add(FieldError.required(path.child("completions"), "when completion mode is Indexed"));
            }
            if (spec.path("parallelism").asLong(0) > MAX_PARALLELISM_FOR_INDEXED_JOB) {
                errs.add(FieldError.invalid(path.child("parallelism"), spec.path("parallelism").asLong(),
                        "must be less than or equal to 100000 when completion mode is Indexed"));
            }
        }
        JsonNode policy = spec.get("podFailurePolicy");
        if (Json.present(policy)) errs.addAll(PodFailurePolicyValidation.validate(spec, path.child("podFailurePolicy")));
        String replacement = Json.text(spec, "podReplacementPolicy");
        if (Json.present(policy) && !replacement.isEmpty() && !replacement.equals("Failed")) {
            errs.add(FieldError.notSupported(path.child("podReplacementPolicy"), replacement, List.of("Failed")));
        } else if (!replacement.isEmpty() && !replacement.equals("Failed") && !replacement.equals("TerminatingOrFailed")) {
            errs.add(FieldError.notSupported(path.child("podReplacementPolicy"), replacement,
                    List.of("Failed", "TerminatingOrFailed")));
        }
        errs.addAll(new PodSpecValidation(kind, "batch/v1").validateTemplate(spec.path("template"), path.child("template")));
        String rp = Json.text(spec.path("template").path("spec"), "restartPolicy");
        if (!rp.equals("OnFailure") && !rp.equals("Never")) {
            errs.add(FieldError.notSupported(path.child("template", "spec", "restartPolicy"), rp,
                    List.of("OnFailure", "Never")));
        } else if (Json.present(policy) && !rp.equals("Never")) {
            errs.add(FieldError.invalid(path.child("template", "spec", "restartPolicy"), rp,
                    "only \"Never\" is supported when podFailurePolicy is specified"));
        }
        return errs;
    }

    private static List<FieldError> jobSpecUpdate(JsonNode spec, JsonNode old) {
        List<FieldError> errs = new ArrayList<>();
        if (!Objects.equals(spec.get("completions"), old.get("completions"))) {
            JsonNode v = spec.get("completions");
            errs.add(FieldError.invalid(SPEC.child("completions"), Json.present(v) ? v.asLong() : null,
                    ObjectMetaValidation.FIELD_IMMUTABLE));
        }
        if (!Objects.equals(spec.get("selector"), old.get("selector"))) {
            errs.add(FieldError.invalid(SPEC.child("selector"), LabelSelectorValidation.render(spec.get("selector")),
                    ObjectMetaValidation.FIELD_IMMUTABLE));
        }
        if (!Objects.equals(spec.get("completionMode"), old.get("completionMode"))) {
            errs.add(FieldError.invalid(SPEC.child("completionMode"), Json.text(spec, "completionMode"),
                    ObjectMetaValidation.FIELD_IMMUTABLE));
        }
        // a suspended Job that never started may change its template's scheduling directives; others may not change it
        if (!Objects.equals(spec.get("template"), old.get("template")) && !old.path("suspend").asBoolean(false)) {
            // Go prints the whole core.PodTemplateSpec here; its %#v dump is not reproduced
            errs.add(FieldError.invalid(SPEC.child("template"), new GoLiteral("core.PodTemplateSpec{...}"),
                    ObjectMetaValidation.FIELD_IMMUTABLE));
        }
        return errs;
    }

    static List<FieldError> cronJob(ObjectNode cj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>();
        if (old == null) {
            errs.addAll(ObjectMetaValidation.validate(cj.path("metadata"), true, NameRule.DNS_SUBDOMAIN));
            // the Jobs it makes are named <name>-<11 digits> and labelled with it: 52 characters at most
            String name = Json.text(cj.path("metadata"), "name");
            if (name.length() > 52) {
                errs.add(FieldError.invalid(FieldPath.of("metadata", "name"), name, "must be no more than 52 characters"));
            }
        } else {
            errs.addAll(ObjectMetaValidation.validateUpdate(cj.path("metadata"), old.path("metadata")));
        }
        JsonNode spec = cj.path("spec");
        String schedule = Json.text(spec, "schedule");
        String timeZone = Json.text(spec, "timeZone");
        if (schedule.isEmpty()) {
            errs.add(FieldError.required(SPEC.child("schedule"), ""));
        } else {
            String problem = CronSchedule.problem(schedule);
            if (problem != null) errs.add(FieldError.invalid(SPEC.child("schedule"), schedule, problem));
            if (schedule.contains("TZ") && Json.present(spec.get("timeZone"))) {
                errs.add(FieldError.invalid(SPEC.child("schedule"), schedule,
                        "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
            } else if (schedule.contains("TZ")) {
                errs.add(FieldError.invalid(SPEC.child("schedule"), schedule,
                        "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
            }
        }
        if (Json.present(spec.get("timeZone"))) {
            if (timeZone.isEmpty() || timeZone.equals("Local") || CronSchedule.zone(timeZone) == null) {
                errs.add(FieldError.invalid(SPEC.child("timeZone"), timeZone, "unknown time zone " + timeZone));
            }
        }
        JsonNode sds = spec.get("startingDeadlineSeconds");
        if (Json.present(sds) && sds.asLong() < 0) {
            errs.add(FieldError.invalid(SPEC.child("startingDeadlineSeconds"), sds.asLong(), ObjectMetaValidation.IS_NEGATIVE));
        }
        String policy = Json.text(spec, "concurrencyPolicy");
        if (policy.isEmpty()) {
            errs.add(FieldError.required(SPEC.child("concurrencyPolicy"), ""));
        } else if (!List.of("Allow", "Forbid", "Replace").contains(policy)) {
            errs.add(FieldError.notSupported(SPEC.child("concurrencyPolicy"), policy, List.of("Allow", "Forbid", "Replace")));
        }
        for (String f : List.of("successfulJobsHistoryLimit", "failedJobsHistoryLimit")) {
            JsonNode v = spec.get(f);
            if (Json.present(v) && v.asLong() < 0) {
                errs.add(FieldError.invalid(SPEC.child(f), v.asLong(), ObjectMetaValidation.IS_NEGATIVE));
            }
        }
        FieldPath template = SPEC.child("jobTemplate");
        JsonNode jobSpec = spec.path("jobTemplate").path("spec");
        errs.addAll(ObjectMetaValidation.validateLabels(Json.stringMap(spec.path("jobTemplate").path("metadata").get("labels")),
                template.child("metadata", "labels")));
        errs.addAll(jobSpec(jobSpec, template.child("spec"), "CronJob"));
        if (Json.present(jobSpec.get("selector"))) {
            errs.add(FieldError.invalid(template.child("spec", "selector"), LabelSelectorValidation.render(jobSpec.get("selector")),
                    "`selector` will be auto-generated"));
        }
        if (jobSpec.path("manualSelector").asBoolean(false)) {
            errs.add(FieldError.notSupported(template.child("spec", "manualSelector"), new GoLiteral("true"), List.of("nil", "false")));
        }
        return errs;
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        try {
            return LabelSelector.fromJson(selector).matches(labels);
        } catch (RuntimeException e) {
            return true; // an unconvertible selector is reported by the selector's own validation
        }
    }

    private static boolean matches(JsonNode selector, Map<String, String> labels) {
        try {
            return LabelSelector.fromJson(selector).matches(labels);
        } catch (RuntimeException e) {
            return true;
        }
    }
}
