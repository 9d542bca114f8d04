package kubefake.store.registry.patch;

import static kubefake.store.registry.patch.Json.assertJson;
import static kubefake.store.registry.patch.Json.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bodies kubectl sends (docs/kubectl-wire.md, sections 6.2 to 6.18) applied through {@link Patches}. */
class KubectlPatchesTest {

    private static final String D2_LAST_APPLIED = "{\\\"apiVersion\\\":\\\"apps/v1\\\",\\\"kind\\\":\\\"Deployment\\\"}\\n";
    private static final String D3_LAST_APPLIED = "{\\\"apiVersion\\\":\\\"apps/v1\\\",\\\"kind\\\":\\\"Deployment\\\",\\\"spec\\\":{}}\\n";

    /** The d2 deployment as the server stores it: two containers, rolling update, two finalizers. */
    private static final String D2 = """
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"d","namespace":"default","uid":"u-1","resourceVersion":"7","generation":2,
                         "finalizers":["a/b","c/d"],
                         "annotations":{"deployment.kubernetes.io/revision":"1",
                                        "kubectl.kubernetes.io/last-applied-configuration":"%s"}},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"d"}},
                     "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%%","maxUnavailable":"25%%"}},
                     "template":{"metadata":{"labels":{"app":"d"}},
                                 "spec":{"containers":[
                                   {"name":"a","image":"nginx:1","ports":[{"containerPort":80,"protocol":"TCP"}],
                                    "imagePullPolicy":"IfNotPresent"},
                                   {"name":"b","image":"busybox","imagePullPolicy":"Always"}],
                                   "restartPolicy":"Always"}}},
             "status":{"replicas":2,"readyReplicas":2}}
            """.formatted(D2_LAST_APPLIED);

    /** What kubectl apply sent for d3.yaml over d2.yaml (wire doc section 6.2), with a short annotation. */
    private static final String D3_PATCH = """
            {"metadata":{"$deleteFromPrimitiveList/finalizers":["c/d"],"$setElementOrder/finalizers":["a/b"],
                         "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"%s"}},
             "spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"},
                     "template":{"spec":{"$setElementOrder/containers":[{"name":"a"}],
                                         "containers":[{"image":"nginx:2","name":"a","ports":null},
                                                       {"$patch":"delete","name":"b"}]}}}}
            """.formatted(D3_LAST_APPLIED);

    private static JsonNode patch(PatchType type, String target, String body, String group, String kind) {
        return Patches.apply(type, json(target), Patches.parseBody(body.getBytes(StandardCharsets.UTF_8)),
                group, "v1", kind);
    }

    @Test
    void applyOfD3OverD2() {
        JsonNode result = patch(PatchType.STRATEGIC, D2, D3_PATCH, "apps", "Deployment");

        assertJson("['a/b']", result.at("/metadata/finalizers"));
        assertJson("{'type':'Recreate'}", result.at("/spec/strategy"));
        assertJson("[{'name':'a','image':'nginx:2','imagePullPolicy':'IfNotPresent'}]",
                result.at("/spec/template/spec/containers"));
        assertEquals(D3_LAST_APPLIED.replace("\\\"", "\"").replace("\\n", "\n"),
                result.at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration").asText());
        assertEquals("1", result.at("/metadata/annotations/deployment.kubernetes.io~1revision").asText());
        // Everything the patch does not mention stays as it was.
        JsonNode before = json(D2);
        for (String unchanged : new String[] {"/spec/replicas", "/spec/selector", "/spec/template/metadata",
                "/spec/template/spec/restartPolicy", "/status", "/metadata/uid", "/metadata/resourceVersion"}) {
            assertJson(before.at(unchanged).toString(), result.at(unchanged));
        }
        assertEquals(json(D2).size(), result.size());
    }

    @Test
    void applyingTheSamePatchTwiceChangesNothingMore() {
        JsonNode once = patch(PatchType.STRATEGIC, D2, D3_PATCH, "apps", "Deployment");
        JsonNode twice = patch(PatchType.STRATEGIC, once.toString(), D3_PATCH, "apps", "Deployment");
        assertJson(once.toString(), twice);
    }

    @Test
    void setImage() {
        String deployment = "{'spec':{'template':{'spec':{'containers':["
                + "{'name':'nginx','image':'nginx:1.14','ports':[{'containerPort':80}]},{'name':'side','image':'busybox'}]}}}}";
        JsonNode result = patch(PatchType.STRATEGIC, deployment.replace('\'', '"'),
                "{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"nginx\"},{\"name\":\"side\"}],"
                        + "\"containers\":[{\"image\":\"nginx:1.233\",\"name\":\"nginx\"}]}}}}",
                "apps", "Deployment");
        assertJson("[{'name':'nginx','image':'nginx:1.233','ports':[{'containerPort':80}]},{'name':'side','image':'busybox'}]",
                result.at("/spec/template/spec/containers"));
    }

    @Test
    void setImageOfTheOnlyContainer() {
        JsonNode result = patch(PatchType.STRATEGIC,
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.14\"}]}}}}",
                "{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"nginx\"}],"
                        + "\"containers\":[{\"image\":\"nginx:1.233\",\"name\":\"nginx\"}]}}}}",
                "apps", "Deployment");
        assertJson("{'spec':{'template':{'spec':{'containers':[{'name':'nginx','image':'nginx:1.233'}]}}}}", result);
    }

    @Test
    void cordonAndUncordon() {
        String node = "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node1\"},"
                + "\"spec\":{\"podCIDR\":\"10.244.1.0/24\"}}";
        JsonNode cordoned = Patches.apply(PatchType.STRATEGIC, json(node),
                json("{'spec':{'unschedulable':true}}"), "", "v1", "Node");
        assertJson("{'podCIDR':'10.244.1.0/24','unschedulable':true}", cordoned.get("spec"));
        JsonNode uncordoned = Patches.apply(PatchType.STRATEGIC, cordoned,
                json("{'spec':{'unschedulable':null}}"), "", "v1", "Node");
        assertJson(node, uncordoned);
    }

    @Test
    void rolloutRestartAddsTheTemplateAnnotation() {
        String restart = "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
                + "{\"kubectl.kubernetes.io/restartedAt\":\"2026-11-22T10:00:00Z\"}}}}}";
        JsonNode first = patch(PatchType.STRATEGIC,
                "{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"app\":\"d\"}},\"spec\":{\"containers\":[]}}}}",
                restart, "apps", "Deployment");
        assertJson("{'labels':{'app':'d'},'annotations':{'kubectl.kubernetes.io/restartedAt':'2026-11-22T10:00:00Z'}}",
                first.at("/spec/template/metadata"));
        JsonNode second = Patches.apply(PatchType.STRATEGIC, first,
                json("{'spec':{'template':{'metadata':{'annotations':{'kubectl.kubernetes.io/restartedAt':'2026-11-22T11:00:00Z'}}}}}"),
                "apps", "v1", "Deployment");
        assertEquals("2026-11-22T11:00:00Z",
                second.at("/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt").asText());
    }

    @Test
    void labelAndScaleUseMergePatch() {
        JsonNode labeled = patch(PatchType.MERGE, "{\"metadata\":{\"name\":\"x\",\"labels\":{\"foo\":\"bar\",\"a\":\"b\"}}}",
                "{\"metadata\":{\"labels\":{\"foo\":null}}}", "", "Pod");
        assertJson("{'metadata':{'name':'x','labels':{'a':'b'}}}", labeled);
    }

    @Test
    void rolloutUndoUsesJsonPatch() {
        JsonNode result = patch(PatchType.JSON, "{\"spec\":{\"template\":{\"spec\":{}}}}",
                "[{\"op\":\"replace\",\"path\":\"/spec/template\",\"value\":{\"metadata\":{}}}]", "apps", "Deployment");
        assertJson("{'spec':{'template':{'metadata':{}}}}", result);
    }

    @Test
    void strategicMergePatchOnACustomResourceIsAnUnsupportedMediaType() {
        PatchException e = assertThrows(PatchException.class, () -> patch(PatchType.STRATEGIC,
                "{\"spec\":{}}", "{\"spec\":{\"a\":1}}", "stable.example.com", "CronTab"));
        assertEquals(415, e.code());
        assertEquals("UnsupportedMediaType", e.reason());
        assertEquals("the body of the request was in an unknown format - accepted media types include: "
                + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
                e.getMessage());
        assertJson("{'spec':{'a':1}}", patch(PatchType.MERGE, "{\"spec\":{}}", "{\"spec\":{\"a\":1}}",
                "stable.example.com", "CronTab"));
    }

    @Test
    void scaleSubresourcePatches() {
        JsonNode result = Patches.apply(PatchType.STRATEGIC, json("{'kind':'Scale','spec':{'replicas':1}}"),
                json("{'spec':{'replicas':4}}"), "autoscaling", "v1", "Scale");
        assertJson("{'kind':'Scale','spec':{'replicas':4}}", result);
    }

    @Test
    void bodiesThatAreNotJsonAreBadRequests() {
        for (String body : new String[] {"", "{", "{} {}", "nope"}) {
            PatchException e = assertThrows(PatchException.class,
                    () -> Patches.parseBody(body.getBytes(StandardCharsets.UTF_8)));
            assertEquals(400, e.code());
            assertEquals("invalid JSON patch", e.getMessage());
        }
    }

    @Test
    void aPatchThatLeavesNoObjectIsInvalid() {
        PatchException e = assertThrows(PatchException.class,
                () -> patch(PatchType.MERGE, "{\"a\":1}", "[1]", "", "ConfigMap"));
        assertEquals(422, e.code());
    }

    @Test
    void contentTypesAreRecognised() {
        assertEquals(PatchType.STRATEGIC, PatchType.fromContentType("application/strategic-merge-patch+json"));
        assertEquals(PatchType.MERGE, PatchType.fromContentType("application/merge-patch+json; charset=utf-8"));
        assertEquals(PatchType.JSON, PatchType.fromContentType("application/json-patch+json"));
        assertEquals(PatchType.APPLY_YAML, PatchType.fromContentType("application/apply-patch+yaml"));
        assertEquals(null, PatchType.fromContentType("application/json"));
    }
}
