package kubefake.server.printers;

/**
 * One column definition of a {@code meta.k8s.io/v1} Table, as the API server sends it in
 * {@code columnDefinitions}. {@code priority} 0 columns are always shown by kubectl, higher ones
 * only with {@code -o wide}.
 */
public record Column(String name, String type, String format, String description, int priority) {
}
