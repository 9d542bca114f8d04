package kubefake.store.registry.resources;

import kubefake.store.registry.ResourceStrategy;

/** Reviews (SelfSubjectAccessReview, SubjectAccessReview, SelfSubjectReview): answered on create, never stored. */
public class ReviewStrategy implements ResourceStrategy {
    @Override
    public boolean persisted() { return false; }
}
