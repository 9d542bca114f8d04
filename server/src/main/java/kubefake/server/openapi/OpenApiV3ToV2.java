package kubefake.server.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An OpenAPI v3 schema or path item in v2's words, as the v2 document holds what a v3 document describes (custom
 * resources' schemas, an aggregated server's document): references to {@code #/definitions}, no nullable, anyOf,
 * oneOf or not, a description beside a {@code $ref} instead of an allOf around it; operations with consumes,
 * produces and schemes, their response schema inline, parameters with their type inline.
 */
final class OpenApiV3ToV2 {
    private OpenApiV3ToV2() {
    }

    /**
     * @param zeroDefaults whether {@code default: ""} and {@code default: {}} stay: a user's schema means them, the
     *                     generated v3 documents of built-in types add them where v2 has none
     */
    static ObjectNode schema(JsonNode v3, boolean zeroDefaults) {
        ObjectNode s = Json.parseObject(v3.toString().replace("#/components/schemas/", "#/definitions/")
                .getBytes(StandardCharsets.UTF_8));
        strip(s, zeroDefaults);
        return s;
    }

    private static void strip(JsonNode n, boolean zeroDefaults) {
        if (n instanceof ObjectNode o) {
            o.remove(List.of("nullable", "anyOf", "oneOf", "not"));
            // a single allOf reference (how v3 wraps $ref with a description) is a plain $ref in v2
            if (o.path("allOf").size() == 1 && o.path("allOf").get(0).has("$ref")) {
                o.put("$ref", o.path("allOf").get(0).get("$ref").asText());
                o.remove("allOf");
            }
            JsonNode def = o.get("default");
            if (!zeroDefaults && def != null && (def.isObject() && def.isEmpty() || def.isTextual() && def.asText().isEmpty())) {
                o.remove("default");
            }
            o.elements().forEachRemaining(e -> strip(e, zeroDefaults));
        } else if (n instanceof ArrayNode a) {
            a.elements().forEachRemaining(e -> strip(e, zeroDefaults));
        }
    }

    /** A v3 path item (its operations and parameters) as a v2 one. */
    static ObjectNode path(JsonNode v3) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        for (Map.Entry<String, JsonNode> e : v3.properties()) {
            if (e.getKey().equals("parameters")) p.set("parameters", parameters(e.getValue()));
            else p.set(e.getKey(), operation(e.getValue()));
        }
        return p;
    }

    private static ObjectNode operation(JsonNode v3) {
        ObjectNode op = Json.MAPPER.createObjectNode();
        if (v3.has("description")) op.set("description", v3.get("description"));
        op.putArray("consumes").add("*/*");
        ArrayNode produces = op.putArray("produces");
        for (JsonNode response : v3.path("responses")) {
            response.path("content").fieldNames().forEachRemaining(mime -> {
                for (JsonNode seen : produces) if (seen.asText().equals(mime)) return;
                produces.add(mime);
            });
        }
        op.putArray("schemes").add("https");
        for (Map.Entry<String, JsonNode> e : v3.properties()) {
            switch (e.getKey()) {
                case "description" -> { }
                case "parameters" -> op.set("parameters", parameters(e.getValue()));
                case "responses" -> {
                    ObjectNode responses = op.putObject("responses");
                    for (Map.Entry<String, JsonNode> r : e.getValue().properties()) {
                        ObjectNode response = responses.putObject(r.getKey());
                        response.set("description", r.getValue().get("description"));
                        for (JsonNode media : r.getValue().path("content")) {
                            response.set("schema", schema(media.get("schema"), false));
                            break;
                        }
                    }
                }
                default -> op.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return op;
    }

    private static ArrayNode parameters(JsonNode v3) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (JsonNode p : v3) {
            ObjectNode v2 = out.addObject();
            JsonNode s = p.path("schema");
            if (s.has("uniqueItems")) v2.set("uniqueItems", s.get("uniqueItems"));
            if (s.has("type")) v2.set("type", s.get("type"));
            for (String f : List.of("description", "name", "in", "required")) if (p.has(f)) v2.set(f, p.get(f));
        }
        return out;
    }
}
