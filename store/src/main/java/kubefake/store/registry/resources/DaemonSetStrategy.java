package kubefake.store.registry.resources;

import kubefake.store.registry.KindRules;
import kubefake.store.registry.defaulting.Defaulter;
import kubefake.store.registry.selection.FieldLabels;
import kubefake.store.registry.validation.Validators;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

/**
 * DaemonSets: a workload whose template changes are counted in the
 * {@code deprecated.daemonset.template.generation} annotation, as apps/v1 carries the internal
 * {@code spec.templateGeneration}: 1 on create (or the client's value when it is a positive number), one more each time
 * an update changes the pod template; clients cannot set it otherwise. The DaemonSet controller labels its pods with it
 * ({@code pod-template-generation}).
 */
public class DaemonSetStrategy extends WorkloadStrategy {
    public DaemonSetStrategy() {
        super(new KindRules(Defaulter.DAEMON_SET, Validators.DAEMON_SET, FieldLabels.METADATA));
    }

    public static final String TEMPLATE_GENERATION = "deprecated.daemonset.template.generation";

    @Override
    public void prepareForCreate(ObjectNode ds) {
        super.prepareForCreate(ds);
        long given = templateGeneration(ds);
        Json.metadata(ds).with("annotations").put(TEMPLATE_GENERATION, Long.toString(given < 1 ? 1 : given));
    }

    @Override
    public void prepareForUpdate(ObjectNode ds, ObjectNode old) {
        super.prepareForUpdate(ds, old);
        long generation = Math.max(1, templateGeneration(old));
        // the update is already defaulted and in Go's shape, so it compares with the stored template as it is
        if (!ds.path("spec").path("template").equals(old.path("spec").path("template"))) generation++;
        Json.metadata(ds).with("annotations").put(TEMPLATE_GENERATION, Long.toString(generation));
    }

    /** The annotation's value, 0 when absent or not a number. */
    public static long templateGeneration(ObjectNode ds) {
        try {
            return Long.parseLong(Json.text(ds.path("metadata").path("annotations"), TEMPLATE_GENERATION));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
