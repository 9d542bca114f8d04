package kubefake.store.registry.resources;

import kubefake.store.registry.KindRules;
import kubefake.store.registry.defaulting.Defaulter;
import kubefake.store.registry.validation.Validators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.Registry;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.errors.Cause;
import kubefake.store.registry.errors.GoFormat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Services: a ClusterIP from the service CIDR 10.96.0.0/12 and NodePorts from 30000-32767, allocated on create
 * (like the real API server's allocators), kept on update and released when the type no longer needs them;
 * status.loadBalancer starts empty. What the stored services hold is what is taken: a released value is free
 * once the update is stored.
 */
public class ServiceStrategy extends StatusStrategy {
    /** 10.96.0.0/12, the kubeadm default service subnet; 10.96.0.1 is the kubernetes service's. */
    static final int CIDR_BASE = (10 << 24) | (96 << 16);
    static final int CIDR_SIZE = 1 << 20;
    static final int NODE_PORT_MIN = 30000;
    static final int NODE_PORT_MAX = 32767;

    private final Registry registry;
    /** Addresses and ports handed out to creates not yet stored, so that concurrent creates never share one. */
    private final Set<Long> pendingIps = new HashSet<>();
    private final Set<Integer> pendingPorts = new HashSet<>();

    public ServiceStrategy(Registry registry) {
        super(KindRules.metadataOnly(true).withDefaulter(Defaulter.SERVICE).withValidator(Validators.SERVICE));
        this.registry = registry;
    }

    /** A DELETE answers with the Service (its Kubernetes store sets ReturnDeletedObject). */
    @Override
    public boolean returnsDeletedObject() { return true; }



    @Override
    public void prepareForCreate(ObjectNode svc) {
        svc.remove("status");
        svc.putObject("status").putObject("loadBalancer");
        if (!(svc.get("spec") instanceof ObjectNode spec)) return;
        String name = Json.text(svc.path("metadata"), "name");
        // normalizeClusterIPs of a create: a client that gives only the singular field gets the plural too
        if (!Json.text(spec, "clusterIP").isEmpty() && stringList(spec.get("clusterIPs")).isEmpty()) {
            spec.putArray("clusterIPs").add(Json.text(spec, "clusterIP"));
        }
        synchronized (this) {
            Usage usage = usage(null);
            if (needsClusterIp(spec)) allocateClusterIp(name, spec, usage);
            allocateNodePorts(name, spec, usage, null);
        }
    }

    @Override
    public synchronized void releaseReservations(ObjectNode svc) {
        JsonNode spec = svc.path("spec");
        Long ip = parseIp(Json.text(spec, "clusterIP"));
        if (ip != null) pendingIps.remove(ip);
        for (JsonNode p : spec.path("ports")) pendingPorts.remove(nodePort(p));
    }

    /**
     * The REST storage's update hooks ({@code patchAllocatedValues}, {@code normalizeClusterIPs}, the allocator's
     * type transitions) and the strategy's {@code dropTypeDependentFields}: values the server allocated are kept when
     * the client leaves them out, and released when the new type no longer needs them (ClusterIP to ExternalName
     * frees the addresses; NodePort to ClusterIP frees the ports).
     */
    @Override
    public void prepareForUpdate(ObjectNode svc, ObjectNode old) {
        if (!(svc.get("spec") instanceof ObjectNode spec)) return;
        JsonNode oldSpec = old.path("spec");
        String name = Json.text(svc.path("metadata"), "name");
        keepAllocatedValues(spec, oldSpec);
        normalizeClusterIps(spec, oldSpec);
        synchronized (this) {
            Usage usage = usage(Json.text(old.path("metadata"), "uid"));
            if (!needsClusterIp(oldSpec) && needsClusterIp(spec)) allocateClusterIp(name, spec, usage);
            dropTypeDependentFields(spec, oldSpec);
            allocateNodePorts(name, spec, usage, oldSpec);
        }
        // a load balancer's status goes with the type (the de-provisioning is not the user's concern)
        if (!type(spec).equals("LoadBalancer") && svc.get("status") instanceof ObjectNode status) {
            status.putObject("loadBalancer");
        }
    }

    /** {@code patchAllocatedValues}: what the client left empty keeps the value the server allocated. */
    private static void keepAllocatedValues(ObjectNode spec, JsonNode oldSpec) {
        if (needsClusterIp(oldSpec) && needsClusterIp(spec)) {
            if (Json.text(spec, "clusterIP").isEmpty() && oldSpec.get("clusterIP") instanceof TextNode ip) spec.set("clusterIP", ip);
            if (stringList(spec.get("clusterIPs")).isEmpty() && !stringList(oldSpec.get("clusterIPs")).isEmpty()) {
                spec.set("clusterIPs", oldSpec.get("clusterIPs").deepCopy());
            }
        }
        if (needsNodePorts(oldSpec) && needsNodePorts(spec)) {
            // ports are matched by name; a node port the new spec already uses is not handed to another port
            Set<Integer> inBoth = nodePorts(oldSpec);
            inBoth.retainAll(nodePorts(spec));
            Map<String, Integer> byName = new HashMap<>();
            for (ObjectNode p : ports(oldSpec)) byName.put(Json.text(p, "name"), nodePort(p));
            for (ObjectNode p : ports(spec)) {
                Integer reuse = byName.get(Json.text(p, "name"));
                if (nodePort(p) == 0 && reuse != null && reuse != 0 && !inBoth.contains(reuse)) p.put("nodePort", reuse);
            }
        }
    }

    /** {@code normalizeClusterIPs} of an update: the plural field follows the singular one. */
    private static void normalizeClusterIps(ObjectNode spec, JsonNode oldSpec) {
        String oldIp = Json.text(oldSpec, "clusterIP");
        String newIp = Json.text(spec, "clusterIP");
        List<String> oldIps = stringList(oldSpec.get("clusterIPs"));
        if (!oldIps.isEmpty() && stringList(spec.get("clusterIPs")).isEmpty() && oldIp.equals(newIp)) {
            spec.set("clusterIPs", oldSpec.get("clusterIPs").deepCopy());
        }
        if (!oldIp.equals(newIp)) {
            boolean sameList = oldIps.equals(stringList(spec.get("clusterIPs")));
            if (!oldIp.isEmpty() && newIp.isEmpty()) {
                if (sameList) spec.remove("clusterIPs");
            } else if (sameList) {
                spec.putArray("clusterIPs").add(newIp);
            }
        }
    }

    /**
     * {@code dropTypeDependentFields}: fields the old type needed and the new one does not are cleared, when the
     * client did not change them (a changed one is left for validation to refuse).
     */
    private static void dropTypeDependentFields(ObjectNode spec, JsonNode oldSpec) {
        if (needsClusterIp(oldSpec) && !needsClusterIp(spec)) {
            if (Json.text(oldSpec, "clusterIP").equals(Json.text(spec, "clusterIP"))
                    && stringList(oldSpec.get("clusterIPs")).equals(stringList(spec.get("clusterIPs")))) {
                spec.remove("clusterIP");
                spec.remove("clusterIPs");
            }
            if (stringList(oldSpec.get("ipFamilies")).equals(stringList(spec.get("ipFamilies")))) spec.remove("ipFamilies");
            if (Json.text(oldSpec, "ipFamilyPolicy").equals(Json.text(spec, "ipFamilyPolicy"))) spec.remove("ipFamilyPolicy");
        }
        if (needsNodePorts(oldSpec) && !needsNodePorts(spec) && nodePorts(oldSpec).containsAll(nodePorts(spec))) {
            for (ObjectNode p : ports(spec)) p.remove("nodePort");
        }
        if (type(oldSpec).equals("LoadBalancer") && !type(spec).equals("LoadBalancer")) {
            JsonNode was = oldSpec.get("allocateLoadBalancerNodePorts");
            if (was != null && was.isBoolean() && was.equals(spec.get("allocateLoadBalancerNodePorts"))) {
                spec.remove("allocateLoadBalancerNodePorts");
            }
            if (Objects.equals(oldSpec.get("loadBalancerClass"), spec.get("loadBalancerClass"))) spec.remove("loadBalancerClass");
        }
        if (needsNodePorts(oldSpec) && !needsNodePorts(spec)
                && Json.text(oldSpec, "externalTrafficPolicy").equals(Json.text(spec, "externalTrafficPolicy"))) {
            spec.remove("externalTrafficPolicy");
        }
    }

    private record Usage(Set<Long> ips, Set<Integer> ports) {}

    /** What the stored services use (except the one being updated) and what pending creates hold. */
    private Usage usage(String exceptUid) {
        Set<Long> ips = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (StoredObject o : registry.resource("", "services").list(null, ListOptions.ALL).items()) {
            ObjectNode s = o.toNode();
            if (exceptUid != null && exceptUid.equals(Json.text(s.path("metadata"), "uid"))) continue;
            JsonNode spec = s.path("spec");
            Long ip = needsClusterIp(spec) ? parseIp(Json.text(spec, "clusterIP")) : null;
            if (ip != null) ips.add(ip);
            if (needsNodePorts(spec)) ports.addAll(nodePorts(spec));
        }
        // an IPAddress object of another parent (a user's) takes its address too; the Services' own are listed above
        registry.resource("networking.k8s.io", "v1", "ipaddresses").ifPresent(addresses -> {
            for (StoredObject o : addresses.list(null, ListOptions.ALL).items()) {
                if ("services".equals(Json.text(o.tree().path("spec").path("parentRef"), "resource"))) continue;
                Long ip = parseIp(Json.text(o.tree().path("metadata"), "name"));
                if (ip != null) ips.add(ip);
            }
        });
        ips.addAll(pendingIps);
        ports.addAll(pendingPorts);
        return new Usage(ips, ports);
    }

    private void allocateClusterIp(String name, ObjectNode spec, Usage usage) {
        String requested = Json.text(spec, "clusterIP");
        List<String> requestedList = stringList(spec.get("clusterIPs"));
        if (requested.isEmpty() && !requestedList.isEmpty()) requested = requestedList.get(0);
        if (requested.equals("None")) {
            spec.put("clusterIP", "None");
            spec.putArray("clusterIPs").add("None");
            return;
        }
        long ip;
        if (!requested.isEmpty()) {
            Long parsed = parseIp(requested);
            if (parsed == null || parsed < (CIDR_BASE & 0xffffffffL) || parsed >= (CIDR_BASE & 0xffffffffL) + CIDR_SIZE) {
                throw invalid(name, "spec.clusterIPs", "Invalid value: " + GoFormat.stringSlice(List.of(requested))
                        + ": failed to allocate IP " + requested + ": the provided IP (" + requested
                        + ") is not in the valid range. The range of valid IPs is 10.96.0.0/12");
            }
            if (usage.ips().contains(parsed)) {
                throw invalid(name, "spec.clusterIPs", "Invalid value: " + GoFormat.stringSlice(List.of(requested))
                        + ": failed to allocate IP " + requested + ": provided IP is already allocated");
            }
            ip = parsed;
        } else {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            do {
                // skip the network address and the first address, reserved for the kubernetes service
                ip = (CIDR_BASE & 0xffffffffL) + 2 + rnd.nextInt(CIDR_SIZE - 3);
            } while (usage.ips().contains(ip));
        }
        usage.ips().add(ip);
        pendingIps.add(ip);
        String text = formatIp(ip);
        spec.put("clusterIP", text);
        spec.putArray("clusterIPs").add(text);
    }

    /** Node ports for NodePort and LoadBalancer services: the requested ones checked, the missing ones allocated. */
    private void allocateNodePorts(String name, ObjectNode spec, Usage usage, JsonNode oldSpec) {
        if (!needsNodePorts(spec)) return;
        List<ObjectNode> ports = ports(spec);
        Set<Integer> oldPorts = oldSpec == null ? Set.of() : nodePorts(oldSpec);
        for (int i = 0; i < ports.size(); i++) {
            ObjectNode p = ports.get(i);
            int port = nodePort(p);
            if (port != 0) {
                boolean keptFromOld = oldPorts.contains(port);
                if (!keptFromOld && usage.ports().contains(port)) {
                    throw invalid(name, "spec.ports[" + i + "].nodePort", "Invalid value: " + port + ": provided port is already allocated");
                }
                if (port < NODE_PORT_MIN || port > NODE_PORT_MAX) {
                    throw invalid(name, "spec.ports[" + i + "].nodePort", "Invalid value: " + port
                            + ": provided port is not in the valid range. The range of valid ports is 30000-32767");
                }
                usage.ports().add(port);
                if (!keptFromOld) pendingPorts.add(port);
                continue;
            }
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            do port = NODE_PORT_MIN + rnd.nextInt(NODE_PORT_MAX - NODE_PORT_MIN + 1); while (usage.ports().contains(port));
            usage.ports().add(port);
            pendingPorts.add(port);
            p.put("nodePort", port);
        }
    }

    // ---- readers that take any tree: a field of the wrong shape reads as absent (validation reports it)

    /** The service type; an unset one is ClusterIP, the default. */
    private static String type(JsonNode spec) {
        String t = Json.text(spec, "type");
        return t.isEmpty() ? "ClusterIP" : t;
    }

    private static boolean needsClusterIp(JsonNode spec) {
        return !type(spec).equals("ExternalName");
    }

    private static boolean needsNodePorts(JsonNode spec) {
        String t = type(spec);
        return t.equals("NodePort") || t.equals("LoadBalancer");
    }

    /** The spec's ports that are objects. */
    private static List<ObjectNode> ports(JsonNode spec) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode p : spec.path("ports")) if (p instanceof ObjectNode o) out.add(o);
        return out;
    }

    /** A port's nodePort, 0 when unset or not an int32. */
    private static int nodePort(JsonNode port) {
        JsonNode n = port.path("nodePort");
        return n.isIntegralNumber() && n.canConvertToInt() ? n.intValue() : 0;
    }

    private static Set<Integer> nodePorts(JsonNode spec) {
        Set<Integer> out = new HashSet<>();
        for (ObjectNode p : ports(spec)) if (nodePort(p) != 0) out.add(nodePort(p));
        return out;
    }

    /** A list of strings; anything else (absent, null, another shape) is empty. */
    private static List<String> stringList(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n instanceof ArrayNode a) for (JsonNode v : a) out.add(v.isTextual() ? v.textValue() : v.toString());
        return out;
    }

    private StatusException invalid(String name, String field, String message) {
        List<Cause> causes = new ArrayList<>();
        causes.add(new Cause("FieldValueInvalid", message, field));
        return StatusException.invalid("", "Service", name, causes);
    }

    static Long parseIp(String text) {
        String[] parts = text.split("\\.");
        if (parts.length != 4) return null;
        long v = 0;
        for (String p : parts) {
            try {
                int b = Integer.parseInt(p);
                if (b < 0 || b > 255) return null;
                v = (v << 8) | b;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return v;
    }

    static String formatIp(long ip) {
        return ((ip >> 24) & 255) + "." + ((ip >> 16) & 255) + "." + ((ip >> 8) & 255) + "." + (ip & 255);
    }
}
