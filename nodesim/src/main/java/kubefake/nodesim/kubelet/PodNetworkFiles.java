package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.nodesim.runtime.ContainerFiles;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The files the kubelet and the container runtime write into every container of a pod on the pod network:
 * {@code /etc/hosts} (the kubelet's managed hosts file: localhost, the IPv6 names, the pod's own address and name,
 * then its hostAliases) and {@code /etc/resolv.conf} (the DNS settings of the pod's dnsPolicy and dnsConfig, in the
 * layout containerd writes). The cluster's DNS is the lab's kubeadm defaults: kube-dns at 10.96.0.10, domain
 * cluster.local; the nodes' own resolver is VirtualBox's NAT one, as the lab's VMs have it.
 */
public final class PodNetworkFiles {
    static final String CLUSTER_DNS = "10.96.0.10";
    static final String CLUSTER_DOMAIN = "cluster.local";
    /** The nameserver of the lab's VMs (VirtualBox NAT), which pods with dnsPolicy Default inherit. */
    static final String NODE_NAMESERVER = "10.0.2.3";

    private PodNetworkFiles() {
    }

    /** Writes both files into a container run's file system (hostNetwork pods keep the image's hosts file). */
    public static void write(ContainerFiles files, JsonNode pod, Instant at) {
        if (!pod.path("spec").path("hostNetwork").asBoolean(false)) {
            files.writeFile("/etc/hosts", hosts(pod).getBytes(StandardCharsets.UTF_8), 0644, at);
        }
        files.writeFile("/etc/resolv.conf", resolvConf(pod).getBytes(StandardCharsets.UTF_8), 0644, at);
    }

    /** The kubelet's managed hosts file for a pod on the pod network. */
    static String hosts(JsonNode pod) {
        StringBuilder b = new StringBuilder("""
                # Kubernetes-managed hosts file.
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::0\tip6-localnet
                fe00::0\tip6-mcastprefix
                fe00::1\tip6-allnodes
                fe00::2\tip6-allrouters
                """);
        JsonNode spec = pod.path("spec");
        String hostname = spec.path("hostname").asText("");
        if (hostname.isEmpty()) hostname = pod.path("metadata").path("name").asText();
        if (hostname.length() > 63) hostname = hostname.substring(0, 63);
        String subdomain = spec.path("subdomain").asText("");
        String namespace = pod.path("metadata").path("namespace").asText("default");
        String names = subdomain.isEmpty() ? hostname
                : hostname + "." + subdomain + "." + namespace + ".svc." + CLUSTER_DOMAIN + "\t" + hostname;
        JsonNode ips = pod.path("status").path("podIPs");
        if (ips.isEmpty() && !pod.path("status").path("podIP").asText("").isEmpty()) {
            b.append(pod.path("status").path("podIP").asText()).append('\t').append(names).append('\n');
        }
        for (JsonNode ip : ips) b.append(ip.path("ip").asText()).append('\t').append(names).append('\n');
        if (!spec.path("hostAliases").isEmpty()) {
            b.append("\n# Entries added by HostAliases.\n");
            for (JsonNode alias : spec.path("hostAliases")) {
                List<String> hostnames = new ArrayList<>();
                alias.path("hostnames").forEach(h -> hostnames.add(h.asText()));
                b.append(alias.path("ip").asText()).append('\t').append(String.join("\t", hostnames)).append('\n');
            }
        }
        return b.toString();
    }

    /** resolv.conf as containerd writes it from the kubelet's DNS settings for the pod. */
    static String resolvConf(JsonNode pod) {
        JsonNode spec = pod.path("spec");
        String policy = spec.path("dnsPolicy").asText("ClusterFirst");
        boolean hostNetwork = spec.path("hostNetwork").asBoolean(false);
        // a host-network pod with ClusterFirst resolves as its node does (the kubelet's own rule)
        if (policy.equals("ClusterFirst") && hostNetwork) policy = "Default";
        Set<String> servers = new LinkedHashSet<>();
        Set<String> searches = new LinkedHashSet<>();
        Map<String, String> options = new LinkedHashMap<>();
        switch (policy) {
            case "ClusterFirst", "ClusterFirstWithHostNet" -> {
                String namespace = pod.path("metadata").path("namespace").asText("default");
                servers.add(CLUSTER_DNS);
                searches.add(namespace + ".svc." + CLUSTER_DOMAIN);
                searches.add("svc." + CLUSTER_DOMAIN);
                searches.add(CLUSTER_DOMAIN);
                options.put("ndots", "5");
            }
            case "Default" -> servers.add(NODE_NAMESERVER);
            default -> { // None: only what dnsConfig says
            }
        }
        JsonNode config = spec.path("dnsConfig");
        config.path("nameservers").forEach(n -> servers.add(n.asText()));
        config.path("searches").forEach(s -> searches.add(s.asText()));
        for (JsonNode o : config.path("options")) {
            options.put(o.path("name").asText(), o.path("value").asText(""));
        }
        StringBuilder b = new StringBuilder();
        if (!searches.isEmpty()) b.append("search ").append(String.join(" ", searches)).append('\n');
        for (String s : servers) b.append("nameserver ").append(s).append('\n');
        if (!options.isEmpty()) {
            List<String> written = new ArrayList<>();
            options.forEach((name, value) -> written.add(value.isEmpty() ? name : name + ":" + value));
            b.append("options ").append(String.join(" ", written)).append('\n');
        }
        return b.toString();
    }
}
