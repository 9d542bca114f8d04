package kubefake.store.registry.admission.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.admission.AdmissionAttributes;
import kubefake.store.registry.admission.AdmissionLookups;
import kubefake.store.registry.admission.MatchSelectors;
import kubefake.store.registry.admission.MutatingPlugin;
import kubefake.store.registry.admission.ValidatingPlugin;
import kubefake.store.registry.errors.Cause;
import kubefake.store.registry.errors.StatusDetails;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.patch.JsonPatch;
import kubefake.store.registry.patch.PatchException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The MutatingAdmissionWebhook and ValidatingAdmissionWebhook plugins: every webhook of the
 * {@code MutatingWebhookConfiguration}s (or {@code ValidatingWebhookConfiguration}s) whose rules, namespace selector and
 * object selector match the write is sent an admission.k8s.io/v1 AdmissionReview over HTTPS. A webhook that does not
 * allow the write refuses it ({@code admission webhook "NAME" denied the request: MESSAGE}); a mutating one's
 * JSONPatch is applied to the object. A webhook that cannot be called fails the write (500, {@code failed calling
 * webhook}) unless its {@code failurePolicy} is Ignore. Writes of the admission configuration kinds themselves are
 * never sent to webhooks, as on the real server. Not modelled: matchConditions, reinvocation, service references
 * (the cluster's Services have no real endpoints: the call fails as an unreachable host would).
 */
public final class WebhookAdmission {
    private static final String GROUP = "admissionregistration.k8s.io";
    private static final Set<String> EXEMPT = Set.of("validatingwebhookconfigurations", "mutatingwebhookconfigurations",
            "validatingadmissionpolicies", "validatingadmissionpolicybindings", "mutatingadmissionpolicies",
            "mutatingadmissionpolicybindings");

    private final Supplier<List<ObjectNode>> mutatingConfigurations;
    private final Supplier<List<ObjectNode>> validatingConfigurations;
    private final AdmissionLookups lookups;
    private final WebhookClient client = new WebhookClient();

    /**
     * @param mutatingConfigurations   the stored MutatingWebhookConfigurations, read at each write
     * @param validatingConfigurations the stored ValidatingWebhookConfigurations, read at each write
     */
    public WebhookAdmission(Supplier<List<ObjectNode>> mutatingConfigurations,
                            Supplier<List<ObjectNode>> validatingConfigurations, AdmissionLookups lookups) {
        this.mutatingConfigurations = mutatingConfigurations;
        this.validatingConfigurations = validatingConfigurations;
        this.lookups = lookups;
    }

    /** The MutatingAdmissionWebhook plugin (last of the mutating plugins). */
    public MutatingPlugin mutating() {
        return new MutatingPlugin() {
            @Override
            public String name() {
                return "MutatingAdmissionWebhook";
            }

            @Override
            public void admit(AdmissionAttributes attributes) {
                dispatch(mutatingConfigurations.get(), attributes, true);
            }
        };
    }

    /** The ValidatingAdmissionWebhook plugin. */
    public ValidatingPlugin validating() {
        return new ValidatingPlugin() {
            @Override
            public String name() {
                return "ValidatingAdmissionWebhook";
            }

            @Override
            public void validate(AdmissionAttributes attributes) {
                dispatch(validatingConfigurations.get(), attributes, false);
            }
        };
    }

    private void dispatch(List<ObjectNode> configurations, AdmissionAttributes a, boolean mutating) {
        if (configurations.isEmpty()) return;
        if (a.type().group().equals(GROUP) && EXEMPT.contains(a.type().resource())) return;
        for (ObjectNode configuration : configurations) {
            for (JsonNode webhook : configuration.path("webhooks")) {
                if (!WebhookRules.matches(webhook, a) || !MatchSelectors.matches(webhook, a, lookups)) continue;
                call(webhook, a, mutating);
            }
        }
    }

    private void call(JsonNode webhook, AdmissionAttributes a, boolean mutating) {
        String name = Json.text(webhook, "name");
        String sideEffects = Json.text(webhook, "sideEffects");
        if (a.context().dryRun() && !sideEffects.equals("None") && !sideEffects.equals("NoneOnDryRun")) {
            throw StatusException.badRequest("admission webhook \"" + name + "\" does not support dry run");
        }
        String uid = UUID.randomUUID().toString();
        ObjectNode review = AdmissionReviews.request(uid, a);
        JsonNode clientConfig = webhook.path("clientConfig");
        long seconds = webhook.path("timeoutSeconds").asLong(10);
        ObjectNode response;
        try {
            response = client.call(url(clientConfig), Json.text(clientConfig, "caBundle"), Duration.ofSeconds(seconds),
                    review, uid);
        } catch (WebhookClient.CallFailed e) {
            if ("Ignore".equals(Json.text(webhook, "failurePolicy"))) return; // failing open
            String message = "failed calling webhook \"" + name + "\": " + e.getMessage();
            throw new StatusException(500, "InternalError", "Internal error occurred: " + message,
                    new StatusDetails("", "", "", "", List.of(new Cause("", message, "")), 0));
        }
        if (!response.path("allowed").asBoolean(false)) throw denied(name, response.path("status"));
        if (mutating && response.hasNonNull("patch")) applyPatch(name, response, a);
    }

    /** The webhook's URL: its own, or the service's DNS name, port and path. */
    private static String url(JsonNode clientConfig) {
        if (clientConfig.hasNonNull("url")) return clientConfig.get("url").asText();
        JsonNode service = clientConfig.path("service");
        return "https://" + Json.text(service, "name") + "." + Json.text(service, "namespace") + ".svc:"
                + service.path("port").asInt(443) + Json.text(service, "path");
    }

    /** {@code webhookerrors.ToStatusErr}: the webhook's Status, at least a 400 Failure, its message prefixed. */
    private static StatusException denied(String name, JsonNode status) {
        String deniedBy = "admission webhook \"" + name + "\" denied the request";
        int code = status.path("code").asInt(0);
        if (code < 400) code = 400;
        String message = Json.text(status, "message");
        String reason = Json.text(status, "reason");
        String text = !message.isEmpty() ? deniedBy + ": " + message
                : !reason.isEmpty() ? deniedBy + ": " + reason : deniedBy + " without explanation";
        StatusDetails details = null;
        JsonNode d = status.get("details");
        if (d != null && d.isObject()) {
            List<Cause> causes = new ArrayList<>();
            for (JsonNode c : d.path("causes")) {
                causes.add(new Cause(Json.text(c, "reason"), Json.text(c, "message"), Json.text(c, "field")));
            }
            details = new StatusDetails(Json.text(d, "name"), Json.text(d, "group"), Json.text(d, "kind"),
                    Json.text(d, "uid"), causes, d.path("retryAfterSeconds").asInt(0));
        }
        return new StatusException(code, reason, text, details);
    }

    /** A mutating webhook's JSONPatch, applied to the object in place. */
    private static void applyPatch(String name, ObjectNode response, AdmissionAttributes a) {
        String patchType = Json.text(response, "patchType");
        if (!patchType.equals("JSONPatch")) {
            String message = "failed calling webhook \"" + name + "\": received invalid webhook response: unsupported "
                    + "patch type \"" + patchType + "\"";
            throw new StatusException(500, "InternalError", "Internal error occurred: " + message,
                    new StatusDetails("", "", "", "", List.of(new Cause("", message, "")), 0));
        }
        if (a.object() == null) return;
        JsonNode patched;
        try {
            JsonNode patch = Json.MAPPER.readTree(Base64.getDecoder().decode(response.get("patch").asText()));
            patched = JsonPatch.apply(a.object(), patch);
        } catch (java.io.IOException | IllegalArgumentException | PatchException e) {
            throw StatusException.internal(e.getMessage());
        }
        if (!(patched instanceof ObjectNode object)) throw StatusException.internal("the patched object is not an object");
        a.object().removeAll();
        a.object().setAll(object);
    }
}
