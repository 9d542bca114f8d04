package kubefake.server.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import io.kubernetes.client.proto.IntStr.IntOrString;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Meta.ObjectMeta;
import io.kubernetes.client.proto.Resource.Quantity;
import io.kubernetes.client.proto.Runtime.RawExtension;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Admissionregistration;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Coordination;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import io.kubernetes.client.proto.V1Scheduling;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtobufDecoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMeta NAMED_X = ObjectMeta.newBuilder().setName("x").build();

    @Test
    void zeroScalarsAreDroppedUnlessTheGoFieldIsAPointer() throws Exception {
        // What gogo-protobuf writes for `create deployment --replicas=0`: every non-pointer scalar, zero or not.
        ObjectMeta meta = ObjectMeta.newBuilder().setName("d").setGenerateName("").setNamespace("").setSelfLink("")
                .setUid("").setResourceVersion("").setGeneration(0)
                .setCreationTimestamp(Meta.Time.getDefaultInstance()).build();
        V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder().setMetadata(meta)
                .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(0).setMinReadySeconds(0).setPaused(false)
                        .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType("")))
                .setStatus(V1Apps.DeploymentStatus.newBuilder().setReplicas(0).setObservedGeneration(0))
                .build();

        assertDecodes("""
                {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"d"},
                 "spec":{"replicas":0,"strategy":{}},"status":{}}""", body("apps/v1", "Deployment", deployment));
    }

    @Test
    void fieldsWithoutOmitemptyKeepTheirZeroEvenWhenAbsent() throws Exception {
        V1Scheduling.PriorityClass priorityClass = V1Scheduling.PriorityClass.newBuilder().setMetadata(NAMED_X)
                .setGlobalDefault(false).build();
        assertDecodes("""
                {"kind":"PriorityClass","apiVersion":"scheduling.k8s.io/v1","metadata":{"name":"x"},"value":0}""",
                body("scheduling.k8s.io/v1", "PriorityClass", priorityClass));

        V1.Service service = V1.Service.newBuilder().setMetadata(NAMED_X).setSpec(V1.ServiceSpec.newBuilder()
                .addPorts(V1.ServicePort.newBuilder().setName("").setPort(0).setNodePort(0)
                        .setTargetPort(IntOrString.newBuilder().setType(0).setIntVal(0).setStrVal(""))))
                .build();
        assertDecodes("""
                {"kind":"Service","apiVersion":"v1","metadata":{"name":"x"},
                 "spec":{"ports":[{"port":0,"targetPort":0}]}}""", body("v1", "Service", service));
    }

    @Test
    void timesAreRfc3339SecondsAndMicroTimesHaveSixDigitsAndZeroTimesAreLeftOut() throws Exception {
        ObjectMeta meta = ObjectMeta.newBuilder().setName("lease")
                .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(1_700_000_000L).setNanos(999_999_999))
                .setDeletionTimestamp(Meta.Time.newBuilder().setSeconds(-62_135_596_800L)).build();
        V1Coordination.Lease lease = V1Coordination.Lease.newBuilder().setMetadata(meta)
                .setSpec(V1Coordination.LeaseSpec.newBuilder()
                        .setRenewTime(Meta.MicroTime.newBuilder().setSeconds(1_700_000_000L).setNanos(123_456_789))
                        .setAcquireTime(Meta.MicroTime.getDefaultInstance()))
                .build();

        assertDecodes("""
                {"kind":"Lease","apiVersion":"coordination.k8s.io/v1",
                 "metadata":{"name":"lease","creationTimestamp":"2023-11-14T22:13:20Z"},
                 "spec":{"renewTime":"2023-11-14T22:13:20.123456Z"}}""", body("coordination.k8s.io/v1", "Lease", lease));
    }

    @Test
    void intOrStringBecomesANumberOrAString() throws Exception {
        V1Policy.PodDisruptionBudget pdb = V1Policy.PodDisruptionBudget.newBuilder().setMetadata(NAMED_X)
                .setSpec(V1Policy.PodDisruptionBudgetSpec.newBuilder()
                        .setMinAvailable(IntOrString.newBuilder().setType(0).setIntVal(2))
                        .setMaxUnavailable(IntOrString.newBuilder().setType(1).setStrVal("50%")))
                .build();
        assertDecodes("""
                {"kind":"PodDisruptionBudget","apiVersion":"policy/v1","metadata":{"name":"x"},
                 "spec":{"minAvailable":2,"maxUnavailable":"50%"}}""", body("policy/v1", "PodDisruptionBudget", pdb));
    }

    @Test
    void quantityMapsAndByteMapsAndEmptyValuesInMaps() throws Exception {
        V1.ResourceQuota quota = V1.ResourceQuota.newBuilder().setMetadata(NAMED_X)
                .setSpec(V1.ResourceQuotaSpec.newBuilder()
                        .putHard("cpu", Quantity.newBuilder().setString("500m").build())
                        .putHard("memory", Quantity.newBuilder().setString("1Gi").build()))
                .build();
        assertDecodes("""
                {"kind":"ResourceQuota","apiVersion":"v1","metadata":{"name":"x"},
                 "spec":{"hard":{"cpu":"500m","memory":"1Gi"}}}""", body("v1", "ResourceQuota", quota));

        V1.Secret secret = V1.Secret.newBuilder().setMetadata(NAMED_X).setType("Opaque").setImmutable(false)
                .putData("key", ByteString.copyFromUtf8("value")).putData("empty", ByteString.EMPTY).build();
        assertDecodes("""
                {"kind":"Secret","apiVersion":"v1","metadata":{"name":"x"},"immutable":false,
                 "data":{"key":"dmFsdWU=","empty":""},"type":"Opaque"}""", body("v1", "Secret", secret));
    }

    @Test
    void inlineStructsAreFlattenedIntoTheirParent() throws Exception {
        V1.Container container = V1.Container.newBuilder().setName("c").setImage("nginx")
                .setLivenessProbe(V1.Probe.newBuilder().setHandler(V1.ProbeHandler.newBuilder()
                        .setHttpGet(V1.HTTPGetAction.newBuilder().setPath("/healthz")
                                .setPort(IntOrString.newBuilder().setType(1).setStrVal("http")))))
                .build();
        V1.Pod pod = V1.Pod.newBuilder().setMetadata(NAMED_X).setSpec(V1.PodSpec.newBuilder()
                .addVolumes(V1.Volume.newBuilder().setName("v").setVolumeSource(V1.VolumeSource.newBuilder()
                        .setEmptyDir(V1.EmptyDirVolumeSource.newBuilder().setMedium(""))))
                .addContainers(container)).build();
        assertDecodes("""
                {"kind":"Pod","apiVersion":"v1","metadata":{"name":"x"},"spec":{
                  "volumes":[{"name":"v","emptyDir":{}}],
                  "containers":[{"name":"c","image":"nginx","livenessProbe":{"httpGet":{"path":"/healthz","port":"http"}}}]}}""",
                body("v1", "Pod", pod));
    }

    @Test
    void listElementsKeepEmptyStrings() throws Exception {
        V1Rbac.Role role = V1Rbac.Role.newBuilder().setMetadata(NAMED_X).addRules(V1Rbac.PolicyRule.newBuilder()
                .addVerbs("get").addApiGroups("").addResources("pods")).build();
        assertDecodes("""
                {"kind":"Role","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"x"},
                 "rules":[{"verbs":["get"],"apiGroups":[""],"resources":["pods"]}]}""",
                body("rbac.authorization.k8s.io/v1", "Role", role));
    }

    @Test
    void fieldsWhoseProtoNameIsNotTheJsonNameAreRenamed() throws Exception {
        var config = V1Admissionregistration.MutatingWebhookConfiguration.newBuilder().setMetadata(NAMED_X)
                .addWebhooks(V1Admissionregistration.MutatingWebhook.newBuilder().setName("w.example.com"))
                .build();
        assertDecodes("""
                {"kind":"MutatingWebhookConfiguration","apiVersion":"admissionregistration.k8s.io/v1",
                 "metadata":{"name":"x"},"webhooks":[{"name":"w.example.com"}]}""",
                body("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", config));
    }

    @Test
    void goSliceTypesBecomeArrays() throws Exception {
        var review = V1Authorization.SubjectAccessReview.newBuilder().setMetadata(ObjectMeta.getDefaultInstance())
                .setSpec(V1Authorization.SubjectAccessReviewSpec.newBuilder().setUser("bob")
                        .putExtra("scopes", V1Authorization.ExtraValue.newBuilder().addItems("a").addItems("b").build()))
                .build();
        assertDecodes("""
                {"kind":"SubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":{},
                 "spec":{"user":"bob","extra":{"scopes":["a","b"]}},"status":{"allowed":false}}""",
                body("authorization.k8s.io/v1", "SubjectAccessReview", review.toBuilder()
                        .setStatus(V1Authorization.SubjectAccessReviewStatus.newBuilder().setAllowed(false)).build()));
    }

    @Test
    void embeddedJsonOfRawExtensionsAndManagedFieldsIsParsed() throws Exception {
        ObjectMeta meta = NAMED_X.toBuilder().addManagedFields(Meta.ManagedFieldsEntry.newBuilder()
                .setManager("kubectl").setOperation("Update").setFieldsType("FieldsV1")
                .setFieldsV1(Meta.FieldsV1.newBuilder().setRaw(utf8("{\"f:data\":{}}")))).build();
        V1Apps.ControllerRevision revision = V1Apps.ControllerRevision.newBuilder().setMetadata(meta)
                .setData(RawExtension.newBuilder().setRaw(utf8("{\"spec\":{\"replicas\":2}}"))).setRevision(3)
                .build();
        assertDecodes("""
                {"kind":"ControllerRevision","apiVersion":"apps/v1","metadata":{"name":"x","managedFields":[
                  {"manager":"kubectl","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:data":{}}}]},
                 "data":{"spec":{"replicas":2}},"revision":3}""", body("apps/v1", "ControllerRevision", revision));
    }

    @Test
    void anEnvelopeWithoutTypeTakesTheEndpointsKind() throws Exception {
        V1.ConfigMap configMap = V1.ConfigMap.newBuilder().setMetadata(NAMED_X).putData("a", "b").build();
        assertEquals(JSON.readTree("""
                {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x"},"data":{"a":"b"}}"""),
                ProtobufDecoder.decode(body("", "", configMap), "v1", "ConfigMap"));
    }

    @Test
    void rejectsBodiesThatAreNotKubernetesProtobuf() {
        assertRejected("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]",
                "{\"kind\":\"ConfigMap\"}".getBytes(StandardCharsets.UTF_8));
        assertRejected("empty data", new byte[0]);
        assertRejected("empty body", new byte[] {'k', '8', 's', 0});
    }

    @Test
    void rejectsMalformedProtobuf() throws Exception {
        byte[] truncated = body("v1", "ConfigMap", V1.ConfigMap.newBuilder().setMetadata(NAMED_X).build());
        byte[] cut = java.util.Arrays.copyOf(truncated, truncated.length - 3);
        assertThrows(ProtobufDecodeException.class, () -> ProtobufDecoder.decode(cut));

        byte[] badObject = envelope("v1", "ConfigMap", new byte[] {0x0a, 0x7f, 0x01});
        ProtobufDecodeException e = assertThrows(ProtobufDecodeException.class, () -> ProtobufDecoder.decode(badObject));
        assertEquals(true, e.getMessage().startsWith("unable to decode ConfigMap from protobuf: "), e.getMessage());
    }

    @Test
    void rejectsKindsThatAreNotRegistered() throws Exception {
        byte[] object = V1.ConfigMap.newBuilder().setMetadata(NAMED_X).build().toByteArray();
        assertRejected("no kind \"Gadget\" is registered for version \"v1\"", envelope("v1", "Gadget", object));
        assertRejected("no kind \"ConfigMap\" is registered for version \"v9\"", envelope("v9", "ConfigMap", object));
        assertRejected("no kind \"DeploymentSpec\" is registered for version \"apps/v1\"",
                envelope("apps/v1", "DeploymentSpec", object));
        assertRejected("no kind \"PodTemplateSpec\" is registered for version \"v1\"",
                envelope("v1", "PodTemplateSpec", object));
        assertRejected("Object 'Kind' is missing in the protobuf body", envelope("v1", "", object));
    }

    private static void assertDecodes(String expectedJson, byte[] body) throws Exception {
        JsonNode expected = JSON.readTree(expectedJson);
        assertEquals(expected, ProtobufDecoder.decode(body));
    }

    private static void assertRejected(String message, byte[] body) {
        ProtobufDecodeException e = assertThrows(ProtobufDecodeException.class, () -> ProtobufDecoder.decode(body));
        assertEquals(message, e.getMessage());
    }

    private static ByteString utf8(String text) {
        return ByteString.copyFromUtf8(text);
    }

    private static byte[] body(String apiVersion, String kind, MessageLite object) throws IOException {
        return envelope(apiVersion, kind, object.toByteArray());
    }

    /** The runtime.Unknown wrapper as client-go writes it, with the empty contentEncoding and contentType. */
    static byte[] envelope(String apiVersion, String kind, byte[] raw) throws IOException {
        ByteArrayOutputStream typeMetaBytes = new ByteArrayOutputStream();
        CodedOutputStream typeMeta = CodedOutputStream.newInstance(typeMetaBytes);
        typeMeta.writeString(1, apiVersion);
        typeMeta.writeString(2, kind);
        typeMeta.flush();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ProtobufDecoder.MAGIC);
        CodedOutputStream unknown = CodedOutputStream.newInstance(out);
        unknown.writeByteArray(1, typeMetaBytes.toByteArray());
        unknown.writeByteArray(2, raw);
        unknown.writeString(3, "");
        unknown.writeString(4, "");
        unknown.flush();
        return out.toByteArray();
    }
}
