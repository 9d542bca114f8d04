package kubefake.controllers.apiregistration;

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
import kubefake.controllers.common.Meta;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;

import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * kube-apiserver's crd-autoregister controller with the aggregator's autoregister controller behind it: each
 * group-version a CustomResourceDefinition serves gets its APIService ({@code v1.stable.example.com}), handled locally
 * with the CRDs' low priorities and labelled {@code kube-aggregator.kubernetes.io/automanaged: "true"}; a changed spec is
 * put back, a deleted one made again, and it goes once no definition serves the group-version. APIServices without that
 * label (the built-in ones registered on start, or a user's) are left alone. The aggregator's availability controller
 * would then find such a local APIService Available; here it is written so on creation.
 */
public final class CustomResourceApiServices implements AutoCloseable {
    public static final String NAME = "crd-autoregister";
    static final String AUTOMANAGED = "kube-aggregator.kubernetes.io/automanaged";
    /** The label's value for an APIService kept in sync for as long as it is wanted ("onstart": synced once). */
    static final String SYNCED_CONTINUOUSLY = "true";
    /** CRDs' group priority is low, below every built-in group; their versions sort as kube-like versions. */
    static final int GROUP_PRIORITY_MINIMUM = 1000;
    static final int VERSION_PRIORITY = 100;

    private final ResourceClient apiServices;
    private final Informer definitions;
    private final Informer apiServiceInformer;
    private final ClusterRuntime runtime;
    private final Controller<String> controller;

    /** @param client the API server's own identity */
    public CustomResourceApiServices(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.apiServices = client.resource("apiregistration.k8s.io", "apiservices");
        this.definitions = informers.informer("apiextensions.k8s.io", "customresourcedefinitions");
        this.apiServiceInformer = informers.informer("apiregistration.k8s.io", "apiservices");
        this.runtime = runtime;
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("crd_autoregistration_controller", runtime), 1,
                this::sync);
        definitions.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject crd) {
                enqueueVersions(crd);
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject crd) {
                // a version no longer served, or a group changed, leaves the old names to remove
                enqueueVersions(old);
                enqueueVersions(crd);
            }

            @Override
            public void onDelete(StoredObject crd) {
                enqueueVersions(crd);
            }
        });
        apiServiceInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onUpdate(StoredObject old, StoredObject apiService) {
                controller.queue().add(Meta.name(apiService.tree()));
            }

            @Override
            public void onDelete(StoredObject apiService) {
                controller.queue().add(Meta.name(apiService.tree()));
            }
        });
    }

    public void start() {
        controller.start(definitions.synced(), apiServiceInformer.synced());
    }

    @Override
    public void close() {
        controller.close();
    }

    private void enqueueVersions(StoredObject crd) {
        String group = Json.text(crd.tree().path("spec"), "group");
        for (JsonNode version : crd.tree().path("spec").path("versions")) {
            controller.queue().add(Json.text(version, "name") + "." + group);
        }
    }

    /** {@code name} is an APIService's: version.group. */
    private Result sync(String name) {
        ObjectNode desired = desired(name);
        ObjectNode current = apiServiceInformer.get("", name).map(StoredObject::toNode).orElse(null);
        try {
            if (current == null) {
                if (desired != null) create(desired);
            } else if (SYNCED_CONTINUOUSLY.equals(Json.text(current.path("metadata").path("labels"), AUTOMANAGED))) {
                if (desired == null) {
                    apiServices.delete("", name);
                } else if (!desired.path("spec").equals(current.path("spec"))) {
                    current.set("spec", desired.get("spec"));
                    apiServices.update(current);
                }
            }
        } catch (StatusException e) {
            // 409: written meanwhile, 404: deleted meanwhile; the informers' next event looks again
            if (e.code() != 409 && e.code() != 404) throw e;
        }
        return Result.done();
    }

    /** The APIService a served version of some definition asks for, or null when none does. */
    private ObjectNode desired(String name) {
        int dot = name.indexOf('.');
        String version = name.substring(0, dot);
        String group = name.substring(dot + 1);
        for (StoredObject crd : definitions.list()) {
            JsonNode spec = crd.tree().path("spec");
            if (!Json.text(spec, "group").equals(group)) continue;
            for (JsonNode v : spec.path("versions")) {
                if (Json.text(v, "name").equals(version) && v.path("served").asBoolean(false)) return apiService(name, group, version);
            }
        }
        return null;
    }

    static ObjectNode apiService(String name, String group, String version) {
        ObjectNode a = Json.MAPPER.createObjectNode().put("apiVersion", "apiregistration.k8s.io/v1").put("kind", "APIService");
        a.putObject("metadata").put("name", name).putObject("labels").put(AUTOMANAGED, SYNCED_CONTINUOUSLY);
        a.putObject("spec").put("group", group).put("version", version)
                .put("groupPriorityMinimum", GROUP_PRIORITY_MINIMUM).put("versionPriority", VERSION_PRIORITY);
        return a;
    }

    private void create(ObjectNode apiService) {
        ObjectNode created = apiServices.create(apiService).toNode();
        created.putObject("status").putArray("conditions").addObject().put("type", "Available").put("status", "True")
                .put("lastTransitionTime", DateTimeFormatter.ISO_INSTANT.format(runtime.clock().instant().truncatedTo(ChronoUnit.SECONDS)))
                .put("reason", "Local").put("message", "Local APIServices are always available");
        apiServices.updateStatus(created);
    }
}
