package kubefake.server.protobuf;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.Runtime;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads a {@code application/vnd.kubernetes.protobuf} request body (what kubectl 1.32+ sends for typed creates
 * and updates) into the JSON object that kubectl 1.31 would have sent for the same command, so the server can
 * handle it exactly like a JSON body.
 *
 * <p>Wire format: the magic {@code k8s\0}, then a {@code runtime.Unknown} message whose {@code typeMeta} names
 * the kind and whose {@code raw} holds the object encoded per k8s.io/api's {@code generated.proto}.
 */
public final class ProtobufDecoder {

    /** The prefix of every Kubernetes protobuf body: "k8s" and a zero byte. */
    static final byte[] MAGIC = {'k', '8', 's', 0};

    private ProtobufDecoder() {
    }

    /**
     * The object in {@code body} as JSON, starting with {@code kind} and {@code apiVersion} from the envelope.
     *
     * @throws ProtobufDecodeException if the magic is missing, the protobuf is malformed, or the apiVersion/kind is
     *     not a built-in Kubernetes kind; the message suits a 400 BadRequest
     */
    public static ObjectNode decode(byte[] body) throws ProtobufDecodeException {
        return decode(body, "", "");
    }

    /**
     * Like {@link #decode(byte[])}, but an envelope without apiVersion or kind takes them from the endpoint the
     * body was sent to, as the API server does.
     */
    public static ObjectNode decode(byte[] body, String defaultApiVersion, String defaultKind)
            throws ProtobufDecodeException {
        Envelope envelope = Envelope.parse(body);
        String apiVersion = orDefault(envelope.apiVersion(), defaultApiVersion);
        String kind = orDefault(envelope.kind(), defaultKind);
        if (kind.isEmpty()) {
            throw new ProtobufDecodeException("Object 'Kind' is missing in the protobuf body");
        }
        if (apiVersion.isEmpty()) {
            throw new ProtobufDecodeException("Object 'apiVersion' is missing in the protobuf body");
        }
        if (!envelope.contentEncoding().isEmpty()) {
            throw new ProtobufDecodeException(
                    "unsupported contentEncoding \"" + envelope.contentEncoding() + "\" in the protobuf body");
        }
        Descriptor type = KindIndex.find(apiVersion, kind).orElseThrow(() -> new ProtobufDecodeException(
                "no kind \"" + kind + "\" is registered for version \"" + apiVersion + "\""));
        DynamicMessage object;
        try {
            object = DynamicMessage.parseFrom(type, envelope.raw());
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufDecodeException("unable to decode " + kind + " from protobuf: " + e.getMessage(), e);
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("kind", kind);
        json.put("apiVersion", apiVersion);
        json.setAll(new ProtoToJson(GoJsonTags.get()).object(object));
        return json;
    }

    /**
     * The {@code runtime.Unknown} wrapper, read through its descriptor: client-java-proto's generated classes predate
     * protobuf 22 and make the protobuf runtime log a warning on first use, so only descriptors are used here.
     */
    private record Envelope(String apiVersion, String kind, ByteString raw, String contentEncoding) {

        private static final Descriptor UNKNOWN = Runtime.getDescriptor().findMessageTypeByName("Unknown");

        static Envelope parse(byte[] body) throws ProtobufDecodeException {
            if (body == null || body.length == 0) {
                throw new ProtobufDecodeException("empty data");
            }
            if (body.length < MAGIC.length || !Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                throw new ProtobufDecodeException(
                        "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
            }
            if (body.length == MAGIC.length) {
                throw new ProtobufDecodeException("empty body");
            }
            DynamicMessage unknown;
            try {
                unknown = DynamicMessage.parseFrom(UNKNOWN,
                        CodedInputStream.newInstance(body, MAGIC.length, body.length - MAGIC.length));
            } catch (InvalidProtocolBufferException e) {
                throw new ProtobufDecodeException("unable to decode the protobuf envelope: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new ProtobufDecodeException("unable to read the protobuf envelope: " + e.getMessage(), e);
            }
            Message typeMeta = (Message) unknown.getField(UNKNOWN.findFieldByName("typeMeta"));
            return new Envelope(
                    string(typeMeta, "apiVersion"),
                    string(typeMeta, "kind"),
                    (ByteString) unknown.getField(UNKNOWN.findFieldByName("raw")),
                    string(unknown, "contentEncoding"));
        }

        private static String string(Message message, String field) {
            return (String) message.getField(message.getDescriptorForType().findFieldByName(field));
        }
    }

    private static String orDefault(String value, String fallback) {
        return value.isEmpty() ? fallback : value;
    }
}
