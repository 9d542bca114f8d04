package kubefake.store.registry.fieldvalidation;

import static kubefake.store.registry.fieldvalidation.Bodies.bytes;
import static kubefake.store.registry.fieldvalidation.Bodies.text;
import static kubefake.store.registry.fieldvalidation.Bodies.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Strict problems of PATCH requests, which the real server finds in three different ways. */
class PatchProblemsTest {

    private static final String DEPLOYMENT = """
            {'kind':'Deployment','apiVersion':'apps/v1','metadata':{'name':'d','namespace':'n','labels':{'app':'d'}},
             'spec':{'replicas':1,'template':{'spec':{'containers':[{'name':'c','image':'nginx'}]}}}}""";

    @Test
    void mergePatchWritesOpenedObjectsSortedAndReportsInThatOrder() {
        FieldValidation.PatchProblems problems = FieldValidation.checkMergePatch(tree(DEPLOYMENT),
                bytes("{'zz':1,'spec':{'yy':{'b':1,'a':null},'replicas':2,'xx':1},'aa':{'q':1,'q':2},'metadata':null}"),
                "apps", "v1", "Deployment");
        assertEquals(text("{'aa':{'q':2},'apiVersion':'apps/v1','kind':'Deployment',"
                + "'spec':{'replicas':2,'template':{'spec':{'containers':[{'name':'c','image':'nginx'}]}},"
                + "'xx':1,'yy':{'b':1}},'zz':1}"), problems.invalidValue());
        assertEquals(List.of("duplicate field \"aa.q\"", "unknown field \"aa\"", "unknown field \"spec.xx\"",
                "unknown field \"spec.yy\"", "unknown field \"zz\""), problems.problems());
    }

    @Test
    void mergePatchValuesKeepTheirOwnOrderWhenReplacingAScalarOrList() {
        FieldValidation.PatchProblems problems = FieldValidation.checkMergePatch(tree(DEPLOYMENT),
                bytes("{'metadata':{'labels':'x'},'spec':{'template':{'spec':{'containers':[{'name':'c','image':'i','zz':1}]}}}}"),
                "apps", "v1", "Deployment");
        assertEquals(text("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'labels':'x','name':'d',"
                + "'namespace':'n'},'spec':{'replicas':1,'template':{'spec':{'containers':[{'image':'i','name':'c',"
                + "'zz':1}]}}}}"), problems.invalidValue());
        assertEquals(List.of("unknown field \"spec.template.spec.containers[0].zz\""), problems.problems());
    }

    @Test
    void strategicMergePatchReportsLikeTheUnstructuredConverter() {
        // Sorted messages; map keys (here the CRD's property names) are left out of the paths.
        String patched = """
                {'apiVersion':'apiextensions.k8s.io/v1','kind':'CustomResourceDefinition','zeta':1,
                 'spec':{'versions':[{'name':'v1','schema':{'openAPIV3Schema':{'type':'object',
                   'properties':{'spec':{'type':'object','bogus':true}}}}}],'alpha':1}}""";
        FieldValidation.PatchProblems problems = FieldValidation.checkStrategicMergePatch(
                bytes("{'spec':{'alpha':1,'alpha':1},'zeta':1,'n':1.5,'s':'a b'}"), tree(patched),
                "apiextensions.k8s.io", "v1", "CustomResourceDefinition");
        assertEquals(List.of("duplicate field \"spec.alpha\"", "unknown field \"spec.alpha\"",
                "unknown field \"spec.versions[0].schema.openAPIV3Schema.properties.bogus\"",
                "unknown field \"zeta\""), problems.problems());
        assertEquals("map[n:1.5 s:a b spec:map[alpha:1] zeta:1]", problems.invalidValue());
        assertEquals(" \"\" is invalid: patch: Invalid value: \"map[n:1.5 s:a b spec:map[alpha:1] zeta:1]\": "
                        + "strict decoding error: duplicate field \"spec.alpha\", unknown field \"spec.alpha\", "
                        + "unknown field \"spec.versions[0].schema.openAPIV3Schema.properties.bogus\", "
                        + "unknown field \"zeta\"", FieldValidation.patchInvalidMessage(problems));
    }

    @Test
    void jsonPatchOperationsAreCheckedToo() {
        FieldValidation.PatchProblems problems = FieldValidation.checkJsonPatch(
                bytes("[{'op':'add','path':'/spec/foo','value':{'a':1,'a':2},'extra':1,'op':'add'}]"),
                tree("{'kind':'Deployment','apiVersion':'apps/v1','metadata':{'name':'d','labels':{'b':'1','a':'2'}},"
                        + "'spec':{'replicas':1,'foo':{'a':2}}}"),
                "apps", "v1", "Deployment");
        assertEquals(List.of("json patch duplicate field \"[0].value.a\"", "json patch unknown field \"[0].extra\"",
                "json patch duplicate field \"[0].op\"", "unknown field \"spec.foo\""), problems.problems());
        // The top level and the objects on the way to /spec/foo are written sorted, the rest as stored.
        assertEquals(text("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d','labels':{'b':'1','a':'2'}},"
                + "'spec':{'foo':{'a':2},'replicas':1}}"), problems.invalidValue());
    }
}
