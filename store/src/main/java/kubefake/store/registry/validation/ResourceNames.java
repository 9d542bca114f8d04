package kubefake.store.registry.validation;

import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rules for resource names in requests, limits, quotas and LimitRanges ({@code validateResourceName},
 * {@code validateContainerResourceName} and the helpers of {@code pkg/apis/core/helper}): a short name must be a
 * standard one, a prefixed name outside {@code kubernetes.io/} an extended resource.
 */
final class ResourceNames {
    /** {@code standardResources}: what quotas and LimitRanges of other types may name. */
    private static final Set<String> STANDARD = Set.of("cpu", "memory", "ephemeral-storage", "requests.cpu",
            "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage",
            "pods", "resourcequotas", "services", "replicationcontrollers", "secrets", "configmaps",
            "persistentvolumeclaims", "storage", "requests.storage", "services.nodeports", "services.loadbalancers");
    /** {@code standardContainerResources}. */
    private static final Set<String> STANDARD_CONTAINER = Set.of("cpu", "memory", "ephemeral-storage");
    private static final String HUGE_PAGES = "hugepages-";
    private static final String REQUESTS = "requests.";

    private ResourceNames() {
    }

    /** {@code validateResourceName}: a qualified name, and a standard one unless prefixed. */
    static List<FieldError> validate(String name, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        for (String msg : Formats.isQualifiedName(name)) errs.add(FieldError.invalid(path, name, msg));
        if (!errs.isEmpty()) return errs;
        if (!name.contains("/") && !STANDARD.contains(name) && !name.startsWith(HUGE_PAGES)
                && !name.startsWith(REQUESTS + HUGE_PAGES)) {
            errs.add(FieldError.invalid(path, name, "must be a standard resource type or fully qualified"));
        }
        return errs;
    }

    /** {@code validateContainerResourceName}: as above, and what a container may ask for. */
    static List<FieldError> validateForContainers(String name, FieldPath path) {
        List<FieldError> errs = validate(name, path);
        if (!name.contains("/")) {
            if (!STANDARD_CONTAINER.contains(name) && !name.startsWith(HUGE_PAGES)) {
                errs.add(FieldError.invalid(path, name, "must be a standard resource for containers"));
            }
        } else if (!isNative(name) && !isExtended(name)) {
            errs.add(FieldError.invalid(path, name, "doesn't follow extended resource name standard"));
        }
        return errs;
    }

    /** {@code IsNativeResource}: unprefixed, or in the kubernetes.io namespace. */
    static boolean isNative(String name) {
        return !name.contains("/") || name.contains("kubernetes.io/");
    }

    /** {@code IsOvercommitAllowed}: requests may be below limits (not for extended resources and huge pages). */
    static boolean overcommitAllowed(String name) {
        return isNative(name) && !name.startsWith(HUGE_PAGES);
    }

    private static boolean isExtended(String name) {
        if (isNative(name) || name.startsWith(REQUESTS)) return false;
        return Formats.isQualifiedName(REQUESTS + name).isEmpty();
    }
}
