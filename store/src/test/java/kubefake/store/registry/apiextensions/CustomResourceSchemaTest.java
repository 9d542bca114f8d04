package kubefake.store.registry.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.errors.FieldError;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Validation, defaulting and pruning of custom resources against a structural schema, with the real messages. */
class CustomResourceSchemaTest {
    private static final JsonNode SCHEMA = json("""
            {"type":"object","properties":{
              "spec":{"type":"object","required":["cronSpec"],"properties":{
                "cronSpec":{"type":"string","pattern":"^(\\\\d+|\\\\*)(/\\\\d+)?(\\\\s+(\\\\d+|\\\\*)(/\\\\d+)?){4}$"},
                "image":{"type":"string","default":"busybox","maxLength":12},
                "replicas":{"type":"integer","minimum":1,"maximum":10,"default":1},
                "ratio":{"type":"number","exclusiveMinimum":true,"minimum":0.5},
                "color":{"type":"string","enum":["red","blue"]},
                "port":{"x-kubernetes-int-or-string":true},
                "created":{"type":"string","format":"date-time"},
                "tags":{"type":"array","maxItems":2,"items":{"type":"string","minLength":2}},
                "labels":{"type":"object","additionalProperties":{"type":"string"}},
                "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true,
                        "properties":{"known":{"type":"object","properties":{"a":{"type":"string"}}}}},
                "template":{"type":"object","x-kubernetes-embedded-resource":true,"x-kubernetes-preserve-unknown-fields":true},
                "ports":{"type":"array","items":{"type":"object","properties":{
                  "name":{"type":"string"},"protocol":{"type":"string","default":"TCP"}}}}
              }},
              "status":{"type":"object","properties":{"replicas":{"type":"integer"}}}
            }}""");

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<String> errors(String object) {
        return SchemaValidation.validate(json(object), SCHEMA).stream().map(e -> e.toCause().field() + ": " + e.toCause().message()).toList();
    }

    @Test
    void aValidObjectHasNoErrors() {
        assertEquals(List.of(), errors("""
                {"apiVersion":"stable.example.com/v1","kind":"CronTab",
                 "spec":{"cronSpec":"*/5 * * * *","replicas":3,"port":"http","created":"2026-12-06T19:00:00Z",
                         "tags":["ab"],"labels":{"a":"b"},"free":{"anything":[1,2]},
                         "template":{"apiVersion":"v1","kind":"Pod"}}}"""));
    }

    @Test
    void eachRuleIsReportedAsTheApiServerWordsIt() {
        assertEquals(List.of(
                "spec.cronSpec: Required value",
                "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"",
                "spec.color: Unsupported value: \"pink\": supported values: \"red\", \"blue\"",
                "spec.image: Too long: may not be more than 12 bytes",
                "spec.ratio: Invalid value: 0.5: spec.ratio in body should be greater than 0.5",
                "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\"",
                "spec.created: Invalid value: \"yesterday\": spec.created in body must be of type date-time: \"yesterday\"",
                "spec.tags: Too many: 3: must have at most 2 items",
                "spec.tags.0: Invalid value: \"a\": spec.tags.0 in body should be at least 2 chars long",
                "spec.labels.x: Invalid value: \"integer\": spec.labels.x in body must be of type string: \"integer\"",
                "spec.template.apiVersion: Required value: must not be empty",
                "spec.template.kind: Required value: must not be empty"),
                errors("""
                        {"spec":{"replicas":"three","color":"pink","image":"registry.example.com/busybox",
                                 "ratio":0.5,"port":true,"created":"yesterday","tags":["a","bb","cc"],"labels":{"x":1},
                                 "template":{}}}"""));
        assertEquals(List.of("spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10",
                        "spec.cronSpec: Invalid value: \"often\": spec.cronSpec in body should match "
                                + "'^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'"),
                errors("{\"spec\":{\"replicas\":11,\"cronSpec\":\"often\"}}"));
    }

    @Test
    void integralFloatsAreIntegersAndNullNeedsNullable() {
        assertEquals(List.of(), errors("{\"spec\":{\"cronSpec\":\"* * * * *\",\"replicas\":2.0}}"));
        assertEquals(List.of("spec.image: Invalid value: \"null\": spec.image in body must be of type string: \"null\""),
                errors("{\"spec\":{\"cronSpec\":\"* * * * *\",\"image\":null}}"));
    }

    @Test
    void defaultsFillWhatIsMissingDownTheTree() {
        ObjectNode cr = (ObjectNode) json("{\"spec\":{\"cronSpec\":\"* * * * *\",\"image\":null,\"ports\":[{\"name\":\"a\"},{\"protocol\":\"UDP\"}]}}");
        SchemaDefaulting.apply(cr, SCHEMA);
        assertEquals(json("""
                {"spec":{"cronSpec":"* * * * *","image":"busybox","ports":[{"name":"a","protocol":"TCP"},{"protocol":"UDP"}],
                         "replicas":1}}"""), cr);
        ObjectNode noSpec = (ObjectNode) json("{\"metadata\":{\"name\":\"x\"}}");
        SchemaDefaulting.apply(noSpec, SCHEMA);
        assertEquals(json("{\"metadata\":{\"name\":\"x\"}}"), noSpec, "no spec, nothing to default under it");
    }

    @Test
    void pruningDropsWhatTheSchemaDoesNotSpecifyAndSaysWhere() {
        ObjectNode cr = (ObjectNode) json("""
                {"apiVersion":"stable.example.com/v1","kind":"CronTab","metadata":{"name":"x","whatever":1},
                 "spec":{"cronSpec":"* * * * *","extra":1,"labels":{"any":"thing"},
                         "free":{"kept":true,"known":{"a":"b","dropped":2}},
                         "template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"kept":1}},
                         "ports":[{"name":"a","bogus":true}]},
                 "status":{"replicas":1,"phase":"Running"},
                 "top":"level"}""");
        List<String> pruned = SchemaPruning.prune(cr, SCHEMA);
        assertEquals(List.of("spec.extra", "spec.free.known.dropped", "spec.ports[0].bogus", "status.phase", "top"), pruned);
        assertEquals(json("""
                {"apiVersion":"stable.example.com/v1","kind":"CronTab","metadata":{"name":"x","whatever":1},
                 "spec":{"cronSpec":"* * * * *","labels":{"any":"thing"},
                         "free":{"kept":true,"known":{"a":"b"}},
                         "template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"kept":1}},
                         "ports":[{"name":"a"}]},
                 "status":{"replicas":1}}"""), cr);
    }

    @Test
    void numbersInMessagesAreGoFloats() {
        assertEquals("0", SchemaValidation.goV(new java.math.BigDecimal("0")));
        assertEquals("1.5", SchemaValidation.goV(new java.math.BigDecimal("1.5")));
        assertEquals("100000", SchemaValidation.goV(new java.math.BigDecimal("100000")));
        assertEquals("1e+06", SchemaValidation.goV(new java.math.BigDecimal("1000000")));
        assertEquals("1e-05", SchemaValidation.goV(new java.math.BigDecimal("0.00001")));
    }

    @Test
    void unusedFieldErrorFactoriesKeepTheirShape() {
        // a guard that the cause of a type error is FieldValueTypeInvalid, as kubectl's callers may check
        FieldError e = SchemaValidation.validate(json("{\"spec\":\"x\"}"), SCHEMA).get(0);
        assertEquals("FieldValueTypeInvalid", e.toCause().reason());
    }
}
