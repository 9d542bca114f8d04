package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.Registry;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.errors.Cause;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Services: a ClusterIP from the service CIDR 10.96.0.0/12 and NodePorts from 30000-32767, allocated on create
 * (like the real API server's allocators) and kept on update; status.loadBalancer starts empty.
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
        this.registry = registry;
    }



    @Override
    public void prepareForCreate(ObjectNode svc) {
        svc.remove("status");
        svc.putObject("status").putObject("loadBalancer");
        if (!(svc.get("spec") instanceof ObjectNode spec)) return;
        String name = Json.text(svc.path("metadata"), "name");
        synchronized (this) {
            Usage usage = usage(null);
            allocateClusterIp(name, spec, usage);
            allocateNodePorts(name, spec, usage, null);
        }
    }

    @Override
    public synchronized void releaseReservations(ObjectNode svc) {
        JsonNode spec = svc.path("spec");
        Long ip = parseIp(Json.text(spec, "clusterIP"));
        if (ip != null) pendingIps.remove(ip);
        for (JsonNode p : spec.path("ports")) if (p.has("nodePort")) pendingPorts.remove(p.get("nodePort").asInt());
    }

    @Override
    public void prepareForUpdate(ObjectNode svc, ObjectNode old) {
        if (!(svc.get("spec") instanceof ObjectNode spec)) return;
        JsonNode oldSpec = old.path("spec");
        if (Json.text(spec, "clusterIP").isEmpty() && oldSpec.has("clusterIP")) spec.set("clusterIP", oldSpec.get("clusterIP"));
        if (!spec.has("clusterIPs") && oldSpec.has("clusterIPs")) spec.set("clusterIPs", oldSpec.get("clusterIPs"));
        synchronized (this) {
            allocateNodePorts(Json.text(svc.path("metadata"), "name"), spec, usage(Json.text(old.path("metadata"), "uid")), oldSpec);
        }
    }

    private record Usage(Set<Long> ips, Set<Integer> ports) {}

    /** What the stored services use (except the one being updated) and what pending creates hold. */
    private Usage usage(String exceptUid) {
        Set<Long> ips = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        Set<Long> storedIps = new HashSet<>();
        Set<Integer> storedPorts = new HashSet<>();
        for (StoredObject o : registry.resource("", "services").list(null, ListOptions.ALL).items()) {
            ObjectNode s = o.toNode();
            if (exceptUid != null && exceptUid.equals(Json.text(s.path("metadata"), "uid"))) continue;
            Long ip = parseIp(Json.text(s.path("spec"), "clusterIP"));
            if (ip != null) storedIps.add(ip);
            for (JsonNode p : s.path("spec").path("ports")) if (p.has("nodePort")) storedPorts.add(p.get("nodePort").asInt());
        }
        ips.addAll(storedIps);
        ips.addAll(pendingIps);
        ports.addAll(storedPorts);
        ports.addAll(pendingPorts);
        return new Usage(ips, ports);
    }

    private void allocateClusterIp(String name, ObjectNode spec, Usage usage) {
        String type = Json.text(spec, "type");
        if (type.equals("ExternalName")) return;
        String requested = Json.text(spec, "clusterIP");
        if (requested.isEmpty() && spec.path("clusterIPs").size() > 0) requested = spec.path("clusterIPs").get(0).asText();
        if (requested.equals("None")) {
            spec.put("clusterIP", "None");
            spec.putArray("clusterIPs").add("None");
            return;
        }
        long ip;
        if (!requested.isEmpty()) {
            Long parsed = parseIp(requested);
            if (parsed == null || parsed < (CIDR_BASE & 0xffffffffL) || parsed >= (CIDR_BASE & 0xffffffffL) + CIDR_SIZE) {
                throw invalid(name, "spec.clusterIPs", "Invalid value: []string{\"" + requested + "\"}: failed to allocate IP "
                        + requested + ": the provided IP (" + requested + ") is not in the valid range. The range of valid IPs is 10.96.0.0/12");
            }
            if (usage.ips().contains(parsed)) {
                throw invalid(name, "spec.clusterIPs", "Invalid value: []string{\"" + requested + "\"}: failed to allocate IP "
                        + requested + ": provided IP is already allocated");
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

    private void allocateNodePorts(String name, ObjectNode spec, Usage usage, JsonNode oldSpec) {
        String type = Json.text(spec, "type");
        if (!type.equals("NodePort") && !type.equals("LoadBalancer")) {
            if (spec.get("ports") instanceof ArrayNode ports) for (JsonNode p : ports) ((ObjectNode) p).remove("nodePort");
            return;
        }
        if (!(spec.get("ports") instanceof ArrayNode ports)) return;
        for (int i = 0; i < ports.size(); i++) {
            ObjectNode p = (ObjectNode) ports.get(i);
            if (p.has("nodePort") && p.get("nodePort").asInt() != 0) {
                int port = p.get("nodePort").asInt();
                boolean keptFromOld = oldSpec != null && hasNodePort(oldSpec, port);
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
            Integer reuse = oldSpec == null ? null : oldNodePort(oldSpec, p);
            int port;
            if (reuse != null) port = reuse;
            else {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                do port = NODE_PORT_MIN + rnd.nextInt(NODE_PORT_MAX - NODE_PORT_MIN + 1); while (usage.ports().contains(port));
            }
            usage.ports().add(port);
            pendingPorts.add(port);
            p.put("nodePort", port);
        }
    }

    private static boolean hasNodePort(JsonNode spec, int port) {
        for (JsonNode p : spec.path("ports")) if (p.path("nodePort").asInt() == port) return true;
        return false;
    }

    private static Integer oldNodePort(JsonNode oldSpec, JsonNode port) {
        for (JsonNode p : oldSpec.path("ports")) {
            if (p.path("port").asInt() == port.path("port").asInt() && p.has("nodePort")
                    && Json.text(p, "protocol").equals(Json.text(port, "protocol"))) {
                return p.get("nodePort").asInt();
            }
        }
        return null;
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
