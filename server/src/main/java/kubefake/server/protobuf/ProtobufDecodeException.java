package kubefake.server.protobuf;

/** TEMPORARY stub until the proto branch lands. */
public class ProtobufDecodeException extends Exception {
    public ProtobufDecodeException(String message) {
        super(message);
    }
}
