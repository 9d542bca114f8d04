package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** /etc/hosts and /etc/resolv.conf as a pod's containers find them on a kubeadm cluster with containerd. */
class PodNetworkFilesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode pod(String yaml) throws Exception {
        return YAML.readTree(yaml);
    }

    @Test
    void aPodOnThePodNetworkFindsItsOwnAddressAndTheClusterDns() throws Exception {
        JsonNode pod = pod("""
                metadata: {name: web-7d4b9c6f5d-x2x9k, namespace: shop}
                spec: {dnsPolicy: ClusterFirst, containers: [{name: nginx, image: nginx}]}
                status: {podIP: 172.16.221.130, podIPs: [{ip: 172.16.221.130}]}
                """);
        assertEquals("""
                # Kubernetes-managed hosts file.
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::0\tip6-localnet
                fe00::0\tip6-mcastprefix
                fe00::1\tip6-allnodes
                fe00::2\tip6-allrouters
                172.16.221.130\tweb-7d4b9c6f5d-x2x9k
                """, PodNetworkFiles.hosts(pod));
        assertEquals("""
                search shop.svc.cluster.local svc.cluster.local cluster.local
                nameserver 10.96.0.10
                options ndots:5
                """, PodNetworkFiles.resolvConf(pod));
    }

    @Test
    void hostnameSubdomainAndHostAliasesAreWrittenAsTheKubeletWritesThem() throws Exception {
        JsonNode pod = pod("""
                metadata: {name: db-0, namespace: default}
                spec:
                  hostname: db-0
                  subdomain: db
                  hostAliases: [{ip: 127.0.0.1, hostnames: [foo.local, bar.local]}, {ip: 10.1.2.3, hostnames: [foo.remote]}]
                status: {podIP: 172.16.103.131}
                """);
        assertEquals("""
                # Kubernetes-managed hosts file.
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::0\tip6-localnet
                fe00::0\tip6-mcastprefix
                fe00::1\tip6-allnodes
                fe00::2\tip6-allrouters
                172.16.103.131\tdb-0.db.default.svc.cluster.local\tdb-0

                # Entries added by HostAliases.
                127.0.0.1\tfoo.local\tbar.local
                10.1.2.3\tfoo.remote
                """, PodNetworkFiles.hosts(pod));
    }

    @Test
    void dnsPolicyAndDnsConfigDecideTheResolver() throws Exception {
        assertEquals("nameserver 10.0.2.3\n", PodNetworkFiles.resolvConf(pod("""
                metadata: {name: p, namespace: default}
                spec: {dnsPolicy: Default}
                """)));
        // ClusterFirst on the host's network falls back to the node's resolver; ClusterFirstWithHostNet does not
        assertEquals("nameserver 10.0.2.3\n", PodNetworkFiles.resolvConf(pod("""
                metadata: {name: p, namespace: kube-system}
                spec: {dnsPolicy: ClusterFirst, hostNetwork: true}
                """)));
        assertEquals("""
                search kube-system.svc.cluster.local svc.cluster.local cluster.local
                nameserver 10.96.0.10
                options ndots:5
                """, PodNetworkFiles.resolvConf(pod("""
                metadata: {name: p, namespace: kube-system}
                spec: {dnsPolicy: ClusterFirstWithHostNet, hostNetwork: true}
                """)));
        assertEquals("""
                search ns1.svc.cluster-domain.example my.dns.search.suffix
                nameserver 192.0.2.1
                options ndots:2 edns0
                """, PodNetworkFiles.resolvConf(pod("""
                metadata: {name: p, namespace: default}
                spec:
                  dnsPolicy: None
                  dnsConfig:
                    nameservers: [192.0.2.1]
                    searches: [ns1.svc.cluster-domain.example, my.dns.search.suffix]
                    options: [{name: ndots, value: "2"}, {name: edns0}]
                """)));
        assertEquals("""
                search default.svc.cluster.local svc.cluster.local cluster.local extra.example
                nameserver 10.96.0.10
                nameserver 192.0.2.53
                options ndots:1 single-request
                """, PodNetworkFiles.resolvConf(pod("""
                metadata: {name: p, namespace: default}
                spec:
                  dnsConfig:
                    nameservers: [192.0.2.53]
                    searches: [extra.example]
                    options: [{name: ndots, value: "1"}, {name: single-request}]
                """)));
    }
}
