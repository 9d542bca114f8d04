package kubefake.store.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.patch.PatchSchema;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static kubefake.store.fieldmanager.FieldManagerTest.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Server-side apply of custom resources reads list and map semantics from the CRD version's schema. */
class CustomResourceApplyTest {
    private static final Instant T0 = Instant.parse("2026-12-06T22:00:00Z");
    private static final JsonNode SCHEMA = read("""
            {"type":"object","properties":{
              "spec":{"type":"object","properties":{
                "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name","protocol"],
                  "items":{"type":"object","properties":{"name":{"type":"string"},"protocol":{"type":"string"},
                    "port":{"type":"integer"}}}},
                "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
                "args":{"type":"array","items":{"type":"string"}},
                "selector":{"type":"object","x-kubernetes-map-type":"atomic","additionalProperties":{"type":"string"}},
                "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}""");
    private final FieldManager widgets = FieldManager.of("example.com", "v1", "Widget", false,
            PatchSchema.forCustomResource(SCHEMA));

    private static ObjectNode widget(String spec) {
        return (ObjectNode) read("{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\","
                + "\"namespace\":\"ns\",\"labels\":{\"a\":\"1\"}},\"spec\":" + spec + "}");
    }

    @Test
    void mapListEntriesAreOwnedByKeyAndMergedAcrossManagers() {
        ObjectNode live = widgets.apply(null, widget("{\"ports\":[{\"name\":\"http\",\"protocol\":\"TCP\",\"port\":80}]}"),
                "alice", false, null, T0);
        assertEquals(read("""
                {"f:metadata":{"f:labels":{"f:a":{}}},"f:spec":{"f:ports":{
                  "k:{\\"name\\":\\"http\\",\\"protocol\\":\\"TCP\\"}":{".":{},"f:name":{},"f:port":{},"f:protocol":{}}}}}"""),
                live.at("/metadata/managedFields/0/fieldsV1"));
        ObjectNode merged = widgets.apply(live, widget("{\"ports\":[{\"name\":\"dns\",\"protocol\":\"UDP\",\"port\":53}]}"),
                "bob", false, null, T0);
        // bob's entry joins alice's instead of replacing the list
        assertEquals(read("""
                [{"name":"http","protocol":"TCP","port":80},{"name":"dns","protocol":"UDP","port":53}]"""),
                merged.at("/spec/ports"));
        // the same key with another port is a conflict with its owner
        StatusException conflict = assertThrows(StatusException.class, () -> widgets.apply(merged,
                widget("{\"ports\":[{\"name\":\"http\",\"protocol\":\"TCP\",\"port\":8080}]}"), "carol", false, null, T0));
        assertEquals(409, conflict.code());
        assertEquals("Apply failed with 1 conflict: conflict with \"alice\": .spec.ports[name=\"http\",protocol=\"TCP\"].port",
                conflict.getMessage());
    }

    @Test
    void setsMergeAtomicMapsAndUntypedListsAreReplacedWhole() {
        ObjectNode live = widgets.apply(null, widget("{\"tags\":[\"a\"],\"args\":[\"x\"],\"selector\":{\"k\":\"v\"}}"),
                "alice", false, null, T0);
        assertEquals(read("""
                {"f:metadata":{"f:labels":{"f:a":{}}},"f:spec":{"f:args":{},"f:selector":{},"f:tags":{"v:\\"a\\"":{}}}}"""),
                live.at("/metadata/managedFields/0/fieldsV1"));
        ObjectNode merged = widgets.apply(live, widget("{\"tags\":[\"b\"]}"), "bob", false, null, T0);
        assertEquals(read("[\"a\",\"b\"]"), merged.at("/spec/tags"));
        StatusException conflict = assertThrows(StatusException.class,
                () -> widgets.apply(merged, widget("{\"args\":[\"y\"]}"), "bob", false, null, T0));
        assertEquals("Apply failed with 1 conflict: conflict with \"alice\": .spec.args", conflict.getMessage());
    }

    @Test
    void metadataIsTypedAsObjectMeta() {
        // ownerReferences is a map-list keyed by uid in ObjectMeta, whatever the CRD's own schema says
        ObjectNode config = widget("{}");
        ((ObjectNode) config.get("metadata")).set("ownerReferences", read("""
                [{"apiVersion":"v1","kind":"ConfigMap","name":"o","uid":"u1"}]"""));
        ObjectNode live = widgets.apply(null, config, "alice", false, null, T0);
        assertEquals(read("""
                {"f:metadata":{"f:labels":{"f:a":{}},"f:ownerReferences":{"k:{\\"uid\\":\\"u1\\"}":{}}},"f:spec":{}}"""),
                live.at("/metadata/managedFields/0/fieldsV1"));
    }
}
