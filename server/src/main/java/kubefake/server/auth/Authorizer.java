package kubefake.server.auth;

import kubefake.store.registry.request.UserInfo;

/**
 * Decides whether a user may make a request. Until RBAC exists every authenticated user may do everything (admin.conf's
 * kubeadm:cluster-admins is bound to cluster-admin in a real cluster); anonymous users may only read the public
 * health and version endpoints, as system:public-info-viewer allows in a real cluster.
 */
public final class Authorizer {

    public boolean allowedNonResource(UserInfo user, String path) {
        if (!user.isAnonymous()) return true;
        return isPublicPath(path);
    }

    public boolean allowedResource(UserInfo user) {
        return !user.isAnonymous();
    }

    static boolean isPublicPath(String path) {
        return path.equals("/version") || path.equals("/version/")
                || path.equals("/healthz") || path.startsWith("/healthz/")
                || path.equals("/livez") || path.startsWith("/livez/")
                || path.equals("/readyz") || path.startsWith("/readyz/");
    }
}
