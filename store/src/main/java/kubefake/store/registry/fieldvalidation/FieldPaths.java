package kubefake.store.registry.fieldvalidation;

/**
 * Field paths as the real server's strict decoder spells them: keys joined with dots, list indexes in
 * brackets, no leading dot ({@code spec.containers[0].foo}, {@code metadata.labels.app}, {@code [0].op}).
 */
final class FieldPaths {

    private FieldPaths() {
    }

    static String key(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
