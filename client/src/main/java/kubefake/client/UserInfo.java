package kubefake.client;

import java.util.List;

/**
 * Who an in-process client acts as: the identity a control-plane component or kubelet authenticates with in a
 * real cluster.
 */
public record UserInfo(String name, String uid, List<String> groups) {
    public static final UserInfo KUBE_CONTROLLER_MANAGER = component("system:kube-controller-manager");
    public static final UserInfo KUBE_SCHEDULER = component("system:kube-scheduler");

    public UserInfo {
        groups = List.copyOf(groups);
    }

    private static UserInfo component(String name) {
        return new UserInfo(name, "", List.of("system:authenticated"));
    }

    /** A kubelet's identity: {@code system:node:<name>} in {@code system:nodes}. */
    public static UserInfo node(String nodeName) {
        return new UserInfo("system:node:" + nodeName, "", List.of("system:nodes", "system:authenticated"));
    }

    /** A controller's service account in kube-system (kube-controller-manager's --use-service-account-credentials). */
    public static UserInfo controllerServiceAccount(String controller) {
        return new UserInfo("system:serviceaccount:kube-system:" + controller, "",
                List.of("system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"));
    }
}
