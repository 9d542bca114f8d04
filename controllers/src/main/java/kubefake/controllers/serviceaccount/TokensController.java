package kubefake.controllers.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import kubefake.certs.ServiceAccountKey;
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
import kubefake.client.ObjectKey;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * kube-controller-manager's tokens controller ({@code pkg/controller/serviceaccount/tokens_controller.go}): a Secret of
 * type {@code kubernetes.io/service-account-token} naming a ServiceAccount in its {@code kubernetes.io/service-account.name}
 * annotation is filled with a long-lived token for it ({@code token}, signed with the cluster's {@code sa.key}), the
 * cluster CA ({@code ca.crt}) and {@code namespace}, and annotated with the account's uid; such a Secret whose account
 * does not exist (or no longer has that uid) is deleted, as are an account's token Secrets when it is deleted.
 */
public final class TokensController implements AutoCloseable {
    public static final String NAME = "serviceaccount-token-controller";
    public static final String TYPE = "kubernetes.io/service-account-token";
    public static final String NAME_ANNOTATION = "kubernetes.io/service-account.name";
    public static final String UID_ANNOTATION = "kubernetes.io/service-account.uid";
    /** The issuer of tokens kept in Secrets, which the API server tells apart from TokenRequest's. */
    public static final String LEGACY_ISSUER = "kubernetes/serviceaccount";
    public static final String CLAIM_NAMESPACE = "kubernetes.io/serviceaccount/namespace";
    public static final String CLAIM_SECRET_NAME = "kubernetes.io/serviceaccount/secret.name";
    public static final String CLAIM_ACCOUNT_NAME = "kubernetes.io/serviceaccount/service-account.name";
    public static final String CLAIM_ACCOUNT_UID = "kubernetes.io/serviceaccount/service-account.uid";

    private final ResourceClient secretsClient;
    private final ResourceClient accountsClient;
    private final Informer secrets;
    private final Informer accounts;
    private final ServiceAccountKey key;
    private final String rootCaPem;
    private final Controller<String> controller;

    /** @param client the controller manager's own identity (this controller does not use a service account) */
    public TokensController(Client client, SharedInformers informers, ClusterRuntime runtime, ServiceAccountKey key, String rootCaPem) {
        this.secretsClient = client.resource("", "secrets");
        this.accountsClient = client.resource("", "serviceaccounts");
        this.secrets = informers.informer("", "secrets");
        this.accounts = informers.informer("", "serviceaccounts");
        this.key = key;
        this.rootCaPem = rootCaPem;
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("serviceaccount-tokens", runtime), 1, this::sync);
        secrets.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject secret) {
                enqueueIfToken(secret);
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject secret) {
                enqueueIfToken(secret);
            }
        });
        accounts.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject account) {
                enqueueSecretsOf(account);
            }

            @Override
            public void onDelete(StoredObject account) {
                enqueueSecretsOf(account);
            }
        });
    }

    private void enqueueIfToken(StoredObject secret) {
        JsonNode s = secret.tree();
        if (TYPE.equals(s.path("type").asText())) controller.queue().add(ObjectKey.of(s));
    }

    /** The token Secrets naming the account: to fill once it exists, to delete once it is gone. */
    private void enqueueSecretsOf(StoredObject account) {
        JsonNode meta = account.tree().path("metadata");
        String name = meta.path("name").asText();
        for (StoredObject s : secrets.list(meta.path("namespace").asText())) {
            JsonNode secret = s.tree();
            if (TYPE.equals(secret.path("type").asText())
                    && name.equals(secret.path("metadata").path("annotations").path(NAME_ANNOTATION).asText())) {
                controller.queue().add(ObjectKey.of(secret));
            }
        }
    }

    public void start() {
        controller.start(secrets.synced(), accounts.synced());
    }

    private Result sync(String key) {
        StoredObject stored = secrets.get(key).orElse(null);
        if (stored == null) return Result.done();
        JsonNode secret = stored.tree();
        if (!TYPE.equals(secret.path("type").asText()) || secret.path("metadata").has("deletionTimestamp")) return Result.done();
        String namespace = ObjectKey.namespace(key);
        String name = ObjectKey.name(key);
        JsonNode annotations = secret.path("metadata").path("annotations");
        String accountName = annotations.path(NAME_ANNOTATION).asText("");
        String wantedUid = annotations.path(UID_ANNOTATION).asText("");
        // the live account, not the cache: a Secret created right after its account must not be deleted for a lagging informer
        StoredObject account = account(namespace, accountName);
        String accountUid = account == null ? "" : account.tree().path("metadata").path("uid").asText();
        if (account == null || (!wantedUid.isEmpty() && !wantedUid.equals(accountUid))) {
            try {
                secretsClient.delete(namespace, name);
            } catch (StatusException e) {
                if (e.code() != 404) throw e;
            }
            return Result.done();
        }
        JsonNode data = secret.path("data");
        if (data.hasNonNull("token") && data.hasNonNull("ca.crt") && data.hasNonNull("namespace") && !wantedUid.isEmpty()) {
            return Result.done();
        }
        String token = this.key.sign(new JWTClaimsSet.Builder()
                .issuer(LEGACY_ISSUER)
                .subject("system:serviceaccount:" + namespace + ":" + accountName)
                .claim(CLAIM_NAMESPACE, namespace)
                .claim(CLAIM_SECRET_NAME, name)
                .claim(CLAIM_ACCOUNT_NAME, accountName)
                .claim(CLAIM_ACCOUNT_UID, accountUid)
                .build());
        try {
            secretsClient.patch(namespace, name, current -> {
                ObjectNode meta = (ObjectNode) current.get("metadata");
                ObjectNode a = meta.get("annotations") instanceof ObjectNode o ? o : meta.putObject("annotations");
                a.put(NAME_ANNOTATION, accountName).put(UID_ANNOTATION, accountUid);
                ObjectNode d = current.get("data") instanceof ObjectNode o ? o : current.putObject("data");
                if (!d.hasNonNull("ca.crt")) d.put("ca.crt", base64(rootCaPem));
                d.put("namespace", base64(namespace));
                if (!d.hasNonNull("token")) d.put("token", base64(token));
                return current;
            });
        } catch (StatusException e) {
            if (e.code() != 404) throw e;
        }
        return Result.done();
    }

    private StoredObject account(String namespace, String name) {
        if (name.isEmpty()) return null;
        StoredObject cached = accounts.get(namespace, name).orElse(null);
        return cached != null ? cached : accountsClient.find(namespace, name).orElse(null);
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        controller.close();
    }
}
