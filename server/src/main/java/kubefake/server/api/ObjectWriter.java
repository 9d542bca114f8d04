package kubefake.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import kubefake.server.printers.Tables;
import kubefake.server.http.ApiRequest;
import kubefake.server.http.Reply;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListResult;
import kubefake.store.registry.StoredObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/** Renders objects and lists in the representation the request negotiated. */
final class ObjectWriter {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final Clock clock;

    ObjectWriter(Clock clock) {
        this.clock = clock;
    }

    Reply object(ApiRequest req, int status, StoredObject o) {
        OutputFormat f = OutputFormat.negotiate(req.header("Accept"));
        return switch (f) {
            case TABLE -> {
                var meta = Json.MAPPER.createObjectNode().put("resourceVersion", Long.toString(o.resourceVersion()));
                yield Reply.json(status, TableRenderer.table(o.type(), List.of(o), meta,
                        RequestOptions.includeObject(req), true, clock.instant()));
            }
            case PARTIAL_METADATA, PARTIAL_METADATA_LIST -> Reply.json(status, Tables.partialObjectMetadata(o.toNode()));
            case YAML -> yaml(status, o.toNode());
            case JSON -> Reply.json(status, o.withTypeMeta());
        };
    }

    Reply list(ApiRequest req, ListResult list) {
        OutputFormat f = OutputFormat.negotiate(req.header("Accept"));
        return switch (f) {
            case TABLE -> Reply.json(200, TableRenderer.table(list.type(), list.items(), TableRenderer.listMeta(list),
                    RequestOptions.includeObject(req), true, clock.instant()));
            case PARTIAL_METADATA, PARTIAL_METADATA_LIST ->
                    Reply.json(200, TableRenderer.partialMetadataList(list, TableRenderer.listMeta(list)));
            case YAML -> yaml(200, Json.parseObject(listJson(list)));
            case JSON -> Reply.json(200, listJson(list));
        };
    }

    /** The list's JSON from the stored bytes of its items: no parsing, no re-encoding, one copy into an exact array. */
    static byte[] listJson(ListResult list) {
        byte[] head = ("{\"kind\":\"" + list.type().listKind() + "\",\"apiVersion\":\"" + list.type().groupVersion()
                + "\",\"metadata\":" + new String(Json.bytes(TableRenderer.listMeta(list)), StandardCharsets.UTF_8)
                + ",\"items\":[").getBytes(StandardCharsets.UTF_8);
        int size = head.length + 2 + Math.max(0, list.items().size() - 1);
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
        out[pos] = '}';
        return out;
    }

    static Reply yaml(int status, JsonNode node) {
        try {
            return Reply.of(status, "application/yaml", YAML.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
