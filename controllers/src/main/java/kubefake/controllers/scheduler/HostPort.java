package kubefake.controllers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.Json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** A host port a pod's container claims on its node: IP (0.0.0.0 for all), protocol and port. */
record HostPort(String ip, String protocol, int port) {
    static final String ALL_IPS = "0.0.0.0";

    /** The pod's containers' ports that name a host port ({@code getContainerPorts}). */
    static List<HostPort> ofPod(JsonNode pod) {
        List<HostPort> out = new ArrayList<>(0);
        for (JsonNode c : pod.path("spec").path("containers")) {
            for (JsonNode p : c.path("ports")) {
                int port = p.path("hostPort").asInt(0);
                if (port <= 0) continue;
                String ip = Json.text(p, "hostIP");
                String protocol = Json.text(p, "protocol");
                out.add(new HostPort(ip.isEmpty() ? ALL_IPS : ip, protocol.isEmpty() ? "TCP" : protocol, port));
            }
        }
        return out;
    }

    /** Whether this port is taken by one of {@code used} ({@code HostPortInfo.CheckConflict}): 0.0.0.0 overlaps every IP. */
    boolean conflictsWith(Collection<HostPort> used) {
        for (HostPort u : used) {
            if (u.port != port || !u.protocol.equals(protocol)) continue;
            if (ip.equals(ALL_IPS) || u.ip.equals(ALL_IPS) || u.ip.equals(ip)) return true;
        }
        return false;
    }
}
