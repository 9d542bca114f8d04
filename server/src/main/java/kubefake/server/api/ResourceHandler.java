package kubefake.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.server.http.ApiRequest;
import kubefake.server.http.HttpExchange;
import kubefake.server.http.Reply;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.DeleteResult;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.ListResult;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.WriteOptions;
import kubefake.store.registry.errors.Cause;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.fieldvalidation.FieldValidation;
import kubefake.store.registry.patch.PatchType;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The verbs on one resource: reads the request's options, calls the registry, renders the answer. */
public final class ResourceHandler {
    private static final int WATCH_BUFFER = 1000;

    private final Clock clock;
    private final ObjectWriter writer;

    public ResourceHandler(Clock clock) {
        this.clock = clock;
        this.writer = new ObjectWriter(clock);
    }

    public void handle(RequestInfo info, ResourceStore store, ApiRequest req, HttpExchange exchange) {
        ResourceType type = store.type();
        String ns = info.namespace();
        if (!info.subresource().isEmpty()) {
            if (!type.hasSubresource(info.subresource())) throw notFoundPath();
            subresource(info, store, req, exchange);
            return;
        }
        if (!type.verbs().contains(info.verb())) throw methodNotAllowed();
        // a namespaced resource across all namespaces (/api/v1/configmaps) can only be listed and watched
        if (type.namespaced() && ns.isEmpty() && !info.verb().equals("list") && !info.verb().equals("watch")) {
            throw methodNotAllowed();
        }
        if (!store.strategy().persisted()) {
            exchange.reply(ReviewHandler.create(type, req));
            return;
        }
        switch (info.verb()) {
            case "get" -> exchange.reply(writer.object(req, 200, store.get(ns, info.name())));
            case "list" -> exchange.reply(writer.list(req, store.list(ns, listOptions(req))));
            case "watch" -> watch(info, store, req, exchange);
            case "create" -> {
                if (!info.name().isEmpty()) throw methodNotAllowed();
                List<String> warnings = new ArrayList<>();
                ObjectNode body = decodeValidated(req, type, "CreateOptions", warnings);
                exchange.reply(writer.object(req, 201, store.create(ns, body, writeOptions(req, null))).withWarnings(warnings));
            }
            case "update" -> {
                if (info.name().isEmpty()) throw methodNotAllowed();
                List<String> warnings = new ArrayList<>();
                ObjectNode body = decodeValidated(req, type, "UpdateOptions", warnings);
                exchange.reply(writer.object(req, 200, store.update(ns, info.name(), body, writeOptions(req, null))).withWarnings(warnings));
            }
            case "patch" -> {
                if (info.name().isEmpty()) throw methodNotAllowed();
                PatchEngines.checkSupported(req.header("Content-Type"));
                List<String> warnings = new ArrayList<>();
                StoredObject patched = store.patch(ns, info.name(), current -> patched(req, type, current, warnings),
                        writeOptions(req, null));
                exchange.reply(writer.object(req, 200, patched).withWarnings(warnings));
            }
            case "delete" -> delete(info, store, req, exchange);
            case "deletecollection" -> {
                List<StoredObject> deleted = store.deleteCollection(ns, listOptions(req), deleteOptions(req, type));
                exchange.reply(writer.list(req, new ListResult(type, deleted, store.currentRevision(), null, null)));
            }
            default -> throw methodNotAllowed();
        }
    }

    private void subresource(RequestInfo info, ResourceStore store, ApiRequest req, HttpExchange exchange) {
        String ns = info.namespace();
        ResourceType type = store.type();
        switch (info.subresource()) {
            case "scale" -> exchange.reply(ScaleSubresource.handle(info, store, req));
            case "status", "finalize" -> {
                switch (info.verb()) {
                    case "get" -> {
                        if (info.subresource().equals("finalize")) throw methodNotAllowed();
                        exchange.reply(writer.object(req, 200, store.get(ns, info.name())));
                    }
                    case "update" -> {
                        // a PUT of the status or finalize subresource is an update that changes only that part
                        ObjectNode body = BodyDecoder.decodeObject(req.header("Content-Type"), req.body(), type);
                        exchange.reply(writer.object(req, 200, store.update(ns, info.name(), body,
                                writeOptions(req, info.subresource()))));
                    }
                    case "patch" -> {
                        if (info.subresource().equals("finalize")) throw methodNotAllowed();
                        List<String> warnings = new ArrayList<>();
                        exchange.reply(writer.object(req, 200, store.patch(ns, info.name(),
                                current -> patched(req, type, current, warnings),
                                writeOptions(req, info.subresource()))).withWarnings(warnings));
                    }
                    default -> throw methodNotAllowed();
                }
            }
            default -> throw notFoundPath();
        }
    }

    /** A create or update body, checked as the request's fieldValidation asks. */
    private static ObjectNode decodeValidated(ApiRequest req, ResourceType type, String optionsKind, List<String> warnings) {
        FieldValidationPolicy policy = FieldValidationPolicy.of(req, type, optionsKind, warnings);
        BodyDecoder.Decoded decoded = BodyDecoder.decode(req.header("Content-Type"), req.body(), type);
        policy.checkBody(decoded.object(), decoded.problems());
        return decoded.object();
    }

    /** The current object with the request's patch applied, checked as its fieldValidation asks. */
    private static ObjectNode patched(ApiRequest req, ResourceType type, ObjectNode current, List<String> warnings) {
        FieldValidationPolicy policy = FieldValidationPolicy.of(req, type, "PatchOptions", warnings);
        warnings.clear(); // a retried patch reports once
        String contentType = req.header("Content-Type");
        ObjectNode result = PatchEngines.apply(contentType, current, req.body(), type);
        PatchType patchType = PatchType.fromContentType(contentType);
        FieldValidation.PatchProblems problems = switch (patchType) {
            case MERGE -> FieldValidation.checkMergePatch(current, req.body(), type.group(), type.version(), type.kind());
            case JSON -> FieldValidation.checkJsonPatch(req.body(), result, type.group(), type.version(), type.kind());
            default -> FieldValidation.checkStrategicMergePatch(req.body(), result, type.group(), type.version(), type.kind());
        };
        policy.checkPatch(problems, result);
        return result;
    }

    private void watch(RequestInfo info, ResourceStore store, ApiRequest req, HttpExchange exchange) {
        ListOptions options = listOptions(req);
        OutputFormat format = OutputFormat.negotiate(req.header("Accept"));
        String ns = info.namespace();
        ListOptions effective = options;
        if (!info.name().isEmpty()) {
            // the legacy /watch/.../NAME form watches one object
            effective = new ListOptions(options.labelSelector(), "metadata.name=" + info.name(), options.resourceVersion(),
                    options.resourceVersionMatch(), 0, null, options.timeoutSeconds(), options.allowBookmarks(),
                    options.sendInitialEvents());
        }
        ListOptions opened = effective;
        WatchStream.start(exchange.context(), onReady -> store.watch(ns, opened, onReady, WATCH_BUFFER), format,
                TableRenderer.includeObject(req.param("includeObject")), options.allowBookmarks(),
                exchange.watchTimeout(options.timeoutSeconds()), clock, exchange.keepAlive(),
                WebSocketUpgrade.requested(req) ? stream -> WebSocketUpgrade.handshake(exchange.context(), req, stream) : null);
    }

    private void delete(RequestInfo info, ResourceStore store, ApiRequest req, HttpExchange exchange) {
        DeleteResult r = store.delete(info.namespace(), info.name(), deleteOptions(req, store.type()));
        if (!r.deleted() || store.strategy().returnsDeletedObject()) {
            exchange.reply(writer.object(req, 200, r.object()));
            return;
        }
        ObjectNode status = Json.MAPPER.createObjectNode();
        status.put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Success");
        ObjectNode details = status.putObject("details");
        details.put("name", info.name());
        if (!store.type().group().isEmpty()) details.put("group", store.type().group());
        details.put("kind", store.type().resource());
        details.put("uid", Json.text(Json.metadata(r.object().toNode()), "uid"));
        exchange.reply(Reply.json(200, status));
    }

    static ListOptions listOptions(ApiRequest req) {
        long limit = parseLong(req.param("limit"), "limit");
        long timeout = parseLong(req.param("timeoutSeconds"), "timeoutSeconds");
        String sie = req.param("sendInitialEvents");
        return new ListOptions(req.param("labelSelector", ""), req.param("fieldSelector", ""),
                req.param("resourceVersion", ""), req.param("resourceVersionMatch", ""), Math.max(limit, 0),
                req.param("continue"), timeout, req.flag("allowWatchBookmarks"), sie == null ? null : Boolean.valueOf(sie));
    }

    private static long parseLong(String v, String name) {
        if (v == null || v.isEmpty()) return 0;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw StatusException.badRequest("strconv.ParseInt: parsing \"" + v + "\": invalid syntax");
        }
    }

    static WriteOptions writeOptions(ApiRequest req, String subresource) {
        return new WriteOptions("All".equals(req.param("dryRun")), req.param("fieldManager"), subresource);
    }

    /** DeleteOptions from the body (kubectl sends JSON without kind) and the query parameters. */
    static DeleteOptions deleteOptions(ApiRequest req, ResourceType type) {
        Long grace = req.param("gracePeriodSeconds") == null ? null : parseLong(req.param("gracePeriodSeconds"), "gracePeriodSeconds");
        String propagation = req.param("propagationPolicy");
        String uid = null;
        String rv = null;
        boolean dryRun = "All".equals(req.param("dryRun"));
        if (req.body().length > 0) {
            JsonNode body = BodyDecoder.parseJson(req.body(), type);
            if (body.has("gracePeriodSeconds") && !body.get("gracePeriodSeconds").isNull()) grace = body.get("gracePeriodSeconds").asLong();
            if (body.hasNonNull("propagationPolicy")) propagation = body.get("propagationPolicy").asText();
            JsonNode pre = body.path("preconditions");
            if (pre.hasNonNull("uid")) uid = pre.get("uid").asText();
            if (pre.hasNonNull("resourceVersion")) rv = pre.get("resourceVersion").asText();
            if (body.get("dryRun") instanceof ArrayNode a && a.size() > 0) dryRun = a.get(0).asText().equals("All");
        }
        if (propagation != null && !List.of("Orphan", "Background", "Foreground").contains(propagation)) {
            throw StatusException.invalid("", "DeleteOptions", "", List.of(new Cause("FieldValueNotSupported",
                    "Unsupported value: \"" + propagation + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"",
                    "propagationPolicy")));
        }
        return new DeleteOptions(grace, uid, rv, propagation, dryRun);
    }

    static StatusException notFoundPath() {
        return StatusException.resourceNotFound();
    }

    static StatusException methodNotAllowed() {
        return StatusException.methodNotAllowed();
    }
}
