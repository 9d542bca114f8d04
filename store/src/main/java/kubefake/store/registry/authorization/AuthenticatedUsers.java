package kubefake.store.registry.authorization;

/**
 * The authorizer until RBAC exists: every authenticated user may do everything (as admin.conf's
 * kubeadm:cluster-admins, bound to cluster-admin, may in a real cluster); anonymous users may only read the public
 * health and version endpoints, as system:public-info-viewer allows.
 */
public final class AuthenticatedUsers implements Authorizer, RuleResolver {

    @Override
    public Decision authorize(AuthorizationAttributes a) {
        if (a.user() != null && !a.user().isAnonymous() && !a.user().name().isEmpty()) return Decision.allow("");
        if (!a.isResourceRequest() && isPublicPath(a.path())) return Decision.allow("");
        return Decision.deny("");
    }

    /** Everything, for every user: one rule of each kind says so. */
    @Override
    public Rules rulesFor(kubefake.store.registry.request.UserInfo user, String namespace) {
        java.util.List<String> all = java.util.List.of("*");
        return new Rules(java.util.List.of(new ResourceRule(all, all, all, java.util.List.of())),
                java.util.List.of(new NonResourceRule(all, all)), false, "");
    }

    static boolean isPublicPath(String path) {
        return path.equals("/version") || path.equals("/version/")
                || path.equals("/healthz") || path.startsWith("/healthz/")
                || path.equals("/livez") || path.startsWith("/livez/")
                || path.equals("/readyz") || path.startsWith("/readyz/");
    }
}
