package kubefake.store.registry;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * One served resource of one group-version, as discovery describes it.
 *
 * @param group        API group ("" for core)
 * @param resource     plural name used in URLs ("pods")
 * @param singular     singular name ("pod")
 * @param listKind     the kind of a list response ("PodList")
 * @param shortNames   e.g. ["po"]
 * @param categories   e.g. ["all"]
 * @param subresources e.g. status, scale
 * @param printerColumns a custom resource's columns in Tables (its CRD version's additionalPrinterColumns), null
 *                       for built-in resources, whose printers the server knows
 */
public record ResourceType(String group, String version, String resource, String singular, String kind,
                           String listKind, boolean namespaced, List<String> shortNames, List<String> categories,
                           List<String> verbs, List<Subresource> subresources, Storage storage, JsonNode printerColumns) {

    /** A built-in resource. */
    public ResourceType(String group, String version, String resource, String singular, String kind, String listKind,
                        boolean namespaced, List<String> shortNames, List<String> categories, List<String> verbs,
                        List<Subresource> subresources, Storage storage) {
        this(group, version, resource, singular, kind, listKind, namespaced, shortNames, categories, verbs, subresources,
                storage, null);
    }

    /** Whether this is a custom resource, served from a CustomResourceDefinition. */
    public boolean custom() {
        return printerColumns != null;
    }

    /**
     * Where objects of another group-version live: events.k8s.io/v1 Events are stored as core/v1 Events, so both
     * APIs see the same objects (converted on the way in and out) and discovery's storageVersionHash names the
     * storage version. Another version of the same group and resource (IPAddresses served as v1, stored as
     * v1beta1) only names the storage version: the objects are the same.
     */
    public record Storage(String group, String version, String kind, String resource) {
    }

    /** The storage of this resource: its own group-version unless it is stored as another. */
    public Storage storageOrSelf() {
        return storage != null ? storage : new Storage(group, version, kind, resource);
    }

    /** Verbs of an ordinary read-write resource. */
    public static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    /**
     * A subresource as discovery lists it.
     *
     * @param group/version/kind the kind its requests and responses carry (autoscaling/v1 Scale for scale)
     */
    public record Subresource(String name, String group, String version, String kind, List<String> verbs) {
    }

    public String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** "pods" or "deployments.apps": how error messages name the resource. */
    public String qualifiedResource() {
        return group.isEmpty() ? resource : resource + "." + group;
    }

    public boolean hasSubresource(String name) {
        return subresources.stream().anyMatch(s -> s.name().equals(name));
    }
}
