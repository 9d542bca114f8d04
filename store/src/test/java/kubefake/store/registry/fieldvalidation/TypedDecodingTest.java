package kubefake.store.registry.fieldvalidation;

import static kubefake.store.registry.fieldvalidation.Bodies.bytes;
import static kubefake.store.registry.fieldvalidation.Bodies.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.fieldvalidation.FieldValidation.Directive;
import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.patch.PatchType;
import kubefake.store.registry.patch.Patches;
import org.junit.jupiter.api.Test;

/**
 * Bodies that do not fit the served type's Go struct, with the real server's words: sigs.k8s.io/json's
 * {@code UnmarshalTypeError} ({@code json: cannot unmarshal <what> into Go struct field <Struct>.<json path> of type
 * <Go type>}), encoding/base64's {@code CorruptInputError}, and the errors of the types that decode themselves.
 */
class TypedDecodingTest {

    private static String createError(String body, String group, String version, String kind) {
        return FieldValidation.decode(bytes(body), false, group, version, kind).decodeError();
    }

    private static String configMap(String body) {
        return createError(body, "", "v1", "ConfigMap");
    }

    private static String pod(String spec) {
        return createError("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':" + spec + "}", "", "v1", "Pod");
    }

    @Test
    void configMapDataOfTheWrongShape() {
        assertEquals("json: cannot unmarshal bool into Go struct field ConfigMap.data of type map[string]string",
                configMap("{'data':true}"));
        assertEquals("json: cannot unmarshal number into Go struct field ConfigMap.data of type string",
                configMap("{'data':{'k':1}}"));
        assertEquals("json: cannot unmarshal array into Go struct field ConfigMap.data of type map[string]string",
                configMap("{'data':['a']}"));
        assertEquals("json: cannot unmarshal object into Go struct field ConfigMap.data of type string",
                configMap("{'data':{'k':{}}}"));
        assertNull(configMap("{'data':{'k':'v','n':null},'binaryData':null}"));
    }

    @Test
    void labelsAreStringsAndTheStructIsTheInnermostOne() {
        assertEquals("json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
                configMap("{'metadata':{'name':'x','labels':{'a':1}}}"));
        assertEquals("json: cannot unmarshal string into Go struct field ConfigMap.metadata of type v1.ObjectMeta",
                configMap("{'metadata':'x'}"));
        assertEquals("json: cannot unmarshal number into Go struct field ObjectMeta.metadata.uid of type types.UID",
                configMap("{'metadata':{'uid':5}}"));
    }

    @Test
    void binaryDataAndSecretDataAreBase64AsGoDecodesIt() {
        assertEquals("illegal base64 data at input byte 3", configMap("{'binaryData':{'k':'not base64'}}"));
        assertEquals("illegal base64 data at input byte 4",
                createError("{'data':{'pw':'secret'}}", "", "v1", "Secret"));
        assertEquals("illegal base64 data at input byte 0", configMap("{'binaryData':{'k':'YQ'}}"));
        assertNull(configMap("{'binaryData':{'k':'YQ==','n':'YWJj\\nZGVm','b':[1,2,255]}}"));
        assertEquals("json: cannot unmarshal number 256 into Go struct field ConfigMap.binaryData of type uint8",
                configMap("{'binaryData':{'k':[256]}}"));
        assertEquals("json: cannot unmarshal bool into Go struct field Secret.data of type []uint8",
                createError("{'data':{'k':true}}", "", "v1", "Secret"));
    }

    @Test
    void integersMustBeIntegerLiteralsInRange() {
        assertEquals("json: cannot unmarshal number 1.0 into Go struct field ContainerPort.spec.containers.ports.containerPort"
                + " of type int32", pod("{'containers':[{'name':'c','image':'i','ports':[{'containerPort':1.0}]}]}"));
        assertEquals("json: cannot unmarshal number 2147483648 into Go struct field ContainerPort.spec.containers.ports"
                + ".containerPort of type int32", pod("{'containers':[{'name':'c','ports':[{'containerPort':2147483648}]}]}"));
        assertEquals("json: cannot unmarshal number 9223372036854775808 into Go struct field PodSpec.spec"
                + ".terminationGracePeriodSeconds of type int64", pod("{'terminationGracePeriodSeconds':9223372036854775808}"));
        assertEquals("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
                createError("{'spec':{'replicas':'3'}}", "apps", "v1", "Deployment"));
        assertEquals("json: cannot unmarshal number 1e99999 into Go struct field DeploymentSpec.spec.replicas of type int32",
                createError("{'spec':{'replicas':1e99999}}", "apps", "v1", "Deployment"));
    }

    @Test
    void listsStructsAndNamedGoTypes() {
        assertEquals("json: cannot unmarshal string into Go struct field Container.spec.containers.command of type []string",
                pod("{'containers':[{'name':'c','command':'sh'}]}"));
        assertEquals("json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container",
                pod("{'containers':{}}"));
        assertEquals("json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type v1.Container",
                pod("{'containers':['c']}"));
        assertEquals("json: cannot unmarshal number into Go struct field ContainerPort.spec.containers.ports.protocol"
                + " of type v1.Protocol", pod("{'containers':[{'name':'c','ports':[{'containerPort':80,'protocol':6}]}]}"));
        assertEquals("json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool",
                pod("{'hostNetwork':'yes'}"));
        assertEquals("json: cannot unmarshal number into Go struct field NamespaceSpec.spec.finalizers of type"
                + " v1.FinalizerName", createError("{'spec':{'finalizers':[1]}}", "", "v1", "Namespace"));
        assertEquals("json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec", pod("'x'"));
    }

    @Test
    void theFirstTypeErrorInDocumentOrderUnlessATypeDecodingItselfFails() {
        assertEquals("json: cannot unmarshal number into Go struct field ConfigMap.data of type string",
                configMap("{'data':{'a':1},'metadata':{'labels':{'a':1}}}"));
        assertEquals("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
                pod("{'hostNetwork':1,'containers':[{'name':'c','resources':{'limits':{'cpu':'lots'}}}]}"));
    }

    @Test
    void typesWithTheirOwnDecoding() {
        assertEquals(GoQuantity.ERR_FORMAT, pod("{'containers':[{'name':'c','resources':{'requests':{'cpu':'1x1'}}}]}"));
        assertEquals("unable to parse quantity's suffix",
                pod("{'containers':[{'name':'c','resources':{'requests':{'cpu':'2kk'}}}]}"));
        assertNull(pod("{'containers':[{'name':'c','resources':{'requests':{'cpu':0.5,'memory':'1Gi'}}}]}"));
        assertEquals("json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32",
                createError("{'spec':{'ports':[{'port':80,'targetPort':true}]}}", "", "v1", "Service"));
        assertEquals("json: cannot unmarshal number 8.5 into Go struct field ServicePort.spec.ports.targetPort of type int32",
                createError("{'spec':{'ports':[{'port':80,'targetPort':8.5}]}}", "", "v1", "Service"));
        assertNull(createError("{'spec':{'ports':[{'port':80,'targetPort':'http'}]}}", "", "v1", "Service"));
        assertEquals("parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\"",
                configMap("{'metadata':{'creationTimestamp':'yesterday'}}"));
        assertEquals("json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string",
                configMap("{'metadata':{'creationTimestamp':1}}"));
        assertEquals("parsing time \"2024-02-30T00:00:00Z\": day out of range",
                configMap("{'metadata':{'creationTimestamp':'2024-02-30T00:00:00Z'}}"));
        assertEquals("parsing time \"2024-01-01T10:00:00Z\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"Z\" as"
                + " \".000000\"", createError("{'eventTime':'2024-01-01T10:00:00Z'}", "events.k8s.io", "v1", "Event"));
    }

    @Test
    void unknownFieldsAreNotLookedInto() {
        assertNull(configMap("{'x':1e99999,'spec':{'data':true}}"));
    }

    @Test
    void yamlBodiesAreCheckedInKeyOrderAfterGoConvertedThemToJson() {
        String yaml = "metadata:\n  labels:\n    a: 1\ndata:\n  k: 2\n";
        assertEquals("json: cannot unmarshal number into Go struct field ConfigMap.data of type string",
                FieldValidation.decode(yaml.getBytes(StandardCharsets.UTF_8), true, "", "v1", "ConfigMap").decodeError());
        assertNull(FieldValidation.decode("spec:\n  replicas: 1.0\n".getBytes(StandardCharsets.UTF_8), true,
                "apps", "v1", "Deployment").decodeError());
        assertThrows(UnsupportedValueException.class, () -> FieldValidation.decode(
                "spec:\n  replicas: .inf\n".getBytes(StandardCharsets.UTF_8), true, "apps", "v1", "Deployment"));
    }

    @Test
    void patchBodiesDecodeIntoMapsOrOperations() {
        StatusException merge = assertThrows(StatusException.class,
                () -> FieldValidation.decodePatchBody(PatchType.MERGE, bytes("{'x':1e99999}"), Directive.WARN));
        assertEquals(400, merge.code());
        assertEquals("error decoding patch: json: cannot unmarshal number 1e99999 into Go value of type float64",
                merge.getMessage());
        FieldValidation.decodePatchBody(PatchType.MERGE, bytes("{'x':1e99999}"), Directive.IGNORE);
        StatusException strategic = assertThrows(StatusException.class,
                () -> FieldValidation.decodePatchBody(PatchType.STRATEGIC, bytes("{'x':[1e99999]}"), Directive.IGNORE));
        assertEquals("json: cannot unmarshal number 1e99999 into Go value of type float64", strategic.getMessage());
        StatusException json = assertThrows(StatusException.class,
                () -> FieldValidation.decodePatchBody(PatchType.JSON, bytes("[{'op':1,'path':'/a'}]"), Directive.STRICT));
        assertEquals("error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string",
                json.getMessage());
        StatusException notAList = assertThrows(StatusException.class,
                () -> FieldValidation.decodePatchBody(PatchType.JSON, bytes("{'op':'add'}"), Directive.WARN));
        assertEquals("error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp",
                notAList.getMessage());
        StatusException value = assertThrows(StatusException.class, () -> FieldValidation.decodePatchBody(PatchType.JSON,
                bytes("[{'op':'add','path':'/a','value':{'b':-1e400}}]"), Directive.WARN));
        assertEquals("error decoding patch: json: cannot unmarshal number -1e400 into Go struct field jsonPatchOp.value"
                + " of type float64", value.getMessage());
        FieldValidation.decodePatchBody(PatchType.MERGE, bytes("{'x':1e308,'y':12345678901234567890123}"), Directive.STRICT);
    }

    @Test
    void patchedObjectsOfTheWrongShape() {
        FieldValidation.PatchProblems merge = FieldValidation.checkMergePatch(tree("{'kind':'ConfigMap','apiVersion':'v1',"
                + "'metadata':{'name':'c'}}"), bytes("{'data':true}"), "", "v1", "ConfigMap");
        assertEquals("json: cannot unmarshal bool into Go struct field ConfigMap.data of type map[string]string",
                merge.decodeError());
        assertEquals(Bodies.text("{'apiVersion':'v1','data':true,'kind':'ConfigMap','metadata':{'name':'c'}}"),
                merge.invalidValue());
        StatusException failure = FieldValidation.patchDecodeFailure(merge);
        assertEquals(422, failure.code());
        assertEquals(" \"\" is invalid: patch: Invalid value: \"{\\\"apiVersion\\\":\\\"v1\\\",\\\"data\\\":true,"
                + "\\\"kind\\\":\\\"ConfigMap\\\",\\\"metadata\\\":{\\\"name\\\":\\\"c\\\"}}\": json: cannot unmarshal bool into Go"
                + " struct field ConfigMap.data of type map[string]string", failure.getMessage());
    }

    @Test
    void aJsonPatchAddingAHugeNumberUnderIgnoreIsATypeErrorOfTheResult() {
        JsonNode patch = Patches.parseBody(bytes("[{'op':'add','path':'/data/x','value':1e99999}]"));
        JsonNode current = tree("{'kind':'ConfigMap','apiVersion':'v1','metadata':{'name':'c'},'data':{}}");
        JsonNode patched = Patches.apply(PatchType.JSON, current, patch, "", "v1", "ConfigMap");
        FieldValidation.PatchProblems problems = FieldValidation.checkJsonPatch(
                bytes("[{'op':'add','path':'/data/x','value':1e99999}]"), patched, "", "v1", "ConfigMap");
        assertEquals("json: cannot unmarshal number into Go struct field ConfigMap.data of type string", problems.decodeError());
    }

    @Test
    void strategicMergePatchResultsInTheConvertersWords() {
        String current = "{'kind':'ConfigMap','apiVersion':'v1','metadata':{'name':'c','labels':{'a':'b'}}}";
        assertEquals("cannot restore map from bool", FieldValidation.checkStrategicMergePatch(bytes("{'data':true}"),
                tree("{'kind':'ConfigMap','apiVersion':'v1','metadata':{'name':'c'},'data':true}"), "", "v1", "ConfigMap")
                .decodeError());
        assertEquals("cannot convert int64 to string", FieldValidation.checkStrategicMergePatch(bytes("{'data':{'k':1}}"),
                tree("{'metadata':{'name':'c'},'data':{'k':1}}"), "", "v1", "ConfigMap").decodeError());
        assertEquals("unrecognized type: string", FieldValidation.checkStrategicMergePatch(bytes("{}"),
                tree("{'metadata':{'name':'c'},'data':{'k':1.5}}"), "", "v1", "ConfigMap").decodeError());
        assertEquals("error decoding from json: illegal base64 data at input byte 0", FieldValidation
                .checkStrategicMergePatch(bytes("{}"), tree("{'metadata':{'name':'c'},'binaryData':{'k':'!'}}"),
                        "", "v1", "ConfigMap").decodeError());
        assertEquals("cannot restore struct from: string", FieldValidation.checkStrategicMergePatch(bytes("{}"),
                tree("{'metadata':'x'}"), "", "v1", "ConfigMap").decodeError());
        assertEquals("cannot convert float64 to int32", FieldValidation.checkStrategicMergePatch(bytes("{}"),
                tree("{'spec':{'replicas':1.5}}"), "apps", "v1", "Deployment").decodeError());
        assertNull(FieldValidation.checkStrategicMergePatch(bytes("{}"), tree(current), "", "v1", "ConfigMap").decodeError());
    }
}
