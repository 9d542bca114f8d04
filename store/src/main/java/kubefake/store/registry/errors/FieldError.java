package kubefake.store.registry.errors;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A field-level validation error, the counterpart of Go's {@code field.Error}: a type, the field path, the
 * offending value and a detail. {@link #body()} produces the message text exactly like {@code ErrorBody()}
 * ({@code Invalid value: "x": detail}, {@code Required value}, {@code Unsupported value: "x": supported values:
 * "a", "b"}), and {@link #toCause()} the Status cause the server returns.
 */
public final class FieldError {

    /** The error types with their cause reason and message prefix. */
    public enum Type {
        NOT_FOUND("FieldValueNotFound", "Not found"),
        REQUIRED("FieldValueRequired", "Required value"),
        DUPLICATE("FieldValueDuplicate", "Duplicate value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        FORBIDDEN("FieldValueForbidden", "Forbidden"),
        TOO_LONG("FieldValueTooLong", "Too long"),
        TOO_MANY("FieldValueTooMany", "Too many"),
        INTERNAL("InternalError", "Internal error"),
        TYPE_INVALID("FieldValueTypeInvalid", "Invalid value");

        private final String reason;
        private final String text;

        Type(String reason, String text) {
            this.reason = reason;
            this.text = text;
        }

        /** The cause reason, e.g. {@code FieldValueInvalid}. */
        public String reason() {
            return reason;
        }

        /** The message prefix, e.g. {@code Invalid value}. */
        public String text() {
            return text;
        }
    }

    private final Type type;
    private final String field;
    private final String renderedValue; // null: the body does not show a value
    private final String detail;

    private FieldError(Type type, FieldPath field, String renderedValue, String detail) {
        this.type = type;
        this.field = field.toString();
        this.renderedValue = renderedValue;
        this.detail = detail == null ? "" : detail;
    }

    /** {@code Invalid value: <value>: <detail>}. */
    public static FieldError invalid(FieldPath path, Object value, String detail) {
        return new FieldError(Type.INVALID, path, render(value), detail);
    }

    /** {@code Invalid value: <detail>}: Go's {@code field.OmitValueType}, an invalid field whose value is not shown. */
    public static FieldError invalidOmitValue(FieldPath path, String detail) {
        return new FieldError(Type.INVALID, path, null, detail);
    }

    /** {@code Required value[: detail]}. */
    public static FieldError required(FieldPath path, String detail) {
        return new FieldError(Type.REQUIRED, path, null, detail);
    }

    /** {@code Duplicate value: <value>}. */
    public static FieldError duplicate(FieldPath path, Object value) {
        return new FieldError(Type.DUPLICATE, path, render(value), "");
    }

    /** {@code Not found: <value>}. */
    public static FieldError notFound(FieldPath path, Object value) {
        return new FieldError(Type.NOT_FOUND, path, render(value), "");
    }

    /** {@code Unsupported value: <value>: supported values: "a", "b"} (no detail when the list is empty). */
    public static FieldError notSupported(FieldPath path, Object value, List<String> validValues) {
        String detail = validValues.isEmpty() ? "" : "supported values: "
                + validValues.stream().map(GoFormat::quote).collect(Collectors.joining(", "));
        return new FieldError(Type.NOT_SUPPORTED, path, render(value), detail);
    }

    /** {@code Forbidden[: detail]}. */
    public static FieldError forbidden(FieldPath path, String detail) {
        return new FieldError(Type.FORBIDDEN, path, null, detail);
    }

    /** {@code Too long: may not be more than <n> bytes} (1.33's wording; 1.34 says "must have at most"). */
    public static FieldError tooLong(FieldPath path, int maxLength) {
        return new FieldError(Type.TOO_LONG, path, null, "may not be more than " + maxLength + " bytes");
    }

    /** {@code Too many: <actual>: must have at most <max> items}. */
    public static FieldError tooMany(FieldPath path, int actual, int max) {
        return new FieldError(Type.TOO_MANY, path, actual >= 0 ? Integer.toString(actual) : null,
                max >= 0 ? "must have at most " + max + " items" : "has too many items");
    }

    /** {@code Internal error: <message>}. */
    public static FieldError internal(FieldPath path, String message) {
        return new FieldError(Type.INTERNAL, path, null, message);
    }

    /** {@code Invalid value: <value>: <detail>} with the FieldValueTypeInvalid reason. */
    public static FieldError typeInvalid(FieldPath path, Object value, String detail) {
        return new FieldError(Type.TYPE_INVALID, path, render(value), detail);
    }

    /**
     * Renders a bad value as Go's {@code ErrorBody} would: strings quoted, numbers and booleans bare, maps and
     * string lists as {@code %#v}, {@link GoLiteral}s verbatim.
     */
    @SuppressWarnings("unchecked")
    public static String render(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof GoLiteral lit) {
            return lit.text();
        }
        if (value instanceof String s) {
            return GoFormat.quote(s);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Map<?, ?> m) {
            return GoFormat.stringMap((Map<String, String>) m);
        }
        if (value instanceof List<?> l) {
            return GoFormat.stringSlice((List<String>) l);
        }
        if (value instanceof JsonNode n) {
            if (n.isTextual()) {
                return GoFormat.quote(n.textValue());
            }
            if (n.isNull() || n.isMissingNode()) {
                return "null";
            }
            return n.isValueNode() ? n.asText() : n.toString();
        }
        return value.toString();
    }

    public Type type() {
        return type;
    }

    /** The field path, e.g. {@code spec.containers[0].image}. */
    public String field() {
        return field;
    }

    public String detail() {
        return detail;
    }

    /** The message without the field, as the Status cause carries it. */
    public String body() {
        String s = renderedValue == null ? type.text() : type.text() + ": " + renderedValue;
        return detail.isEmpty() ? s : s + ": " + detail;
    }

    /** The Status cause for this error. */
    public Cause toCause() {
        return new Cause(type.reason(), body(), field);
    }

    /** {@code field: body}, as Go's {@code Error()} prints it. */
    @Override
    public String toString() {
        return field + ": " + body();
    }
}
