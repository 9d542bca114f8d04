package kubefake.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.server.discovery.Discovery;
import kubefake.server.encoding.ContentNegotiation;
import kubefake.server.encoding.EndpointRestrictions;
import kubefake.server.encoding.MediaType;
import kubefake.server.encoding.Negotiated;
import kubefake.server.encoding.PrettyPrint;
import kubefake.server.encoding.Serializer;
import kubefake.server.http.ApiDispatcher;
import kubefake.server.http.ApiRequest;
import kubefake.server.http.HttpExchange;
import kubefake.server.http.Reply;
import kubefake.server.http.Route;
import kubefake.server.openapi.CustomResourceOpenApi;
import kubefake.server.openapi.OpenApiDocuments;
import kubefake.server.openapi.OpenApiV2Endpoint;
import kubefake.server.streams.PodExec;
import kubefake.server.streams.PodLogs;
import kubefake.server.streams.PodPortForward;
import kubefake.server.streams.NodeShell;
import kubefake.server.streams.ResourceProxy;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.authorization.AuthenticatedUsers;
import kubefake.store.registry.authorization.AuthorizationAttributes;
import kubefake.store.registry.authorization.Authorizer;
import kubefake.store.registry.authorization.Decision;
import kubefake.store.registry.errors.StatusException;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Routes a request: public health and version endpoints, discovery, OpenAPI, then resources. Authorization happens
 * here, once per request and before anything is read, through the one {@link Authorizer} (which the access reviews
 * ask too): a refusal is the real server's 403.
 */
public final class ApiRouter implements ApiDispatcher {
    /**
     * /api and /apis serve the aggregated document to a clause asking for it (apiserver's
     * DiscoveryEndpointRestrictions; 1.33 no longer serves v2beta1), else the legacy one.
     */
    private static final EndpointRestrictions AGGREGATED_DISCOVERY = (media, c) -> c != null
            && c.group().equals("apidiscovery.k8s.io") && c.version().equals("v2") && c.kind().equals("APIGroupDiscoveryList");

    private final Registry registry;
    /**
     * Built on the first request that needs it, and again after the catalogue changes (a CRD served, changed or
     * removed): not on the start's path to ready (docs/benchmarks/startup.md). Null until then.
     */
    private volatile Discovery discovery;
    /** The resources served when this router was made, which the OpenAPI documents describe. */
    private final List<ResourceStore> builtInResources;
    /** Made from {@link #builtInResources} on first use. */
    private volatile OpenApiDocuments openApi;
    private final CustomResourceOpenApi customResourceOpenApi = new CustomResourceOpenApi();
    private final Authorizer authorizer;
    private final ResourceHandler resources;
    private final byte[] version;
    private final Supplier<String> advertisedAddress;
    private final NodeFaults nodeFaults = new NodeFaults();
    private final StoreSnapshots snapshots = new StoreSnapshots();
    private final Clock clock;
    /** The pods' log, exec, attach and port-forward subresources, once there are nodes to serve them. */
    private volatile kubefake.server.metrics.ApiServerMetrics metrics;
    private volatile PodLogs podLogs;
    private volatile PodExec podExec;
    private volatile PodPortForward podPortForward;
    private volatile ResourceProxy proxy;
    private volatile NodeShell nodeShell;
    private final kubefake.server.metrics.MetricsApi resourceMetrics;

    /** @param advertisedAddress host:port that /api reports as the server's address (known once the port is bound) */
    private final java.util.concurrent.CompletableFuture<Void> healthReported = new java.util.concurrent.CompletableFuture<>();

    public ApiRouter(Registry registry, Clock clock, ObjectNode versionInfo, Supplier<String> advertisedAddress) {
        this(registry, clock, versionInfo, advertisedAddress, new AuthenticatedUsers());
    }

    /** As above, with the authorizer that decides every request and access review. */
    public ApiRouter(Registry registry, Clock clock, ObjectNode versionInfo, Supplier<String> advertisedAddress,
                     Authorizer authorizer) {
        this.registry = registry;
        this.builtInResources = registry.resources();
        registry.onCatalogueChange(() -> {
            customResourceOpenApi.update(registry.resources());
            ObjectNode[] v2 = CustomResourceOpenApi.v2(registry.resources());
            openApi().v2().contribute("customresourcedefinitions", v2[0], v2[1]);
            synchronized (this) {
                discovery = null;
            }
        });
        this.authorizer = authorizer;
        this.resources = new ResourceHandler(clock, authorizer);
        resources.serveEvictions(new kubefake.store.registry.resources.PodEviction(registry));
        this.clock = clock;
        this.resourceMetrics = new kubefake.server.metrics.MetricsApi(registry, clock);
        // /version is written as raw JSON (responsewriters.WriteRawJSON): always indented, no newline
        this.version = Serializer.rawJson(versionInfo);
        this.advertisedAddress = advertisedAddress;
    }

    /**
     * Completes once this server has answered a health probe ({@code /readyz}, {@code /healthz}, {@code /livez}) with
     * ok: what kubeadm waits for before it joins the nodes and installs the add-ons.
     */
    public java.util.concurrent.CompletionStage<Void> healthReported() {
        return healthReported;
    }

    /** Serves kubefake's node switches ({@code kubefake node stop-kubelet}) for these nodes. */
    public void serveNodeFaults(kubefake.nodesim.SimulatedNodes nodes) {
        nodeFaults.serve(nodes);
    }

    /** Serves TokenRequests ({@code kubectl create token}) from this issuer. */
    public void serveServiceAccountTokens(kubefake.server.auth.ServiceAccountTokens tokens) {
        resources.serveServiceAccountTokens(tokens);
    }

    /** Answers TokenReviews with the front end's token authenticators. */
    public void serveTokenReviews(kubefake.server.auth.TokenReviewer reviewer) {
        resources.serveTokenReviews(reviewer);
    }

    /** Serves {@code kubefake snapshot save} from this store. */
    public void serveSnapshots(kubefake.store.durability.DurableStore store) {
        snapshots.serve(store);
    }

    /** Answers {@code kubefake snapshot save} with why there is no snapshot here (the store is on etcd). */
    public void refuseSnapshots(String why) {
        snapshots.refuse(why);
    }

    /** Serves {@code /metrics} (for system:masters and the system:monitoring group, as RBAC's bootstrap policy has it). */
    public void serveMetrics(kubefake.server.metrics.ApiServerMetrics m) {
        metrics = m;
    }

    /** Serves the pods' logs (and the other container streams) from these nodes' container processes. */
    public void serveContainers(kubefake.nodesim.SimulatedNodes nodes) {
        podLogs = new PodLogs(nodes.processes(), clock);
        nodeShell = new NodeShell(nodes, clock, registry.resource("", "v1", "pods").orElseThrow(),
                registry.resource("", "v1", "services").orElseThrow(), registry.resource("", "v1", "endpoints").orElseThrow(),
                registry);
        podExec = new PodExec(nodes, clock, nodeShell);
        podPortForward = new PodPortForward(nodes, clock);
        proxy = new ResourceProxy(nodes, clock);
    }

    @Override
    public Route route(ApiRequest request) {
        // as kube-apiserver's filters: authenticated, then impersonated, then authorized
        ApiRequest req = Impersonation.apply(request, authorizer);
        RequestInfo info = RequestInfo.parse(req.method(), req.path(), RequestOptions.watch(req));
        if (info != null) return new Route(RequestKinds.kind(info), exchange -> resource(info, req, exchange), info);
        return new Route(RequestKinds.kindOfPath(req.method(), req.path()), exchange -> nonResourceRequest(req, exchange));
    }

    private void nonResourceRequest(ApiRequest req, HttpExchange exchange) {
        String path = req.path();
        String verb = switch (req.method().name()) {
            case "POST" -> "post";
            case "PUT" -> "put";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            case "HEAD" -> "head";
            default -> "get";
        };
        authorize(AuthorizationAttributes.nonResource(req.user(), verb, path));
        if (StoreSnapshots.handles(path)) {
            exchange.reply(snapshots.handle(req));
            return;
        }
        if (NodeFaults.isShell(path) && nodeShell != null) {
            NodeFaults.requireAdmin(req);
            if (!req.method().name().equals("POST")) throw StatusException.methodNotAllowed();
            shell(path.split("/")[4], req.query().getOrDefault("command", java.util.List.of()), exchange);
            return;
        }
        if (NodeFaults.handles(path)) {
            exchange.reply(nodeFaults.handle(req));
            return;
        }
        exchange.reply(nonResource(req, path));
    }

    private Reply nonResource(ApiRequest req, String path) {
        Reply health = path.length() > 1 ? HealthChecks.answer(path, req.param("verbose") != null) : null;
        if (health != null) {
            if (health.status() == 200) healthReported.complete(null);
            return health;
        }
        // version, discovery and OpenAPI are read-only routes on the real server
        String method = req.method().name();
        if (!method.equals("GET") && !method.equals("HEAD")) throw StatusException.methodNotAllowed();
        if (path.equals("/version") || path.equals("/version/")) return Reply.json(200, version);
        if (path.equals("/metrics") && metrics != null) {
            return Reply.of(200, kubefake.server.metrics.ApiServerMetrics.CONTENT_TYPE, metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Discovery discovery = discovery();
        String accept = req.header("Accept");
        switch (path) {
            case "/api", "/api/" -> {
                Optional<Negotiated> aggregated = aggregatedAsked(accept);
                if (aggregated.isPresent()) {
                    return aggregated(req, aggregated.get(), discovery.aggregatedCore(), discovery.aggregatedCoreEtag());
                }
                return discoveryDocument(req, discovery.legacyApiVersions(advertisedAddress.get()));
            }
            case "/apis", "/apis/" -> {
                Optional<Negotiated> aggregated = aggregatedAsked(accept);
                if (aggregated.isPresent()) {
                    return aggregated(req, aggregated.get(), discovery.aggregatedGroups(), discovery.aggregatedGroupsEtag());
                }
                return discoveryDocument(req, discovery.legacyApiGroupList());
            }
            case "/openapi/v2" -> {
                return OpenApiV2Endpoint.answer(openApi().v2(), accept, req.header("If-None-Match"),
                        req.header("If-Modified-Since"));
            }
            case "/openapi/v3", "/openapi/v3/" -> {
                // the real server answers the root index as text/plain (kube-openapi's handler); kubectl reads JSON
                return Reply.of(200, "text/plain; charset=utf-8", customResourceOpenApi.root(openApi().v3Root()));
            }
            default -> { }
        }
        if (path.startsWith("/openapi/v3/")) return openApiV3(req, path.substring("/openapi/v3/".length()));
        String[] parts = path.replaceAll("^/+|/+$", "").split("/");
        if (parts.length == 2 && parts[0].equals("api")) {
            byte[] list = discovery.resourceList(parts[1]);
            if (list != null) return discoveryDocument(req, list);
        }
        if (parts.length == 2 && parts[0].equals("apis")) {
            byte[] group = discovery.apiGroup(parts[1]);
            if (group != null) return discoveryDocument(req, group);
        }
        if (parts.length == 3 && parts[0].equals("apis")) {
            byte[] list = discovery.resourceList(parts[1] + "/" + parts[2]);
            if (list != null) return discoveryDocument(req, list);
        }
        return Reply.text(404, "404 page not found\n");
    }

    /**
     * The negotiation of a request for the aggregated document: only a clause naming its kind asks for it. A request
     * without an Accept header (fabric8's getAPIVersions and getApiGroups) negotiates JSON with no conversion, and so
     * gets the legacy APIVersions or APIGroupList, as from the real server (its WrappedHandler looks at the
     * negotiated conversion, not at whether negotiation succeeded).
     */
    private static Optional<Negotiated> aggregatedAsked(String accept) {
        return ContentNegotiation.negotiate(accept, AGGREGATED_DISCOVERY).filter(n -> n.conversion() != null);
    }

    /**
     * A legacy discovery document (its JSON as built), written as the request negotiated it: any media type, no
     * conversion; 406 when nothing acceptable is offered.
     */
    private static Reply discoveryDocument(ApiRequest req, byte[] json) {
        Negotiated n = ContentNegotiation.negotiateOrFail(req.header("Accept"), EndpointRestrictions.DEFAULT);
        boolean pretty = n.prettyParameter() || PrettyPrint.requested(req.param("pretty"), req.header("User-Agent"));
        if (n.media() == MediaType.JSON) return Reply.json(200, Serializer.json(json, pretty));
        Serializer.Encoded encoded = Serializer.encode(Json.parseObject(json), n.media(), pretty);
        return Reply.of(200, encoded.contentType(), encoded.body());
    }

    /**
     * The aggregated document in the negotiated media type, its Content-Type naming the kind
     * ({@code application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList}); 304 for a known ETag.
     */
    private static Reply aggregated(ApiRequest req, Negotiated n, byte[] json, String etag) {
        String contentType = n.media().contentType() + ";g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
        if (etag.equals(req.header("If-None-Match"))) {
            return Reply.of(304, contentType, new byte[0]).header("ETag", etag);
        }
        boolean pretty = n.prettyParameter() || PrettyPrint.requested(req.param("pretty"), req.header("User-Agent"));
        byte[] body = n.media() == MediaType.JSON ? Serializer.json(json, pretty)
                : Serializer.encode(Json.parseObject(json), n.media(), pretty).body();
        return Reply.of(200, contentType, body).header("ETag", etag).header("Vary", "Accept");
    }

    /** The resources discovery lists under each group-version ("pods", "pods/status"), which /openapi/v2 describes. */
    private static Map<String, Set<String>> servedResources(Discovery discovery) {
        Map<String, Set<String>> served = new LinkedHashMap<>();
        for (String gv : discovery.groupVersions()) {
            Set<String> names = new HashSet<>();
            Json.parseObject(discovery.resourceList(gv)).path("resources").forEach(r -> names.add(r.path("name").asText()));
            served.put(gv, names);
        }
        return served;
    }

    /** The OpenAPI documents, to which custom resources add theirs. */
    public OpenApiDocuments openApi() {
        OpenApiDocuments documents = openApi;
        if (documents != null) return documents;
        synchronized (this) {
            if (openApi == null) {
                Discovery builtIn = new Discovery(builtInResources);
                openApi = new OpenApiDocuments(builtIn.groupVersions(), servedResources(builtIn));
            }
            return openApi;
        }
    }

    /** The discovery documents of the resources served now. */
    private Discovery discovery() {
        Discovery current = discovery;
        if (current != null) return current;
        synchronized (this) {
            if (discovery == null) discovery = new Discovery(registry.resources());
            return discovery;
        }
    }

    private Reply openApiV3(ApiRequest req, String docPath) {
        String path = docPath.replaceAll("/+$", "");
        OpenApiDocuments.Document doc = customResourceOpenApi.v3(path);
        if (doc == null) doc = openApi().v3(path);
        if (doc == null) return Reply.text(404, "404 page not found\n");
        String etag = "\"" + doc.hash() + "\"";
        String hash = req.param("hash");
        if (hash != null && !hash.equals(doc.hash())) {
            return Reply.of(301, "text/plain; charset=utf-8", new byte[0])
                    .header("Location", "/openapi/v3/" + docPath + "?hash=" + doc.hash());
        }
        if (etag.equals(req.header("If-None-Match"))) {
            return Reply.of(304, "application/json", new byte[0]).header("ETag", etag);
        }
        Reply r = Reply.of(200, "application/json", doc.bytes()).header("ETag", etag);
        if (hash != null) r.header("Cache-Control", "public, immutable").header("Expires", expiresInAYear());
        return r;
    }

    private static String expiresInAYear() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusYears(1));
    }

    private void resource(RequestInfo info, ApiRequest req, HttpExchange exchange) {
        Discovery discovery = discovery();
        Optional<ResourceStore> store = registry.resource(info.group(), info.version(), info.resource());
        authorize(AuthorizationAttributes.resource(req.user(), info.verb(), info.group(), info.resource(),
                info.subresource(), info.namespace(), info.name()));
        String groupVersion = info.group().isEmpty() ? info.version() : info.group() + "/" + info.version();
        boolean noRoute = discovery.resourceList(groupVersion) == null
                || store.isPresent() && !store.get().type().namespaced() && !info.namespace().isEmpty()
                || store.isPresent() && store.get().type().namespaced() && info.namespace().isEmpty() && !info.name().isEmpty();
        if (noRoute) {
            // paths the real server has no route for (an unserved group-version, a cluster-scoped resource under a
            // namespace, a namespaced object named without one) get its mux's plain-text 404
            exchange.reply(Reply.text(404, "404 page not found\n"));
            return;
        }
        if (store.isEmpty()) throw ResourceHandler.notFoundPath();
        if (info.group().isEmpty() && info.resource().equals("pods") && info.subresource().equals("log") && podLogs != null) {
            if (!info.verb().equals("get")) throw ResourceHandler.methodNotAllowed();
            podLogs.serve(store.get(), info.namespace(), info.name(), RequestOptions.podLog(req), exchange);
            return;
        }
        if (info.group().isEmpty() && info.resource().equals("pods") && (info.subresource().equals("exec") || info.subresource().equals("attach")) && podExec != null) {
            if (!info.verb().equals("get") && !info.verb().equals("create")) throw ResourceHandler.methodNotAllowed();
            podExec.serve(info.subresource(), store.get(), info.namespace(), info.name(), RequestOptions.exec(req), req, exchange);
            return;
        }
        if (info.group().isEmpty() && info.resource().equals("pods") && info.subresource().equals("portforward") && podPortForward != null) {
            if (!info.verb().equals("get") && !info.verb().equals("create")) throw ResourceHandler.methodNotAllowed();
            podPortForward.serve(store.get(), info.namespace(), info.name(), req, exchange);
            return;
        }
        if (info.group().isEmpty() && info.subresource().equals("proxy") && proxy != null) {
            ResourceStore pods = registry.resource("", "v1", "pods").orElseThrow();
            switch (info.resource()) {
                case "pods" -> {
                    proxy.servePod(store.get(), info.namespace(), info.name(), req, exchange);
                    return;
                }
                case "services" -> {
                    proxy.serveService(store.get(), registry.resource("", "v1", "endpoints").orElseThrow(), pods, info.namespace(),
                            info.name(), req, exchange);
                    return;
                }
                case "nodes" -> {
                    proxy.serveNode(store.get(), pods, info.name(), req, exchange);
                    return;
                }
                default -> { }
            }
        }
        if (info.group().equals(kubefake.server.metrics.MetricsApi.GROUP)) {
            exchange.reply(resourceMetrics(info, req));
            return;
        }
        resources.handle(info, store.get(), req, exchange);
    }

    /** metrics-server's API: JSON only (its clients, kubectl top and the HPA controller, ask for nothing else). */
    private Reply resourceMetrics(RequestInfo info, ApiRequest req) {
        if (!info.subresource().isEmpty()) throw ResourceHandler.notFoundPath();
        ObjectNode answer = resourceMetrics.answer(info.verb(), info.resource(), info.namespace(), info.name(),
                Optional.ofNullable(req.param("labelSelector")).orElse(""), Optional.ofNullable(req.param("fieldSelector")).orElse(""));
        boolean pretty = PrettyPrint.requested(req.param("pretty"), req.header("User-Agent"));
        return Reply.json(200, Serializer.json(Json.bytes(answer), pretty));
    }

    /** {@code kubefake ssh NODE -- CMD}: the command's output and status, answered when the command ends. */
    private void shell(String node, java.util.List<String> command, HttpExchange exchange) {
        NodeShell.Result r;
        try {
            r = nodeShell.run(node, command);
        } catch (kubefake.nodesim.SimulatedNodes.NoSuchNodeException e) {
            throw StatusException.notFound("", "nodes", node);
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("apiVersion", "kubefake.dev/v1alpha1").put("kind", "NodeShellResult")
                .put("node", node).put("stdout", r.stdout()).put("stderr", r.stderr()).put("exitCode", r.exitCode());
        Reply reply = Reply.json(200, Json.bytes(body));
        if (r.took().isZero()) exchange.reply(reply);
        else exchange.context().executor().schedule(() -> exchange.reply(reply), r.took().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The one authorization of a request: a refusal is the real 403 Forbidden Status. */
    private void authorize(AuthorizationAttributes attributes) {
        Decision decision = authorizer.authorize(attributes);
        if (!decision.allowed()) throw Authorizer.forbidden(attributes, decision);
    }
}
