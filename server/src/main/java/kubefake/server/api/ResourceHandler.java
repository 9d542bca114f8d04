package kubefake.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.server.encoding.ContentNegotiation;
import kubefake.server.encoding.Negotiated;
import kubefake.server.http.ApiRequest;
import kubefake.server.http.HttpExchange;
import kubefake.server.http.Reply;
import kubefake.server.printers.Tables;
import kubefake.store.registry.DeleteResult;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.ListResult;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.resources.ComponentStatusStrategy;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.authorization.Authorizer;
import kubefake.store.registry.resources.PodEviction;
import kubefake.store.registry.request.Operation;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.fieldvalidation.FieldValidation;
import kubefake.store.registry.fieldvalidation.FieldValidation.Directive;
import kubefake.store.registry.patch.PatchType;
import kubefake.store.registry.selection.FieldSelector;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The verbs on one resource: reads the request's options, calls the registry, renders the answer. */
public final class ResourceHandler {
    private static final int WATCH_BUFFER = 1000;
    /** What a POST to pods/NAME/binding carries. */
    private static final ResourceType BINDING = new ResourceType("", "v1", "bindings", "binding", "Binding", "BindingList",
            true, List.of(), List.of(), List.of("create"), List.of(), null);

    private static final ResourceType TOKEN_REQUEST = new ResourceType("authentication.k8s.io", "v1", "tokenrequests",
            "tokenrequest", "TokenRequest", "TokenRequestList", true, List.of(), List.of(), List.of("create"), List.of(), null);

    /** What a POST to pods/NAME/eviction carries (policy/v1, or v1beta1 as the real server also accepts). */
    private static final ResourceType EVICTION = new ResourceType("policy", "v1", "evictions", "eviction", "Eviction",
            "EvictionList", true, List.of(), List.of(), List.of("create"), List.of(), null);

    private final Clock clock;
    private final ObjectWriter writer;
    private final Authorizer authorizer;
    private volatile kubefake.server.auth.TokenReviewer tokenReviewer;
    /** The TokenRequests of serviceaccounts/token, once the cluster's service account key is known. */
    private volatile kubefake.server.auth.ServiceAccountTokens serviceAccountTokens;
    /** pods/eviction, once the router knows the registry. */
    private volatile PodEviction evictions;

    /** @param authorizer what the access reviews report (the front end's own authorizer) */
    public ResourceHandler(Clock clock, Authorizer authorizer) {
        this.clock = clock;
        this.writer = new ObjectWriter(clock);
        this.authorizer = authorizer;
    }

    /** Answers serviceaccounts/token with tokens from this issuer. */
    public void serveServiceAccountTokens(kubefake.server.auth.ServiceAccountTokens tokens) {
        this.serviceAccountTokens = tokens;
    }

    /** Answers TokenReviews with the front end's token authenticators. */
    public void serveTokenReviews(kubefake.server.auth.TokenReviewer reviewer) {
        this.tokenReviewer = reviewer;
    }

    /** Answers pods/eviction through this eviction logic. */
    public void serveEvictions(PodEviction evictions) {
        this.evictions = evictions;
    }

    public void handle(RequestInfo info, ResourceStore store, ApiRequest req, HttpExchange exchange) {
        ResourceType type = store.type();
        String ns = info.namespace();
        if (!info.subresource().isEmpty()) {
            if (!type.hasSubresource(info.subresource())) throw notFoundPath();
            subresource(info, store, req, ObjectWriter.negotiate(req, ObjectWriter.restrictions(type, false)), exchange);
            return;
        }
        if (!type.verbs().contains(info.verb())) throw methodNotAllowed();
        // a namespaced resource across all namespaces (/api/v1/configmaps) can only be listed and watched
        if (type.namespaced() && ns.isEmpty() && !info.verb().equals("list") && !info.verb().equals("watch")) {
            throw methodNotAllowed();
        }
        // the output is negotiated before anything is read or written: 406 comes first, as on the real server
        Negotiated out = ObjectWriter.negotiate(req, ObjectWriter.restrictions(type, info.verb().equals("watch") && isWatchList(req)));
        if (store.strategy() instanceof ComponentStatusStrategy statuses) {
            req.warnings().add(ComponentStatusStrategy.DEPRECATION);
            exchange.reply(componentStatuses(info, type, statuses, req, out));
            return;
        }
        if (!store.strategy().persisted()) {
            RequestOptions.create(req);
            exchange.reply(writer.plain(req, out, 201, ReviewHandler.create(type, req, ns, authorizer, tokenReviewer)));
            return;
        }
        switch (info.verb()) {
            case "get" -> {
                RequestOptions.checkGet(req);
                exchange.reply(writer.object(req, out, 200, store.get(ns, info.name())));
            }
            case "list" -> exchange.reply(writer.list(req, out, store.list(ns, RequestOptions.list(req))));
            case "watch" -> watch(info, store, req, out, exchange);
            case "create" -> {
                if (!info.name().isEmpty()) throw methodNotAllowed();
                RequestOptions.Write options = RequestOptions.create(req);
                ObjectNode body = decodeValidated(req, store, options.fieldValidation());
                exchange.reply(writer.object(req, out, 201, store.create(ns, body, options.context())));
            }
            case "update" -> {
                if (info.name().isEmpty()) throw methodNotAllowed();
                RequestOptions.Write options = RequestOptions.update(req, null);
                ObjectNode body = decodeValidated(req, store, options.fieldValidation());
                exchange.reply(writer.object(req, out, 200, store.update(ns, info.name(), body, options.context())));
            }
            case "patch" -> {
                if (info.name().isEmpty()) throw methodNotAllowed();
                PatchEngines.checkSupported(req.header("Content-Type"), type);
                if (PatchEngines.isApply(req.header("Content-Type"))) {
                    apply(info, store, req, out, exchange, null);
                    return;
                }
                RequestOptions.Write options = RequestOptions.patch(req, null);
                StoredObject patched = store.patch(ns, info.name(),
                        current -> patched(req, store, current, options.fieldValidation()), options.context());
                exchange.reply(writer.object(req, out, 200, patched));
            }
            case "delete" -> delete(info, store, req, out, exchange);
            case "deletecollection" -> {
                // DeleteCollection reads the list options first, then the delete options
                ListOptions listOptions = RequestOptions.list(req);
                List<StoredObject> deleted = store.deleteCollection(ns, listOptions, RequestOptions.delete(req), deleting(req));
                exchange.reply(writer.list(req, out, new ListResult(type, deleted, store.currentRevision(), null, null)));
            }
            default -> throw methodNotAllowed();
        }
    }

    private void subresource(RequestInfo info, ResourceStore store, ApiRequest req, Negotiated out, HttpExchange exchange) {
        String ns = info.namespace();
        ResourceType type = store.type();
        switch (info.subresource()) {
            case "scale" -> exchange.reply(writer.plain(req, out, 200, ScaleSubresource.handle(info, store, req)));
            case "token" -> {
                if (!info.verb().equals("create") || serviceAccountTokens == null) throw methodNotAllowed();
                RequestOptions.create(req);
                ObjectNode request = BodyDecoder.decodeObject(req.header("Content-Type"), req.body(), TOKEN_REQUEST);
                exchange.reply(writer.plain(req, out, 201, serviceAccountTokens.request(ns, info.name(), request)));
            }
            case "binding" -> {
                if (!info.verb().equals("create")) throw methodNotAllowed();
                ObjectNode binding = BodyDecoder.decodeObject(req.header("Content-Type"), req.body(), BINDING);
                String kind = Json.text(binding, "kind");
                if (!kind.isEmpty() && !kind.equals("Binding")) throw StatusException.badRequest("not a Binding object: " + kind);
                store.createSubresource("binding", ns, info.name(), binding, bindingOptions(req));
                // the create handler answers a Status without a code with the code of a create
                ObjectNode status = Json.MAPPER.createObjectNode();
                status.put("kind", "Status").put("apiVersion", "v1");
                status.putObject("metadata");
                status.put("status", "Success").put("code", 201);
                exchange.reply(writer.plain(req, out, 201, status));
            }
            case "eviction" -> {
                if (!info.verb().equals("create") || evictions == null) throw methodNotAllowed();
                RequestContext context = RequestOptions.create(req).context();
                ObjectNode eviction = BodyDecoder.decodeObject(req.header("Content-Type"), req.body(), EVICTION);
                String kind = Json.text(eviction, "kind");
                if (!kind.isEmpty() && !kind.equals("Eviction")) throw StatusException.badRequest("not a Eviction object: " + kind);
                ObjectNode status = evictions.evict(ns, info.name(), eviction, context);
                exchange.reply(writer.plain(req, out, status.path("code").asInt(201), status));
            }
            case "status", "finalize", "approval", "ephemeralcontainers" -> {
                switch (info.verb()) {
                    case "get" -> {
                        if (info.subresource().equals("finalize")) throw methodNotAllowed();
                        RequestOptions.checkGet(req);
                        exchange.reply(writer.object(req, out, 200, store.get(ns, info.name())));
                    }
                    case "update" -> {
                        // a PUT of a status, finalize, approval or ephemeralcontainers subresource changes only that part
                        RequestOptions.Write options = RequestOptions.update(req, info.subresource());
                        ObjectNode body = BodyDecoder.decodeObject(req.header("Content-Type"), req.body(), type);
                        exchange.reply(writer.object(req, out, 200, store.update(ns, info.name(), body, options.context())));
                    }
                    case "patch" -> {
                        if (info.subresource().equals("finalize")) throw methodNotAllowed();
                        PatchEngines.checkSupported(req.header("Content-Type"), type);
                        if (PatchEngines.isApply(req.header("Content-Type"))) {
                            apply(info, store, req, out, exchange, info.subresource());
                            return;
                        }
                        RequestOptions.Write options = RequestOptions.patch(req, info.subresource());
                        exchange.reply(writer.object(req, out, 200, store.patch(ns, info.name(),
                                current -> patched(req, store, current, options.fieldValidation()),
                                options.context())));
                    }
                    default -> throw methodNotAllowed();
                }
            }
            default -> throw notFoundPath();
        }
    }

    /** Server-side apply: 201 when the apply created the object, else 200. */
    private void apply(RequestInfo info, ResourceStore store, ApiRequest req, Negotiated out, HttpExchange exchange,
                       String subresource) {
        RequestOptions.Write options = RequestOptions.apply(req, subresource);
        ObjectNode config = PatchEngines.decodeApply(req.body());
        ResourceStore.Applied applied = store.apply(info.namespace(), info.name(), config, options.force(), options.context());
        exchange.reply(writer.object(req, out, applied.created() ? 201 : 200, applied.object()));
    }

    /** A create or update body, checked as the request's fieldValidation asks. */
    private static ObjectNode decodeValidated(ApiRequest req, ResourceStore store, Directive fieldValidation) {
        ResourceType type = store.type();
        FieldValidationPolicy policy = new FieldValidationPolicy(fieldValidation, type, req.warnings());
        BodyDecoder.Decoded decoded = BodyDecoder.decode(req.header("Content-Type"), req.body(), type);
        policy.checkBody(decoded.object(), withUnknownFields(decoded.problems(), store.strategy().unknownFields(decoded.object())));
        return decoded.object();
    }

    /** What decoding found, and the fields the resource's schema prunes (custom resources). */
    private static List<String> withUnknownFields(List<String> problems, List<String> unknown) {
        if (unknown.isEmpty()) return problems;
        List<String> all = new ArrayList<>(problems);
        unknown.forEach(path -> all.add(FieldValidation.unknownField(path)));
        return all;
    }

    /** The current object with the request's patch applied, checked as its fieldValidation asks. */
    static ObjectNode patched(ApiRequest req, ResourceStore store, ObjectNode current, Directive fieldValidation) {
        return patched(req, store.type(), store.strategy()::unknownFields, current, fieldValidation);
    }

    /** As above, for a resource whose schema prunes nothing beyond its Go type. */
    static ObjectNode patched(ApiRequest req, ResourceType type, ObjectNode current, Directive fieldValidation) {
        return patched(req, type, object -> List.of(), current, fieldValidation);
    }

    private static ObjectNode patched(ApiRequest req, ResourceType type,
                                      java.util.function.Function<ObjectNode, List<String>> unknownFields,
                                      ObjectNode current, Directive fieldValidation) {
        // a retried patch checks again: its warnings are the same texts, which the request records once
        FieldValidationPolicy policy = new FieldValidationPolicy(fieldValidation, type, req.warnings());
        String contentType = req.header("Content-Type");
        PatchType patchType = PatchType.fromContentType(contentType);
        policy.checkPatchBody(patchType, req.body());
        ObjectNode result = PatchEngines.apply(contentType, current, req.body(), type);
        FieldValidation.PatchProblems problems = switch (patchType) {
            case MERGE -> FieldValidation.checkMergePatch(current, req.body(), type.group(), type.version(), type.kind());
            case JSON -> FieldValidation.checkJsonPatch(req.body(), result, type.group(), type.version(), type.kind());
            default -> FieldValidation.checkStrategicMergePatch(req.body(), result, type.group(), type.version(), type.kind());
        };
        List<String> problemsWithPruned = withUnknownFields(problems.problems(), unknownFields.apply(result));
        if (problemsWithPruned != problems.problems()) {
            problems = new FieldValidation.PatchProblems(problemsWithPruned, problems.invalidValue(), problems.decodeError());
        }
        policy.checkPatch(problems, result);
        return result;
    }

    /** componentstatuses: computed on each read, never stored (no resourceVersion). */
    private Reply componentStatuses(RequestInfo info, ResourceType type, ComponentStatusStrategy statuses, ApiRequest req,
                                    Negotiated out) {
        List<StoredObject> items = new ArrayList<>();
        for (ObjectNode status : statuses.statuses()) {
            if (info.name().isEmpty() || info.name().equals(status.path("metadata").path("name").asText())) {
                items.add(new StoredObject(type, Json.bytes(status), 0));
            }
        }
        if (info.name().isEmpty()) return writer.list(req, out, new ListResult(type, items, 0, null, null));
        if (items.isEmpty()) throw StatusException.notFound("", type.resource(), info.name());
        return writer.object(req, out, 200, items.get(0));
    }

    private void watch(RequestInfo info, ResourceStore store, ApiRequest req, Negotiated out, HttpExchange exchange) {
        ListOptions options = RequestOptions.list(req);
        // the events' media type: JSON or protobuf (a YAML watch is refused with the stream media types)
        Negotiated events = new Negotiated(ContentNegotiation.negotiateStream(req.header("Accept"),
                ObjectWriter.restrictions(store.type(), isWatchList(req))), out.conversion(), false);
        String ns = info.namespace();
        ListOptions effective = options;
        if (!info.name().isEmpty()) {
            // the legacy /watch/.../NAME form watches one object; a field selector may only name that object
            if (!FieldSelector.parse(options.fieldSelector()).isEverything()
                    && !info.name().equals(FieldSelector.parse(options.fieldSelector()).requiresExactMatch("metadata.name"))) {
                throw StatusException.badRequest("fieldSelector metadata.name doesn't match requested name");
            }
            effective = new ListOptions(options.labelSelector(), "metadata.name=" + info.name(), options.resourceVersion(),
                    options.resourceVersionMatch(), 0, null, options.timeoutSeconds(), options.allowBookmarks(),
                    options.sendInitialEvents());
        }
        ListOptions opened = effective;
        WatchStream.start(exchange.context(), onReady -> store.watch(ns, opened, onReady, WATCH_BUFFER), events,
                // includeObject is read only when events are rendered as Table rows
                out.converts("Table") ? RequestOptions.includeObject(req) : Tables.IncludeObject.METADATA,
                options.allowBookmarks(),
                exchange.watchTimeout(options.timeoutSeconds()), clock, exchange.keepAlive(),
                WebSocketUpgrade.requested(req) ? stream -> WebSocketUpgrade.handshake(exchange.context(), req,
                        events.media().streamContentType(), stream) : null);
    }

    private void delete(RequestInfo info, ResourceStore store, ApiRequest req, Negotiated out, HttpExchange exchange) {
        DeleteResult r = store.delete(info.namespace(), info.name(), RequestOptions.delete(req), deleting(req));
        if (!r.deleted() || store.strategy().returnsDeletedObject()) {
            exchange.reply(writer.object(req, out, 200, r.object()));
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
        exchange.reply(writer.plain(req, out, 200, status));
    }

    /** A binding is a create of the pods/binding subresource, with the create's options. */
    private static RequestContext bindingOptions(ApiRequest req) {
        return RequestOptions.create(req).context().withSubresource("binding");
    }

    /** A delete's context: the user (its dry run is DeleteOptions' own). */
    private static RequestContext deleting(ApiRequest req) {
        return RequestContext.of(req.user(), req.warnings()).withOperation(Operation.DELETE);
    }

    /** A watch-list request: the initial state as events, then bookmarks (sendInitialEvents with bookmarks). */
    private static boolean isWatchList(ApiRequest req) {
        ListOptions options = RequestOptions.list(req);
        return Boolean.TRUE.equals(options.sendInitialEvents()) && options.allowBookmarks();
    }

    static StatusException notFoundPath() {
        return StatusException.resourceNotFound();
    }

    static StatusException methodNotAllowed() {
        return StatusException.methodNotAllowed();
    }
}
