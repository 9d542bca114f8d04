package kubefake.store.registry.request;

import java.util.List;
import java.util.Map;

/**
 * Who makes a request (apiserver's {@code user.Info}): the user the authenticators found for an HTTP request, or
 * the identity an in-process component acts as, which is what it authenticates with in a real cluster. {@code extra}
 * holds what a service account token adds ({@code authentication.kubernetes.io/credential-id}, the bound pod).
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
    public static final String AUTHENTICATED = "system:authenticated";
    public static final String MASTERS = "system:masters";

    public static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", "", List.of("system:unauthenticated"));
    /** The API server's own loopback client (bootstrap objects, system upkeep). */
    public static final UserInfo API_SERVER = new UserInfo("system:apiserver", "", List.of(MASTERS, AUTHENTICATED));
    public static final UserInfo KUBE_CONTROLLER_MANAGER = component("system:kube-controller-manager");
    public static final UserInfo KUBE_SCHEDULER = component("system:kube-scheduler");

    public UserInfo {
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
    }

    /** A user without extra attributes. */
    public UserInfo(String name, String uid, List<String> groups) {
        this(name, uid, groups, Map.of());
    }

    public boolean isAnonymous() {
        return name.equals(ANONYMOUS.name());
    }

    private static UserInfo component(String name) {
        return new UserInfo(name, "", List.of(AUTHENTICATED));
    }

    /** A kubelet's identity: {@code system:node:<name>} in {@code system:nodes}. */
    public static UserInfo node(String nodeName) {
        return new UserInfo("system:node:" + nodeName, "", List.of("system:nodes", AUTHENTICATED));
    }

    /** A controller's service account in kube-system (kube-controller-manager's --use-service-account-credentials). */
    public static UserInfo controllerServiceAccount(String controller) {
        return new UserInfo("system:serviceaccount:kube-system:" + controller, "",
                List.of("system:serviceaccounts", "system:serviceaccounts:kube-system", AUTHENTICATED));
    }
}
