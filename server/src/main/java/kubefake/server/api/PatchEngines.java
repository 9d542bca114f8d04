package kubefake.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.errors.StatusDetails;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.patch.PatchException;
import kubefake.store.registry.patch.PatchType;
import kubefake.store.registry.patch.Patches;

/** Applies a PATCH body with the engine its Content-Type names, turning engine failures into Status errors. */
final class PatchEngines {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PatchEngines() {
    }

    /** 415 for a patch type this server does not apply, before anything is read (even for a missing object). */
    static void checkSupported(String contentType) {
        PatchType patchType = PatchType.fromContentType(contentType);
        if (patchType == null) {
            throw StatusException.unsupportedMediaType(PatchType.BUILT_IN.stream().map(PatchType::contentType).toList());
        }
    }

    /** As above for a resource: custom resources take no strategic merge patch (415 listing what they take). */
    static void checkSupported(String contentType, ResourceType type) {
        checkSupported(contentType);
        if (type.custom() && PatchType.fromContentType(contentType) == PatchType.STRATEGIC) {
            throw StatusException.unsupportedMediaType(PatchType.CUSTOM_RESOURCE.stream().map(PatchType::contentType).toList());
        }
    }

    static boolean isApply(String contentType) {
        return PatchType.fromContentType(contentType) == PatchType.APPLY_YAML;
    }

    /** An apply body: YAML (or JSON, which is YAML) holding one object, as {@code yaml.Unmarshal} reads it. */
    static ObjectNode decodeApply(byte[] body) {
        JsonNode parsed;
        try {
            parsed = body.length == 0 ? null : YAML.readTree(body);
        } catch (IOException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw StatusException.badRequest("error decoding patch: error converting YAML to JSON: yaml: " + message);
        }
        if (parsed == null || parsed.isNull() || parsed.isMissingNode()) return Json.MAPPER.createObjectNode();
        if (!(parsed instanceof ObjectNode o)) {
            throw StatusException.badRequest("error decoding patch: json: cannot unmarshal " + goJsonKind(parsed)
                    + " into Go value of type map[string]interface {}");
        }
        return o;
    }

    private static String goJsonKind(JsonNode n) {
        if (n.isArray()) return "array";
        if (n.isTextual()) return "string";
        if (n.isNumber()) return "number";
        if (n.isBoolean()) return "bool";
        return "object";
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
