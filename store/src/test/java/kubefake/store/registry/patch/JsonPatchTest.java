package kubefake.store.registry.patch;

import static kubefake.store.registry.patch.Json.assertJson;
import static kubefake.store.registry.patch.Json.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

class JsonPatchTest {

    private static JsonNode apply(String target, String patch) {
        return JsonPatch.apply(json(target), json(patch));
    }

    private static PatchException failure(String target, String patch) {
        return assertThrows(PatchException.class, () -> apply(target, patch));
    }

    @Test
    void addsObjectMembersAndReplacesExistingOnes() {
        assertJson("{'a':1,'b':{'c':2}}", apply("{'a':1}", "[{'op':'add','path':'/b','value':{'c':2}}]"));
        assertJson("{'a':[9]}", apply("{'a':1}", "[{'op':'add','path':'/a','value':[9]}]"));
    }

    @Test
    void addsArrayElementsAtAnIndexOrAtTheEnd() {
        assertJson("{'l':['x','a','b']}", apply("{'l':['a','b']}", "[{'op':'add','path':'/l/0','value':'x'}]"));
        assertJson("{'l':['a','b','x']}", apply("{'l':['a','b']}", "[{'op':'add','path':'/l/2','value':'x'}]"));
        assertJson("{'l':['a','b','x']}", apply("{'l':['a','b']}", "[{'op':'add','path':'/l/-','value':'x'}]"));
    }

    @Test
    void addBeyondTheEndOfAnArrayFails() {
        PatchException e = failure("{'l':['a']}", "[{'op':'add','path':'/l/5','value':'x'}]");
        assertEquals(422, e.code());
        assertEquals("Invalid", e.reason());
        assertEquals("the server rejected our request due to an error in our request", e.getMessage());
        assertEquals("error in add for path: '/l/5': Unable to access invalid index: 5: invalid index referenced",
                e.detail());
    }

    @Test
    void addUnderAMissingParentFails() {
        PatchException e = failure("{'a':{}}", "[{'op':'add','path':'/b/c','value':1}]");
        assertEquals("add operation does not apply: doc is missing path: \"/b/c\": missing value", e.detail());
    }

    @Test
    void removesMembersAndElements() {
        assertJson("{'b':2}", apply("{'a':1,'b':2}", "[{'op':'remove','path':'/a'}]"));
        assertJson("{'l':['a','c']}", apply("{'l':['a','b','c']}", "[{'op':'remove','path':'/l/1'}]"));
    }

    @Test
    void removingAMissingMemberFails() {
        PatchException e = failure("{'metadata':{'labels':{}}}",
                "[{'op':'remove','path':'/metadata/labels/app'}]");
        assertEquals(422, e.code());
        assertEquals("error in remove for path: '/metadata/labels/app': Unable to remove nonexistent key: app: missing value",
                e.detail());
    }

    @Test
    void replacesValues() {
        assertJson("{'spec':{'replicas':5}}", apply("{'spec':{'replicas':1}}",
                "[{'op':'replace','path':'/spec/replicas','value':5}]"));
        assertJson("{'l':['a','z']}", apply("{'l':['a','b']}", "[{'op':'replace','path':'/l/1','value':'z'}]"));
    }

    @Test
    void replaceOfAMissingMemberAddsItLikeTheServersLibrary() {
        assertJson("{'a':1,'b':2}", apply("{'a':1}", "[{'op':'replace','path':'/b','value':2}]"));
    }

    @Test
    void replaceOfAMissingIndexFails() {
        PatchException e = failure("{'l':['a']}", "[{'op':'replace','path':'/l/3','value':'x'}]");
        assertEquals("replace operation does not apply: doc is missing key: /l/3: missing value", e.detail());
    }

    @Test
    void replacesTheWholeDocumentWithAnObject() {
        assertJson("{'x':1}", apply("{'a':1}", "[{'op':'replace','path':'','value':{'x':1}}]"));
    }

    @Test
    void movesAndCopies() {
        assertJson("{'b':{'c':1},'d':1}", apply("{'a':1,'b':{'c':1}}", "[{'op':'move','from':'/a','path':'/d'}]"));
        assertJson("{'l':['b','a']}", apply("{'l':['a','b']}", "[{'op':'move','from':'/l/0','path':'/l/-'}]"));
        assertJson("{'a':{'x':[1]},'b':{'x':[1]}}", apply("{'a':{'x':[1]}}", "[{'op':'copy','from':'/a','path':'/b'}]"));
    }

    @Test
    void copiedValuesAreIndependent() {
        JsonNode result = apply("{'a':{'x':1}}",
                "[{'op':'copy','from':'/a','path':'/b'},{'op':'replace','path':'/b/x','value':2}]");
        assertJson("{'a':{'x':1},'b':{'x':2}}", result);
    }

    @Test
    void testPassesOnEqualValuesAndFailsOtherwise() {
        assertJson("{'a':{'b':[1,'x']},'c':true}",
                apply("{'a':{'b':[1,'x']}}", "[{'op':'test','path':'/a','value':{'b':[1,'x']}},"
                        + "{'op':'add','path':'/c','value':true}]"));
        PatchException e = failure("{'a':'x'}", "[{'op':'test','path':'/a','value':'y'}]");
        assertEquals(422, e.code());
        assertEquals("testing value /a failed: test failed", e.detail());
        failure("{'a':1}", "[{'op':'test','path':'/a','value':1.0}]");
    }

    @Test
    void aFailedTestLeavesTheTargetUntouched() {
        JsonNode target = json("{'a':1}");
        assertThrows(PatchException.class, () -> JsonPatch.apply(target,
                json("[{'op':'add','path':'/b','value':2},{'op':'test','path':'/a','value':2}]")));
        assertJson("{'a':1}", target);
    }

    @Test
    void pointerTokensAreUnescaped() {
        assertJson("{'metadata':{'annotations':{'example.com/a~b':'v'}}}",
                apply("{'metadata':{'annotations':{}}}",
                        "[{'op':'add','path':'/metadata/annotations/example.com~1a~0b','value':'v'}]"));
        assertJson("{'~1':true}", apply("{}", "[{'op':'add','path':'/~01','value':true}]"));
    }

    @Test
    void negativeIndexesCountFromTheEnd() {
        assertJson("{'l':['a','b']}", apply("{'l':['a','b','c']}", "[{'op':'remove','path':'/l/-1'}]"));
    }

    @Test
    void rolloutUndoReplacesTemplateAndAnnotations() {
        JsonNode result = apply(
                "{'metadata':{'annotations':{'deployment.kubernetes.io/revision':'2'}},"
                        + "'spec':{'template':{'spec':{'containers':[{'name':'n','image':'nginx:2'}]}}}}",
                "[{'op':'replace','path':'/spec/template','value':{'spec':{'containers':[{'name':'n','image':'nginx:1'}]}}},"
                        + "{'op':'replace','path':'/metadata/annotations','value':{'deployment.kubernetes.io/revision':'1'}}]");
        assertJson("{'metadata':{'annotations':{'deployment.kubernetes.io/revision':'1'}},"
                + "'spec':{'template':{'spec':{'containers':[{'name':'n','image':'nginx:1'}]}}}}", result);
    }

    @Test
    void unknownOperationsAndMissingFieldsFail() {
        assertEquals("Unexpected kind: jump", failure("{}", "[{'op':'jump','path':'/a'}]").detail());
        assertEquals("add operation failed to decode path: missing value",
                failure("{}", "[{'op':'add','value':1}]").detail());
        assertEquals("move operation failed to decode from: operation, missing from field: missing value",
                failure("{}", "[{'op':'move','path':'/a'}]").detail());
    }

    @Test
    void aPatchThatIsNotAListOfOperationsIsABadRequest() {
        PatchException e = failure("{}", "{'op':'add'}");
        assertEquals(400, e.code());
        assertEquals("BadRequest", e.reason());
        assertEquals("json: cannot unmarshal object into Go value of type jsonpatch.Patch", e.getMessage());
        assertEquals("json: cannot unmarshal string into Go value of type jsonpatch.Operation",
                failure("{}", "['add']").getMessage());
    }

    @Test
    void tooManyOperationsAreRefused() {
        ArrayNode patch = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i <= JsonPatch.MAX_OPERATIONS; i++) {
            patch.add(json("{'op':'test','path':'/a','value':1}"));
        }
        PatchException e = assertThrows(PatchException.class, () -> JsonPatch.apply(json("{'a':1}"), patch));
        assertEquals(413, e.code());
        assertEquals("Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001", e.getMessage());
    }
}
