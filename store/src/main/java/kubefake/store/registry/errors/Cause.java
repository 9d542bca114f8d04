package kubefake.store.registry.errors;

/**
 * One entry of a Status's {@code details.causes}: a machine-readable reason (for validation errors the field
 * error type such as {@code FieldValueInvalid}), a human message and the field path it concerns. Empty strings
 * mean "not set" and are omitted when rendered, as the real server omits them.
 */
public record Cause(String reason, String message, String field) {

    public Cause {
        reason = reason == null ? "" : reason;
        message = message == null ? "" : message;
        field = field == null ? "" : field;
    }

    /**
     * The text this cause contributes to an Invalid error's message: {@code field: message}, exactly as Go's
     * {@code field.Error.Error()} prints it.
     */
    public String fullText() {
        return field + ": " + message;
    }
}
