package kubefake.server.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.nodesim.ClusterShape;
import kubefake.nodesim.SimulatedNodes;
import kubefake.nodesim.network.CalicoIpam;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.request.UserInfo;
import kubefake.store.registry.errors.StatusException;

import java.time.Instant;
import java.util.List;

/**
 * What a fresh kubeadm cluster holds before anyone uses it: the system namespaces, the `kubernetes` service
 * (10.96.0.1:443) with its Endpoints and EndpointSlice pointing at the API server, CoreDNS's `kube-dns` service
 * (10.96.0.10), and the registered nodes (their kubelets create their Leases).
 * Written through the registry like any client's objects.
 */
public final class Bootstrap {
    public static final List<String> NAMESPACES = List.of("default", "kube-node-lease", "kube-public", "kube-system");

    private final Registry registry;

    public Bootstrap(Registry registry) {
        this.registry = registry;
    }

    /**
     * The namespaces, the kubernetes service, the nodes as their kubelets registered them (each with its Calico block
     * from {@code ipam}; each kubelet creates its Lease when it starts), and kube-system's add-ons (the API server's own
     * endpoints come once it listens). On a recovered store, what exists is left as it is.
     */
    public void run(ClusterShape shape, CalicoIpam ipam, String kubeletVersion, Instant now) {
        ensureSystemObjects();
        registerNodes(shape, ipam, kubeletVersion, now);
    }

    /**
     * What comes once the API server runs: the nodes as their kubelets registered them (each with its Calico block
     * from {@code ipam}) and their CSINodes, and kube-system's add-ons as kubeadm creates them. Not their Leases: a
     * kubelet creates its own when it starts (one write, where creating it here made the kubelet's first renewal a
     * second one at once).
     */
    public void registerNodes(ClusterShape shape, CalicoIpam ipam, String kubeletVersion, Instant now) {
        // each write waits for its own fsync unless the caller defers them (KubefakeCluster's start waits once for all)
        writeNodes(SimulatedNodes.register(shape, ipam, kubeletVersion, now));
        KubeSystem.create(registry, shape, kubeletVersion);
    }

    private void writeNodes(List<ObjectNode> nodes) {
        ResourceStore nodeStore = registry.resource("", "nodes");
        ResourceStore csiNodes = registry.resource("storage.k8s.io", "csinodes");
        for (ObjectNode n : nodes) {
            // a restart on a recovered store finds its nodes registered: the kubelets take them over as they are
            String name = Json.text(Json.metadata(n), "name");
            StoredObject node = nodeStore.find("", name);
            if (node == null) node = nodeStore.create("", n, RequestContext.LOOPBACK);
            ObjectNode meta = Json.metadata(node.tree()); // read only
            if (csiNodes.find("", name) == null) {
                csiNodes.create("", csiNode(name, Json.text(meta, "uid")),
                        RequestContext.of(UserInfo.node(name)).withFieldManager("kubelet"));
            }
        }
    }

    /** The CSINode a kubelet registers at start (its CSI plugin manager), owned by its Node: no drivers on the lab's nodes. */
    static ObjectNode csiNode(String nodeName, String nodeUid) {
        ObjectNode csiNode = object("storage.k8s.io/v1", "CSINode", nodeName, null);
        ObjectNode meta = Json.metadata(csiNode);
        meta.putObject("annotations").put("storage.alpha.kubernetes.io/migrated-plugins", "kubernetes.io/aws-ebs,"
                + "kubernetes.io/azure-disk,kubernetes.io/azure-file,kubernetes.io/cinder,kubernetes.io/gce-pd,"
                + "kubernetes.io/portworx-volume,kubernetes.io/vsphere-volume");
        meta.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "Node")
                .put("name", nodeName).put("uid", nodeUid);
        csiNode.putObject("spec").putNull("drivers");
        return csiNode;
    }

    /** The kubernetes service's Endpoints and EndpointSlice: where the API server listens. */
    public void publishApiServerEndpoints(String apiServerIp, int apiServerPort) {
        this.apiServerIp = apiServerIp;
        this.apiServerPort = apiServerPort;
        ensureSystemObjects();
    }

    private volatile String apiServerIp;
    private volatile int apiServerPort;

    /**
     * Puts back what the API server keeps (its bootstrap and system-namespaces controllers): the system namespaces,
     * the kubernetes service and, once the server listens, its Endpoints and EndpointSlice. Run periodically: a
     * user who deletes one gets it back.
     */
    public void ensureSystemObjects() {
        for (String ns : NAMESPACES) createIfMissing(registry.resource("", "namespaces"), "", object("v1", "Namespace", ns, null));
        for (ObjectNode pc : systemPriorityClasses()) createIfMissing(registry.resource("scheduling.k8s.io", "priorityclasses"), "", pc);
        createIfMissing(registry.resource("", "services"), "default", kubernetesService());
        createIfMissing(registry.resource("", "services"), "kube-system", kubeDnsService());
        ensureDefaultServiceCidr();
        if (apiServerIp != null) {
            createIfMissing(registry.resource("", "endpoints"), "default", kubernetesEndpoints(apiServerIp, apiServerPort));
            createIfMissing(registry.resource("discovery.k8s.io", "endpointslices"), "default",
                    kubernetesEndpointSlice(apiServerIp, apiServerPort));
        }
    }

    /**
     * The ServiceCIDR {@code kubernetes} of the service subnet (10.96.0.0/12), as kube-apiserver's
     * kubernetes-service-cidr-controller makes it and kube-controller-manager's service-cidr-controller marks it:
     * protected by the {@code networking.k8s.io/service-cidr-finalizer} (it stays while ClusterIPs are allocated from
     * it, which is always: the kubernetes service's), Ready.
     */
    private void ensureDefaultServiceCidr() {
        ResourceStore cidrs = registry.resource("networking.k8s.io", "servicecidrs");
        if (cidrs.find("", "kubernetes") != null) return;
        ObjectNode cidr = object("networking.k8s.io/v1", "ServiceCIDR", "kubernetes", null);
        Json.metadata(cidr).putArray("finalizers").add("networking.k8s.io/service-cidr-finalizer");
        cidr.putObject("spec").putArray("cidrs").add("10.96.0.0/12");
        createIfMissing(cidrs, "", cidr);
        String now = java.time.format.DateTimeFormatter.ISO_INSTANT.format(registry.clock().instant().truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS));
        try {
            cidrs.patch("", "kubernetes", c -> {
                c.putObject("status").putArray("conditions").addObject().put("lastTransitionTime", now)
                        .put("message", "Kubernetes Service CIDR is ready").put("reason", "").put("status", "True").put("type", "Ready");
                return c;
            }, RequestContext.LOOPBACK.withSubresource("status").withFieldManager("service-cidr-controller"));
        } catch (StatusException e) {
            if (e.code() != 404 && e.code() != 409) throw e;
        }
    }

    private static void createIfMissing(ResourceStore store, String namespace, ObjectNode object) {
        if (store.find(namespace, Json.text(Json.metadata(object), "name")) != null) return;
        try {
            store.create(namespace, object, RequestContext.LOOPBACK);
        } catch (StatusException e) {
            // created meanwhile (409), or its namespace is being deleted (403, 404): the next round tries again
            if (e.code() != 409 && e.code() != 403 && e.code() != 404) throw e;
        }
    }

    private static ObjectNode object(String apiVersion, String kind, String name, String namespace) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("apiVersion", apiVersion).put("kind", kind);
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        if (namespace != null) meta.put("namespace", namespace);
        return o;
    }

    /** The API server's system PriorityClasses (its scheduling/bootstrap-system-priority-classes hook). */
    static List<ObjectNode> systemPriorityClasses() {
        ObjectNode node = object("scheduling.k8s.io/v1", "PriorityClass", "system-node-critical", null);
        node.put("value", 2000001000).put("description", "Used for system critical pods that must not be moved from their current node.");
        ObjectNode cluster = object("scheduling.k8s.io/v1", "PriorityClass", "system-cluster-critical", null);
        cluster.put("value", 2000000000).put("description",
                "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.");
        return List.of(node, cluster);
    }

    static ObjectNode kubernetesService() {
        ObjectNode svc = object("v1", "Service", "kubernetes", "default");
        Json.metadata(svc).putObject("labels").put("component", "apiserver").put("provider", "kubernetes");
        ObjectNode spec = svc.putObject("spec");
        spec.put("clusterIP", "10.96.0.1");
        spec.putArray("clusterIPs").add("10.96.0.1");
        spec.put("internalTrafficPolicy", "Cluster");
        spec.putArray("ipFamilies").add("IPv4");
        spec.put("ipFamilyPolicy", "SingleStack");
        spec.putArray("ports").addObject().put("name", "https").put("port", 443).put("protocol", "TCP").put("targetPort", 6443);
        spec.put("sessionAffinity", "None");
        spec.put("type", "ClusterIP");
        return svc;
    }

    /** The Service kubeadm's CoreDNS add-on creates (10.96.0.10); `kubectl cluster-info` lists it. */
    static ObjectNode kubeDnsService() {
        ObjectNode svc = object("v1", "Service", "kube-dns", "kube-system");
        ObjectNode meta = Json.metadata(svc);
        meta.putObject("labels").put("k8s-app", "kube-dns").put("kubernetes.io/cluster-service", "true")
                .put("kubernetes.io/name", "CoreDNS");
        meta.putObject("annotations").put("prometheus.io/port", "9153").put("prometheus.io/scrape", "true");
        ObjectNode spec = svc.putObject("spec");
        spec.put("clusterIP", "10.96.0.10");
        spec.putArray("clusterIPs").add("10.96.0.10");
        spec.put("internalTrafficPolicy", "Cluster");
        spec.putArray("ipFamilies").add("IPv4");
        spec.put("ipFamilyPolicy", "SingleStack");
        var ports = spec.putArray("ports");
        ports.addObject().put("name", "dns").put("port", 53).put("protocol", "UDP").put("targetPort", 53);
        ports.addObject().put("name", "dns-tcp").put("port", 53).put("protocol", "TCP").put("targetPort", 53);
        ports.addObject().put("name", "metrics").put("port", 9153).put("protocol", "TCP").put("targetPort", 9153);
        spec.putObject("selector").put("k8s-app", "kube-dns");
        spec.put("sessionAffinity", "None");
        spec.put("type", "ClusterIP");
        return svc;
    }

    static ObjectNode kubernetesEndpoints(String ip, int port) {
        ObjectNode ep = object("v1", "Endpoints", "kubernetes", "default");
        Json.metadata(ep).putObject("labels").put("endpointslice.kubernetes.io/skip-mirror", "true");
        ObjectNode subset = ep.putArray("subsets").addObject();
        subset.putArray("addresses").addObject().put("ip", ip);
        subset.putArray("ports").addObject().put("name", "https").put("port", port).put("protocol", "TCP");
        return ep;
    }

    static ObjectNode kubernetesEndpointSlice(String ip, int port) {
        ObjectNode es = object("discovery.k8s.io/v1", "EndpointSlice", "kubernetes", "default");
        Json.metadata(es).putObject("labels").put("kubernetes.io/service-name", "kubernetes");
        es.put("addressType", "IPv4");
        ArrayNode endpoints = es.putArray("endpoints");
        ObjectNode e = endpoints.addObject();
        e.putArray("addresses").add(ip);
        e.putObject("conditions").put("ready", true);
        es.putArray("ports").addObject().put("name", "https").put("port", port).put("protocol", "TCP");
        return es;
    }
}
