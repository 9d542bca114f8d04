package kubefake.controllers.rootcacertpublisher;

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
import kubefake.controllers.common.PodControl;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;

/**
 * kube-controller-manager's root CA certificate publisher ({@code pkg/controller/certificates/rootcacertpublisher}):
 * every active namespace holds the ConfigMap {@code kube-root-ca.crt} with the cluster CA in {@code ca.crt} (pods
 * mount it through their projected {@code kube-api-access-*} volume). Deleted, it is created again; its data changed
 * (a key added, the CA edited) or its description removed, the data is replaced by the CA alone and the description
 * put back, other annotations and labels kept.
 */
public final class RootCaCertPublisher implements AutoCloseable {
    public static final String NAME = "root-ca-certificate-publisher-controller";
    /** The controller's own service account in kube-system. */
    public static final String SERVICE_ACCOUNT = "root-ca-cert-publisher";
    public static final String CONFIG_MAP = "kube-root-ca.crt";
    static final String DATA_KEY = "ca.crt";
    static final String DESCRIPTION_ANNOTATION = "kubernetes.io/description";
    static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
            + "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across "
            + "distributions of Kubernetes clusters.";

    private final ResourceClient configMaps;
    private final String rootCa;
    private final Informer namespaces;
    private final Informer configMapInformer;
    private final Controller<String> controller;

    /** @param rootCaPem the cluster CA certificate, PEM, as kube-controller-manager's --root-ca-file holds it */
    public RootCaCertPublisher(Client client, SharedInformers informers, ClusterRuntime runtime, String rootCaPem) {
        this.configMaps = client.resource("", "configmaps");
        this.rootCa = rootCaPem;
        this.namespaces = informers.informer("", "namespaces");
        this.configMapInformer = informers.informer("", "configmaps");
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("root_ca_cert_publisher", runtime), 1, this::syncNamespace);
        namespaces.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject namespace) {
                controller.queue().add(Json.text(namespace.toNode().path("metadata"), "name"));
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject namespace) {
                ObjectNode ns = namespace.toNode();
                if ("Active".equals(Json.text(ns.path("status"), "phase"))) controller.queue().add(Json.text(ns.path("metadata"), "name"));
            }
        });
        configMapInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onUpdate(StoredObject old, StoredObject configMap) {
                enqueueIfOurs(configMap);
            }

            @Override
            public void onDelete(StoredObject configMap) {
                enqueueIfOurs(configMap);
            }
        });
    }

    private void enqueueIfOurs(StoredObject configMap) {
        JsonNode meta = configMap.toNode().path("metadata");
        if (CONFIG_MAP.equals(Json.text(meta, "name"))) controller.queue().add(Json.text(meta, "namespace"));
    }

    public void start() {
        controller.start(namespaces.synced(), configMapInformer.synced());
    }

    private Result syncNamespace(String namespace) {
        JsonNode ns = namespaces.get("", namespace).map(StoredObject::toNode).orElse(null);
        if (ns == null || !"Active".equals(Json.text(ns.path("status"), "phase"))) return Result.done();
        ObjectNode current = configMapInformer.get(namespace, CONFIG_MAP).map(StoredObject::toNode).orElse(null);
        if (current == null) {
            create(namespace);
        } else if (!upToDate(current)) {
            ObjectNode updated = current.deepCopy();
            updated.putObject("data").put(DATA_KEY, rootCa);
            updated.with("metadata").with("annotations").put(DESCRIPTION_ANNOTATION, DESCRIPTION);
            // the cache's resourceVersion is a precondition: a newer write gets a 409 and the next event a new look
            configMaps.update(updated);
        }
        return Result.done();
    }

    /** The data is exactly {ca.crt: the CA} and a description is there (any description: the real check is its length). */
    private boolean upToDate(ObjectNode configMap) {
        JsonNode data = configMap.path("data");
        return data.size() == 1 && rootCa.equals(Json.text(data, DATA_KEY))
                && !Json.text(configMap.path("metadata").path("annotations"), DESCRIPTION_ANNOTATION).isEmpty();
    }

    private void create(String namespace) {
        ObjectNode cm = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        ObjectNode meta = cm.putObject("metadata").put("name", CONFIG_MAP).put("namespace", namespace);
        meta.putObject("annotations").put(DESCRIPTION_ANNOTATION, DESCRIPTION);
        cm.putObject("data").put(DATA_KEY, rootCa);
        try {
            configMaps.create(cm);
        } catch (StatusException e) {
            // the namespace went or is terminating: nothing to retry
            if (e.code() != 404 && !PodControl.isNamespaceTerminating(e)) throw e;
        }
    }

    @Override
    public void close() {
        controller.close();
    }
}
