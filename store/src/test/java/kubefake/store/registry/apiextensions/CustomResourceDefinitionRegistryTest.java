package kubefake.store.registry.apiextensions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CustomResourceDefinitions through the registry: their 422s, defaults, delete, and the catalogue they feed. */
class CustomResourceDefinitionRegistryTest {
    private final Registry registry = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());
    private final ResourceStore crds = registry.resource(CustomResourceDefinitionStrategy.GROUP, "customresourcedefinitions");

    static ObjectNode crd(String yamlLikeJson) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(yamlLikeJson);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ObjectNode widgets() {
        return crd("""
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"widgets.example.com"},
                 "spec":{"group":"example.com","scope":"Namespaced",
                   "names":{"plural":"widgets","kind":"Widget","shortNames":["wd"]},
                   "versions":[
                     {"name":"v1beta1","served":true,"storage":false,
                      "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}},
                     {"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
                      "schema":{"openAPIV3Schema":{"type":"object","properties":{
                        "spec":{"type":"object","properties":{"size":{"type":"integer","default":3}}},
                        "status":{"type":"object","properties":{"ready":{"type":"boolean"}}}}}}}]}}""");
    }

    private static String message(Runnable r) {
        StatusException e = assertThrows(StatusException.class, r::run);
        assertEquals(422, e.code());
        return e.message();
    }

    @Test
    void createdWithItsDefaultsAndStoredVersion() {
        ObjectNode created = crds.create("", widgets(), RequestContext.LOOPBACK).toNode();
        assertEquals("widget", created.at("/spec/names/singular").asText());
        assertEquals("WidgetList", created.at("/spec/names/listKind").asText());
        assertEquals("None", created.at("/spec/conversion/strategy").asText());
        assertEquals("[\"v1\"]", created.at("/status/storedVersions").toString());
        assertEquals(1, created.at("/metadata/generation").asInt());
    }

    @Test
    void invalidDefinitionsAreRefusedWithTheRealCauses() {
        ObjectNode badName = widgets();
        ((ObjectNode) badName.get("metadata")).put("name", "gadgets.example.com");
        assertEquals("CustomResourceDefinition.apiextensions.k8s.io \"gadgets.example.com\" is invalid: metadata.name: "
                + "Invalid value: \"gadgets.example.com\": must be spec.names.plural+\".\"+spec.group",
                message(() -> crds.create("", badName, RequestContext.LOOPBACK)));

        ObjectNode twoStorage = widgets();
        ((ObjectNode) twoStorage.at("/spec/versions/0")).put("storage", true);
        assertTrue(message(() -> crds.create("", twoStorage, RequestContext.LOOPBACK))
                .endsWith(": must have exactly one version marked as storage version"));

        ObjectNode untyped = widgets();
        ((ObjectNode) untyped.at("/spec/versions/1/schema/openAPIV3Schema/properties/spec/properties/size")).remove("type");
        ((ObjectNode) untyped.at("/spec")).put("scope", "Global");
        // singular and listKind given: defaulted from this kind they would be invalid too
        ((ObjectNode) untyped.at("/spec/names")).put("kind", "Widget_Thing").put("singular", "widget").put("listKind", "WidgetList");
        assertEquals("CustomResourceDefinition.apiextensions.k8s.io \"widgets.example.com\" is invalid: ["
                        + "spec.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\", "
                        + "spec.names.kind: Invalid value: \"Widget_Thing\": may have mixed case, but should otherwise match: "
                        + "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
                        + "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
                        + "validation is '[a-z]([-a-z0-9]*[a-z0-9])?'), "
                        + "spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[size].type: Required value: "
                        + "must not be empty for specified object fields]",
                message(() -> crds.create("", untyped, RequestContext.LOOPBACK)));

        ObjectNode noSchema = widgets();
        ((ObjectNode) noSchema.at("/spec/versions/0")).remove("schema");
        assertTrue(message(() -> crds.create("", noSchema, RequestContext.LOOPBACK))
                .endsWith("spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required"));
    }

    @Test
    void deletingMarksItTerminatingUntilTheFinalizerGoes() {
        crds.create("", widgets(), RequestContext.LOOPBACK);
        var r = crds.delete("", "widgets.example.com", DeleteOptions.DEFAULT, RequestContext.LOOPBACK);
        assertFalse(r.deleted());
        ObjectNode terminating = crds.get("", "widgets.example.com").toNode();
        assertEquals("[\"customresourcecleanup.apiextensions.k8s.io\"]", terminating.at("/metadata/finalizers").toString());
        assertTrue(terminating.at("/metadata").has("deletionTimestamp"));
        assertFalse(terminating.at("/metadata").has("deletionGracePeriodSeconds"));
        assertTrue(CrdConditions.isTrue(terminating, "Terminating"));
        crds.patch("", "widgets.example.com", o -> {
            Json.metadata(o).remove("finalizers");
            return o;
        }, RequestContext.LOOPBACK);
        assertEquals(null, crds.find("", "widgets.example.com"));
    }

    @Test
    void servedVersionsJoinTheCatalogueAndShareTheirObjects() {
        registry.resource("", "namespaces").create("", crd("{\"metadata\":{\"name\":\"default\"}}"), RequestContext.LOOPBACK);
        ObjectNode crd = crds.create("", widgets(), RequestContext.LOOPBACK).toNode();
        assertEquals(List.of(), CustomResourceEntries.of(crd), "nothing is served before names are accepted");
        ((ObjectNode) crd.at("/status/acceptedNames")).setAll((ObjectNode) crd.at("/spec/names"));
        AtomicInteger changes = new AtomicInteger();
        registry.onCatalogueChange(changes::incrementAndGet);
        registry.serve("widgets.example.com", CustomResourceEntries.of(crd));
        assertEquals(1, changes.get());
        ResourceStore v1 = registry.resource("example.com", "v1", "widgets").orElseThrow();
        ResourceStore v1beta1 = registry.resource("example.com", "v1beta1", "widgets").orElseThrow();
        assertEquals(List.of("v1", "v1beta1"), registry.resources().stream().filter(rs -> rs.type().custom())
                .map(rs -> rs.type().version()).toList(), "the preferred version first");
        assertEquals(List.of("wd"), v1.type().shortNames());

        ObjectNode widget = crd("""
                {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"color":"red"},"status":{"ready":true}}""");
        ObjectNode stored = v1.create("default", widget, RequestContext.LOOPBACK).toNode();
        assertEquals("{\"size\":3}", stored.get("spec").toString(), "pruned and defaulted");
        assertFalse(stored.has("status"), "status is the status subresource's");
        assertEquals("example.com/v1beta1", v1beta1.get("default", "w").toNode().get("apiVersion").asText());

        StatusException invalid = assertThrows(StatusException.class, () -> v1.create("default", crd("""
                {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"x"},"spec":{"size":"big"}}"""),
                RequestContext.LOOPBACK));
        assertEquals("Widget.example.com \"x\" is invalid: spec.size: Invalid value: \"string\": spec.size in body must be "
                + "of type integer: \"string\"", invalid.message());

        // server-side apply types the configuration with the schema: an undeclared field is refused (as the real
        // server's type converter does for CRDs, which never preserve unknown fields), not pruned
        RequestContext applier = RequestContext.LOOPBACK.withFieldManager("kubectl");
        StatusException undeclared = assertThrows(StatusException.class, () -> v1.apply("default", "a", crd("""
                {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"a"},"spec":{"size":5,"bogus":1}}"""),
                false, applier));
        assertEquals("failed to create typed patch object (/a; example.com/v1, Kind=Widget): .spec.bogus: field not "
                + "declared in schema", undeclared.message());
        // created, then changed, with the schema's defaults
        var applied = v1.apply("default", "a", crd("""
                {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"a"},"spec":{"size":5}}"""),
                false, applier);
        assertTrue(applied.created());
        assertEquals("{\"size\":5}", applied.object().toNode().get("spec").toString());
        assertEquals("kubectl", applied.object().toNode().at("/metadata/managedFields/0/manager").asText());
        var reapplied = v1.apply("default", "a", crd("""
                {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"a"},"spec":{"size":7}}"""), false, applier);
        assertEquals("{\"size\":7}", reapplied.object().toNode().get("spec").toString());
        assertEquals(2, reapplied.object().toNode().at("/metadata/generation").asInt());

        registry.serve("widgets.example.com", List.of());
        assertEquals(2, changes.get());
        assertTrue(registry.resource("example.com", "v1", "widgets").isEmpty());
    }
}
