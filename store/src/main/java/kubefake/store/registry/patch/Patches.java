package kubefake.store.registry.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The entry point of a PATCH request: parses the body and applies it with the engine its content type
 * names, as the real server's patch handler does (built-in kinds get strategic merge patch from their
 * bundled schema; kinds without one, i.e. custom resources, get a 415 for it).
 */
public final class Patches {

    // floats as decimals: 1e99999 stays a (huge) number instead of becoming Infinity, which JSON cannot carry
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private Patches() {
    }

    /**
     * Parses a JSON PATCH body (every type but server-side apply).
     *
     * @throws PatchException 400 {@code invalid JSON patch} when the body is not one JSON value
     */
    public static JsonNode parseBody(byte[] body) {
        try {
            JsonNode parsed = body == null ? null : JSON.readTree(body);
            if (parsed == null || parsed.isMissingNode()) {
                throw PatchException.badRequest("invalid JSON patch");
            }
            return parsed;
        } catch (JsonProcessingException e) {
            throw PatchException.badRequest("invalid JSON patch");
        } catch (IOException e) {
            throw new IllegalStateException("reading an in-memory body failed", e);
        }
    }

    /**
     * Applies {@code patch} to (a copy of) {@code current}, an object of the given kind.
     *
     * @throws PatchException               when the real server would refuse the patch, including 415 for a
     *                                      strategic merge patch on a kind without a bundled schema, and 422
     *                                      when the result is not a JSON object
     * @throws IllegalArgumentException     for {@link PatchType#APPLY_YAML}: server-side apply is not a patch
     *                                      engine here
     */
    public static JsonNode apply(PatchType type, JsonNode current, JsonNode patch,
                                 String group, String version, String kind) {
        JsonNode result = switch (type) {
            case JSON -> JsonPatch.apply(current, patch);
            case MERGE -> MergePatch.apply(current, patch);
            case STRATEGIC -> {
                SchemaType schema = PatchSchema.forGroupVersionKind(group, version, kind);
                if (schema == null) {
                    throw PatchException.unsupportedMediaType(PatchType.CUSTOM_RESOURCE);
                }
                yield StrategicMergePatch.apply(current, patch, schema);
            }
            case APPLY_YAML -> throw new IllegalArgumentException("server-side apply is not implemented by Patches");
        };
        if (!result.isObject()) {
            throw PatchException.unprocessable("the patched document is a JSON " + JsonValues.jsonKind(result)
                    + ", not an object");
        }
        return result;
    }
}
