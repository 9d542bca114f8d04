package kubefake.store.registry.fieldvalidation;

/**
 * A YAML body holding a float JSON cannot represent ({@code .inf}, {@code .nan}): Go's YAML-to-JSON conversion fails
 * with {@code json: unsupported value: +Inf}.
 */
public final class UnsupportedValueException extends IllegalArgumentException {

    UnsupportedValueException(double value) {
        super("json: unsupported value: " + (Double.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf"));
    }
}
