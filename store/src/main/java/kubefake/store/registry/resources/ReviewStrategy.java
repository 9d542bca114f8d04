package kubefake.store.registry.resources;

import kubefake.store.registry.KindRules;
import kubefake.store.registry.ResourceStrategy;

/** Reviews (SelfSubjectAccessReview, SubjectAccessReview, SelfSubjectReview): answered on create, never stored. */
public class ReviewStrategy implements ResourceStrategy {
    /** Never stored, so never defaulted, validated or selected by the store. */
    private static final KindRules RULES = KindRules.metadataOnly(false);

    @Override
    public KindRules rules() { return RULES; }

    @Override
    public boolean persisted() { return false; }
}
