package kubefake.store.registry.defaulting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * admissionregistration.k8s.io/v1 defaults ({@code SetDefaults_ValidatingWebhook}, {@code SetDefaults_MutatingWebhook},
 * {@code SetDefaults_Rule}, {@code SetDefaults_ServiceReference}): failurePolicy Fail, matchPolicy Equivalent, empty
 * namespace and object selectors (everything), timeoutSeconds 10, rules of scope {@code *}, service port 443; mutating
 * webhooks are not reinvoked (Never).
 */
final class AdmissionRegistrationDefaults {
    private AdmissionRegistrationDefaults() {
    }

    static void validating(ObjectNode configuration) {
        webhooks(configuration, false);
    }

    static void mutating(ObjectNode configuration) {
        webhooks(configuration, true);
    }

    private static void webhooks(ObjectNode configuration, boolean mutating) {
        for (JsonNode w : configuration.path("webhooks")) {
            if (!(w instanceof ObjectNode webhook)) continue;
            if (!webhook.hasNonNull("failurePolicy")) webhook.put("failurePolicy", "Fail");
            if (!webhook.hasNonNull("matchPolicy")) webhook.put("matchPolicy", "Equivalent");
            if (!webhook.hasNonNull("namespaceSelector")) webhook.putObject("namespaceSelector");
            if (!webhook.hasNonNull("objectSelector")) webhook.putObject("objectSelector");
            if (!webhook.hasNonNull("timeoutSeconds")) webhook.put("timeoutSeconds", 10);
            if (mutating && !webhook.hasNonNull("reinvocationPolicy")) webhook.put("reinvocationPolicy", "Never");
            for (JsonNode rule : webhook.path("rules")) {
                if (rule instanceof ObjectNode r && !r.hasNonNull("scope")) r.put("scope", "*");
            }
            if (webhook.path("clientConfig").get("service") instanceof ObjectNode service && !service.hasNonNull("port")) {
                service.put("port", 443);
            }
        }
    }
}
