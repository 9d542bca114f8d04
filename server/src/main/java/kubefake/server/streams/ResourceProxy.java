package kubefake.server.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.nodesim.SimulatedNodes;
import kubefake.nodesim.runtime.ContainerHttp;
import kubefake.nodesim.runtime.ContainerProcess;
import kubefake.server.http.ApiRequest;
import kubefake.server.http.HttpExchange;
import kubefake.server.http.Reply;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.errors.StatusException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code pods/NAME/proxy/PATH}, {@code services/NAME/proxy/PATH} and {@code nodes/NAME/proxy/PATH}, as the API server's
 * proxy subresources locate their target ({@code ResourceLocation} in pkg/registry/core/{pod,service,node}): a pod's IP
 * and port (the name's {@code [scheme:]name[:port]}, else the first container port, else 80), a random ready endpoint
 * of the service's port, the node's kubelet. The simulated container that serves the port answers the request (nginx's
 * pages from its file system, echo-hname's pod name); nothing serving it is the proxy's 503. A node answers as a
 * kubelet: {@code /healthz}, {@code /stats/summary}, {@code /logs/}.
 */
public final class ResourceProxy {
    private static final String[] NODE_LOGS = {"README", "anaconda/", "audit/", "btmp", "chrony/", "containers/", "cron",
            "dnf.librepo.log", "dnf.log", "dnf.rpm.log", "firewalld", "hawkey.log", "journal/", "lastlog", "maillog",
            "messages", "pods/", "private/", "secure", "spooler", "sssd/", "tallylog", "wtmp"};

    private final SimulatedNodes nodes;
    private final Clock clock;

    public ResourceProxy(SimulatedNodes nodes, Clock clock) {
        this.nodes = nodes;
        this.clock = clock;
    }

    /** The target named in the path: {@code [scheme:]name[:port]}. */
    private record Target(String scheme, String name, String port) {
        static Target parse(String id) {
            String[] parts = id.split(":", -1);
            return switch (parts.length) {
                case 1 -> new Target("", parts[0], "");
                case 2 -> new Target("", parts[0], parts[1]);
                case 3 -> new Target(parts[0], parts[1], parts[2]);
                default -> throw StatusException.badRequest("invalid resource name " + Json.MAPPER.valueToTree(id));
            };
        }
    }

    /** The path after {@code /proxy} (at least "/"), and the query, as the target gets them. */
    static String targetPath(ApiRequest req) {
        String path = req.path();
        int at = path.indexOf("/proxy");
        String rest = at < 0 ? "/" : path.substring(at + "/proxy".length());
        if (rest.isEmpty()) rest = "/";
        StringBuilder query = new StringBuilder();
        req.query().forEach((k, values) -> values.forEach(v -> query.append(query.isEmpty() ? '?' : '&')
                .append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8))));
        return rest + query;
    }

    public void servePod(ResourceStore pods, String namespace, String id, ApiRequest req, HttpExchange exchange) {
        Target t = Target.parse(id);
        ObjectNode pod = pods.get(namespace, t.name()).toNode();
        String port = t.port();
        if (port.isEmpty()) {
            for (JsonNode c : pod.path("spec").path("containers")) {
                if (c.path("ports").size() > 0) {
                    port = c.path("ports").get(0).path("containerPort").asText();
                    break;
                }
            }
        }
        String ip = Json.text(pod.path("status"), "podIP");
        if (ip.isEmpty()) throw StatusException.badRequest("address not allowed");
        exchange.reply(fromPod(pod, ip, port.isEmpty() ? 80 : parsePort(port), req));
    }

    public void serveService(ResourceStore services, ResourceStore endpoints, ResourceStore pods, String namespace, String id,
                             ApiRequest req, HttpExchange exchange) {
        Target t = Target.parse(id);
        ObjectNode service = services.get(namespace, t.name()).toNode();
        String portName = t.port();
        if (!portName.isEmpty() && portName.chars().allMatch(Character::isDigit)) {
            String found = null;
            for (JsonNode p : service.path("spec").path("ports")) {
                if (p.path("port").asText().equals(portName)) found = p.path("name").asText("");
            }
            if (found == null) throw StatusException.serviceUnavailable("no service port " + portName + " found for service \"" + t.name() + "\"");
            portName = found;
        }
        String unavailable = "no endpoints available for service \"" + t.name() + "\"";
        ObjectNode eps;
        try {
            eps = endpoints.get(namespace, t.name()).toNode();
        } catch (StatusException e) {
            throw StatusException.serviceUnavailable(unavailable);
        }
        List<JsonNode> subsets = new ArrayList<>();
        eps.path("subsets").forEach(subsets::add);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int seed = subsets.isEmpty() ? 0 : random.nextInt(subsets.size());
        for (int i = 0; i < subsets.size(); i++) {
            JsonNode subset = subsets.get((seed + i) % subsets.size());
            JsonNode addresses = subset.path("addresses");
            if (addresses.size() == 0) continue;
            for (JsonNode p : subset.path("ports")) {
                if (!p.path("name").asText("").equals(portName)) continue;
                JsonNode address = addresses.get(random.nextInt(addresses.size()));
                JsonNode ref = address.path("targetRef");
                ObjectNode pod = ref.path("kind").asText().equals("Pod")
                        ? pods.get(ref.path("namespace").asText(namespace), ref.path("name").asText()).toNode() : null;
                exchange.reply(fromPod(pod, address.path("ip").asText(), p.path("port").asInt(), req));
                return;
            }
        }
        throw StatusException.serviceUnavailable(unavailable);
    }

    public void serveNode(ResourceStore nodeStore, ResourceStore pods, String id, ApiRequest req, HttpExchange exchange) {
        Target t = Target.parse(id);
        ObjectNode node = nodeStore.get("", t.name()).toNode();
        String ip = "";
        for (JsonNode a : node.path("status").path("addresses")) {
            if (a.path("type").asText().equals("InternalIP")) ip = a.path("address").asText();
        }
        int port = t.port().isEmpty() ? node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(10250)
                : parsePort(t.port());
        if (!nodes.kubeletRunning(t.name()) || port != 10250) throw refused(ip, port);
        String path = targetPath(req);
        int q = path.indexOf('?');
        if (q >= 0) path = path.substring(0, q);
        switch (path) {
            case "/healthz" -> exchange.reply(Reply.of(200, "text/plain; charset=utf-8", "ok".getBytes(StandardCharsets.UTF_8)));
            case "/stats/summary" -> exchange.reply(Reply.json(200, Json.bytes(summary(t.name(), pods))));
            case "/logs", "/logs/" -> {
                StringBuilder html = new StringBuilder("<!doctype html>\n<meta name=\"viewport\" content=\"width=device-width\">\n<pre>\n");
                for (String f : NODE_LOGS) html.append("<a href=\"").append(f).append("\">").append(f).append("</a>\n");
                html.append("</pre>\n");
                exchange.reply(Reply.of(200, "text/html; charset=utf-8", html.toString().getBytes(StandardCharsets.UTF_8)));
            }
            default -> exchange.reply(Reply.of(404, "text/plain; charset=utf-8", "404 page not found\n".getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static int parsePort(String port) {
        try {
            return Integer.parseInt(port);
        } catch (NumberFormatException e) {
            return -1; // a named port no container has: nothing listens
        }
    }

    /** The proxy's answer when it cannot connect (the real server's UpgradeAwareHandler error, a 503). */
    private static StatusException refused(String ip, int port) {
        return StatusException.serviceUnavailable("error trying to reach service: dial tcp " + ip + ":" + port
                + ": connect: connection refused");
    }

    /** What the pod's container serving the port answers to the request, or the proxy's 503 when none does. */
    private Reply fromPod(ObjectNode pod, String ip, int port, ApiRequest req) {
        Instant now = clock.instant();
        ContainerProcess process = pod == null ? null : ContainerPorts.serving(pod, nodes.processes(), now).apply(port);
        if (process == null) throw refused(ip, port);
        StringBuilder head = new StringBuilder(req.method().name()).append(' ').append(targetPath(req)).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(ip).append(':').append(port).append("\r\n");
        String hostname = Json.metadata(pod).path("name").asText();
        byte[] response = ContainerHttp.respond(process.timeline(), head.toString(), hostname, process.startedAt(), now,
                nodes.processes().filesIfWritten(process.containerId()));
        return parse(response);
    }

    /** An HTTP/1.1 response as the reverse proxy passes it on: status, end-to-end headers, body. */
    private static Reply parse(byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        String contentType = "";
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon);
            String value = lines[i].substring(colon + 1).trim();
            switch (name.toLowerCase(Locale.ROOT)) {
                case "content-type" -> contentType = value;
                case "connection", "keep-alive", "content-length", "date" -> { } // hop-by-hop, or the server's own
                default -> headers.put(name, value);
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(response, end + 4, response.length);
        Reply reply = Reply.of(status, contentType, body);
        headers.forEach(reply::header);
        return reply;
    }

    /** The kubelet's stats summary: the node and its pods, with the figures a fresh lab node shows. */
    private ObjectNode summary(String node, ResourceStore podStore) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        String now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        ObjectNode n = root.putObject("node");
        n.put("nodeName", node);
        n.put("startTime", now);
        n.putObject("cpu").put("time", now).put("usageNanoCores", 52_000_000L).put("usageCoreNanoSeconds", 9_120_000_000_000L);
        n.putObject("memory").put("time", now).put("availableBytes", 1_500_000_000L).put("usageBytes", 700_000_000L)
                .put("workingSetBytes", 500_000_000L).put("rssBytes", 300_000_000L).put("pageFaults", 0).put("majorPageFaults", 0);
        ArrayNode pods = root.putArray("pods");
        for (var stored : podStore.list("", kubefake.store.registry.ListOptions.fieldSelector("spec.nodeName=" + node)).items()) {
            ObjectNode p = stored.toNode();
            if (!p.path("status").path("phase").asText().equals("Running")) continue;
            JsonNode meta = Json.metadata(p);
            ObjectNode pod = pods.addObject();
            pod.putObject("podRef").put("name", meta.path("name").asText()).put("namespace", meta.path("namespace").asText())
                    .put("uid", meta.path("uid").asText());
            pod.put("startTime", p.path("status").path("startTime").asText());
            ArrayNode containers = pod.putArray("containers");
            for (JsonNode c : p.path("status").path("containerStatuses")) {
                ObjectNode container = containers.addObject();
                container.put("name", c.path("name").asText());
                container.put("startTime", c.path("state").path("running").path("startedAt").asText(""));
                container.putObject("cpu").put("time", now).put("usageNanoCores", 0).put("usageCoreNanoSeconds", 0);
                container.putObject("memory").put("time", now).put("workingSetBytes", 3_000_000L);
            }
        }
        return root;
    }
}
