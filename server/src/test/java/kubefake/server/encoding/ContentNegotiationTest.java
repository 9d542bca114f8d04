package kubefake.server.encoding;

import kubefake.store.registry.errors.StatusException;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Accept negotiation as apiserver's negotiation package and goautoneg do it. */
class ContentNegotiationTest {
    /** A built-in resource: Tables only as JSON or YAML, PartialObjectMetadata in any media type. */
    private static final EndpointRestrictions RESOURCE = (media, c) -> c == null
            || c.isMeta("Table") && media != MediaType.PROTOBUF
            || c.isMeta("PartialObjectMetadata") || c.isMeta("PartialObjectMetadataList");

    private static Optional<Negotiated> resource(String accept) {
        return ContentNegotiation.negotiate(accept, RESOURCE);
    }

    private static MediaType media(String accept) {
        return resource(accept).orElseThrow().media();
    }

    @Test
    void noAcceptHeaderMeansJsonButABlankOneMeansNothingAcceptable() {
        assertEquals(MediaType.JSON, media(null));
        assertEquals(MediaType.JSON, media(""));
        assertTrue(resource(" ").isEmpty(), "goautoneg finds no clause in a header of spaces");
    }

    @Test
    void headersReadOnceAreNotConfusedWithOthersOfTheSameSlot() {
        // a header whose hash falls in the same slot of the recent headers as application/json's, asked in turns
        String json = "application/json";
        String yaml = null;
        for (int i = 0; yaml == null; i++) {
            String h = "application/yaml;x=" + i;
            if (((h.hashCode() ^ json.hashCode()) & 0xffff) == 0) yaml = h;
        }
        for (int round = 0; round < 3; round++) {
            assertEquals(MediaType.JSON, media(json));
            assertEquals(MediaType.YAML, media(yaml));
            assertEquals(MediaType.PROTOBUF, media("application/vnd.kubernetes.protobuf"));
        }
    }

    @Test
    void theClientsOrderDecidesAmongEqualQValues() {
        assertEquals(MediaType.PROTOBUF, media("application/vnd.kubernetes.protobuf,application/json"));
        assertEquals(MediaType.JSON, media("application/json,application/vnd.kubernetes.protobuf"));
        assertEquals(MediaType.YAML, media("application/yaml"));
        assertEquals(MediaType.JSON, media("application/json, */*"));
    }

    @Test
    void higherQValuesComeFirstThenConcreteTypesBeforeWildcards() {
        assertEquals(MediaType.PROTOBUF, media("application/json;q=0.5, application/vnd.kubernetes.protobuf"));
        assertEquals(MediaType.YAML, media("*/*, application/yaml"));
        assertEquals(MediaType.YAML, media("application/*, application/yaml"));
        assertEquals(MediaType.JSON, media("application/json;q=0"), "a q of 0 is only an order, not a refusal");
        assertEquals(MediaType.JSON, media("application/yaml;q=nonsense, application/json;q=0.1"), "an unreadable q is 0");
        assertEquals(MediaType.YAML, media("application/yaml;q=nonsense, application/json;q=0"), "equals keep their order");
    }

    @Test
    void wildcardsPickJsonFirst() {
        assertEquals(MediaType.JSON, media("*/*"));
        assertEquals(MediaType.JSON, media("*"));
        assertEquals(MediaType.JSON, media("application/*"));
        assertEquals(MediaType.JSON, media("text/html, */*;q=0.8"));
    }

    @Test
    void typesAreCaseSensitiveAndMalformedClausesAreIgnored() {
        assertTrue(resource("Application/JSON").isEmpty());
        assertTrue(resource("application").isEmpty());
        assertTrue(resource("application/json/x").isEmpty());
        assertTrue(resource("text/html").isEmpty());
        assertEquals(MediaType.JSON, media("application/json ; pretty=0"));
    }

    @Test
    void conversionsNeedGroupAndVersionOfMetaAndTablesAreNotProtobuf() {
        Negotiated table = resource("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")
                .orElseThrow();
        assertTrue(table.converts("Table"));
        assertEquals("v1", table.conversion().version());
        assertTrue(resource("application/json;as=Table;v=v1beta1;g=meta.k8s.io").orElseThrow().converts("Table"));
        assertTrue(resource("application/json;as=Table").isEmpty(), "no group and version: not a conversion the server knows");
        assertTrue(resource("application/json;as=Table;g=meta.k8s.io;v=v2").isEmpty());
        assertTrue(resource("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io").isEmpty());
        Negotiated fallback = resource("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io, application/json").orElseThrow();
        assertEquals(MediaType.JSON, fallback.media());
        assertNull(fallback.conversion());
        Negotiated partial = resource("application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1").orElseThrow();
        assertEquals(MediaType.PROTOBUF, partial.media());
        assertTrue(partial.converts("PartialObjectMetadata"));
    }

    @Test
    void parametersStreamServerVersionAndPretty() {
        assertEquals(MediaType.JSON, media("application/json;stream=watch"));
        assertTrue(resource("application/yaml;stream=watch").isEmpty(), "YAML has no stream form");
        assertTrue(resource("application/json;stream=other").isEmpty());
        assertTrue(resource("application/json;sv=v1").isEmpty(), "only resources of a meta group know a server version");
        assertTrue(resource("application/json;pretty=1").orElseThrow().prettyParameter());
        assertFalse(resource("application/json;pretty=true").orElseThrow().prettyParameter(), "only 1 counts");
    }

    @Test
    void errorsAndPlainObjectsRefuseEveryConversion() {
        assertTrue(ContentNegotiation.negotiate("application/json;as=Table;v=v1;g=meta.k8s.io", EndpointRestrictions.DEFAULT).isEmpty());
        assertEquals(MediaType.PROTOBUF, ContentNegotiation.negotiate("application/vnd.kubernetes.protobuf",
                EndpointRestrictions.DEFAULT).orElseThrow().media());
    }

    @Test
    void notAcceptableNamesWhatTheServerWrites() {
        StatusException e = assertThrows(StatusException.class, () -> ContentNegotiation.negotiateOrFail("text/html", RESOURCE));
        assertEquals(406, e.code());
        assertEquals("NotAcceptable", e.reason());
        assertEquals("only the following media types are accepted: application/json, application/yaml, "
                + "application/vnd.kubernetes.protobuf", e.getMessage());
        StatusException stream = assertThrows(StatusException.class, () -> ContentNegotiation.negotiateStream("application/yaml", RESOURCE));
        assertEquals("only the following media types are accepted: application/json;stream=watch, "
                + "application/vnd.kubernetes.protobuf;stream=watch", stream.getMessage());
        assertEquals(MediaType.PROTOBUF, ContentNegotiation.negotiateStream(
                "application/vnd.kubernetes.protobuf;stream=watch, application/json", RESOURCE));
    }

    @Test
    void prettyIsTheQueryParameterAsParseBoolElseAToolsUserAgent() {
        assertTrue(PrettyPrint.requested(null, "curl/8.5.0"));
        assertTrue(PrettyPrint.requested(null, "Wget/1.21"));
        assertTrue(PrettyPrint.requested(null, "Mozilla/5.0 (X11)"));
        assertFalse(PrettyPrint.requested(null, "kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0"));
        assertFalse(PrettyPrint.requested(null, "wget/1.21"));
        assertTrue(PrettyPrint.requested("True", "kubectl"));
        assertFalse(PrettyPrint.requested("0", "curl/8.5.0"));
        assertFalse(PrettyPrint.requested("yes", "curl/8.5.0"), "a value ParseBool refuses means no");
        assertTrue(PrettyPrint.requested("", "curl/8.5.0"), "an empty value is no value");
    }
}
