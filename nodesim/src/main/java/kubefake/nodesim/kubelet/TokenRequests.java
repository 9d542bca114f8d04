package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The API's TokenRequest ({@code serviceaccounts/NAME/token}), which a kubelet calls for the service account token
 * of a pod's projected volume: the answer carries {@code status.token}. The API server issues it; the simulated
 * kubelets are handed this door to it.
 */
@FunctionalInterface
public interface TokenRequests {
    /** A cluster that issues no tokens: projected token files stay absent. */
    TokenRequests NONE = (namespace, serviceAccount, request) -> null;

    /** The TokenRequest answered (status.token filled in), or null when no token can be issued. */
    ObjectNode create(String namespace, String serviceAccount, ObjectNode request);
}
