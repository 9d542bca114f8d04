package kubefake.store.registry.patch;

import java.util.List;

/**
 * A field as its parent type declares it: the field's type and the extensions written on the declaration
 * itself (strategic merge patch metadata, and list/map semantics that may sit on the declaration rather
 * than on the referenced type).
 *
 * @param name            the JSON name
 * @param type            the resolved type of the field's value
 * @param patchStrategies {@code x-kubernetes-patch-strategy} split at commas ({@code merge}, {@code replace},
 *                        {@code retainKeys}); empty when absent
 * @param patchMergeKey   {@code x-kubernetes-patch-merge-key}, or null
 * @param declared        false for fields no schema declares (untyped content, unknown names)
 * @param declaredListType {@code x-kubernetes-list-type} on the declaration, or null
 * @param declaredMapType  {@code x-kubernetes-map-type} on the declaration, or null
 */
public record SchemaField(String name, SchemaType type, List<String> patchStrategies, String patchMergeKey,
                          boolean declared, String declaredListType, String declaredMapType) {

    static SchemaField undeclared(String name) {
        return new SchemaField(name, SchemaType.UNTYPED, List.of(), null, false, null, null);
    }

    /** The list type, from the declaration or else from the type. */
    public String listType() {
        return declaredListType != null ? declaredListType : type.listType();
    }

    /** The map type, from the declaration or else from the type. */
    public String mapType() {
        return declaredMapType != null ? declaredMapType : type.mapType();
    }
}
