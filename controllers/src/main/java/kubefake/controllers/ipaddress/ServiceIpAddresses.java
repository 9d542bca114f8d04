package kubefake.controllers.ipaddress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.workqueue.Controller;
import kubefake.client.workqueue.Result;
import kubefake.client.workqueue.WorkQueue;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;

import java.util.Optional;

/**
 * The IPAddress objects of the MultiCIDRServiceAllocator (GA in 1.33): one per ClusterIP a Service holds, named by the
 * address, labelled {@code ipaddress.kubernetes.io/ip-family} and {@code ipaddress.kubernetes.io/managed-by:
 * ipallocator.k8s.io}, its parentRef the Service; deleted once no Service holds the address. kube-apiserver's allocator
 * writes them with the Service and its repair loop ({@code pkg/registry/core/service/ipallocator/controller/repairip.go})
 * puts back what is missing; here the repair loop does both, reacting to each Service and IPAddress change.
 */
public final class ServiceIpAddresses implements AutoCloseable {
    public static final String NAME = "ipallocator-repair-controller";
    static final String MANAGED_BY = "ipaddress.kubernetes.io/managed-by";
    static final String ALLOCATOR = "ipallocator.k8s.io";
    static final String FAMILY = "ipaddress.kubernetes.io/ip-family";

    private final ResourceClient addresses;
    private final Informer services;
    private final Informer addressInformer;
    private final Controller<String> controller;

    public ServiceIpAddresses(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.addresses = client.resource("networking.k8s.io", "ipaddresses");
        this.services = informers.informer("", "services");
        this.addressInformer = informers.informer("networking.k8s.io", "ipaddresses");
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("ipaddress_repair", runtime), 1, this::sync);
        services.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject service) {
                enqueueIps(service);
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject service) {
                enqueueIps(old);
                enqueueIps(service);
            }

            @Override
            public void onDelete(StoredObject service) {
                enqueueIps(service);
            }
        });
        addressInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject address) {
                controller.queue().add(Json.text(address.tree().path("metadata"), "name"));
            }

            @Override
            public void onDelete(StoredObject address) {
                controller.queue().add(Json.text(address.tree().path("metadata"), "name"));
            }
        });
    }

    private void enqueueIps(StoredObject service) {
        for (JsonNode ip : service.tree().path("spec").path("clusterIPs")) {
            if (!ip.asText().isEmpty() && !ip.asText().equals("None")) controller.queue().add(ip.asText());
        }
    }

    public void start() {
        controller.start(services.synced(), addressInformer.synced());
    }

    private Result sync(String ip) {
        ObjectNode holder = holder(ip).orElse(null);
        ObjectNode address = addressInformer.get("", ip).map(StoredObject::toNode).orElse(null);
        try {
            if (holder != null && address == null) {
                addresses.create(ipAddress(ip, holder));
            } else if (holder == null && address != null && isServiceAllocation(address)) {
                addresses.delete("", ip);
            }
        } catch (StatusException e) {
            // 409: created meanwhile; 404: deleted meanwhile; the informers' next event looks again
            if (e.code() != 409 && e.code() != 404) throw e;
        }
        return Result.done();
    }

    /** The Service whose clusterIPs hold the address. */
    private Optional<ObjectNode> holder(String ip) {
        for (StoredObject s : services.list()) {
            for (JsonNode held : s.tree().path("spec").path("clusterIPs")) {
                if (held.asText().equals(ip)) return Optional.of(s.tree());
            }
        }
        return Optional.empty();
    }

    private static boolean isServiceAllocation(ObjectNode address) {
        return ALLOCATOR.equals(Json.text(address.path("metadata").path("labels"), MANAGED_BY))
                && "services".equals(Json.text(address.path("spec").path("parentRef"), "resource"));
    }

    static ObjectNode ipAddress(String ip, ObjectNode service) {
        ObjectNode o = Json.MAPPER.createObjectNode().put("apiVersion", "networking.k8s.io/v1").put("kind", "IPAddress");
        ObjectNode meta = o.putObject("metadata").put("name", ip);
        meta.putObject("labels").put(FAMILY, ip.contains(":") ? "IPv6" : "IPv4").put(MANAGED_BY, ALLOCATOR);
        JsonNode svcMeta = service.path("metadata");
        o.putObject("spec").putObject("parentRef").put("resource", "services")
                .put("namespace", Json.text(svcMeta, "namespace")).put("name", Json.text(svcMeta, "name"));
        return o;
    }

    @Override
    public void close() {
        controller.close();
    }
}
