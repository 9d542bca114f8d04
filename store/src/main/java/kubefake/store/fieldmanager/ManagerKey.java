package kubefake.store.fieldmanager;

import kubefake.store.registry.errors.GoFormat;

import java.util.Objects;

/**
 * Who owns a set of fields: structured-merge-diff's manager identifier, a managedFields entry without its time and
 * fields. Appliers are known by name (and subresource) whatever API version they applied with; updaters by version too.
 *
 * @param apiVersion null for Apply
 * @param subresource "" for the main resource
 */
public record ManagerKey(String manager, String operation, String apiVersion, String subresource) {
    public static final String APPLY = "Apply";
    public static final String UPDATE = "Update";

    public ManagerKey {
        subresource = subresource == null ? "" : subresource;
        if (APPLY.equals(operation)) apiVersion = null;
    }

    public boolean applied() {
        return APPLY.equals(operation);
    }

    /** How conflict messages name the manager: {@code "kubectl-client-side-apply" using apps/v1}. */
    public String display() {
        String s = GoFormat.quote(manager);
        if (!subresource.isEmpty()) s += " with subresource " + GoFormat.quote(subresource);
        if (UPDATE.equals(operation)) s += " using " + apiVersion;
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ManagerKey k && manager.equals(k.manager) && operation.equals(k.operation)
                && Objects.equals(apiVersion, k.apiVersion) && subresource.equals(k.subresource);
    }

    @Override
    public int hashCode() {
        return Objects.hash(manager, operation, apiVersion, subresource);
    }
}
