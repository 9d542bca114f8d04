package kubefake.controllers.certificates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.certs.CertificateRequest;
import kubefake.certs.ClusterPki;
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

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * kube-controller-manager's {@code csrsigning} controller for the {@code kubernetes.io/kube-apiserver-client} signer
 * (pkg/controller/certificates/signer): an approved request that is neither failed nor issued gets a certificate
 * signed by the cluster CA in {@code status.certificate}, valid for its {@code expirationSeconds} (at least ten minutes,
 * at most the cluster signing duration). A request whose usages this signer does not accept is marked Failed
 * ({@code SignerValidationFailure}) instead.
 */
public final class CsrSigningController implements AutoCloseable {
    public static final String NAME = "csrsigning";
    /** The controller's service account in kube-system. */
    public static final String SERVICE_ACCOUNT = "certificate-controller";
    public static final String KUBE_APISERVER_CLIENT = "kubernetes.io/kube-apiserver-client";
    /** kube-controller-manager's --cluster-signing-duration default (8760h). */
    public static final Duration DEFAULT_SIGNING_DURATION = Duration.ofHours(8760);
    private static final Duration MIN_DURATION = Duration.ofMinutes(10);

    private final ResourceClient csrs;
    private final Informer informer;
    private final ClusterPki pki;
    private final Duration signingDuration;
    private final ClusterRuntime runtime;
    private final Controller<String> controller;

    public CsrSigningController(Client client, SharedInformers informers, ClusterRuntime runtime, ClusterPki pki,
                                Duration signingDuration) {
        this.csrs = client.resource("certificates.k8s.io", "certificatesigningrequests");
        this.informer = informers.informer("certificates.k8s.io", "certificatesigningrequests");
        this.pki = pki;
        this.signingDuration = signingDuration;
        this.runtime = runtime;
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("certificate", runtime), 1, this::sync);
        informer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject csr) {
                controller.queue().add(Json.text(csr.toNode().path("metadata"), "name"));
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject csr) {
                controller.queue().add(Json.text(csr.toNode().path("metadata"), "name"));
            }
        });
    }

    public void start() {
        controller.start(informer.synced());
    }

    private Result sync(String name) {
        ObjectNode csr = informer.get("", name).map(StoredObject::toNode).orElse(null);
        if (csr == null || !approved(csr) || has(csr, "Failed") || !csr.path("status").path("certificate").asText("").isEmpty()) {
            return Result.done();
        }
        JsonNode spec = csr.path("spec");
        if (!KUBE_APISERVER_CLIENT.equals(spec.path("signerName").asText(""))) return Result.done();
        CertificateRequest request;
        try {
            request = CertificateRequest.parse(Base64.getDecoder().decode(spec.path("request").asText("")));
        } catch (CertificateRequest.InvalidRequestException | IllegalArgumentException e) {
            return Result.done(); // validation let nothing unparsable in; the real controller logs and drops it too
        }
        List<String> usages = new ArrayList<>();
        spec.path("usages").forEach(u -> usages.add(u.asText()));
        String refusal = clientUsagesRefusal(usages);
        ObjectNode updated = csr.deepCopy();
        if (refusal != null) {
            ObjectNode failed = updated.with("status").withArray("conditions").addObject();
            failed.put("type", "Failed").put("status", "True").put("reason", "SignerValidationFailure").put("message", refusal)
                    .put("lastUpdateTime", runtime.clock().instant().truncatedTo(ChronoUnit.SECONDS).toString());
        } else {
            byte[] pem = pki.signRequest(request, usages, duration(spec.get("expirationSeconds")));
            updated.with("status").put("certificate", Base64.getEncoder().encodeToString(pem));
        }
        // the cache's resourceVersion is a precondition: a newer write gets a 409 and its event another sync
        csrs.updateStatus(updated);
        return Result.done();
    }

    /** The signer's duration: what the request asks, at least ten minutes, at most the cluster signing duration. */
    Duration duration(JsonNode expirationSeconds) {
        if (expirationSeconds == null || expirationSeconds.isNull()) return signingDuration;
        Duration requested = Duration.ofSeconds(expirationSeconds.asLong());
        if (requested.compareTo(signingDuration) > 0) return signingDuration;
        return requested.compareTo(MIN_DURATION) < 0 ? MIN_DURATION : requested;
    }

    /** validAPIServerClientUsages: client auth required; digital signature and key encipherment allowed. */
    static String clientUsagesRefusal(List<String> usages) {
        boolean clientAuth = false;
        for (String u : usages) {
            switch (u) {
                case "digital signature", "key encipherment" -> { }
                case "client auth" -> clientAuth = true;
                default -> {
                    return "invalid usage for client certificate: " + u;
                }
            }
        }
        return clientAuth ? null : "missing required usage for client certificate: client auth";
    }

    private static boolean approved(ObjectNode csr) {
        return has(csr, "Approved") && !has(csr, "Denied");
    }

    private static boolean has(ObjectNode csr, String type) {
        for (JsonNode c : csr.path("status").path("conditions")) {
            if (type.equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) return true;
        }
        return false;
    }

    @Override
    public void close() {
        controller.close();
    }
}
