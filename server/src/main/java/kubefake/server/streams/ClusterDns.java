package kubefake.server.streams;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceStore;

import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's DNS (CoreDNS's kubernetes plugin, zone cluster.local) as pods query it: {@code svc.ns.svc.cluster.local}
 * is a Service's ClusterIP, or a headless Service's ready endpoint addresses; {@code host.svc.ns.svc.cluster.local}
 * an endpoint with that hostname; {@code a-b-c-d.ns.pod.cluster.local} the address it spells. Any other name does not
 * exist (NXDOMAIN): the lab's pods have no upstream resolver to forward to.
 */
final class ClusterDns {
    static final String DOMAIN = "cluster.local";

    private final ResourceStore services;
    private final ResourceStore endpoints;

    ClusterDns(ResourceStore services, ResourceStore endpoints) {
        this.services = services;
        this.endpoints = endpoints;
    }

    /** The A records of a fully qualified name (without its final dot), or null when the name does not exist. */
    List<String> query(String fqdn) {
        String name = fqdn.toLowerCase(java.util.Locale.ROOT).replaceFirst("\\.$", "");
        if (!name.endsWith("." + DOMAIN)) return null;
        String[] labels = name.substring(0, name.length() - DOMAIN.length() - 1).split("\\.");
        if (labels.length == 3 && labels[2].equals("pod")) {
            String ip = labels[0].replace('-', '.');
            return ip.matches("\\d+\\.\\d+\\.\\d+\\.\\d+") ? List.of(ip) : null;
        }
        if (labels.length == 3 && labels[2].equals("svc")) {
            JsonNode service = get(services, labels[1], labels[0]);
            if (service == null) return null;
            String clusterIp = Json.text(service.path("spec"), "clusterIP");
            if (!clusterIp.isEmpty() && !clusterIp.equals("None")) return List.of(clusterIp);
            return addresses(labels[1], labels[0], null);
        }
        if (labels.length == 4 && labels[3].equals("svc")) {
            List<String> ips = addresses(labels[2], labels[1], labels[0]);
            return ips.isEmpty() ? null : ips;
        }
        return null;
    }

    /** A Service's ready endpoint addresses (those with {@code hostname} only, when given). */
    private List<String> addresses(String namespace, String service, String hostname) {
        List<String> out = new ArrayList<>();
        JsonNode eps = get(endpoints, namespace, service);
        if (eps == null) return out;
        for (JsonNode subset : eps.path("subsets")) {
            for (JsonNode a : subset.path("addresses")) {
                if (hostname != null && !a.path("hostname").asText("").equals(hostname)) continue;
                String ip = a.path("ip").asText("");
                if (!ip.isEmpty() && !out.contains(ip)) out.add(ip);
            }
        }
        return out;
    }

    private static JsonNode get(ResourceStore store, String namespace, String name) {
        kubefake.store.registry.StoredObject o = store.find(namespace, name);
        return o == null ? null : o.tree(); // read only: the stored revision's shared tree
    }
}
