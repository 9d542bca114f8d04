package kubefake.store.registry.errors;

/**
 * A path to a field inside an object, printed like Go's {@code field.Path}: {@code spec.containers[0].image},
 * {@code metadata.annotations[key]}. Immutable; each step returns a new path.
 */
public final class FieldPath {

    private final String text;

    private FieldPath(String text) {
        this.text = text;
    }

    /** A path starting at the given top-level field(s): {@code of("spec", "template")} is {@code spec.template}. */
    public static FieldPath of(String first, String... more) {
        FieldPath p = new FieldPath(first);
        for (String m : more) {
            p = p.child(m);
        }
        return p;
    }

    /** The path of a named sub-field. */
    public FieldPath child(String name, String... more) {
        FieldPath p = new FieldPath(text.isEmpty() ? name : text + "." + name);
        for (String m : more) {
            p = p.child(m);
        }
        return p;
    }

    /** The path of a list element: {@code containers[0]}. */
    public FieldPath index(int i) {
        return new FieldPath(text + "[" + i + "]");
    }

    /** The path of a map entry: {@code annotations[key]}. */
    public FieldPath key(String key) {
        return new FieldPath(text + "[" + key + "]");
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
