package kubefake.store.registry.resources;

import kubefake.store.registry.KindRules;
import kubefake.store.registry.defaulting.Defaulter;
import kubefake.store.registry.selection.FieldLabels;
import kubefake.store.registry.validation.Validators;

/** batch/v1 CronJobs: status subresource and generation; a delete takes its Jobs with it. */
public final class CronJobStrategy extends StatusStrategy {
    public CronJobStrategy() {
        super(new KindRules(Defaulter.CRON_JOB, Validators.CRON_JOB, FieldLabels.METADATA));
    }

    @Override
    public boolean tracksGeneration() { return true; }
}
