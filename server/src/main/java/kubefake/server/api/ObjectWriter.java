package kubefake.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import kubefake.server.encoding.ContentNegotiation;
import kubefake.server.encoding.Conversion;
import kubefake.server.encoding.EndpointRestrictions;
import kubefake.server.encoding.GoJsonIndent;
import kubefake.server.encoding.MediaType;
import kubefake.server.encoding.Negotiated;
import kubefake.server.encoding.PrettyPrint;
import kubefake.server.encoding.Serializer;
import kubefake.server.printers.Tables;
import kubefake.server.http.ApiRequest;
import kubefake.server.http.Reply;
import kubefake.server.protobuf.ProtobufEncoder;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListResult;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a resource endpoint's answers in the representation the request negotiated: the object, a Table, a
 * PartialObjectMetadata(List), as JSON (compact with a newline, or indented for {@code ?pretty} and curl-like
 * clients), YAML or protobuf, as the real server's {@code transformResponseObject} does.
 */
final class ObjectWriter {
    /**
     * What a resource endpoint serves (apiserver's {@code RequestScope.AllowsMediaTypeTransform}): the object in any
     * media type, but protobuf only for a kind that has a protobuf form; Tables as JSON or YAML only (Table has no
     * protobuf form), never to a watch-list request; PartialObjectMetadata(List) in any media type (but the v1beta1
     * list, whose protobuf form this server lacks, not as protobuf).
     */
    static EndpointRestrictions restrictions(ResourceType type, boolean watchList) {
        return (media, conversion) -> {
            // the kind's protobuf form is looked up only when protobuf is asked for (most requests ask for JSON)
            if (conversion == null) return media != MediaType.PROTOBUF || ProtobufEncoder.encodes(type.groupVersion(), type.kind());
            if (conversion.isMeta("Table")) return media != MediaType.PROTOBUF && !watchList;
            if (conversion.isMeta("PartialObjectMetadata")) return true;
            if (conversion.isMeta("PartialObjectMetadataList")) {
                return media != MediaType.PROTOBUF || conversion.version().equals("v1");
            }
            return false;
        };
    }

    private final Clock clock;

    ObjectWriter(Clock clock) {
        this.clock = clock;
    }

    /** The request's output as the endpoint can serve it, or 406 NotAcceptable (asked before anything is done). */
    static Negotiated negotiate(ApiRequest req, EndpointRestrictions endpoint) {
        return ContentNegotiation.negotiateOrFail(req.header(HttpHeaderNames.ACCEPT), endpoint);
    }

    Reply object(ApiRequest req, Negotiated n, int status, StoredObject o) {
        if (n.converts("Table")) {
            var meta = Json.MAPPER.createObjectNode().put("resourceVersion", Long.toString(o.resourceVersion()));
            return encoded(req, n, status, TableRenderer.table(o.type(), List.of(o), meta,
                    RequestOptions.includeObject(req), true, clock.instant()));
        }
        if (n.converts("PartialObjectMetadata")) {
            return encoded(req, n, status, Tables.partialObjectMetadata(o.toNode()));
        }
        if (n.converts("PartialObjectMetadataList")) {
            throw notAList("PartialObjectMetadataList", "is not a list", o.type(), o.type().kind());
        }
        if (n.media() == MediaType.JSON) {
            // compact with the encoder's newline in one copy of the stored bytes; indenting reads them once more
            boolean pretty = pretty(req, n);
            return Reply.of(status, MediaType.JSON.contentType(), pretty ? GoJsonIndent.indent(o.withTypeMeta()) : o.withTypeMeta(true));
        }
        return encoded(req, n, status, o.toNode());
    }

    Reply list(ApiRequest req, Negotiated n, ListResult list) {
        if (n.converts("Table")) {
            if (n.media() == MediaType.JSON) {
                // written row by row, the rows' metadata from the stored bytes (a raw value YAML could not take)
                boolean pretty = pretty(req, n);
                byte[] json = TableRenderer.jsonTable(list.type(), list.items(), TableRenderer.listMeta(list),
                        RequestOptions.includeObject(req), n.conversion().groupVersion(), clock.instant(), !pretty);
                return Reply.of(200, MediaType.JSON.contentType(), pretty ? GoJsonIndent.indent(json) : json);
            }
            return encoded(req, n, 200, TableRenderer.table(list.type(), list.items(), TableRenderer.listMeta(list),
                    RequestOptions.includeObject(req), true, clock.instant()));
        }
        if (n.converts("PartialObjectMetadataList")) {
            ObjectNode partial = TableRenderer.partialMetadataList(list, TableRenderer.listMeta(list));
            if (n.media() != MediaType.PROTOBUF) return encoded(req, n, 200, partial);
            List<JsonNode> items = new ArrayList<>();
            partial.path("items").forEach(items::add);
            return Reply.of(200, MediaType.PROTOBUF.contentType(), ProtobufEncoder.encodeList(
                    n.conversion().groupVersion(), "PartialObjectMetadataList", partial.get("metadata"), items));
        }
        if (n.converts("PartialObjectMetadata")) {
            throw notAList("PartialObjectMetadata", "is a list", list.type(), list.type().listKind());
        }
        return switch (n.media()) {
            case JSON -> {
                // the list from the items' stored bytes, without parsing them; indenting reads it once more
                boolean pretty = pretty(req, n);
                byte[] json = listJson(list, !pretty);
                yield Reply.of(200, MediaType.JSON.contentType(), pretty ? GoJsonIndent.indent(json) : json);
            }
            case YAML -> Reply.of(200, MediaType.YAML.contentType(), Serializer.yaml(Json.parseObject(listJson(list, false))));
            case PROTOBUF -> Reply.of(200, MediaType.PROTOBUF.contentType(), ProtobufEncoder.encodeList(
                    list.type().groupVersion(), list.type().listKind(), TableRenderer.listMeta(list),
                    () -> list.items().stream().map(o -> (JsonNode) o.tree()).iterator()));
        };
    }

    /**
     * An object that is not converted (a Status, a Scale, a review): the negotiated media type, whatever conversion
     * was asked, as the real server returns a Status as it is.
     */
    Reply plain(ApiRequest req, Negotiated n, int status, ObjectNode object) {
        Serializer.Encoded encoded = Serializer.encode(object, n.media(), pretty(req, n));
        return Reply.of(status, encoded.contentType(), encoded.body());
    }

    private Reply encoded(ApiRequest req, Negotiated n, int status, ObjectNode object) {
        Conversion c = n.conversion();
        if (c != null && !c.version().equals("v1")) object.put("apiVersion", c.groupVersion());
        return plain(req, n, status, object);
    }

    static boolean pretty(ApiRequest req, Negotiated n) {
        return n.prettyParameter() || PrettyPrint.requested(req.param("pretty"), req.header(HttpHeaderNames.USER_AGENT));
    }

    /**
     * 406 for PartialObjectMetadata asked of a list or PartialObjectMetadataList of one object; the message names the
     * Go type of the server's internal object ({@code *core.PodList}).
     */
    private static StatusException notAList(String asked, String what, ResourceType type, String kind) {
        String group = type.group();
        String pkg = group.isEmpty() || group.equals("events.k8s.io") ? "core" : group.split("\\.")[0];
        return new StatusException(406, "NotAcceptable", "you requested " + asked + ", but the requested object "
                + what + " (*" + pkg + "." + kind + ")", null);
    }

    /**
     * The list's JSON from the stored bytes of its items: no parsing, no re-encoding, one copy into an exact array,
     * with the encoder's newline at the end when asked.
     */
    static byte[] listJson(ListResult list, boolean newline) {
        byte[] head = ("{\"kind\":\"" + list.type().listKind() + "\",\"apiVersion\":\"" + list.type().groupVersion()
                + "\",\"metadata\":" + new String(Json.bytes(TableRenderer.listMeta(list)), StandardCharsets.UTF_8)
                + ",\"items\":[").getBytes(StandardCharsets.UTF_8);
        int size = head.length + 2 + Math.max(0, list.items().size() - 1) + (newline ? 1 : 0);
        for (StoredObject o : list.items()) size += o.json().length;
        byte[] out = new byte[size];
        System.arraycopy(head, 0, out, 0, head.length);
        int pos = head.length;
        for (int i = 0; i < list.items().size(); i++) {
            if (i > 0) out[pos++] = ',';
            byte[] item = list.items().get(i).json();
            System.arraycopy(item, 0, out, pos, item.length);
            pos += item.length;
        }
        out[pos++] = ']';
        out[pos++] = '}';
        if (newline) out[pos] = '\n';
        return out;
    }
}
