package kubefake.store.registry.patch;

import static kubefake.store.registry.patch.Json.assertJson;
import static kubefake.store.registry.patch.Json.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class StrategicMergePatchTest {

    private static final SchemaType DEPLOYMENT = PatchSchema.forGroupVersionKind("apps", "v1", "Deployment");
    private static final SchemaType POD = PatchSchema.forGroupVersionKind("", "v1", "Pod");

    private static JsonNode apply(SchemaType type, String target, String patch) {
        return StrategicMergePatch.apply(json(target), json(patch), type);
    }

    private static PatchException failure(SchemaType type, String target, String patch) {
        return assertThrows(PatchException.class, () -> apply(type, target, patch));
    }

    /** A pod with the given containers (JSON list text). */
    private static String pod(String containers) {
        return "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':" + containers + "}}";
    }

    @Test
    void mapsMergeScalarsReplaceAndNullDeletes() {
        assertJson("{'metadata':{'name':'p','labels':{'a':'2','c':'3'}},'spec':{'containers':[]}}",
                apply(POD, "{'metadata':{'name':'p','labels':{'a':'1','b':'2'}},'spec':{'containers':[]}}",
                        "{'metadata':{'labels':{'a':'2','b':null,'c':'3'}}}"));
    }

    @Test
    void containersMergeByNameAndKeepTheirOrder() {
        JsonNode result = apply(POD, pod("[{'name':'a','image':'x:1'},{'name':'b','image':'y:1'}]"),
                "{'spec':{'containers':[{'name':'b','image':'y:2'}]}}");
        assertJson(pod("[{'name':'a','image':'x:1'},{'name':'b','image':'y:2'}]"), result);
    }

    @Test
    void newItemsGoFirstUnlessSetElementOrderPlacesThem() {
        // Without $setElementOrder the patch's items come before live-only items whose relative
        // position to them is unknown, as on the real server (kubectl apply always sends the order).
        JsonNode result = apply(POD, pod("[{'name':'a','image':'x'}]"),
                "{'spec':{'containers':[{'name':'c','image':'z','ports':null}]}}");
        assertJson(pod("[{'name':'c','image':'z'},{'name':'a','image':'x'}]"), result);
        result = apply(POD, pod("[{'name':'a','image':'x'}]"),
                "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'c'}],"
                        + "'containers':[{'name':'c','image':'z'}]}}");
        assertJson(pod("[{'name':'a','image':'x'},{'name':'c','image':'z'}]"), result);
    }

    @Test
    void portsMergeByContainerPortAndEnvByName() {
        JsonNode result = apply(POD,
                pod("[{'name':'a','ports':[{'containerPort':80,'protocol':'TCP'}],"
                        + "'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]}]"),
                "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':443}],"
                        + "'env':[{'name':'B','value':'3'}]}]}}");
        assertJson(pod("[{'name':'a','ports':[{'containerPort':443},{'containerPort':80,'protocol':'TCP'}],"
                + "'env':[{'name':'A','value':'1'},{'name':'B','value':'3'}]}]"), result);
    }

    @Test
    void patchItemsGoInPatchOrderInterleavedWithLiveOnlyItems() {
        JsonNode result = apply(POD, pod("[{'name':'a'},{'name':'b'},{'name':'c'}]"),
                "{'spec':{'containers':[{'name':'c','image':'3'},{'name':'a','image':'1'}]}}");
        assertJson(pod("[{'name':'b'},{'name':'c','image':'3'},{'name':'a','image':'1'}]"), result);
    }

    @Test
    void setElementOrderDecidesTheOrder() {
        JsonNode result = apply(POD, pod("[{'name':'a'},{'name':'b'},{'name':'c'}]"),
                "{'spec':{'$setElementOrder/containers':[{'name':'c'},{'name':'a'},{'name':'b'}],"
                        + "'containers':[{'name':'c','image':'3'}]}}");
        assertJson(pod("[{'name':'c','image':'3'},{'name':'a'},{'name':'b'}]"), result);
    }

    @Test
    void setElementOrderWithoutTheListReordersLiveItems() {
        JsonNode result = apply(POD, pod("[{'name':'a'},{'name':'b'}]"),
                "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}]}}");
        assertJson(pod("[{'name':'b'},{'name':'a'}]"), result);
    }

    @Test
    void serverOnlyItemsKeepTheirPlaceWhenApplyRenamesAContainer() {
        // kubectl apply renaming b to c next to a sidecar only the server knows. The real server orders
        // server-only items against the live list as its merge left it (c took b's freed slot after the
        // sidecar), so the sidecar ends up between a and c.
        JsonNode result = apply(POD, pod("[{'name':'a'},{'name':'b'},{'name':'sidecar'}]"),
                "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'c'}],"
                        + "'containers':[{'name':'c','image':'3'},{'$patch':'delete','name':'b'}]}}");
        assertJson(pod("[{'name':'a'},{'name':'sidecar'},{'name':'c','image':'3'}]"), result);
    }

    @Test
    void aPatchListThatContradictsSetElementOrderIsRefused() {
        PatchException e = failure(POD, pod("[{'name':'a'},{'name':'b'}]"),
                "{'spec':{'$setElementOrder/containers':[{'name':'a'}],"
                        + "'containers':[{'name':'b','image':'x'}]}}");
        assertEquals(500, e.code());
        assertEquals("The order in patch list:\n[map[image:x name:b]]\n doesn't match $setElementOrder list:\n"
                + "[map[name:a]]\n", e.getMessage());
    }

    @Test
    void deleteDirectiveRemovesListItemsByMergeKey() {
        JsonNode result = apply(POD,
                "{'spec':{'containers':[{'name':'a'}],'volumes':[{'name':'v1','emptyDir':{}},{'name':'v2','emptyDir':{}}]}}",
                "{'spec':{'volumes':[{'$patch':'delete','name':'v1'}]}}");
        assertJson("{'spec':{'containers':[{'name':'a'}],'volumes':[{'name':'v2','emptyDir':{}}]}}", result);
    }

    @Test
    void replaceDirectiveInAListReplacesTheList() {
        JsonNode result = apply(POD, pod("[{'name':'a','image':'1'},{'name':'b'}]"),
                "{'spec':{'containers':[{'name':'c','image':'3'},{'$patch':'replace'}]}}");
        assertJson(pod("[{'name':'c','image':'3'}]"), result);
    }

    @Test
    void replaceAndDeleteDirectivesInAMap() {
        assertJson("{'metadata':{'labels':{'only':'this'}}}",
                apply(POD, "{'metadata':{'labels':{'a':'1','b':'2'}}}",
                        "{'metadata':{'labels':{'$patch':'replace','only':'this'}}}"));
        assertJson("{'metadata':{'labels':{}}}",
                apply(POD, "{'metadata':{'labels':{'a':'1'}}}", "{'metadata':{'labels':{'$patch':'delete'}}}"));
    }

    @Test
    void anUnknownDirectiveIsRefused() {
        PatchException e = failure(POD, "{'metadata':{'labels':{}}}",
                "{'metadata':{'labels':{'$patch':'nope','a':'b'}}}");
        assertEquals(500, e.code());
        assertEquals("", e.reason());
        assertEquals("unknown patch type: nope in map: map[$patch:nope a:b]", e.getMessage());
        assertEquals("merging lists cannot yet be specified in the patch",
                failure(POD, pod("[{'name':'a'}]"), "{'spec':{'containers':[{'$patch':'merge'}]}}").getMessage());
    }

    @Test
    void aListItemWithoutItsMergeKeyIsRefused() {
        PatchException e = failure(POD, pod("[{'name':'a'}]"), "{'spec':{'containers':[{'image':'nginx'}]}}");
        assertEquals(500, e.code());
        assertEquals("map: map[image:nginx] does not contain declared merge key: name", e.getMessage());
    }

    @Test
    void listsWithoutMergeStrategyAreReplaced() {
        JsonNode result = apply(POD,
                "{'spec':{'containers':[{'name':'a','args':['x','y']}],"
                        + "'tolerations':[{'key':'k1','operator':'Exists'},{'key':'k2','operator':'Exists'}]}}",
                "{'spec':{'containers':[{'name':'a','args':['z']}],'tolerations':[{'key':'k3','operator':'Exists'}]}}");
        assertJson("{'spec':{'containers':[{'name':'a','args':['z']}],'tolerations':[{'key':'k3','operator':'Exists'}]}}",
                result);
    }

    @Test
    void finalizersMergeAsAUnion() {
        assertJson("{'metadata':{'finalizers':['a/b','c/d','e/f']}}",
                apply(POD, "{'metadata':{'finalizers':['a/b','c/d']}}", "{'metadata':{'finalizers':['c/d','e/f']}}"));
    }

    @Test
    void deleteFromPrimitiveListRemovesValues() {
        assertJson("{'metadata':{'finalizers':['a/b']}}",
                apply(POD, "{'metadata':{'finalizers':['a/b','c/d']}}",
                        "{'metadata':{'$deleteFromPrimitiveList/finalizers':['c/d','x/y']}}"));
        PatchException e = failure(POD, "{'metadata':{'finalizers':['a/b']}}",
                "{'metadata':{'$deleteFromPrimitiveList':['a/b']}}");
        assertEquals(400, e.code());
        assertEquals("invalid patch format of primitive list", e.getMessage());
    }

    @Test
    void retainKeysDropsUnlistedFields() {
        JsonNode result = apply(DEPLOYMENT,
                "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%'}}}}",
                "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}");
        assertJson("{'spec':{'strategy':{'type':'Recreate'}}}", result);
    }

    @Test
    void retainKeysMustListEveryPatchedField() {
        PatchException e = failure(DEPLOYMENT, "{'spec':{'strategy':{'type':'RollingUpdate'}}}",
                "{'spec':{'strategy':{'$retainKeys':['type'],'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}");
        assertEquals(400, e.code());
        assertEquals("BadRequest", e.reason());
        assertEquals("invalid patch format of retainKeys", e.getMessage());
    }

    @Test
    void listsOfListsAreRefused() {
        PatchException e = failure(POD, "{'metadata':{'finalizers':[]}}", "{'metadata':{'finalizers':[['x']]}}");
        assertEquals(422, e.code());
        assertEquals("lists of lists are not supported", e.detail());
    }

    @Test
    void aPatchThatIsNotAnObjectIsABadRequestButNullChangesNothing() {
        PatchException e = failure(POD, "{}", "[1]");
        assertEquals(400, e.code());
        assertEquals("json: cannot unmarshal array into Go value of type map[string]interface {}", e.getMessage());
        assertJson("{'a':1}", apply(POD, "{'a':1}", "null"));
    }

    @Test
    void directivesNeverReachTheResult() {
        JsonNode result = apply(DEPLOYMENT, "{'metadata':{'name':'d'}}",
                "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'a'}],"
                        + "'containers':[{'name':'a','image':'i'},{'name':'b','$patch':'delete'}]}},"
                        + "'strategy':{'$retainKeys':['type'],'type':'Recreate','rollingUpdate':null}}}");
        assertJson("{'metadata':{'name':'d'},'spec':{'template':{'spec':{'containers':[{'name':'a','image':'i'}]}},"
                + "'strategy':{'type':'Recreate'}}}", result);
    }

    @Test
    void untypedContentMergesLikeAMergePatch() {
        JsonNode result = StrategicMergePatch.apply(
                json("{'spec':{'list':[1,2],'map':{'a':1,'b':2}}}"),
                json("{'spec':{'list':[3],'map':{'a':null,'c':3}}}"), SchemaType.UNTYPED);
        assertJson("{'spec':{'list':[3],'map':{'b':2,'c':3}}}", result);
    }

    @Test
    void theTargetAndPatchAreNotChanged() {
        JsonNode target = json(pod("[{'name':'a','image':'1'}]"));
        JsonNode patch = json("{'spec':{'$setElementOrder/containers':[{'name':'a'}],'containers':[{'name':'a','image':'2'}]}}");
        StrategicMergePatch.apply(target, patch, POD);
        assertJson(pod("[{'name':'a','image':'1'}]"), target);
        assertJson("{'spec':{'$setElementOrder/containers':[{'name':'a'}],'containers':[{'name':'a','image':'2'}]}}", patch);
    }

    @Test
    void theRootSchemaCanBeNamed() {
        PatchSchema apps = PatchSchema.forGroupVersion("apps", "v1");
        JsonNode result = StrategicMergePatch.apply(json("{'spec':{'template':{'spec':{'containers':[{'name':'a'}]}}}}"),
                json("{'spec':{'template':{'spec':{'containers':[{'name':'b'}]}}}}"), apps, "io.k8s.api.apps.v1.Deployment");
        assertJson("{'spec':{'template':{'spec':{'containers':[{'name':'b'},{'name':'a'}]}}}}", result);
        assertThrows(IllegalArgumentException.class,
                () -> StrategicMergePatch.apply(json("{}"), json("{}"), apps, "io.k8s.api.apps.v1.Nope"));
    }
}
