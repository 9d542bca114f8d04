package kubefake.server.protobuf;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** TEMPORARY stub until the proto branch lands. */
public final class ProtobufDecoder {
    public static ObjectNode decode(byte[] body) throws ProtobufDecodeException {
        throw new ProtobufDecodeException("protobuf bodies are not supported yet");
    }
}
