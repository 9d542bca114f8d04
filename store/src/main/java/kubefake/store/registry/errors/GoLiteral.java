package kubefake.store.registry.errors;

/**
 * A bad value already rendered as the Go server prints it (for example an IntOrString, which Go prints
 * unquoted, or a struct dump); {@link FieldError} prints it verbatim.
 */
public record GoLiteral(String text) {

    @Override
    public String toString() {
        return text;
    }
}
