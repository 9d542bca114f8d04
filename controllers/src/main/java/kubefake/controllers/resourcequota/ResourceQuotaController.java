package kubefake.controllers.resourcequota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ObjectKey;
import kubefake.client.ResourceClient;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.Cancellable;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.workqueue.Controller;
import kubefake.client.workqueue.Result;
import kubefake.client.workqueue.WorkQueue;
import kubefake.controllers.common.Meta;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.quota.ResourceList;
import kubefake.store.registry.quota.UsageEvaluator;
import kubefake.store.registry.validation.Quantity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kube-controller-manager's resource quota controller ({@code pkg/controller/resourcequota}): keeps each
 * ResourceQuota's {@code status.hard} equal to its {@code spec.hard} and {@code status.used} to what the objects of
 * its namespace within its scopes use, counted from the shared informers of the resources it monitors (others named
 * by {@code count/...} are listed when synced). It recounts a namespace's quotas when a monitored object there is
 * added, deleted, or changes what it uses (a pod finishing), and every quota every five minutes, as the real one.
 */
public final class ResourceQuotaController implements AutoCloseable {
    public static final String SERVICE_ACCOUNT = "resourcequota-controller";
    /** kube-controller-manager's --resource-quota-sync-period. */
    public static final Duration RESYNC_PERIOD = Duration.ofMinutes(5);
    /** The resources whose changes are watched (the rest of the count/... ones are counted on each sync). */
    private static final List<String[]> MONITORED = List.of(new String[]{"", "pods"}, new String[]{"", "services"},
            new String[]{"", "persistentvolumeclaims"}, new String[]{"", "configmaps"}, new String[]{"", "secrets"},
            new String[]{"", "replicationcontrollers"}, new String[]{"", "resourcequotas"},
            new String[]{"apps", "deployments"}, new String[]{"apps", "replicasets"}, new String[]{"apps", "statefulsets"},
            new String[]{"apps", "daemonsets"}, new String[]{"batch", "jobs"}, new String[]{"batch", "cronjobs"});

    private final Client client;
    private final ClusterRuntime runtime;
    private final ResourceClient quotas;
    private final Informer quotaInformer;
    /** The monitored resources' informers by "group/resource". */
    private final Map<String, Informer> monitored = new LinkedHashMap<>();
    private final Controller<String> controller;
    private Cancellable resync;

    public ResourceQuotaController(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.client = client;
        this.runtime = runtime;
        this.quotas = client.resource("", "resourcequotas");
        this.quotaInformer = informers.informer("", "resourcequotas");
        this.controller = new Controller<>(SERVICE_ACCOUNT, runtime, new WorkQueue<>("resource_quota_controller_resource_changes",
                runtime), 5, this::sync);
        quotaInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject quota) {
                controller.queue().add(ObjectKey.of(quota.tree()));
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject current) {
                // a changed spec is recounted; a status admission has charged is left as it is
                if (!old.tree().path("spec").equals(current.tree().path("spec"))
                        || !current.tree().path("spec").path("hard").equals(current.tree().path("status").path("hard"))) {
                    controller.queue().add(ObjectKey.of(current.tree()));
                }
            }
        });
        for (String[] gr : MONITORED) {
            Informer informer = gr[1].equals("resourcequotas") ? quotaInformer : informers.informer(gr[0], gr[1]);
            monitored.put(gr[0] + "/" + gr[1], informer);
            UsageEvaluator evaluator = UsageEvaluator.of(gr[0], gr[1]);
            informer.addHandler(new ResourceEventHandler() {
                @Override
                public void onAdd(StoredObject object) {
                    recount(object.tree());
                }

                @Override
                public void onUpdate(StoredObject old, StoredObject current) {
                    // most namespaces have no quota: nothing to recount, so no usage to work out (each pod's every
                    // status write comes here)
                    if (quotaInformer.list(Meta.namespace(current.tree())).isEmpty()) return;
                    Instant now = runtime.clock().instant();
                    if (!evaluator.usage(old.tree(), now).toString().equals(evaluator.usage(current.tree(), now).toString())) {
                        recount(current.tree());
                    }
                }

                @Override
                public void onDelete(StoredObject last) {
                    recount(last.tree());
                }
            });
        }
    }

    public void start() {
        List<java.util.concurrent.CompletionStage<?>> synced = new ArrayList<>();
        for (Informer i : monitored.values()) synced.add(i.synced());
        controller.start(synced.toArray(new java.util.concurrent.CompletionStage<?>[0]));
        resync = runtime.every(RESYNC_PERIOD, () -> {
            for (StoredObject q : quotaInformer.list()) controller.queue().add(ObjectKey.of(q.tree()));
        });
    }

    @Override
    public void close() {
        if (resync != null) resync.cancel();
        controller.close();
    }

    /** Every quota of the object's namespace is counted again. */
    private void recount(JsonNode object) {
        String namespace = Meta.namespace(object);
        if (namespace.isEmpty()) return;
        for (StoredObject q : quotaInformer.list(namespace)) controller.queue().add(ObjectKey.of(q.tree()));
    }

    Result sync(String key) {
        StoredObject stored = quotaInformer.get(key).orElse(null);
        if (stored == null) return Result.done();
        JsonNode quota = stored.tree();
        ResourceList hard = ResourceList.of(quota.path("spec").path("hard"));
        ResourceList used = usage(quota, hard.names());
        JsonNode status = quota.path("status");
        if (status.path("hard").equals(hard.toJson()) && status.path("used").equals(used.toJson())) return Result.done();
        ObjectNode updated = stored.toNode();
        ObjectNode newStatus = updated.putObject("status");
        newStatus.set("hard", hard.toJson());
        newStatus.set("used", used.toJson());
        try {
            quotas.updateStatus(updated);
        } catch (StatusException e) {
            // changed meanwhile (admission charged it, or its spec changed): counted again from the fresh one
            if (e.code() == 409) return Result.requeueAfter(Duration.ZERO);
            if (e.code() != 404) throw e;
        }
        return Result.done();
    }

    /** What the namespace's objects within the quota's scopes use of the resources it limits (zero when nothing). */
    private ResourceList usage(JsonNode quota, Set<String> hard) {
        String namespace = Meta.namespace(quota);
        Instant now = runtime.clock().instant();
        ResourceList used = new ResourceList();
        for (UsageEvaluator evaluator : evaluators(hard)) {
            Set<String> names = evaluator.matchingResources(hard);
            if (names.isEmpty()) continue;
            for (String n : names) if (!used.has(n)) used.put(n, Quantity.ZERO);
            for (JsonNode object : objects(evaluator, namespace)) {
                if (!evaluator.matchesScopes(quota, object)) continue;
                used = used.plus(evaluator.usage(object, now).mask(names));
            }
        }
        return used;
    }

    /** The evaluators that may count toward these names: pods, services, claims, and each resource counted by name. */
    private static List<UsageEvaluator> evaluators(Set<String> hard) {
        Map<String, UsageEvaluator> byResource = new LinkedHashMap<>();
        for (String resource : List.of("pods", "services", "persistentvolumeclaims")) {
            byResource.put("/" + resource, UsageEvaluator.of("", resource));
        }
        for (String name : hard) {
            String group = "";
            String resource;
            if (name.startsWith("count/")) {
                String target = name.substring("count/".length());
                int dot = target.indexOf('.');
                resource = dot < 0 ? target : target.substring(0, dot);
                group = dot < 0 ? "" : target.substring(dot + 1);
            } else if (UsageEvaluator.CORE_LEGACY_COUNTED.contains(name)) {
                resource = name;
            } else {
                continue;
            }
            byResource.putIfAbsent(group + "/" + resource, UsageEvaluator.of(group, resource));
        }
        return new ArrayList<>(byResource.values());
    }

    /** The namespace's objects of the evaluator's resource: from its informer, else read (none if it is not served). */
    private List<JsonNode> objects(UsageEvaluator evaluator, String namespace) {
        List<JsonNode> out = new ArrayList<>();
        Informer informer = monitored.get(evaluator.group() + "/" + evaluator.resource());
        List<StoredObject> objects;
        if (informer != null) {
            objects = informer.list(namespace);
        } else {
            try {
                objects = client.resource(evaluator.group(), evaluator.resource()).list(namespace);
            } catch (IllegalArgumentException notServed) {
                return out;
            }
        }
        for (StoredObject o : objects) out.add(o.tree());
        return out;
    }
}
