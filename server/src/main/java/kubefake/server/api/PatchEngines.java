package kubefake.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.errors.StatusDetails;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.patch.PatchException;
import kubefake.store.registry.patch.PatchType;
import kubefake.store.registry.patch.Patches;

/** Applies a PATCH body with the engine its Content-Type names, turning engine failures into Status errors. */
final class PatchEngines {
    private PatchEngines() {
    }

    /** 415 for a patch type this server does not apply, before anything is read (even for a missing object). */
    static void checkSupported(String contentType) {
        PatchType patchType = PatchType.fromContentType(contentType);
        if (patchType == null || patchType == PatchType.APPLY_YAML) {
            // server-side apply (application/apply-patch+yaml) is not served yet: kubectl then says
            // "Server-side apply not available on the server"
            throw StatusException.unsupportedMediaType(PatchType.BUILT_IN.stream().filter(t -> t != PatchType.APPLY_YAML)
                    .map(PatchType::contentType).toList());
        }
    }

    static ObjectNode apply(String contentType, ObjectNode current, byte[] body, ResourceType type) {
        checkSupported(contentType);
        PatchType patchType = PatchType.fromContentType(contentType);
        try {
            JsonNode patch = Patches.parseBody(body);
            JsonNode result = Patches.apply(patchType, current, patch, type.group(), type.version(), type.kind());
            if (!(result instanceof ObjectNode o)) throw StatusException.badRequest("the patch did not produce an object");
            return o;
        } catch (PatchException e) {
            // NewGenericServerResponse (the 422s) always sets details, here without causes; the others have none
            throw new StatusException(e.code(), e.reason(), e.getMessage(), e.code() == 422 ? StatusDetails.EMPTY : null);
        }
    }
}
