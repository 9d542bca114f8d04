package kubefake.store.registry.rbac;

import kubefake.store.registry.authorization.AuthorizationAttributes;
import kubefake.store.registry.authorization.Authorizer;
import kubefake.store.registry.authorization.Decision;
import kubefake.store.registry.authorization.RuleResolver;
import kubefake.store.registry.request.UserInfo;

import java.util.List;

/**
 * kube-apiserver's authorizer chain for {@code --authorization-mode=Node,RBAC}: members of {@code system:masters}
 * may do everything (the privileged-group authorizer, which answers without a reason), everyone else what the RBAC
 * rules granted to them allow. The Node authorizer has nothing to decide here: the simulated kubelets are in
 * process and never send HTTP requests.
 * <p>
 * An allowed request's reason names the binding ({@code RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y"
 * to User "alice"}); a refusal has no reason unless a binding could not be resolved
 * ({@code RBAC: role.rbac.authorization.k8s.io "missing" not found}), which the 403 then appends.
 */
public final class RbacAuthorizer implements Authorizer, RuleResolver {
    private final RbacPolicy policy;

    public RbacAuthorizer(RbacPolicy policy) {
        this.policy = policy;
    }

    public RbacPolicy policy() {
        return policy;
    }

    @Override
    public Decision authorize(AuthorizationAttributes a) {
        UserInfo user = a.user();
        if (user == null) return Decision.deny("");
        if (user.groups().contains(UserInfo.MASTERS)) return Decision.allow("");
        RbacPolicy.Rules rules = policy.snapshot().rulesFor(user, a.namespace());
        for (RbacPolicy.GrantedRule g : rules.rules()) {
            if (g.rule().allows(a)) return Decision.allow(g.allowedReason());
        }
        return Decision.deny(rules.errors().isEmpty() ? "" : "RBAC: " + aggregate(rules.errors()));
    }

    /**
     * The rules the user has in the namespace (RBACAuthorizer.RulesFor): each granted rule as a resource rule when
     * it names resources and as a non-resource rule when it names URLs; never incomplete, the unresolved bindings'
     * errors as the evaluation error.
     */
    @Override
    public Rules rulesFor(UserInfo user, String namespace) {
        RbacPolicy.Rules granted = policy.snapshot().rulesFor(user, namespace);
        List<ResourceRule> resources = new java.util.ArrayList<>();
        List<NonResourceRule> nonResources = new java.util.ArrayList<>();
        for (RbacPolicy.GrantedRule g : granted.rules()) {
            PolicyRule r = g.rule();
            if (!r.resources().isEmpty()) resources.add(new ResourceRule(r.verbs(), r.apiGroups(), r.resources(), r.resourceNames()));
            if (!r.nonResourceURLs().isEmpty()) nonResources.add(new NonResourceRule(r.verbs(), r.nonResourceURLs()));
        }
        return new Rules(resources, nonResources, false, granted.errors().isEmpty() ? "" : aggregate(granted.errors()));
    }

    /** utilerrors.NewAggregate(...).Error(): one distinct message as it is, several as {@code [a, b]}. */
    static String aggregate(List<String> errors) {
        List<String> distinct = errors.stream().distinct().toList();
        return distinct.size() == 1 ? distinct.get(0) : "[" + String.join(", ", distinct) + "]";
    }
}
