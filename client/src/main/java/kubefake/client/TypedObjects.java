package kubefake.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Objects as fabric8's typed model ({@code Pod}, {@code Deployment}...), for controllers and kubelets to read and
 * build at their edges; the machinery itself works on trees and bytes.
 */
public final class TypedObjects {
    /** The registry's mapper, tolerant of fields the typed model does not know. */
    private static final ObjectMapper MAPPER = Json.MAPPER.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private TypedObjects() {
    }

    /** The stored object as {@code type}, read straight from its bytes (no tree in between). */
    public static <T> T as(StoredObject object, Class<T> type) {
        try {
            return MAPPER.readValue(object.withTypeMeta(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + object.type().kind() + " as " + type.getSimpleName(), e);
        }
    }

    /** A tree as {@code type}. */
    public static <T> T as(ObjectNode tree, Class<T> type) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a tree as " + type.getSimpleName(), e);
        }
    }

    /**
     * A typed object as a tree, with its kind and apiVersion filled from its class when missing. Written out and
     * parsed back, so that numbers are the nodes parsing makes (a Long field would otherwise become a LongNode that
     * never equals the IntNode the stored object parses to, and every comparison with the stored state would differ).
     */
    public static ObjectNode toTree(Object typed) {
        ObjectNode tree;
        try {
            tree = Json.parseObject(MAPPER.writeValueAsBytes(typed));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + typed.getClass().getSimpleName(), e);
        }
        if (typed instanceof HasMetadata) {
            Class<?> type = typed.getClass();
            if (!tree.hasNonNull("kind")) tree.put("kind", HasMetadata.getKind(type));
            if (!tree.hasNonNull("apiVersion")) tree.put("apiVersion", HasMetadata.getApiVersion(type));
        }
        return tree;
    }
}
