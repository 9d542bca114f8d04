package kubefake.server.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The APIServices kube-apiserver's aggregator registers when it starts (its autoregister controller): one per built-in
 * group-version it serves, handled locally and always Available, with the group and version priorities that order
 * discovery; and metrics-server's {@code v1beta1.metrics.k8s.io}, served through its Service, when the cluster runs
 * it. Derived from the registry's catalogue, so they list what discovery serves.
 */
public final class ApiServiceRegistration {
    /** The aggregator's apiVersionPriorities: group-version to {group priority minimum, version priority}. */
    private static final Map<String, int[]> PRIORITIES = Map.ofEntries(
            Map.entry("v1", new int[]{18000, 1}),
            Map.entry("apps/v1", new int[]{17800, 15}),
            Map.entry("events.k8s.io/v1", new int[]{17750, 15}),
            Map.entry("authentication.k8s.io/v1", new int[]{17700, 15}),
            Map.entry("authorization.k8s.io/v1", new int[]{17600, 15}),
            Map.entry("autoscaling/v1", new int[]{17500, 15}),
            Map.entry("autoscaling/v2", new int[]{17500, 30}),
            Map.entry("batch/v1", new int[]{17400, 15}),
            Map.entry("certificates.k8s.io/v1", new int[]{17300, 15}),
            Map.entry("networking.k8s.io/v1", new int[]{17200, 15}),
            Map.entry("policy/v1", new int[]{17100, 15}),
            Map.entry("rbac.authorization.k8s.io/v1", new int[]{17000, 15}),
            Map.entry("storage.k8s.io/v1", new int[]{16800, 15}),
            Map.entry("apiextensions.k8s.io/v1", new int[]{16700, 15}),
            Map.entry("admissionregistration.k8s.io/v1", new int[]{16700, 15}),
            Map.entry("scheduling.k8s.io/v1", new int[]{16600, 15}),
            Map.entry("coordination.k8s.io/v1", new int[]{16500, 15}),
            Map.entry("node.k8s.io/v1", new int[]{16300, 15}),
            Map.entry("discovery.k8s.io/v1", new int[]{16200, 15}),
            Map.entry("flowcontrol.apiserver.k8s.io/v1", new int[]{16100, 21}));
    private static final String METRICS = "metrics.k8s.io/v1beta1";

    private ApiServiceRegistration() {
    }

    /** Creates the APIServices that are missing (a restart finds them stored). */
    public static void ensure(Registry registry, Instant now) {
        ResourceStore apiServices = registry.resource("apiregistration.k8s.io", "apiservices");
        Set<String> groupVersions = new LinkedHashSet<>();
        for (ResourceStore rs : registry.resources()) {
            ResourceType t = rs.type();
            groupVersions.add(t.groupVersion());
        }
        for (String gv : groupVersions) {
            ObjectNode apiService = gv.equals(METRICS) ? metricsServer(now) : local(gv, now);
            if (apiService == null) continue;
            if (apiServices.find("", Json.text(Json.metadata(apiService), "name")) != null) continue;
            try {
                ObjectNode status = (ObjectNode) apiService.remove("status");
                ObjectNode created = apiServices.create("", apiService, RequestContext.LOOPBACK).toNode();
                created.set("status", status);
                apiServices.update("", Json.text(Json.metadata(created), "name"), created, RequestContext.LOOPBACK.withSubresource("status"));
            } catch (StatusException e) {
                if (e.code() != 409) throw e;
            }
        }
    }

    /** The APIService's name: {@code v1.apps}, {@code v1.} for the core group. */
    static String name(String groupVersion) {
        int slash = groupVersion.indexOf('/');
        return slash < 0 ? groupVersion + "." : groupVersion.substring(slash + 1) + "." + groupVersion.substring(0, slash);
    }

    private static ObjectNode local(String groupVersion, Instant now) {
        int[] priority = PRIORITIES.get(groupVersion);
        if (priority == null) return null; // the aggregator registers only the group-versions it knows
        ObjectNode a = apiService(groupVersion);
        Json.metadata(a).putObject("labels").put("kube-aggregator.kubernetes.io/automanaged", "onstart");
        a.with("spec").put("groupPriorityMinimum", priority[0]).put("versionPriority", priority[1]);
        available(a, now, "Local", "Local APIServices are always available");
        return a;
    }

    /** As metrics-server's manifest registers it, and Available as its checks pass. */
    private static ObjectNode metricsServer(Instant now) {
        ObjectNode a = apiService(METRICS);
        Json.metadata(a).putObject("labels").put("k8s-app", "metrics-server");
        ObjectNode spec = a.with("spec");
        spec.putObject("service").put("namespace", "kube-system").put("name", "metrics-server").put("port", 443);
        spec.put("insecureSkipTLSVerify", true).put("groupPriorityMinimum", 100).put("versionPriority", 100);
        available(a, now, "Passed", "all checks passed");
        return a;
    }

    private static ObjectNode apiService(String groupVersion) {
        ObjectNode a = Json.MAPPER.createObjectNode().put("apiVersion", "apiregistration.k8s.io/v1").put("kind", "APIService");
        a.putObject("metadata").put("name", name(groupVersion));
        int slash = groupVersion.indexOf('/');
        ObjectNode spec = a.putObject("spec");
        if (slash >= 0) spec.put("group", groupVersion.substring(0, slash));
        spec.put("version", slash < 0 ? groupVersion : groupVersion.substring(slash + 1));
        return a;
    }

    private static void available(ObjectNode apiService, Instant now, String reason, String message) {
        apiService.putObject("status").putArray("conditions").addObject().put("type", "Available").put("status", "True")
                .put("lastTransitionTime", DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)))
                .put("reason", reason).put("message", message);
    }
}
