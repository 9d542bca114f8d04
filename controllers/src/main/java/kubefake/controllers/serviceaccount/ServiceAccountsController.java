package kubefake.controllers.serviceaccount;

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

import java.util.List;

/**
 * kube-controller-manager's service account controller ({@code pkg/controller/serviceaccount}): every active namespace
 * has a {@code default} ServiceAccount, created when the namespace appears and again when someone deletes it. Clients
 * (kubectl run, Deployments' pods through the ServiceAccount admission) wait for it before creating pods.
 */
public final class ServiceAccountsController implements AutoCloseable {
    public static final String NAME = "serviceaccount-controller";
    /** The controller's own service account in kube-system. */
    public static final String SERVICE_ACCOUNT = "service-account-controller";
    /** The accounts ensured in every namespace (the controller's default options). */
    static final List<String> ENSURED = List.of("default");

    private final ResourceClient serviceAccounts;
    private final Informer namespaces;
    private final Informer accounts;
    private final Controller<String> controller;

    public ServiceAccountsController(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.serviceAccounts = client.resource("", "serviceaccounts");
        this.namespaces = informers.informer("", "namespaces");
        this.accounts = informers.informer("", "serviceaccounts");
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("serviceaccount", runtime), 1, this::syncNamespace);
        namespaces.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject namespace) {
                enqueue(namespace.toNode().path("metadata"), "name");
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject namespace) {
                enqueue(namespace.toNode().path("metadata"), "name");
            }
        });
        accounts.addHandler(new ResourceEventHandler() {
            @Override
            public void onDelete(StoredObject account) {
                JsonNode meta = account.toNode().path("metadata");
                if (ENSURED.contains(Json.text(meta, "name"))) enqueue(meta, "namespace");
            }
        });
    }

    private void enqueue(JsonNode meta, String field) {
        controller.queue().add(Json.text(meta, field));
    }

    public void start() {
        controller.start(namespaces.synced(), accounts.synced());
    }

    private Result syncNamespace(String namespace) {
        JsonNode ns = namespaces.get("", namespace).map(StoredObject::toNode).orElse(null);
        // gone, or terminating: creating in it would be refused
        if (ns == null || !"Active".equals(Json.text(ns.path("status"), "phase"))) return Result.done();
        for (String name : ENSURED) {
            if (accounts.get(namespace, name).isPresent()) continue;
            ObjectNode account = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "ServiceAccount");
            account.putObject("metadata").put("name", name).put("namespace", namespace);
            try {
                serviceAccounts.create(account);
            } catch (StatusException e) {
                // created meanwhile (AlreadyExists), or the namespace began terminating: nothing to retry
                if (e.code() != 409 && !PodControl.isNamespaceTerminating(e)) throw e;
            }
        }
        return Result.done();
    }

    @Override
    public void close() {
        controller.close();
    }
}
