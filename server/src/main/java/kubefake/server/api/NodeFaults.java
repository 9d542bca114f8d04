package kubefake.server.api;

import kubefake.store.registry.authorization.AuthorizationAttributes;
import kubefake.store.registry.authorization.Authorizer;
import kubefake.store.registry.authorization.Decision;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.nodesim.SimulatedNodes;
import kubefake.store.registry.request.UserInfo;
import kubefake.server.http.ApiRequest;
import kubefake.server.http.Reply;
import kubefake.store.registry.Json;
import kubefake.store.registry.errors.StatusException;

import java.util.List;
import java.util.Set;

/**
 * kubefake's own endpoint for what a user does on a node's shell ({@code systemctl stop kubelet}), which the
 * Kubernetes API has no verb for. It lives outside {@code /api} and {@code /apis}, so discovery, kubectl and every
 * client see a cluster's API unchanged; like a node's root shell, it is for cluster administrators only
 * ({@code system:masters} or {@code kubeadm:cluster-admins}, the groups of super-admin.conf and admin.conf).
 *
 * <pre>
 * GET  /kubefake/v1/nodes                          every node, whether its kubelet runs and its pods' traffic is dropped
 * GET  /kubefake/v1/nodes/NODE/kubelet             one node's kubelet
 * POST /kubefake/v1/nodes/NODE/kubelet/stop|start  systemctl stop|start kubelet on the node
 * POST /kubefake/v1/nodes/NODE/shell?command=...   one command on the node's shell (kubefake ssh; ApiRouter serves it)
 * </pre>
 */
final class NodeFaults {
    static final String PREFIX = "/kubefake/";
    private static final Set<String> ADMIN_GROUPS = Set.of("system:masters", "kubeadm:cluster-admins");

    private volatile SimulatedNodes nodes;

    void serve(SimulatedNodes simulatedNodes) {
        this.nodes = simulatedNodes;
    }

    static boolean handles(String path) {
        return path.startsWith(PREFIX);
    }

    /** {@code /kubefake/v1/nodes/NODE/shell}. */
    static boolean isShell(String path) {
        return path.matches("/kubefake/v1/nodes/[^/]+/shell/?");
    }

    /**
     * kubefake's own endpoints are for cluster administrators only, beyond what the authorizer allows (a node's
     * shell): others get the real server's 403 for a path.
     */
    static void requireAdmin(ApiRequest req) {
        if (!isAdmin(req.user())) {
            String verb = req.method().name().toLowerCase(java.util.Locale.ROOT);
            throw Authorizer.forbidden(AuthorizationAttributes.nonResource(req.user(), verb, req.path()), Decision.deny(""));
        }
    }

    Reply handle(ApiRequest req) {
        String method = req.method().name();
        requireAdmin(req);
        SimulatedNodes n = nodes;
        if (n == null) return Reply.text(503, "the simulated nodes are not running yet\n");
        List<String> parts = List.of(req.path().replaceAll("^/+|/+$", "").split("/"));
        if (parts.size() < 3 || !parts.get(1).equals("v1") || !parts.get(2).equals("nodes")) return Reply.text(404, "404 page not found\n");
        if (parts.size() == 3) {
            requireMethod(method, "GET");
            ArrayNode items = Json.MAPPER.createArrayNode();
            for (String name : n.names()) items.add(kubelet(n, name));
            ObjectNode list = Json.MAPPER.createObjectNode().put("apiVersion", "kubefake.dev/v1alpha1").put("kind", "NodeKubeletList");
            list.set("items", items);
            return Reply.json(200, Json.bytes(list));
        }
        String node = parts.get(3);
        try {
            if (parts.size() == 5 && parts.get(4).equals("kubelet")) {
                requireMethod(method, "GET");
                return Reply.json(200, Json.bytes(kubelet(n, node)));
            }
            if (parts.size() == 6 && parts.get(4).equals("kubelet") && (parts.get(5).equals("stop") || parts.get(5).equals("start"))) {
                requireMethod(method, "POST");
                if (parts.get(5).equals("stop")) n.stopKubelet(node);
                else n.startKubelet(node);
                return Reply.json(200, Json.bytes(kubelet(n, node)));
            }
        } catch (SimulatedNodes.NoSuchNodeException e) {
            throw StatusException.notFound("", "nodes", node);
        }
        return Reply.text(404, "404 page not found\n");
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) throw StatusException.methodNotAllowed();
    }

    private static ObjectNode kubelet(SimulatedNodes n, String node) {
        return Json.MAPPER.createObjectNode().put("apiVersion", "kubefake.dev/v1alpha1").put("kind", "NodeKubelet")
                .put("node", node).put("running", n.kubeletRunning(node))
                // kube-proxy's rules bypassed (br_netfilter unloaded and the network restarted): what the web view shows
                .put("podTrafficDropped", n.podTrafficDropped(node));
    }

    private static boolean isAdmin(UserInfo user) {
        return user.groups().stream().anyMatch(ADMIN_GROUPS::contains);
    }
}
