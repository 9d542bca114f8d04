package kubefake.store.registry.patch;

import static kubefake.store.registry.patch.Json.assertJson;
import static kubefake.store.registry.patch.Json.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class MergePatchTest {

    private static JsonNode apply(String target, String patch) {
        return MergePatch.apply(json(target), json(patch));
    }

    @Test
    void membersMergeRecursivelyAndScalarsReplace() {
        assertJson("{'metadata':{'name':'x','labels':{'a':'1','b':'2'}},'spec':{'replicas':3}}",
                apply("{'metadata':{'name':'x','labels':{'a':'1'}},'spec':{'replicas':1}}",
                        "{'metadata':{'labels':{'b':'2'}},'spec':{'replicas':3}}"));
    }

    @Test
    void nullDeletesAMember() {
        assertJson("{'metadata':{'labels':{'b':'2'}}}",
                apply("{'metadata':{'labels':{'a':'1','b':'2'}}}", "{'metadata':{'labels':{'a':null}}}"));
        assertJson("{'a':1}", apply("{'a':1}", "{'missing':null}"));
    }

    @Test
    void listsAreReplacedWhole() {
        assertJson("{'l':[{'c':3}]}", apply("{'l':[{'a':1},{'b':2}]}", "{'l':[{'c':3}]}"));
    }

    @Test
    void anObjectReplacesAScalarAndLosesItsNulls() {
        assertJson("{'a':{'b':'c'}}", apply("{'a':'x'}", "{'a':{'b':'c','d':null}}"));
        assertJson("{'a':{'b':{}}}", apply("{}", "{'a':{'b':{'c':null}}}"));
    }

    @Test
    void aScalarReplacesAnObject() {
        assertJson("{'a':'x'}", apply("{'a':{'b':1}}", "{'a':'x'}"));
    }

    @Test
    void anEmptyPatchChangesNothing() {
        assertJson("{'a':[1,2],'b':{'c':null}}", apply("{'a':[1,2],'b':{'c':null}}", "{}"));
    }

    @Test
    void theTargetIsNotChanged() {
        JsonNode target = json("{'a':{'b':1}}");
        MergePatch.apply(target, json("{'a':{'b':2,'c':3}}"));
        assertJson("{'a':{'b':1}}", target);
    }

    @Test
    void scaleAndLabelPatchesFromKubectl() {
        assertJson("{'spec':{'replicas':3},'status':{'replicas':1}}",
                apply("{'spec':{'replicas':1},'status':{'replicas':1}}", "{'spec':{'replicas':3}}"));
        assertJson("{'metadata':{'name':'p','labels':{'foo':'bar'}}}",
                apply("{'metadata':{'name':'p'}}", "{'metadata':{'labels':{'foo':'bar'}}}"));
    }

    @Test
    void aNullOrScalarPatchIsABadRequest() {
        for (String patch : new String[] {"null", "'x'", "3", "true"}) {
            PatchException e = assertThrows(PatchException.class, () -> apply("{}", patch));
            assertEquals(400, e.code());
            assertEquals("Invalid JSON Patch", e.getMessage());
        }
    }

    @Test
    void aListPatchBecomesTheDocument() {
        assertJson("[1,{'a':1}]", apply("{'x':1}", "[1,{'a':1,'b':null}]"));
    }
}
