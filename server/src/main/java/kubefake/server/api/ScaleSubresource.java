package kubefake.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.server.http.ApiRequest;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.request.RequestContext;

import java.util.List;

/**
 * The HTTP side of the scale subresource: reads the request's Scale (a PUT body or a patch of the current Scale) and
 * hands it to the store, which owns the Scale view of Deployments, ReplicaSets, StatefulSets and
 * ReplicationControllers (so in-process controllers share it).
 */
final class ScaleSubresource {
    private static final ResourceType SCALE = new ResourceType("autoscaling", "v1", "scale", "scale", "Scale",
            "ScaleList", true, List.of(), List.of(), List.of(), List.of(), null);

    private ScaleSubresource() {
    }

    /** The Scale the request reads or writes. */
    static ObjectNode handle(RequestInfo info, ResourceStore store, ApiRequest req) {
        String ns = info.namespace();
        String name = info.name();
        switch (info.verb()) {
            case "get" -> {
                RequestOptions.checkGet(req);
                return store.getScale(ns, name);
            }
            case "update", "patch" -> {
                boolean update = info.verb().equals("update");
                if (!update) PatchEngines.checkSupported(req.header("Content-Type"));
                RequestContext context = (update ? RequestOptions.update(req, "scale") : RequestOptions.patch(req, "scale")).context();
                return store.updateScale(ns, name, current -> update
                        ? BodyDecoder.decodeObject(req.header("Content-Type"), req.body(), SCALE)
                        : PatchEngines.apply(req.header("Content-Type"), current, req.body(), SCALE), context);
            }
            default -> throw ResourceHandler.methodNotAllowed();
        }
    }
}
