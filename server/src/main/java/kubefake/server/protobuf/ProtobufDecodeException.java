package kubefake.server.protobuf;

/**
 * A request body that is not a Kubernetes protobuf object this server can read: the {@code k8s\0} magic is
 * missing, the protobuf is malformed, or the apiVersion/kind is unknown. The message is written for the client,
 * to become the message of a 400 BadRequest Status.
 */
public final class ProtobufDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    public ProtobufDecodeException(String message) {
        super(message);
    }

    public ProtobufDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
