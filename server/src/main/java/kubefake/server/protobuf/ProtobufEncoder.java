package kubefake.server.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.Descriptor;
import io.kubernetes.client.proto.Meta;
import java.nio.ByteBuffer;

/**
 * Writes {@code application/vnd.kubernetes.protobuf} as the real API server does (apimachinery's
 * {@code runtime/serializer/protobuf}), the inverse of {@link ProtobufDecoder}: an object is the magic {@code k8s\0}
 * and a {@code runtime.Unknown} whose {@code typeMeta} names the kind and whose {@code raw} holds the object; a watch
 * event is a bare {@code metav1.WatchEvent} whose object is such an encoded object.
 */
public final class ProtobufEncoder {

    private static final Descriptor WATCH_EVENT = Meta.getDescriptor().findMessageTypeByName("WatchEvent");

    private ProtobufEncoder() {
    }

    /** True when {@code apiVersion}/{@code kind} has a protobuf form (the built-in kinds and meta/v1's). */
    public static boolean encodes(String apiVersion, String kind) {
        return KindIndex.find(apiVersion, kind).isPresent();
    }

    /**
     * The object (with its {@code kind} and {@code apiVersion} members) in the envelope.
     *
     * @throws IllegalArgumentException for a kind without a protobuf form (check {@link #encodes} first)
     */
    public static byte[] encode(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        // /api's APIVersions and APIResourceList travel without an apiVersion; their messages are meta/v1's
        Descriptor type = descriptor(apiVersion.isEmpty() ? "v1" : apiVersion, kind);
        return envelope(apiVersion, kind, new JsonToProto(GoJsonTags.get()).message(type, object));
    }

    /**
     * A list of kind {@code listKind} from its metadata and items, each item encoded on its own (the whole list is
     * never one tree).
     */
    public static byte[] encodeList(String apiVersion, String listKind, JsonNode listMeta, Iterable<? extends JsonNode> items) {
        Descriptor type = descriptor(apiVersion, listKind);
        JsonToProto writer = new JsonToProto(GoJsonTags.get());
        Descriptor itemType = type.findFieldByName("items").getMessageType();
        ProtoBytes list = new ProtoBytes();
        list.bytes(type.findFieldByName("metadata").getNumber(),
                writer.message(type.findFieldByName("metadata").getMessageType(), listMeta));
        int itemsField = type.findFieldByName("items").getNumber();
        for (JsonNode item : items) {
            list.bytes(itemsField, writer.message(itemType, item));
        }
        return envelope(apiVersion, listKind, list.toByteArray());
    }

    /**
     * A watch event as the watch stream carries it: {@code metav1.WatchEvent} with the type and the encoded object
     * ({@link #encode}) as its {@code runtime.RawExtension}, without magic or envelope of its own.
     */
    public static byte[] watchEvent(String type, byte[] encodedObject) {
        ProtoBytes object = new ProtoBytes();
        object.bytes(1, encodedObject);
        ProtoBytes event = new ProtoBytes();
        event.string(WATCH_EVENT.findFieldByName("type").getNumber(), type);
        event.bytes(WATCH_EVENT.findFieldByName("object").getNumber(), object.toByteArray());
        return event.toByteArray();
    }

    /**
     * The bytes of {@link #watchEvent} before the object's: the event is these, then the encoded object unchanged,
     * so an object encoded once is written after each watcher's header without being copied into a new event.
     */
    public static byte[] watchEventHeader(String type, int encodedObjectLength) {
        ProtoBytes event = new ProtoBytes();
        event.string(WATCH_EVENT.findFieldByName("type").getNumber(), type);
        event.lengthPrefix(WATCH_EVENT.findFieldByName("object").getNumber(),
                ProtoBytes.lengthDelimitedSize(1, encodedObjectLength));
        event.lengthPrefix(1, encodedObjectLength); // runtime.RawExtension's raw
        return event.toByteArray();
    }

    /** A frame of a watch stream over HTTP: the length as 4 bytes, big-endian, then the event. */
    public static byte[] lengthDelimited(byte[] frame) {
        return ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame).array();
    }

    private static Descriptor descriptor(String apiVersion, String kind) {
        return KindIndex.find(apiVersion, kind).orElseThrow(() -> new IllegalArgumentException(
                "no protobuf form for kind \"" + kind + "\" in version \"" + apiVersion + "\""));
    }

    /**
     * The magic and {@code runtime.Unknown} as gogo-protobuf writes it: typeMeta (apiVersion, kind), raw, and the
     * empty contentEncoding and contentType, which Go writes too.
     */
    private static byte[] envelope(String apiVersion, String kind, byte[] raw) {
        ProtoBytes typeMeta = new ProtoBytes();
        typeMeta.string(1, apiVersion);
        typeMeta.string(2, kind);
        ProtoBytes unknown = new ProtoBytes();
        unknown.bytes(1, typeMeta.toByteArray());
        unknown.bytes(2, raw);
        unknown.string(3, "");
        unknown.string(4, "");
        byte[] body = unknown.toByteArray();
        byte[] out = new byte[ProtobufDecoder.MAGIC.length + body.length];
        System.arraycopy(ProtobufDecoder.MAGIC, 0, out, 0, ProtobufDecoder.MAGIC.length);
        System.arraycopy(body, 0, out, ProtobufDecoder.MAGIC.length, body.length);
        return out;
    }
}
