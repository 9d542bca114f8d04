package kubefake.store.registry.fieldvalidation;

import static kubefake.store.registry.fieldvalidation.Bodies.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kubefake.store.registry.errors.StatusException;
import org.junit.jupiter.api.Test;

/** The answers a client sees: the recorded ones (reference/k8s-1.33/http) and the ones in the wire doc. */
class StrictAnswersTest {

    /** The ConfigMap the recording patched, as the server stored it. */
    private static final String STORED_CFG = """
            {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cfg","namespace":"ref",
             "uid":"049d7b50-bc7f-45ab-9f9d-978a4a0cfe74","resourceVersion":"621",
             "creationTimestamp":"2026-11-22T13:51:57Z"}}""";

    /** http/err-strict-unknown-field.json: PATCH merge-patch {"spec":{"foo":1}} with fieldValidation=Strict. */
    private static final String RECORDED_STRICT_PATCH = """
            {
              "kind": "Status",
              "apiVersion": "v1",
              "metadata": {},
              "status": "Failure",
              "message": " \\"\\" is invalid: patch: Invalid value: \\"{\\\\\\"apiVersion\\\\\\":\\\\\\"v1\\\\\\",\\\\\\"kind\\\\\\":\\\\\\"ConfigMap\\\\\\",\\\\\\"metadata\\\\\\":{\\\\\\"name\\\\\\":\\\\\\"cfg\\\\\\",\\\\\\"namespace\\\\\\":\\\\\\"ref\\\\\\",\\\\\\"uid\\\\\\":\\\\\\"049d7b50-bc7f-45ab-9f9d-978a4a0cfe74\\\\\\",\\\\\\"resourceVersion\\\\\\":\\\\\\"621\\\\\\",\\\\\\"creationTimestamp\\\\\\":\\\\\\"2026-11-22T13:51:57Z\\\\\\"},\\\\\\"spec\\\\\\":{\\\\\\"foo\\\\\\":1}}\\": strict decoding error: unknown field \\"spec\\"",
              "reason": "Invalid",
              "details": {
                "causes": [
                  {
                    "reason": "FieldValueInvalid",
                    "message": "Invalid value: \\"{\\\\\\"apiVersion\\\\\\":\\\\\\"v1\\\\\\",\\\\\\"kind\\\\\\":\\\\\\"ConfigMap\\\\\\",\\\\\\"metadata\\\\\\":{\\\\\\"name\\\\\\":\\\\\\"cfg\\\\\\",\\\\\\"namespace\\\\\\":\\\\\\"ref\\\\\\",\\\\\\"uid\\\\\\":\\\\\\"049d7b50-bc7f-45ab-9f9d-978a4a0cfe74\\\\\\",\\\\\\"resourceVersion\\\\\\":\\\\\\"621\\\\\\",\\\\\\"creationTimestamp\\\\\\":\\\\\\"2026-11-22T13:51:57Z\\\\\\"},\\\\\\"spec\\\\\\":{\\\\\\"foo\\\\\\":1}}\\": strict decoding error: unknown field \\"spec\\"",
                    "field": "patch"
                  }
                ]
              },
              "code": 422
            }""";

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void recordedStrictMergePatchAnswer() throws Exception {
        FieldValidation.PatchProblems problems = FieldValidation.checkMergePatch(json(STORED_CFG),
                bytes("{'spec':{'foo':1}}"), "", "v1", "ConfigMap");
        assertEquals(List.of("unknown field \"spec\""), problems.problems());
        StatusException error = FieldValidation.strictPatchError(problems);
        assertEquals(422, error.code());
        assertEquals(json(RECORDED_STRICT_PATCH), error.toStatusJson());
    }

    @Test
    void recordedWarnMergePatchAnswer() throws Exception {
        // http/warn-unknown-field.head: the same patch with fieldValidation=Warn.
        FieldValidation.PatchProblems problems = FieldValidation.checkMergePatch(json(STORED_CFG),
                bytes("{'spec':{'foo':1}}"), "", "v1", "ConfigMap");
        List<String> headers = FieldValidation.warnings(problems.problems()).stream()
                .map(FieldValidation::warningHeader).toList();
        assertEquals(List.of("299 - \"unknown field \\\"spec\\\"\""), headers);
        // ... and the stored object (warn-unknown-field.json) has no spec.
        ObjectNode patched = (ObjectNode) json(problems.invalidValue());
        FieldValidation.dropUnknownFields(patched, "", "v1", "ConfigMap");
        assertEquals(json(STORED_CFG), patched);
    }

    @Test
    void strictCreateAnswerFromTheWireDoc() throws Exception {
        FieldValidation.Decoded decoded = FieldValidation.decode(
                bytes("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'bad-cm'},'foo':'bar'}"),
                false, "", "v1", "ConfigMap");
        StatusException error = FieldValidation.strictError("ConfigMap", "v1", decoded.problems());
        assertEquals(json("""
                {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ConfigMap in version \\"v1\\" cannot be handled as a ConfigMap: strict decoding error: unknown field \\"foo\\"","reason":"BadRequest","code":400}"""),
                error.toStatusJson());
    }

    @Test
    void severalProblemsAreJoinedWithCommas() {
        List<String> problems = FieldValidation.decode(bytes("""
                {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d'},
                 'spec':{'a':1,'template':{'spec':{'containers':[{'name':'c','image':'i','foo':1}]}},'b':2}}"""),
                false, "apps", "v1", "Deployment").problems();
        assertEquals("Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: "
                        + "unknown field \"spec.a\", unknown field \"spec.template.spec.containers[0].foo\", "
                        + "unknown field \"spec.b\"",
                FieldValidation.strictErrorMessage("Deployment", "v1", problems));
        assertEquals(List.of("unknown field \"spec.a\"", "unknown field \"spec.template.spec.containers[0].foo\"",
                "unknown field \"spec.b\""), FieldValidation.warnings(problems));
    }

    @Test
    void pathsAreQuotedAsGoQuotesThem() {
        assertEquals("unknown field \"metadata.caf\u00e9\\n\\\"x\\\"\"",
                FieldValidation.unknownField("metadata.caf\u00e9\n\"x\""));
        assertEquals("duplicate field \"a\\u200bb\"", FieldValidation.duplicateField("a\u200bb"));
    }

    @Test
    void warningHeadersEscapeQuotesAndBackslashesAndRefuseControlCharacters() {
        assertEquals("299 - \"unknown field \\\"a\\\\\\\\b\\\"\"", FieldValidation.warningHeader("unknown field \"a\\\\b\""));
        assertNull(FieldValidation.warningHeader("line 1\nline 2"));
    }

    @Test
    void directivesAsTheQueryNamesThem() {
        assertEquals(FieldValidation.Directive.WARN, FieldValidation.Directive.fromQuery(null));
        assertEquals(FieldValidation.Directive.WARN, FieldValidation.Directive.fromQuery(""));
        assertEquals(FieldValidation.Directive.STRICT, FieldValidation.Directive.fromQuery("Strict"));
        assertEquals(FieldValidation.Directive.IGNORE, FieldValidation.Directive.fromQuery("Ignore"));
        assertNull(FieldValidation.Directive.fromQuery("strict"));
    }
}
