package kubefake.store.registry.patch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The strategic merge patch errors of apimachinery's {@code mergepatch} package, with the status code the
 * real server answers each with ({@code interpretStrategicMergePatchError}): malformed directives are 400,
 * lists of lists 422, and everything else a 500 without a reason, whose message kubectl prints as
 * {@code Error from server: <message>}.
 */
final class MergeErrors {

    static final String MAP_TYPE = "map[string]interface {}";
    static final String LIST_TYPE = "[]interface {}";

    private MergeErrors() {
    }

    static PatchException badPatchFormatForPrimitiveList() {
        return PatchException.badRequest("invalid patch format of primitive list");
    }

    static PatchException badPatchFormatForRetainKeys() {
        return PatchException.badRequest("invalid patch format of retainKeys");
    }

    static PatchException badPatchFormatForSetElementOrderList() {
        return PatchException.badRequest("invalid patch format of setElementOrder list");
    }

    static PatchException noListOfLists() {
        return PatchException.unprocessable("lists of lists are not supported");
    }

    static PatchException noMergeKey(JsonNode map, String mergeKey) {
        return PatchException.internal(
                "map: " + GoText.value(map) + " does not contain declared merge key: " + mergeKey);
    }

    static PatchException badArgType(String expectedType, JsonNode actual) {
        return PatchException.internal(
                "expected a " + expectedType + ", but received a " + GoText.typeName(actual));
    }

    static PatchException badPatchType(JsonNode directive, JsonNode map) {
        return PatchException.internal(
                "unknown patch type: " + GoText.value(directive) + " in map: " + GoText.value(map));
    }

    static PatchException notAMap(int index) {
        return PatchException.internal("value for key " + index + " is not a map");
    }
}
