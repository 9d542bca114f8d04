package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.KindRules;
import kubefake.store.registry.defaulting.Defaulter;
import kubefake.store.registry.selection.FieldLabels;
import kubefake.store.registry.validation.Validators;

/**
 * batch/v1 Jobs: status subresource, generation, and the selector the server generates on create (unless
 * {@code spec.manualSelector}): {@code batch.kubernetes.io/controller-uid=<uid>}, with the template labelled by the
 * Job's uid and name under both the {@code batch.kubernetes.io/} keys and the legacy unprefixed ones. A batch/v1 delete
 * that names no propagation policy orphans the Job's pods, as the real server keeps it for compatibility. A Job without
 * labels carries its template's (with the generated ones), as the real server's {@code SetDefaults_Job} gives it on
 * every decode, the read back from storage included.
 */
public final class JobStrategy extends StatusStrategy {
    public static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    public static final String JOB_NAME = "batch.kubernetes.io/job-name";

    public JobStrategy() {
        super(new KindRules(Defaulter.JOB, Validators.JOB, FieldLabels.JOB));
    }

    @Override
    public boolean tracksGeneration() { return true; }

    @Override
    public void prepareForCreate(ObjectNode job) {
        super.prepareForCreate(job);
        ObjectNode spec = job.with("spec");
        if (!spec.path("manualSelector").asBoolean(false)) generateSelector(job, spec);
        labelsFromTemplate(job);
    }

    @Override
    public void prepareForUpdate(ObjectNode job, ObjectNode old) {
        labelsFromTemplate(job);
    }

    private static void generateSelector(ObjectNode job, ObjectNode spec) {
        ObjectNode meta = Json.metadata(job);
        String uid = meta.path("uid").asText();
        String name = meta.path("name").asText();
        ObjectNode labels = spec.with("template").with("metadata").with("labels");
        labels.put(CONTROLLER_UID, uid);
        labels.put(JOB_NAME, name);
        labels.put("controller-uid", uid);
        labels.put("job-name", name);
        if (!spec.has("selector") || spec.get("selector").isNull()) {
            spec.putObject("selector").putObject("matchLabels").put(CONTROLLER_UID, uid);
        }
    }

    private static void labelsFromTemplate(ObjectNode job) {
        JsonNode templateLabels = job.path("spec").path("template").path("metadata").path("labels");
        if (!templateLabels.isObject() || templateLabels.isEmpty()) return;
        ObjectNode meta = Json.metadata(job);
        JsonNode labels = meta.get("labels");
        if (labels == null || labels.isNull() || labels.isEmpty()) meta.set("labels", templateLabels.deepCopy());
    }

    @Override
    public GarbageCollectionPolicy defaultGarbageCollectionPolicy() { return GarbageCollectionPolicy.ORPHAN_DEPENDENTS; }
}
