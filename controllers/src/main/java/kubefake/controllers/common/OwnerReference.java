package kubefake.controllers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.util.ArrayList;
import java.util.List;

/** A {@code metav1.OwnerReference}. */
public record OwnerReference(String apiVersion, String kind, String name, String uid, boolean controller,
                             boolean blockOwnerDeletion) {

    /** The reference a controller puts on what it creates ({@code metav1.NewControllerRef}). */
    public static OwnerReference controllerRef(JsonNode owner, String apiVersion, String kind) {
        return new OwnerReference(apiVersion, kind, Meta.name(owner), Meta.uid(owner), true, true);
    }

    public static OwnerReference fromJson(JsonNode ref) {
        return new OwnerReference(Json.text(ref, "apiVersion"), Json.text(ref, "kind"), Json.text(ref, "name"),
                Json.text(ref, "uid"), ref.path("controller").asBoolean(false), ref.path("blockOwnerDeletion").asBoolean(false));
    }

    /** Every owner reference of the object. */
    public static List<OwnerReference> of(JsonNode object) {
        List<OwnerReference> out = new ArrayList<>();
        for (JsonNode ref : object.path("metadata").path("ownerReferences")) out.add(fromJson(ref));
        return out;
    }

    /** The owner with controller=true, or null ({@code metav1.GetControllerOf}). */
    public static OwnerReference controllerOf(JsonNode object) {
        for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) return fromJson(ref);
        }
        return null;
    }

    /** As Go's encoder writes it (field order of the struct, false booleans left out as the pointers are unset). */
    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("apiVersion", apiVersion).put("kind", kind).put("name", name).put("uid", uid);
        if (controller) o.put("controller", true);
        if (blockOwnerDeletion) o.put("blockOwnerDeletion", true);
        return o;
    }

    /** The API group of the owner's apiVersion ("" for core). */
    public String group() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }
}
