package kubefake.server.api;

import io.netty.handler.codec.http.HttpMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a resource URL names (apiserver's RequestInfo): /api/v1/... or /apis/GROUP/VERSION/..., then
 * [namespaces/NS/]RESOURCE[/NAME[/SUBRESOURCE]], or the namespace itself as namespaces/NAME[/status|finalize];
 * and the verb from the method and the watch parameter.
 */
public record RequestInfo(String group, String version, String namespace, String resource, String name,
                          String subresource, String verb) {
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    /** The parsed request, or null when the path is not a resource path (discovery and the like). */
    public static RequestInfo parse(HttpMethod method, String path, boolean watchParam) {
        List<String> parts = segments(path);
        String group;
        String version;
        if (parts.size() >= 3 && parts.get(0).equals("api")) {
            group = "";
            version = parts.get(1);
            parts = parts.subList(2, parts.size());
        } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            version = parts.get(2);
            parts = parts.subList(3, parts.size());
        } else {
            return null;
        }
        boolean watchPath = false;
        if (!parts.isEmpty() && parts.get(0).equals("watch")) {
            watchPath = true;
            parts = parts.subList(1, parts.size());
            if (parts.isEmpty()) return null;
        }
        String namespace = "";
        if (parts.get(0).equals("namespaces") && parts.size() > 1) {
            namespace = parts.get(1);
            if (parts.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) {
                parts = parts.subList(2, parts.size());
            } else {
                // the namespace object itself: namespaces/NAME[/status|finalize]
                namespace = "";
            }
        }
        String resource = parts.get(0);
        String name = parts.size() > 1 ? parts.get(1) : "";
        String subresource = parts.size() > 2 ? parts.get(2) : "";
        // only a proxy has a path after its subresource (pods/NAME/proxy/PATH)
        if (parts.size() > 3 && !subresource.equals("proxy")) {
            return new RequestInfo(group, version, namespace, resource, name, subresource, "unknown");
        }
        String verb = switch (method.name()) {
            case "GET", "HEAD" -> name.isEmpty() ? (watchPath || watchParam ? "watch" : "list") : (watchPath ? "watch" : "get");
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
            default -> "unknown";
        };
        return new RequestInfo(group, version, namespace, resource, name, subresource, verb);
    }

    /** The path's non-empty segments (runs of slashes count as one; leading and trailing ones are dropped). */
    private static List<String> segments(String path) {
        List<String> parts = new ArrayList<>(8);
        int start = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                if (i > start) parts.add(path.substring(start, i));
                start = i + 1;
            }
        }
        return parts;
    }

    /** "pods" or "pods/status", as RBAC and forbidden messages name it. */
    public String resourceWithSubresource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }
}
