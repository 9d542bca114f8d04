package kubefake.server.api;

import io.netty.util.AsciiString;
import kubefake.server.http.ApiRequest;
import kubefake.store.registry.authorization.AuthorizationAttributes;
import kubefake.store.registry.authorization.Authorizer;
import kubefake.store.registry.authorization.Decision;
import kubefake.store.registry.request.UserInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * kube-apiserver's impersonation filter ({@code kubectl --as=USER --as-group=GROUP --as-uid=UID}): each thing the
 * request asks to act as is authorized for the real user first ({@code impersonate} on {@code users},
 * {@code groups}, {@code serviceaccounts} in their namespace, {@code uids} of authentication.k8s.io), then the
 * request goes on as the impersonated user: a service account gets its groups when none are asked for, and
 * {@code system:authenticated} is added unless an authenticated/unauthenticated group is named.
 */
final class Impersonation {
    // AsciiStrings keep their case-insensitive hash: every request looks the three up
    static final AsciiString USER = AsciiString.cached("Impersonate-User");
    static final AsciiString GROUP = AsciiString.cached("Impersonate-Group");
    static final AsciiString UID = AsciiString.cached("Impersonate-Uid");
    private static final String SA_PREFIX = "system:serviceaccount:";

    private Impersonation() {
    }

    /** The request as the impersonated user, the request itself when it impersonates no one. */
    static ApiRequest apply(ApiRequest req, Authorizer authorizer) {
        String requestedUser = req.headers().get(USER);
        String requestedUid = req.headers().get(UID);
        boolean hasUser = requestedUser != null && !requestedUser.isEmpty();
        boolean hasUid = requestedUid != null && !requestedUid.isEmpty();
        if (!hasUser && !hasUid && !req.headers().contains(GROUP)) return req;
        List<String> requestedGroups = req.headers().getAll(GROUP);
        if (!hasUser) {
            // the real filter refuses groups or a uid without a user (an internal error, as kubectl never sends it)
            throw kubefake.store.registry.errors.StatusException.internal(
                    "requested [" + (hasUid ? "uid" : "groups") + "] without impersonating a user");
        }
        UserInfo requestor = req.user();
        String username = requestedUser;
        List<String> groups = new ArrayList<>();
        String[] sa = serviceAccount(requestedUser);
        if (sa != null) {
            check(authorizer, AuthorizationAttributes.resource(requestor, "impersonate", "", "serviceaccounts", "", sa[0], sa[1]));
            if (requestedGroups.isEmpty()) {
                groups.add("system:serviceaccounts");
                groups.add("system:serviceaccounts:" + sa[0]);
            }
        } else {
            check(authorizer, AuthorizationAttributes.resource(requestor, "impersonate", "", "users", "", "", requestedUser));
        }
        for (String g : requestedGroups) {
            check(authorizer, AuthorizationAttributes.resource(requestor, "impersonate", "", "groups", "", "", g));
            groups.add(g);
        }
        if (hasUid) {
            check(authorizer, AuthorizationAttributes.resource(requestor, "impersonate", "authentication.k8s.io", "uids", "", "", requestedUid));
        }
        if (!username.equals(UserInfo.ANONYMOUS.name())) {
            if (!groups.contains(UserInfo.AUTHENTICATED) && !groups.contains("system:unauthenticated")) groups.add(UserInfo.AUTHENTICATED);
        } else if (!groups.contains("system:unauthenticated")) {
            groups.add("system:unauthenticated");
        }
        UserInfo user = new UserInfo(username, hasUid ? requestedUid : "", groups);
        return req.as(user);
    }

    /** serviceaccount.SplitUsername: {@code system:serviceaccount:NS:NAME} as [NS, NAME], else null. */
    private static String[] serviceAccount(String username) {
        if (!username.startsWith(SA_PREFIX)) return null;
        String[] parts = username.substring(SA_PREFIX.length()).split(":", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) return null;
        return parts;
    }

    private static void check(Authorizer authorizer, AuthorizationAttributes a) {
        Decision d = authorizer.authorize(a);
        if (!d.allowed()) throw Authorizer.forbidden(a, d);
    }
}
