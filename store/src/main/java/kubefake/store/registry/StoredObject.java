package kubefake.store.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/**
 * One object as stored: its JSON without kind and apiVersion (how list items are written), with
 * metadata.resourceVersion already set. Bytes are shared and never mutated; {@link #toNode()} gives a private copy.
 */
public record StoredObject(ResourceType type, byte[] json, long resourceVersion) {

    /** The object as a fresh tree with kind and apiVersion first. */
    public ObjectNode toNode() {
        ObjectNode parsed = Json.parseObject(json);
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("kind", type.kind()).put("apiVersion", type.groupVersion());
        node.setAll(parsed);
        return node;
    }

    /** The JSON of the object with kind and apiVersion, as GET returns it. */
    public byte[] withTypeMeta() {
        byte[] prefix = ("{\"kind\":\"" + type.kind() + "\",\"apiVersion\":\"" + type.groupVersion() + "\""
                + (json.length > 2 ? "," : "")).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[prefix.length + json.length - 1];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(json, 1, out, prefix.length, json.length - 1);
        return out;
    }
}
