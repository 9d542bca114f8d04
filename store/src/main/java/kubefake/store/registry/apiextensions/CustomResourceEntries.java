package kubefake.store.registry.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.ResourceType.Subresource;

import java.util.ArrayList;
import java.util.List;

/**
 * The catalogue entries of a CustomResourceDefinition: one per served version, under the names the definition's
 * status has accepted, each with the strategy its version's schema and subresources make. Every version is stored
 * as the storage version (the same keys: {@code None} conversion only rewrites apiVersion).
 */
public final class CustomResourceEntries {
    /** The verbs of a custom resource, in the order the real server's discovery lists them. */
    static final List<String> VERBS = List.of("delete", "deletecollection", "get", "list", "patch", "create", "update", "watch");
    private static final List<String> SUBRESOURCE_VERBS = List.of("get", "patch", "update");

    private CustomResourceEntries() {
    }

    /** The entries of a definition (none while it has no accepted names). */
    public static List<ResourceCatalogue.Entry> of(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode names = crd.path("status").path("acceptedNames");
        String group = Json.text(spec, "group");
        String plural = Json.text(names, "plural");
        String kind = Json.text(names, "kind");
        if (plural.isEmpty() || kind.isEmpty()) return List.of();
        String singular = Json.text(names, "singular");
        if (singular.isEmpty()) singular = kind.toLowerCase(java.util.Locale.ROOT);
        String listKind = Json.text(names, "listKind");
        if (listKind.isEmpty()) listKind = kind + "List";
        boolean namespaced = Json.text(spec, "scope").equals("Namespaced");
        String storageVersion = "";
        for (JsonNode v : spec.path("versions")) if (v.path("storage").asBoolean(false)) storageVersion = Json.text(v, "name");
        List<ResourceCatalogue.Entry> entries = new ArrayList<>();
        List<JsonNode> versions = new ArrayList<>();
        spec.path("versions").forEach(versions::add);
        // discovery lists a group's versions by priority, the preferred one first
        versions.sort((a, b) -> VersionPriority.compare(Json.text(a, "name"), Json.text(b, "name")));
        for (JsonNode v : versions) {
            if (!v.path("served").asBoolean(false)) continue;
            String version = Json.text(v, "name");
            List<Subresource> subresources = new ArrayList<>();
            JsonNode sub = v.path("subresources");
            if (sub.has("status") && !sub.get("status").isNull()) {
                subresources.add(new Subresource("status", group, version, kind, SUBRESOURCE_VERBS));
            }
            if (sub.has("scale") && !sub.get("scale").isNull()) {
                subresources.add(new Subresource("scale", "autoscaling", "v1", "Scale", SUBRESOURCE_VERBS));
            }
            ResourceType.Storage storage = version.equals(storageVersion) || storageVersion.isEmpty() ? null
                    : new ResourceType.Storage(group, storageVersion, kind, plural);
            JsonNode columns = v.has("additionalPrinterColumns") ? v.get("additionalPrinterColumns").deepCopy()
                    : Json.MAPPER.createArrayNode();
            ResourceType type = new ResourceType(group, version, plural, singular, kind, listKind, namespaced,
                    strings(names.path("shortNames")), strings(names.path("categories")), VERBS, List.copyOf(subresources),
                    storage, columns);
            CustomResourceStrategy strategy = new CustomResourceStrategy(v, namespaced);
            entries.add(new ResourceCatalogue.Entry(type, registry -> strategy));
        }
        return entries;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) out.add(n.asText());
        return List.copyOf(out);
    }
}
