package kubefake.server.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubernetes.client.proto.Meta.ObjectMeta;
import io.kubernetes.client.proto.Resource.Quantity;
import io.kubernetes.client.proto.V1;
import kubefake.server.api.BodyDecoder;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.errors.StatusException;
import org.junit.jupiter.api.Test;

/**
 * A protobuf body is well typed by construction, except for what Go's protobuf decoding parses from strings: a
 * Quantity's text goes through ParseQuantity, and the create handler words its failure as for JSON.
 */
class ProtobufBodyTypesTest {

    private static final ResourceType PODS = ResourceCatalogue.builtIn().entries().stream().map(ResourceCatalogue.Entry::type)
            .filter(t -> t.group().isEmpty() && t.resource().equals("pods")).findFirst().orElseThrow();

    private static byte[] pod(String cpu) throws Exception {
        V1.Pod pod = V1.Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("p"))
                .setSpec(V1.PodSpec.newBuilder().addContainers(V1.Container.newBuilder().setName("c").setImage("nginx")
                        .setResources(V1.ResourceRequirements.newBuilder()
                                .putRequests("cpu", Quantity.newBuilder().setString(cpu).build()))))
                .build();
        return ProtobufDecoderTest.envelope("v1", "Pod", pod.toByteArray());
    }

    @Test
    void aQuantityGoCannotParseIsABadRequest() throws Exception {
        StatusException e = assertThrows(StatusException.class,
                () -> BodyDecoder.decode("application/vnd.kubernetes.protobuf", pod("lots"), PODS));
        assertEquals(400, e.code());
        assertEquals("Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression"
                + " '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", e.getMessage());
    }

    @Test
    void aValidQuantityDecodes() throws Exception {
        assertEquals("0.5", BodyDecoder.decode("application/vnd.kubernetes.protobuf", pod("0.5"), PODS).object()
                .path("spec").path("containers").get(0).path("resources").path("requests").path("cpu").asText());
    }
}
