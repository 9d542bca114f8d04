package kubefake.store.registry.authorization;

import kubefake.store.registry.request.UserInfo;

import java.util.List;

/**
 * What an authorizer can list of a user's permissions in a namespace (authorizer.RuleResolver), for
 * SelfSubjectRulesReview ({@code kubectl auth can-i --list}).
 */
public interface RuleResolver {

    /** A resource rule as the review shows it (ResourceRule). */
    record ResourceRule(List<String> verbs, List<String> apiGroups, List<String> resources, List<String> resourceNames) {
    }

    /** A non-resource rule as the review shows it (NonResourceRule). */
    record NonResourceRule(List<String> verbs, List<String> nonResourceURLs) {
    }

    /**
     * @param evaluationError what could not be resolved (a binding to a missing role), "" when nothing
     */
    record Rules(List<ResourceRule> resourceRules, List<NonResourceRule> nonResourceRules, boolean incomplete,
                 String evaluationError) {
    }

    Rules rulesFor(UserInfo user, String namespace);
}
