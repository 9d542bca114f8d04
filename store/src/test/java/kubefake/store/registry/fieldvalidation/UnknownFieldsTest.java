package kubefake.store.registry.fieldvalidation;

import static kubefake.store.registry.fieldvalidation.Bodies.object;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which fields a built-in kind does not declare, named as the real server names them. */
class UnknownFieldsTest {

    private static List<String> unknown(String json, String group, String kind) {
        return FieldValidation.unknownFields(object(json), group, "v1", kind);
    }

    @Test
    void topLevelField() {
        assertEquals(List.of("foo"), unknown("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},"
                + "'data':{'a':'b'},'foo':1}", "", "ConfigMap"));
    }

    @Test
    void nestedFieldsAndListElementsInDocumentOrder() {
        String pod = """
                {'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','bogus':true},
                 'spec':{'containers':[{'name':'a','image':'nginx'},
                                       {'name':'b','image':'nginx','foo':1,'ports':[{'containerPort':80,'bar':2}]}],
                         'zzz':{}}}""";
        assertEquals(List.of("metadata.bogus", "spec.containers[1].foo", "spec.containers[1].ports[0].bar",
                "spec.zzz"), unknown(pod, "", "Pod"));
    }

    @Test
    void nothingInsideAnUnknownFieldIsReported() {
        assertEquals(List.of("spec"), unknown("{'kind':'ConfigMap','spec':{'foo':1,'bar':{'x':1}}}", "", "ConfigMap"));
    }

    @Test
    void mapsTakeAnyKeyAndTheirStructValuesAreChecked() {
        String crd = """
                {'apiVersion':'apiextensions.k8s.io/v1','kind':'CustomResourceDefinition',
                 'metadata':{'name':'crontabs.stable.example.com','labels':{'any':'thing'},'annotations':{'x/y':'z'}},
                 'spec':{'group':'stable.example.com','scope':'Namespaced',
                         'names':{'plural':'crontabs','kind':'CronTab'},
                         'versions':[{'name':'v1','served':true,'storage':true,
                           'schema':{'openAPIV3Schema':{'type':'object','properties':{
                              'spec':{'type':'object','properties':{'cronSpec':{'type':'string','colour':'red'}}}}}}}]}}""";
        assertEquals(List.of("spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.cronSpec.colour"),
                unknown(crd, "apiextensions.k8s.io", "CustomResourceDefinition"));
    }

    @Test
    void selfDecodingTypesAreNotLookedInto() {
        // RawExtension, FieldsV1, IntOrString, Quantity and apiextensions JSON decode themselves.
        String revision = """
                {'apiVersion':'apps/v1','kind':'ControllerRevision','revision':1,
                 'metadata':{'name':'r','managedFields':[{'manager':'kubectl','operation':'Update','apiVersion':'apps/v1',
                                                          'fieldsType':'FieldsV1','fieldsV1':{'f:data':{'.':{}}}}]},
                 'data':{'spec':{'template':{'anything':'goes'}}}}""";
        assertEquals(List.of(), unknown(revision, "apps", "ControllerRevision"));
        String crd = """
                {'kind':'CustomResourceDefinition','spec':{'versions':[{'name':'v1','schema':{'openAPIV3Schema':{
                   'type':'object','x-kubernetes-preserve-unknown-fields':true,
                   'default':{'free':{'form':1}},'items':{'type':'string','whatever':1},
                   'additionalProperties':{'type':'string','whatever':2}}}}]}}""";
        assertEquals(List.of(), unknown(crd, "apiextensions.k8s.io", "CustomResourceDefinition"));
    }

    @Test
    void emptyGoStructsRefuseEveryField() {
        String crd = "{'kind':'CustomResourceDefinition','spec':{'versions':[{'name':'v1',"
                + "'subresources':{'status':{'foo':1},'scale':{'specReplicasPath':'.spec.replicas','bar':2}}}]}}";
        assertEquals(List.of("spec.versions[0].subresources.status.foo", "spec.versions[0].subresources.scale.bar"),
                unknown(crd, "apiextensions.k8s.io", "CustomResourceDefinition"));
    }

    @Test
    void valuesOfTheWrongShapeAreNotLookedInto() {
        // The real decoder fails on these with a type error before strictness matters.
        assertEquals(List.of(), unknown("{'kind':'Pod','spec':{'containers':{'foo':1}},'metadata':[{'bar':1}]}",
                "", "Pod"));
    }

    @Test
    void matchingIsCaseSensitive() {
        assertEquals(List.of("Metadata", "Type"),
                unknown("{'kind':'Secret','Metadata':{},'data':{'X':'eA=='},'Type':'Opaque'}", "", "Secret"));
    }

    @Test
    void kindsWithoutSchemaHaveNoUnknownFields() {
        assertEquals(List.of(), FieldValidation.unknownFields(object("{'spec':{'foo':1}}"),
                "stable.example.com", "v1", "CronTab"));
        assertEquals(List.of("spec.bogus"), FieldValidation.unknownFields(object("{'spec':{'replicas':2,'bogus':1}}"),
                "autoscaling", "v1", "Scale"));
    }

    @Test
    void dropRemovesExactlyTheUnknownFields() {
        ObjectNode deployment = object("""
                {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d','labels':{'app':'d'},'x':1},
                 'spec':{'replicas':1,'selector':{'matchLabels':{'app':'d'}},'y':{'z':1},
                         'template':{'metadata':{'labels':{'app':'d'}},
                                     'spec':{'containers':[{'name':'c','image':'nginx','w':1,
                                             'resources':{'limits':{'cpu':'1','memory':'1Gi'}}}]}}},
                 'status':{'replicas':0}}""");
        FieldValidation.dropUnknownFields(deployment, "apps", "v1", "Deployment");
        assertEquals(object("""
                {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d','labels':{'app':'d'}},
                 'spec':{'replicas':1,'selector':{'matchLabels':{'app':'d'}},
                         'template':{'metadata':{'labels':{'app':'d'}},
                                     'spec':{'containers':[{'name':'c','image':'nginx',
                                             'resources':{'limits':{'cpu':'1','memory':'1Gi'}}}]}}},
                 'status':{'replicas':0}}"""), deployment);
        assertEquals(List.of(), FieldValidation.unknownFields(deployment, "apps", "v1", "Deployment"));
    }
}
